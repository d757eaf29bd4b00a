"""The platform-neutral message model every adapter speaks and every handler reads.

Adapters translate their platform into these dataclasses and back; nothing past the adapter
ever sees a platform object, so handlers stay the same on Telegram, Slack or the web chat.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Literal

EventKind = Literal["message", "command", "member_joined", "member_left"]

# a letter of any script: /상태 is a command too (an unknown one is said so, not ignored)
_COMMAND = re.compile(r"^/(?P<name>[^\W\d_][\w-]*)(?:@(?P<bot>\S+))?(?:\s+(?P<args>.*))?$", re.S)


@dataclass(frozen=True)
class Event:
    """Something that happened in a chat: a message, a command, a member joining or leaving.

    `delivery_id` is the platform's own id for this delivery (Telegram `update_id`, Slack
    `event_id`, …); the inbox deduplicates on (platform, delivery_id).
    """

    kind: ClassVar[EventKind] = "message"

    platform: str
    chat_id: str
    user_id: str
    user_name: str
    delivery_id: str
    at: datetime
    text: str = ""
    message_id: str | None = None
    thread_id: str | None = None
    is_direct: bool = False
    addressed: bool = False
    """The bot was mentioned or replied to (always true in a 1:1 chat)."""
    to_member: bool = False
    """A reply to another member's message, or a mention of one: neighbours talking."""
    reply_to: str | None = None
    """The platform id of the message this one replies to, where the platform says (a
    Telegram reply): a resident replying to their report, or to the bot's receipt for it."""

    def to_json(self) -> str:
        data = dataclasses.asdict(self)
        data["kind"] = self.kind
        data["at"] = self.at.isoformat()
        return json.dumps(data, ensure_ascii=False)

    @staticmethod
    def from_json(raw: str) -> Event:
        data: dict[str, Any] = json.loads(raw)
        cls = EVENT_TYPES[data.pop("kind")]
        data["at"] = datetime.fromisoformat(data["at"])
        return cls(**data)


@dataclass(frozen=True)
class Message(Event):
    """Plain text written by a person."""

    kind: ClassVar[EventKind] = "message"


@dataclass(frozen=True)
class Command(Event):
    """A slash command such as `/resolve 42 고쳤습니다` (`/resolve@botname` on Telegram)."""

    kind: ClassVar[EventKind] = "command"
    name: str = ""
    args: str = ""

    @property
    def argv(self) -> list[str]:
        return self.args.split()


@dataclass(frozen=True)
class MemberJoined(Event):
    kind: ClassVar[EventKind] = "member_joined"


@dataclass(frozen=True)
class MemberLeft(Event):
    kind: ClassVar[EventKind] = "member_left"


EVENT_TYPES: dict[str, type[Event]] = {
    cls.kind: cls for cls in (Message, Command, MemberJoined, MemberLeft)
}


def well_formed(text: str) -> str:
    """`text` with any lone surrogate (a JSON `"\\ud800"`) as U+FFFD: such a string cannot be
    stored or sent as UTF-8, and one odd character must not fail a whole delivery."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def well_formed_event(event: Event) -> Event:
    """`event` with every text field `well_formed`."""
    changed = {}
    for f in dataclasses.fields(event):
        value = getattr(event, f.name)
        if isinstance(value, str) and (fixed := well_formed(value)) is not value:
            changed[f.name] = fixed
    return dataclasses.replace(event, **changed) if changed else event


def parse_text(**fields: Any) -> Event:
    """Build a Message, or a Command when the text starts with `/name`.

    A `@botname` suffix is dropped, so `/ticket@sotong_bot 42` and `/ticket 42` are the same.
    """
    match = _COMMAND.match(fields.get("text", "").strip())
    if match is None:
        return Message(**fields)
    # A command is always meant for the bot, whatever the room's mode.
    return Command(
        **{**fields, "addressed": True},
        name=match["name"].lower(),
        args=(match["args"] or "").strip(),
    )


@dataclass(frozen=True)
class Outgoing:
    """Text the bot sends: a reply in a room, a message to a 1:1 chat, or a broadcast."""

    platform: str
    chat_id: str
    text: str
    reply_to: str | None = None
    """Platform message id this answers; adapters render it as a native reply when they can."""
    thread_id: str | None = None
    quick_replies: tuple[str, ...] = ()
    to_user: str | None = None
    """Set for a 1:1 message: the platform user id it is meant for."""
    link: tuple[str, str] | None = None
    """(label, url) shown under the text: as a titled link where the platform has them,
    else as the bare url (see `plain_text`)."""
    meta: dict[str, Any] = field(default_factory=dict, compare=False)
    """Free-form data for tools (e.g. replay's event index); never shown to people."""

    def to_json(self) -> str:
        data = dataclasses.asdict(self)
        data["quick_replies"] = list(self.quick_replies)
        return json.dumps(data, ensure_ascii=False)

    @staticmethod
    def from_json(raw: str) -> Outgoing:
        data = json.loads(raw)
        data["quick_replies"] = tuple(data.get("quick_replies") or ())
        data["link"] = tuple(data["link"]) if data.get("link") else None
        return Outgoing(**data)

    @property
    def plain_text(self) -> str:
        """The text with its link's url on a line of its own, for platforms without links."""
        return f"{self.text}\n{self.link[1]}" if self.link else self.text
