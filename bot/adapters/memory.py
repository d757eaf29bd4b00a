"""An in-process adapter: events are pushed in by code and sent messages are kept in a list.

Replay uses one per platform, and tests read like conversations with it.
"""

from __future__ import annotations

import itertools

from bot.adapter import Adapter, Capabilities, Dispatch
from bot.messages import Event, Outgoing


class MemoryAdapter(Adapter):
    capabilities = Capabilities(threads=True, buttons=True, member_count=True)

    def __init__(self, platform: str, *, sent: list[Outgoing] | None = None) -> None:
        self.platform = platform
        self.sent: list[Outgoing] = [] if sent is None else sent
        """What the bot sent; adapters may share one list to keep the order across platforms."""
        self.members: dict[str, int] = {}
        self._dispatch: Dispatch | None = None
        self._ids = itertools.count(1)

    async def start(self, dispatch: Dispatch) -> None:
        self._dispatch = dispatch

    async def stop(self) -> None:
        self._dispatch = None

    async def push(self, event: Event) -> None:
        if self._dispatch is None:
            raise RuntimeError(f"the {self.platform} memory adapter is not started")
        await self._dispatch(event)

    async def send(self, out: Outgoing) -> str:
        self.sent.append(out)
        return f"{self.platform}-{next(self._ids)}"

    async def member_count(self, chat_id: str) -> int | None:
        return self.members.get(chat_id)
