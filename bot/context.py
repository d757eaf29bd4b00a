"""What a handler gets for one incoming event: the event, who sent it, where, and how to answer.

Replies are collected here and written to the outbox in the same transaction that marks the
event handled, so an event is either fully handled (with its replies queued) or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlmodel import Session

from bot import privacy
from bot.config import RoomSettings, Settings
from bot.messages import Event, Outgoing
from bot.texts import Texts
from storage.models import AuditEntry, Person

ROLES = ("resident", "officer", "admin")
RoomMode = Literal["mention", "listen", "direct"]


@dataclass
class Context:
    event: Event
    session: Session
    settings: Settings
    texts: Texts
    now: datetime
    services: dict[str, Any] = field(default_factory=dict)
    person: Person | None = None
    role: str = "resident"
    outgoing: list[Outgoing] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    """Scratch space for middleware to hand values to handlers (injected by name too)."""

    @property
    def room(self) -> RoomSettings | None:
        return self.settings.room(self.event.platform, self.event.chat_id)

    @property
    def mode(self) -> RoomMode:
        if self.event.is_direct:
            return "direct"
        room = self.room
        return room.mode if room else "mention"

    def has_role(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)

    def reply(self, text: str, *, quick_replies: tuple[str, ...] = ()) -> None:
        """Answer in the chat (and thread) the event came from, as a reply to it."""
        event = self.event
        self.send(
            Outgoing(
                platform=event.platform,
                chat_id=event.chat_id,
                text=text,
                reply_to=event.message_id,
                thread_id=event.thread_id,
                quick_replies=quick_replies,
                to_user=event.user_id if event.is_direct else None,
            )
        )

    def send(self, out: Outgoing) -> None:
        self.outgoing.append(out)

    def to_officers(self, text: str, *, quick_replies: tuple[str, ...] = ()) -> None:
        """Post to the officer room, if the county configured one."""
        room = self.settings.officer_room
        if room is not None:
            self.send(
                Outgoing(
                    platform=room.platform,
                    chat_id=room.chat_id,
                    text=text,
                    quick_replies=quick_replies,
                )
            )

    def audit(self, action: str, detail: str = "") -> None:
        """Record who did what; phone and account numbers in `detail` are masked (the audit
        trail is a log, and a command may quote a resident's number)."""
        self.session.add(
            AuditEntry(
                at=self.now,
                actor_id=self.person.id if self.person else None,
                platform=self.event.platform,
                user_id=self.event.user_id,
                action=action,
                detail=privacy.mask(detail).text,
            )
        )

    def resolve(self, name: str) -> Any:
        """The value a handler parameter called `name` receives (dependency injection)."""
        if name in ("ctx", "context"):
            return self
        if name in ("event", "message", "command"):
            return self.event
        if name in ("session", "settings", "texts", "now", "person", "role", "room"):
            return getattr(self, name)
        if name in self.data:
            return self.data[name]
        if name in self.services:
            return self.services[name]
        raise LookupError(f"no value to inject for handler parameter {name!r}")
