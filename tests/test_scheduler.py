"""The scheduler's promises: county-time triggers, a broadcast that survives a power cut
mid-way without repeats, one scheduler across processes on one PostgreSQL (and another taking
over when it dies), delivery reports, and a live loop that fires on time."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool
from sqlmodel import Session, select

from bot.adapter import SendError
from bot.adapters.memory import MemoryAdapter
from bot.assemble import build_app
from bot.clock import Clock
from bot.messages import Outgoing
from bot.outbox import enqueue
from bot.scheduler import LOCK_KEY, cron_trigger, parse_at, parse_duration
from storage import session_scope
from storage.models import Broadcast, InfoPost, Notice, OutboxItem
from tests.conftest import ROOT
from tests.test_notices import DEC1, KST, at, broadcasts, county, started

TOWN = [(f"r{n:02}", f"{n}리 소통방", "chat", f"room-{n:02}", ["이장단"]) for n in range(1, 27)]
"""The county's 26 village rooms."""
HEADS_9AM = {"name": "이장 회의", "cron": "0 9 * * *", "text": "오늘 이장 회의", "groups": ["all"]}


# --- times ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cron", "first"),
    [
        ("0 9 * * MON", "2026-12-07 09:00 Mon"),
        ("0 9 * * 1", "2026-12-07 09:00 Mon"),  # cron's 1 is Monday (APScheduler 3's is Tuesday)
        ("0 9 * * 0", "2026-12-06 09:00 Sun"),
        ("0 9 * * 7", "2026-12-06 09:00 Sun"),
        ("0 9 * * 1-5", "2026-12-02 09:00 Wed"),
        ("30 8 1 * *", "2027-01-01 08:30 Fri"),
        ("*/15 * * * *", "2026-12-01 09:15 Tue"),
        ("0 9 25 * FRI", "2026-12-04 09:00 Fri"),  # the 25th or a Friday, as crontab reads it
        ("0 9 2 * SUN", "2026-12-02 09:00 Wed"),
    ],
)
def test_cron_schedules_follow_crontab_in_county_time(cron, first):
    trigger = cron_trigger(cron, KST)
    after = trigger.get_next_fire_time(None, DEC1 + timedelta(seconds=1))
    assert after.strftime("%Y-%m-%d %H:%M %a") == first
    assert after.utcoffset() == timedelta(hours=9)


def test_times_and_durations_people_write():
    assert parse_at("2026-12-01 09:00", KST) == DEC1
    assert parse_at("2026.12.1 9:00", KST) == DEC1
    assert parse_at("2026-12-01T00:00Z", KST) == DEC1
    assert parse_at("2026-12-01T09:00:00.25+09:00", KST) == DEC1 + timedelta(seconds=0.25)
    assert parse_duration("1h30m") == timedelta(minutes=90)
    assert parse_duration("2시간") == timedelta(hours=2)
    assert parse_duration(15) == timedelta(minutes=15)
    for bad in ("2026-12-01", "2026-02-30 09:00", "tomorrow"):
        with pytest.raises(ValueError):
            parse_at(bad, KST)
    for bad in ("soon", "0m", "-5m"):
        with pytest.raises(ValueError):
            parse_duration(bad)


# --- a power cut mid-broadcast ------------------------------------------------------------------


class PowerCut(MemoryAdapter):
    """Delivers `survive` messages, then every send hangs: the power goes out mid-broadcast."""

    def __init__(self, survive: int) -> None:
        super().__init__("chat")
        self.survive = survive
        self.hanging = 0

    async def send(self, out: Outgoing) -> str:
        if len(self.sent) >= self.survive:
            self.hanging += 1
            await asyncio.Event().wait()
        return await super().send(out)


