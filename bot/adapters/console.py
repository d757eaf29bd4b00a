"""`sotong chat`: talk to the bot from a terminal, as a 1:1 chat."""

from __future__ import annotations

import asyncio
import getpass
import itertools
import sys
import uuid
from datetime import UTC, datetime

from bot.adapter import Adapter, Dispatch
from bot.messages import Outgoing, parse_text
from bot.texts import Texts

PLATFORM = "console"


class ConsoleAdapter(Adapter):
    platform = PLATFORM

    def __init__(self, texts: Texts, bot_name: str, *, name: str | None = None) -> None:
        self.texts = texts
        self.bot_name = bot_name
        self.user_id = getpass.getuser()
        self.name = name or self.user_id
        self.chat_id = f"dm:{self.user_id}"
        self.finished = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._ids = itertools.count(1)
        self._run = uuid.uuid4().hex[:8]

    async def start(self, dispatch: Dispatch) -> None:
        self._task = asyncio.create_task(self._read(dispatch))

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()

    async def _read(self, dispatch: Dispatch) -> None:
        loop = asyncio.get_running_loop()
        print(self.texts("console.welcome", bot=self.bot_name), flush=True)
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            text = line.strip()
            if not text:
                continue
            number = next(self._ids)
            await dispatch(
                parse_text(
                    platform=PLATFORM,
                    chat_id=self.chat_id,
                    user_id=self.user_id,
                    user_name=self.name,
                    delivery_id=f"{self._run}-{number}",
                    message_id=str(number),
                    at=datetime.now(UTC),
                    text=text,
                    is_direct=True,
                    addressed=True,
                )
            )
        self.finished.set()

    async def send(self, out: Outgoing) -> str:
        print(f"\n{self.bot_name}> {out.plain_text}", flush=True)
        for number, choice in enumerate(out.quick_replies, 1):
            print(f"  [{number}] {choice}", flush=True)
        return str(next(self._ids))
