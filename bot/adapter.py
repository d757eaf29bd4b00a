"""The adapter interface: the one seam between the core and a chat platform.

An adapter is started with a callback into the core, turns platform updates into neutral
`Event`s, and sends `Outgoing` messages back. It owns its platform's quirks (mentions,
threads, limits, signatures) and nothing else.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.messages import Event, Outgoing

Dispatch = Callable[[Event], Awaitable[None]]


@dataclass(frozen=True)
class Capabilities:
    threads: bool = False
    edits: bool = False
    buttons: bool = False
    member_count: bool = False
    max_text: int = 4000


@dataclass(frozen=True)
class CommandInfo:
    """A command as platforms list it in their menus; `role` is the least role allowed."""

    name: str
    usage: str
    role: str


class SendError(Exception):
    """Sending failed. `retry_after` (seconds) is set when the platform said when to retry;
    `permanent` marks failures a retry cannot fix (unknown chat, bot removed, bad request)."""

    def __init__(self, reason: str, *, retry_after: float | None = None, permanent: bool = False):
        super().__init__(reason)
        self.retry_after = retry_after
        self.permanent = permanent


class Adapter(ABC):
    """One platform connection. Subclasses set `platform` and `capabilities`."""

    platform: str
    capabilities: Capabilities = Capabilities()

    @abstractmethod
    async def start(self, dispatch: Dispatch) -> None:
        """Connect and begin delivering events to `dispatch`; return once listening."""

    @abstractmethod
    async def stop(self) -> None:
        """Disconnect; events already handed to `dispatch` are the core's to finish."""

    @abstractmethod
    async def send(self, out: Outgoing) -> str:
        """Deliver one message and return the platform's id for it; raise `SendError`."""

    async def member_count(self, chat_id: str) -> int | None:
        """Members in a room, when the platform can tell."""
        return None

    async def publish_commands(self, commands: list[CommandInfo]) -> None:
        """Show the bot's commands in the platform's menu, where it has one (most have none)."""
        return None