async def test_a_broadcast_cut_off_mid_way_completes_after_restart_without_repeats(
    tmp_path, database_url
):
    settings = county(tmp_path, database_url, rooms=TOWN, notices=[HEADS_9AM])
    cut = PowerCut(survive=10)
    clock = Clock()
    first = build_app(settings, adapters=[cut], clock=clock)
    await first.start(workers=False)
    clock.set(DEC1)
    await first.tick()
    sending = asyncio.create_task(first.drain())
    while len(cut.sent) + cut.hanging < 26:
        await asyncio.sleep(0.01)
    assert len(cut.sent) == 10
    first.engine.dispose()  # the process is gone: nothing is cleaned up, 16 rows stay "sending"

    after = MemoryAdapter("chat")
    clock = Clock()
    second = build_app(settings, adapters=[after], clock=clock)
    await second.start(workers=False)
    try:
        for when in (DEC1 + timedelta(seconds=30), DEC1 + timedelta(minutes=3)):
            clock.set(when)  # a claim is trusted for two minutes, then taken over
            await second.tick()
            await second.drain()
        delivered = [m.chat_id for m in cut.sent + after.sent if m.chat_id.startswith("room-")]
        assert sorted(delivered) == sorted(chat for *_, chat, _ in TOWN)  # each room once
        assert len(after.sent) == 16

        with session_scope(second.engine) as session:
            # handling the same occurrence again (a race, an old backup) queues nothing …
            notice = session.exec(select(Notice)).one()
            notice.next_at = DEC1
            session.add(notice)
            # … and the outbox refuses a second entry for any room of the broadcast
            [key] = session.exec(select(Broadcast.key)).all()
            again = Outgoing(platform="chat", chat_id="room-01", text="[공지] 오늘 이장 회의")
            assert not enqueue(session, again, clock.now(), dedupe_key=f"{key}:r01")
        await second.tick()
        await second.drain()
        await second.tick()
        await second.drain()
        [report] = [m.text for m in after.sent if m.chat_id == "room-officers"]
        assert report.startswith("[공지 발송 결과] 이장 회의 · 방 26곳: 발송 26 · 실패 0")
        with Session(second.engine) as session:
            rows = session.exec(select(OutboxItem).where(OutboxItem.chat_id != "room-officers"))
            assert sorted(r.status for r in rows) == ["sent"] * 26
            assert len(session.exec(select(InfoPost)).all()) == 1
    finally:
        sending.cancel()
        await asyncio.gather(sending, return_exceptions=True)
        await second.stop()


# --- delivery reports ---------------------------------------------------------------------------


class Refusing(MemoryAdapter):
    async def send(self, out: Outgoing) -> str:
        if out.chat_id == "room-business":
            raise SendError("chat not found", permanent=True)
        return await super().send(out)


async def test_the_report_names_failed_rooms_and_waits_for_retries_at_most_report_after(
    tmp_path,
):
    notice = {**HEADS_9AM, "name": "전체 공지"}
    settings = county(
        tmp_path,
        f"sqlite:///{tmp_path}/db",
        notices=[notice],
        broadcast={"report_after": "10m"},
    )
    chat = Refusing("chat")  # and no webchat adapter in this process: web-youth stays queued
    clock = Clock()
    app = build_app(settings, adapters=[chat], clock=clock)
    await app.start(workers=False)
    try:
        for when in (DEC1, DEC1 + timedelta(minutes=5)):
            clock.set(when)
            await app.tick()
            await app.drain()
        assert not [m for m in chat.sent if m.chat_id == "room-officers"]  # still waiting
        clock.set(DEC1 + timedelta(minutes=10))
        await app.tick()
        await app.drain()
        [report] = [m.text for m in chat.sent if m.chat_id == "room-officers"]
        lines = report.split("\n")
        assert lines[0] == ("[공지 발송 결과] 전체 공지 · 방 5곳: 발송 3 · 실패 1 · 재시도 중 1")
        assert lines[1] == "✔ 발송: 육아 소통방, 청년 소통방, 이장단 소통방"
        assert lines[2] == "✘ 실패: 소상공인 소통방 — SendError: chat not found"
        assert lines[3].startswith("… 재시도 중: 웹 청년방")
        clock.set(DEC1 + timedelta(minutes=20))
        await app.tick()
        await app.drain()
        assert len([m for m in chat.sent if m.chat_id == "room-officers"]) == 1  # once
    finally:
        await app.stop()


# --- the live loop --------------------------------------------------------------------------------


