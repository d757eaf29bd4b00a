"""Scheduled jobs — notices and county news — run exactly once across restarts and processes.

**Why not APScheduler's job store.** APScheduler 3 can keep jobs in the database
(`SQLAlchemyJobStore`), but its documentation warns that a job store shared by several
schedulers runs jobs twice or misses them; it pickles callables into rows; it reads the wall
clock, so tests and `sotong replay` could not drive it; and it keeps no record of what an
occurrence delivered. So APScheduler does what it is good at — computing fire times
(`CronTrigger`, `DateTrigger`) in the county's time zone — and the rest lives in our tables:

- `notice` holds each notice and its next unhandled occurrence (`next_at`);
- handling an occurrence is one transaction: the `broadcast` row (unique per occurrence), one
  outbox entry per room (unique dedupe key `<broadcast>:<room>`), the `info_post` that counts
  it as 정보 제공, and `next_at` moved on. A crash before the commit leaves the occurrence due;
  after it, the outbox delivers what is pending (rate-limited, retried) and never re-sends what
  it marked sent. Handling the same occurrence twice (a race, a replay) queues nothing new;
- an occurrence found late (the bot was down) is still sent within its grace period (1 h by
  default), otherwise officers hear that it was missed; several missed occurrences of one
  notice are reported together and only the newest one within grace is sent (coalesced);
- once every delivery of a broadcast is settled (sent, or refused for good) — or after
  `broadcast.report_after` — officers get one delivery report: sent and failed per room.

**One scheduler across processes.** Each pass of the jobs runs under a PostgreSQL advisory
lock taken with `pg_try_advisory_lock` on a connection of its own and released at the end of
the pass. A second process finds the lock taken and skips the pass; when the holder dies, its
connection closes and PostgreSQL frees the lock at once, so the next process to wake takes
over — no lease to expire, no clocks to agree. The lock only saves duplicate work: the unique
keys above are what make each notice go to each room once. SQLite is the single-process
embedded default and needs no lock (its unique keys still hold if two processes share it).

**When passes run.** Live, `Scheduler.run` (an `App` worker) sleeps until the next occurrence,
feed poll or report check (at most `IDLE` seconds) and runs a pass, so a 09:00 notice leaves at
09:00, not at the next tick. Replays and tests, which pin the clock and run no workers, drive
the same pass through the `App` ticker (`app.tick()`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.messages import Outgoing
from bot.outbox import enqueue
from storage.db import session_scope
from storage.models import Broadcast, BroadcastDelivery, InfoPost, OutboxItem

if TYPE_CHECKING:
    from apscheduler.triggers.base import BaseTrigger

    from bot.app import App
    from bot.config import RoomSettings

log = logging.getLogger(__name__)

IDLE = 30.0
"""Longest sleep between passes of the live loop (also how often feeds' config is seen)."""
LOCKED_RETRY = timedelta(seconds=5)
"""How soon a process that found another holding the scheduler lock looks again."""
SETTLE_CHECK = timedelta(seconds=2)
"""How often unsettled broadcasts are looked at for their delivery report."""
LOCK_KEY = 0x536F746F6E67  # "Sotong": the advisory lock's id (per database)

Job = Callable[[datetime], Awaitable[datetime | None]]
"""Does what is due at `now`; returns when it next has something to do (None: nothing)."""


# --- times people write -------------------------------------------------------------------------

_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(d|h|m|s|일|시간|분|초)")
_UNIT = {"d": 86400, "일": 86400, "h": 3600, "시간": 3600, "m": 60, "분": 60, "s": 1, "초": 1}
_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def parse_duration(value: str | float | int) -> timedelta:
    """`30m`, `1h30m`, `90s`, `1d`, `2시간` → a timedelta; a bare number means minutes."""
    if isinstance(value, int | float):
        seconds = float(value) * 60
    else:
        raw = value.strip().lower().replace(" ", "")
        if re.fullmatch(r"\d+(\.\d+)?", raw):
            seconds = float(raw) * 60
        else:
            parts = _DURATION.findall(raw)
            if not parts or "".join(n + u for n, u in parts) != raw:
                raise ValueError(f"not a duration: {value!r} (e.g. 30m, 1h, 90s, 1d)")
            seconds = sum(float(n) * _UNIT[u] for n, u in parts)
    if seconds <= 0:
        raise ValueError(f"a duration must be positive: {value!r}")
    return timedelta(seconds=seconds)


def _cron_weekdays(field: str) -> str:
    """Standard cron weekday numbers (0 or 7 = Sunday) as names, for APScheduler 3, whose
    `from_crontab` counts 0 as Monday; names (MON-FRI) pass through."""
    out: list[str] = []
    for part in field.lower().split(","):
        match = re.fullmatch(r"(\*|\d+)(?:-(\d+))?(?:/(\d+))?", part)
        if match is None:
            out.append(part)
            continue
        start, end, step = match.groups()
        if start == "*":
            low, high = 0, 6
        else:
            low = int(start)
            high = int(end) if end is not None else (6 if step else low)
        if not (0 <= low <= 7 and 0 <= high <= 7 and low <= high):
            raise ValueError(f"weekday out of range in {field!r} (0-7, or MON-SUN)")
        out.extend(_DAYS[day % 7] for day in range(low, high + 1, int(step or 1)))
    return ",".join(dict.fromkeys(out))


def cron_trigger(expression: str, tz: ZoneInfo) -> BaseTrigger:
    """A standard five-field crontab (`0 9 * * MON`, `30 8 1 * *`) in the county's zone.

    Raises ValueError with a reason people can act on."""
    from apscheduler.triggers.cron import CronTrigger

    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(
            f"a schedule needs five fields (minute hour day month weekday), got {len(fields)}"
        )
    either = fields[2].startswith("*") or fields[4].startswith("*")  # as crontab tells them
    fields[4] = _cron_weekdays(fields[4])
    try:
        trigger = CronTrigger.from_crontab(" ".join(fields), timezone=tz)
        if either:
            return trigger
        # crontab runs on the day of the month *or* the weekday (`0 9 1 * MON`: the 1st and
        # every Monday); APScheduler's cron would want both at once
        from apscheduler.triggers.combining import OrTrigger

        days = [CronTrigger.from_crontab(" ".join(f), timezone=tz) for f in _split_days(fields)]
        return OrTrigger(days)
    except ValueError as exc:
        raise ValueError(str(exc)) from None


def _split_days(fields: list[str]) -> list[list[str]]:
    """A crontab naming both days of the month and weekdays, as one crontab for each."""
    return [[*fields[:4], "*"], [*fields[:2], "*", fields[3], fields[4]]]


_AT = re.compile(
    r"(?P<y>\d{4})[-./](?P<mo>\d{1,2})[-./](?P<d>\d{1,2})\.?"
    r"(?:(?:\s+|T)(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.(?P<f>\d{1,6}))?)?)?"
    r"(?P<tz>Z|[+-]\d{2}:?\d{2})?"
)


def parse_at(value: str, tz: ZoneInfo) -> datetime:
    """`2026-12-01 09:00` (county time), `2026.12.01 9:00`, or ISO 8601 with an offset."""
    match = _AT.fullmatch(value.strip())
    if match is None:
        raise ValueError(f"not a date and time: {value!r} (e.g. 2026-12-01 09:00)")
    if match["h"] is None:
        raise ValueError(f"give a time as well as the date: {value!r} (e.g. 2026-12-01 09:00)")
    try:
        when = datetime(
            int(match["y"]),
            int(match["mo"]),
            int(match["d"]),
            int(match["h"]),
            int(match["mi"]),
            int(match["s"] or 0),
            int((match["f"] or "0").ljust(6, "0")),
        )
    except ValueError as exc:
        raise ValueError(f"not a real date and time: {value!r} ({exc})") from None
    if match["tz"]:
        offset = datetime.fromisoformat("2000-01-01T00:00" + match["tz"].replace("Z", "+00:00"))
        return when.replace(tzinfo=offset.tzinfo)
    return when.replace(tzinfo=tz)


def parse_schedule(schedule: str, tz: ZoneInfo) -> BaseTrigger:
    """A stored schedule (`cron:…` or `at:…`) as an APScheduler trigger."""
    from apscheduler.triggers.date import DateTrigger

    kind, _, value = schedule.partition(":")
    if kind == "cron":
        return cron_trigger(value, tz)
    if kind == "at":
        return DateTrigger(run_date=parse_at(value, tz), timezone=tz)
    raise ValueError(f"unknown schedule {schedule!r}")


def first_time(trigger: BaseTrigger, now: datetime) -> datetime | None:
    """The first fire time at or after `now`."""
    return trigger.get_next_fire_time(None, now)


def time_after(trigger: BaseTrigger, previous: datetime, now: datetime) -> datetime | None:
    """The first fire time strictly after `previous` (a one-off date has none)."""
    from apscheduler.triggers.date import DateTrigger

    if isinstance(trigger, DateTrigger):
        return None
    return trigger.get_next_fire_time(previous, max(previous, now))


def occurrences(trigger: BaseTrigger, first: datetime, now: datetime, most: int = 1000):
    """Fire times from `first` up to `now` (at most `most`, oldest first)."""
    found: list[datetime] = []
    when: datetime | None = first
    while when is not None and when <= now and len(found) < most:
        found.append(when)
        when = time_after(trigger, when, when)
    return found, when


# --- one scheduler across processes -------------------------------------------------------------


@contextlib.contextmanager
def scheduler_lock(engine: Engine) -> Iterator[bool]:
    """Hold the database-wide scheduler lock for one pass; yields whether we got it.

    PostgreSQL: a session advisory lock on a connection of its own, released (or, if that
    fails, the connection thrown away) at the end; a dead holder's lock goes with its
    connection. Other databases: always granted (SQLite runs one process)."""
    if engine.dialect.name != "postgresql":
        yield True
        return
    connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    got = False
    try:
        got = bool(
            connection.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}
            ).scalar_one()
        )
        yield got
    finally:
        try:
            if got:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
        except Exception:
            log.exception("could not release the scheduler lock; dropping its connection")
            connection.invalidate()
        finally:
            connection.close()


