"""Talk to the bot the way residents and officers do, in the style of Errbot's tests:
`await bot.say(...)` pushes a message through the real pipeline, `bot.pop()` takes the
bot's next message."""

from __future__ import annotations

import itertools
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.adapters.memory import MemoryAdapter
from bot.app import App
from bot.assemble import build_app
from bot.clock import Clock
from bot.config import Settings
from bot.messages import Outgoing, parse_text

KST = ZoneInfo("Asia/Seoul")  # the county's clock
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=KST)  # an ordinary working morning

PLATFORM = "chat"
OFFICERS = "officers"  # `say(room=OFFICERS)`: in the county's officer room


class Conversation:
    def __init__(self, settings: Settings, *, platforms: tuple[str, ...] = (PLATFORM,)) -> None:
        self.settings = settings
        self.sent: list[Outgoing] = []
        self.adapters = {p: MemoryAdapter(p, sent=self.sent) for p in platforms}
        self.clock = Clock()
        self.clock.set(MONDAY)  # office hours, whenever the suite runs
        self.app: App = build_app(settings, adapters=list(self.adapters.values()), clock=self.clock)
        self._ids = itertools.count(1)
        self._run = uuid.uuid4().hex[:8]  # deliveries of a restarted bot are new ones

    async def start(self) -> None:
        await self.app.start(workers=False)

    async def stop(self) -> None:
        await self.app.stop()

    async def say(
        self,
        user: str,
        text: str,
        *,
        room: str | None = "parenting",
        name: str | None = None,
        mention: bool = False,
        to_member: bool = False,
        at: datetime | None = None,
        platform: str = PLATFORM,
        thread: str | None = None,
        reply_to: str | None = None,
    ) -> str:
        """`user` writes `text` in `room` (a room key, or OFFICERS for the officer room), or 1:1
        with `room=None`; `to_member`:
        as a reply to another member's message; `thread`: in the thread of that message id;
        `reply_to`: as a reply to that message id (a Telegram reply).

        Returns the message id, so a test can check what the bot replied to."""
        if at is not None:
            self.clock.set(at)
            await self.app.tick()
        number = next(self._ids)
        config_room = self.settings.room_by_key(room) if room else None
        chat_id = config_room.chat_id if config_room else f"dm-{user}"
        direct = config_room is None and room != OFFICERS
        if room == OFFICERS:
            chat_id = self.settings.officer_room.chat_id
        message_id = f"m{number}"
        await self.app.receive(
            parse_text(
                platform=platform,
                chat_id=chat_id,
                user_id=user,
                user_name=name or user,
                delivery_id=f"{self._run}-d{number}",
                at=self.clock.now(),
                text=text,
                message_id=message_id,
                thread_id=thread,
                reply_to=reply_to,
                is_direct=direct,
                addressed=direct or mention,
                to_member=to_member,
            )
        )
        await self.app.drain()
        return message_id

    def pop(self) -> Outgoing:
        """The oldest message the bot sent that the test has not looked at yet."""
        assert self.sent, "the bot said nothing"
        return self.sent.pop(0)

    def pop_text(self) -> str:
        return self.pop().text

    def in_room(self, key: str) -> list[Outgoing]:
        """Take every pending message the bot sent to room `key`."""
        room = self.settings.room_by_key(key)
        chat = room.chat_id if room else key
        mine = [m for m in self.sent if m.chat_id == chat]
        self.sent[:] = [m for m in self.sent if m.chat_id != chat]
        return mine

    def to_officers(self) -> list[Outgoing]:
        return self.in_room(self.settings.officer_room.chat_id)

    def assert_silent(self) -> None:
        assert not self.sent, f"the bot should have stayed quiet but said {self.sent}"