async def test_the_live_scheduler_fires_on_the_second_not_at_the_next_tick(tmp_path):
    settings = county(tmp_path, f"sqlite:///{tmp_path}/db")
    adapter = MemoryAdapter("chat")
    app = build_app(settings, adapters=[adapter, MemoryAdapter("webchat")])
    assert app.tick_seconds >= 30
    await app.start()
    try:
        await asyncio.sleep(0.2)  # the loop's first pass is done; it sleeps for 30 s now
        due = datetime.now(UTC) + timedelta(seconds=1.5)
        with session_scope(app.engine) as session:  # as an officer's confirmation does
            session.add(
                Notice(
                    schedule=f"at:{due.astimezone(KST).isoformat()}",
                    text="곧 단수",
                    groups='["이장단"]',
                    status="active",
                    next_at=due,
                )
            )
        app.services["scheduler"].wake.set()
        deadline = time.monotonic() + 10
        while not any(m.chat_id == "room-heads" for m in adapter.sent):
            assert time.monotonic() < deadline, "the notice never went out"
            await asyncio.sleep(0.01)
        late = (datetime.now(UTC) - due).total_seconds()
        assert 0 <= late < 2.0, late
    finally:
        await app.stop()


# --- one scheduler across processes on PostgreSQL -----------------------------------------------


def _lock_holder(database_url: str):
    """A connection of its own (not pooled: closing it really ends the session)."""
    engine = create_engine(database_url, poolclass=NullPool)
    connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": LOCK_KEY})
    return engine, connection


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_while_another_process_holds_the_scheduler_it_waits_then_takes_over(
    tmp_path, database_url
):
    bot = await started(county(tmp_path, database_url, rooms=TOWN[:3], notices=[HEADS_9AM]))
    await at(bot, DEC1 - timedelta(hours=1))  # the notice is known and due at 09:00
    engine, holder = _lock_holder(database_url)
    try:
        assert await at(bot, DEC1) == {}  # the other process is mid-pass: this one skips
        assert await at(bot, DEC1 + timedelta(seconds=5)) == {}
        holder.close()  # the holder dies; PostgreSQL frees its lock with its session
        sent = broadcasts(await at(bot, DEC1 + timedelta(seconds=10)))
        assert sent == {f"room-0{n}": ["[공지] 오늘 이장 회의"] for n in (1, 2, 3)}
    finally:
        holder.close()
        engine.dispose()
        await bot.stop()


def _run_one_process(config: str, when: str, ready: str, go: str) -> None:
    """`python -m tests.test_scheduler …`: one bot process at the pinned time `when`."""
    from bot.config import load_settings

    async def main() -> None:
        settings = load_settings(config, environ={})
        sent: list[Outgoing] = []
        adapters = [MemoryAdapter(p, sent=sent) for p in ("chat", "webchat")]
        clock = Clock()
        clock.set(datetime.fromisoformat(when))
        app = build_app(settings, adapters=adapters, clock=clock)
        await app.start(workers=False)
        Path(ready).touch()
        while not Path(go).exists():
            await asyncio.sleep(0.002)
        await app.tick()
        for _ in range(3):
            await app.drain()
            await asyncio.sleep(0.05)
        print(json.dumps([[m.chat_id, m.text] for m in sent], ensure_ascii=False))
        await app.stop()

    asyncio.run(main())


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_two_processes_on_one_postgresql_send_each_notice_once(tmp_path, database_url):
    settings = county(tmp_path, database_url, rooms=TOWN, notices=[HEADS_9AM])
    bot = await started(settings)  # migrate once, as the first process to start would
    await at(bot, DEC1 - timedelta(hours=1))
    await bot.stop()
    go = tmp_path / "go"
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.test_scheduler",
                str(tmp_path / "config.yaml"),
                DEC1.isoformat(),
                str(tmp_path / f"ready-{n}"),
                str(go),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for n in (1, 2)
    ]
    try:
        deadline = time.monotonic() + 60
        while not all((tmp_path / f"ready-{n}").exists() for n in (1, 2)):
            assert time.monotonic() < deadline and all(p.poll() is None for p in processes), [
                p.stderr.read().decode()[-2000:] for p in processes if p.poll() is not None
            ]
            await asyncio.sleep(0.05)
        go.touch()  # both tick at 09:00 together
        outputs = [p.communicate(timeout=60) for p in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    sent = [
        tuple(m) for out, _ in outputs for m in json.loads(out.decode().strip().splitlines()[-1])
    ]
    rooms = sorted(chat for chat, _ in sent if chat.startswith("room-") and chat != "room-officers")
    assert rooms == sorted(chat for *_, chat, _ in TOWN)
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with Session(engine) as session:
            assert len(session.exec(select(Broadcast)).all()) == 1
            assert len(session.exec(select(InfoPost)).all()) == 1
    finally:
        engine.dispose()


if __name__ == "__main__":
    _run_one_process(*sys.argv[1:5])