class Scheduler:
    """Runs the scheduled jobs (notices, feeds, delivery reports) in passes; see the module."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.jobs: list[tuple[str, Job]] = []
        self.wake = asyncio.Event()
        """Set to run a pass now (a notice was confirmed)."""
        self._pass = asyncio.Lock()
        self._looping = False
        self.reports = DeliveryReports(app)

    def add(self, name: str, job: Job) -> None:
        self.jobs.append((name, job))

    async def run_due(self, now: datetime) -> datetime | None:
        """One pass: every job, under the scheduler lock. Returns when to look again."""
        async with self._pass:
            with scheduler_lock(self.app.engine) as leader:
                if not leader:
                    log.debug("another process is running the scheduled jobs; not this pass")
                    return now + LOCKED_RETRY
                wanted: list[datetime] = []
                for name, job in [*self.jobs, ("delivery reports", self.reports)]:
                    try:
                        when = await job(now)
                    except Exception:
                        log.exception("scheduled job %r failed; it runs again next pass", name)
                        when = now + timedelta(seconds=IDLE)
                    if when is not None:
                        wanted.append(when)
                return min(wanted, default=None)

    async def tick(self, now: datetime) -> None:
        """The `App` ticker: runs a pass unless the live loop already does."""
        if not self._looping:
            await self.run_due(now)

    async def run(self) -> None:
        """The live loop (an `App` worker): a pass whenever something falls due."""
        self._looping = True
        try:
            while True:
                clock = self.app.clock
                try:
                    wanted = await self.run_due(clock.now())
                except Exception:  # the database is unreachable, say: try again soon
                    log.exception("the scheduler pass failed; retrying shortly")
                    wanted = clock.now() + LOCKED_RETRY
                delay = IDLE
                if wanted is not None:
                    delay = min(max((wanted - clock.now()).total_seconds(), 0.05), IDLE)
                with contextlib.suppress(TimeoutError):  # not wait_for: it can swallow a cancel
                    async with asyncio.timeout(delay):
                        await self.wake.wait()
                self.wake.clear()
        finally:
            self._looping = False


# --- broadcasting -------------------------------------------------------------------------------


def open_broadcast(
    session: Session,
    *,
    key: str,
    kind: str,
    title: str,
    now: datetime,
    notice_id: int | None = None,
    scheduled_at: datetime | None = None,
) -> Broadcast | None:
    """Start broadcast `key` in the caller's transaction; None if it exists already."""
    if session.exec(select(Broadcast.id).where(Broadcast.key == key)).first() is not None:
        return None
    broadcast = Broadcast(
        key=key,
        kind=kind,
        title=title,
        notice_id=notice_id,
        scheduled_at=scheduled_at,
        created_at=now,
    )
    with session.begin_nested():
        try:
            session.add(broadcast)
            session.flush()
        except IntegrityError:  # another process made it a moment ago
            return None
    return broadcast


