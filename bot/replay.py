"""`sotong replay`: drive whole conversations through the real pipeline without a platform.

Each input line is one event; every outgoing message is printed as one JSON line
(contract in DESIGN §3). Events go through inbox → middleware → router → handlers → outbox
on a memory adapter per platform, with the clock set to each event's time.
"""

from __future__ import annotations

import codecs
import io
import json
import sys
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from sqlmodel import Session, select

from bot.adapters.memory import MemoryAdapter
from bot.assemble import build_app
from bot.clock import Clock
from bot.config import Settings
from bot.messages import Outgoing, parse_text
from storage.models import InboxItem

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

TEXT_FIELDS = ("platform", "room", "user", "text")
"""Required, as text; all but `text` must say something."""
EARLIEST, LATEST = 2000, 2099
"""The years an event's `at` may fall in: the county's queue, deadlines and reports count in
calendar days from it, which a year such as 0001 or 9999 puts out of Python's range."""


class ReplayError(ValueError):
    """A line of the replay file is not a valid event."""


def read_lines(path: str | None, stdin: BinaryIO | None = None) -> list[str]:
    """The lines of the events file `path` (None: standard input), as UTF-8 (a byte-order mark
    is allowed); a file that cannot be read, or is not UTF-8, is a `ReplayError`."""
    try:
        if path is None:
            data = (stdin or sys.stdin.buffer).read()
        else:
            with open(path, "rb") as file:
                data = file.read()
    except OSError as exc:
        raise ReplayError(f"cannot read {path} ({exc.strerror or exc})") from None
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ReplayError(f"line {line}: not UTF-8 text (save the file as UTF-8)") from None
    return io.StringIO(text, newline=None).readlines()


def _event_fields(line_no: int, raw: str) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ReplayError(f"line {line_no}: not JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise ReplayError(f"line {line_no}: an event must be a JSON object")
    for key in TEXT_FIELDS:
        value = data.get(key)
        if not isinstance(value, str) or (key != "text" and not value.strip()):
            raise ReplayError(f"line {line_no}: `{key}` is required and must be text")
    if not isinstance(data.get("name"), str | None):
        raise ReplayError(f"line {line_no}: `name` must be text, not {_json(data['name'])}")
    if not isinstance(data.get("mention", False), bool):
        raise ReplayError(
            f"line {line_no}: `mention` must be true or false, not {_json(data['mention'])}"
        )
    if "at" in data:
        try:
            at = datetime.fromisoformat(data["at"])
        except (TypeError, ValueError):
            raise ReplayError(f"line {line_no}: `at` is not an ISO-8601 time") from None
        if at.tzinfo is None:
            raise ReplayError(f"line {line_no}: `at` needs a time zone (e.g. +09:00)")
        if not EARLIEST <= at.year <= LATEST:
            raise ReplayError(
                f"line {line_no}: `at` must fall in the years {EARLIEST} to {LATEST}, not {at.year}"
            )
        data["at"] = at
    return data


def _json(value: Any) -> str:
    """A value as the replay file wrote it, for a refusal (cut short if long)."""
    written = json.dumps(value, ensure_ascii=False)
    return written if len(written) <= 40 else written[:39] + "…"


async def replay(settings: Settings, lines: Iterable[str], out: TextIO) -> int:
    """Replay events; return how many messages the bot sent."""
    events = [
        (number, _event_fields(number, raw)) for number, raw in enumerate(lines, 1) if raw.strip()
    ]
    platforms = {room.platform for room in settings.rooms} | {e["platform"] for _, e in events}
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
        for index, (line_no, data) in enumerate(events):
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
                    addressed=room is None or data.get("mention", False),
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
            _check_handled(app.engine, line_no, data["platform"], f"replay:{message_id}")
    finally:
        await app.stop()
    return total


def _check_handled(engine: Engine, line_no: int, platform: str, delivery_id: str) -> None:
    """The bot handled the event: an error in the pipeline (logged as it happened) ends the
    replay naming its line, instead of going on as if nothing had happened."""
    with Session(engine) as session:
        item = session.exec(
            select(InboxItem).where(
                InboxItem.platform == platform, InboxItem.delivery_id == delivery_id
            )
        ).first()
    if item is not None and item.status != "handled":
        raise ReplayError(f"line {line_no}: the bot failed to handle this event ({item.error})")


def _printable(settings: Settings, out: Outgoing, index_of: dict[str, int]) -> dict[str, Any]:
    room = settings.room(out.platform, out.chat_id)
    return {
        "platform": out.platform,
        "room": room.key if room else out.chat_id,
        "text": out.plain_text,
        "reply_to": index_of.get(out.reply_to) if out.reply_to else None,
        "to_user": out.to_user,
    }
