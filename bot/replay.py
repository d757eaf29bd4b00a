"""`sotong replay`: drive whole conversations through the real pipeline without a platform.

Each input line is one event; every outgoing message is printed as one JSON line
(contract in DESIGN §3). Events go through inbox → middleware → router → handlers → outbox
on a memory adapter per platform, with the clock set to each event's time.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TextIO

from bot.adapters.memory import MemoryAdapter
from bot.assemble import build_app
from bot.clock import Clock
from bot.config import Settings
from bot.messages import Outgoing, parse_text


class ReplayError(ValueError):
    """A line of the replay file is not a valid event."""


def _event_fields(line_no: int, raw: str) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ReplayError(f"line {line_no}: not JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise ReplayError(f"line {line_no}: an event must be a JSON object")
    for key in ("platform", "room", "user", "text"):
        if not isinstance(data.get(key), str):
            raise ReplayError(f"line {line_no}: `{key}` is required and must be text")
    if "at" in data:
        try:
            at = datetime.fromisoformat(data["at"])
        except (TypeError, ValueError):
            raise ReplayError(f"line {line_no}: `at` is not an ISO-8601 time") from None
        if at.tzinfo is None:
            raise ReplayError(f"line {line_no}: `at` needs a time zone (e.g. +09:00)")
        data["at"] = at
    return data


async def replay(settings: Settings, lines: Iterable[str], out: TextIO) -> int:
    """Replay events; return how many messages the bot sent."""
    events = [_event_fields(number, raw) for number, raw in enumerate(lines, 1) if raw.strip()]
    platforms = {room.platform for room in settings.rooms} | {e["platform"] for e in events}
    if settings.officer_room is not None:
        platforms.add(settings.officer_room.platform)
    sent: list[Outgoing] = []
    adapters = [MemoryAdapter(platform, sent=sent) for platform in sorted(platforms)]
    clock = Clock()
    app = build_app(settings, adapters=adapters, clock=clock)
    run = uuid.uuid4().hex[:8]
    index_of: dict[str, int] = {}
    total = 0
    await app.start(workers=False)
    try:
        for index, data in enumerate(events):
            clock.set(data.get("at") or datetime.now(UTC))
            await app.tick()
            app.services[
                "faq"
            ].wait()  # what officers taught so far is in effect: same output each run
            room = settings.room_by_key(data["room"])
            message_id = f"{run}:{index}"
            index_of[message_id] = index
            await app.receive(
                parse_text(
                    platform=data["platform"],
                    chat_id=room.chat_id if room else data["room"],
                    user_id=data["user"],
                    user_name=data.get("name") or data["user"],
                    delivery_id=f"replay:{message_id}",
                    at=clock.now(),
                    text=data["text"],
                    message_id=message_id,
                    is_direct=room is None,
                    addressed=room is None or bool(data.get("mention")),
                )
            )
            await app.drain()
            for message in sent:
                print(
                    json.dumps(_printable(settings, message, index_of), ensure_ascii=False),
                    file=out,
                    flush=True,
                )
            total += len(sent)
            sent.clear()
    finally:
        await app.stop()
    return total


def _printable(settings: Settings, out: Outgoing, index_of: dict[str, int]) -> dict[str, Any]:
    room = settings.room(out.platform, out.chat_id)
    return {
        "platform": out.platform,
        "room": room.key if room else out.chat_id,
        "text": out.plain_text,
        "reply_to": index_of.get(out.reply_to) if out.reply_to else None,
        "to_user": out.to_user,
    }