def post(
    session: Session,
    broadcast: Broadcast,
    rooms: Sequence[RoomSettings],
    text: str,
    *,
    key: str,
    now: datetime,
    link: tuple[str, str] | None = None,
) -> int:
    """Queue `text` once to each room (outbox dedupe key `<key>:<room>`); returns how many
    entries are new. Each is recorded under `broadcast` for its delivery report."""
    queued = 0
    for room in rooms:
        dedupe = f"{key}:{room.key}"
        out = Outgoing(platform=room.platform, chat_id=room.chat_id, text=text, link=link)
        if enqueue(session, out, now, dedupe_key=dedupe):
            queued += 1
        known = session.exec(
            select(BroadcastDelivery.id).where(BroadcastDelivery.dedupe_key == dedupe)
        ).first()
        if known is None:
            session.add(
                BroadcastDelivery(broadcast_id=broadcast.id, room_key=room.key, dedupe_key=dedupe)
            )
    return queued


def count_as_information(
    session: Session, *, kind: str, title: str, key: str, now: datetime
) -> None:
    """An `info_post` (정보 제공 in the monthly report), once per `key`."""
    if session.exec(select(InfoPost.id).where(InfoPost.source_key == key)).first() is None:
        session.add(InfoPost(at=now, kind=kind, title=title[:200], source_key=key))


def to_officers(
    app: App,
    session: Session,
    text: str,
    now: datetime,
    *,
    key: str,
    quick_replies: tuple[str, ...] = (),
) -> bool:
    """Queue `text` (with buttons) for the officer room once per `key` (logged when there is
    no such room)."""
    room = app.settings.officer_room
    if room is None:
        log.warning("no officer_room configured; not reported: %s", text)
        return False
    queued = enqueue(
        session,
        Outgoing(
            platform=room.platform, chat_id=room.chat_id, text=text, quick_replies=quick_replies
        ),
        now,
        dedupe_key=key,
    )
    if queued:
        app.outbox.wake.set()
    return queued


@dataclass(frozen=True)
class RoomOutcome:
    room: str
    status: str
    """sent, failed or pending."""
    error: str | None = None


class DeliveryReports:
    """After each broadcast, one report to the officer room: sent and failed per room."""

    def __init__(self, app: App) -> None:
        self.app = app

    @property
    def wait(self) -> timedelta:
        return parse_duration(self.app.settings.broadcast.report_after)

    async def __call__(self, now: datetime) -> datetime | None:
        unsettled = False
        with session_scope(self.app.engine) as session:
            waiting = session.exec(
                select(Broadcast).where(Broadcast.reported_at.is_(None)).order_by(Broadcast.id)
            ).all()
            for broadcast in waiting:
                outcomes = self.outcomes(session, broadcast)
                settled = all(o.status != "pending" for o in outcomes)
                if not settled and now - broadcast.created_at < self.wait:
                    unsettled = True
                    continue
                broadcast.reported_at = now
                session.add(broadcast)
                to_officers(
                    self.app,
                    session,
                    self.text(broadcast, outcomes),
                    now,
                    key=f"report:{broadcast.key}",
                )
        return now + SETTLE_CHECK if unsettled else None

    def outcomes(self, session: Session, broadcast: Broadcast) -> list[RoomOutcome]:
        rows = session.exec(
            select(BroadcastDelivery.room_key, OutboxItem.status, OutboxItem.last_error)
            .join(OutboxItem, OutboxItem.dedupe_key == BroadcastDelivery.dedupe_key)
            .where(BroadcastDelivery.broadcast_id == broadcast.id)
            .order_by(BroadcastDelivery.id)
        ).all()
        rank = {"sent": 0, "failed": 1, "pending": 2}
        by_room: dict[str, RoomOutcome] = {}
        for room, status, error in rows:
            status = status if status in ("sent", "failed") else "pending"
            before = by_room.get(room)
            if before is None or rank[status] > rank[before.status]:
                by_room[room] = RoomOutcome(room, status, error if status != "sent" else None)
        return list(by_room.values())

    def text(self, broadcast: Broadcast, outcomes: list[RoomOutcome]) -> str:
        texts, settings = self.app.texts, self.app.settings

        def name(key: str) -> str:
            room = settings.room_by_key(key)
            return room.name if room else key

        sent = [o for o in outcomes if o.status == "sent"]
        failed = [o for o in outcomes if o.status == "failed"]
        pending = [o for o in outcomes if o.status == "pending"]
        lines = [
            texts(
                f"broadcast.report_{broadcast.kind}",
                title=broadcast.title,
                rooms=len(outcomes),
                sent=len(sent),
                failed=len(failed),
                pending=len(pending),
            )
        ]
        if sent:
            lines.append(
                texts("broadcast.report_sent", rooms=", ".join(name(o.room) for o in sent))
            )
        for outcome in failed:
            lines.append(
                texts(
                    "broadcast.report_failed", room=name(outcome.room), error=outcome.error or "-"
                )
            )
        for outcome in pending:
            lines.append(
                texts(
                    "broadcast.report_pending", room=name(outcome.room), error=outcome.error or "-"
                )
            )
        if not outcomes:
            lines.append(texts("broadcast.report_no_rooms"))
        return "\n".join(lines)


def groups_json(groups: Sequence[str]) -> str:
    return json.dumps(list(groups), ensure_ascii=False)
