"""The county changes its calendar in config.yaml and restarts the bot: the deadlines of open
tickets are counted again on the new calendar, with the period each was received under."""

from __future__ import annotations

from contextlib import asynccontextmanager
from datetime import datetime

import pytest
from sqlmodel import Session, select

from bot.config import load_settings
from bot.handlers.deadlines import Office
from bot.handlers.recount import recount
from storage.models import Ticket
from tests.conftest import write_config
from tests.conversation import KST, MONDAY, Conversation
from tests.test_officer import officer
from tests.test_queue import SWING, report

CLOSED_FRIDAY = "office:\n  closures: [2026-11-27]\n"  # 군민의 날, declared late
WEDNESDAY = datetime(2026, 11, 25, 10, 0, tzinfo=KST)


@asynccontextmanager
async def county(tmp_path, database_url, calendar: str = "", *, at: datetime = MONDAY):
    """The bot started (again) on the same database with `calendar` in its config; its first
    tick at `at`, as the running bot's tick comes straight after start."""
    settings = load_settings(write_config(tmp_path, database_url, calendar), environ={})
    bot = Conversation(settings)
    await bot.start()
    try:
        bot.clock.set(at)
        await bot.app.tick()
        await bot.app.drain()
        yield bot
    finally:
        await bot.stop()


async def test_a_closure_declared_after_a_report_gives_it_a_day_more(tmp_path, database_url):
    """Seven days from Monday 23 November end on Tuesday 1 December; with Friday 27 November
    closed they end on Wednesday 2 December. Officers hear of it; the resident, who was never
    sent that date, is not bothered."""
    async with county(tmp_path, database_url) as bot:
        receipt = await report(bot, "mom-1")
        done = await report(bot, "mom-2", SWING)
        assert "해결" in await officer(bot, f"/resolve {done} 그네를 고쳤습니다")
        bot.sent.clear()

    async with county(tmp_path, database_url, CLOSED_FRIDAY, at=WEDNESDAY) as bot:
        [told] = bot.to_officers()
        assert told.text == (
            "[처리 기한 재계산] 근무일·근무 시간이 바뀌어 처리 중인 민원 1건의 기한을 다시 "
            "셌습니다 (연장된 민원은 민원인에게 새 기한을 알렸습니다).\n"
            f"{receipt} 기한 2026-12-01 18:00 → 2026-12-02 18:00 · ○○마을 입구 가로등이 사흘째 "
            "꺼져 있어요"
        )
        bot.assert_silent()
        await bot.say("mom-1", f"/status {receipt}", mention=True)
        assert bot.pop_text().endswith("처리 기한 2026-12-02 18:00")
        card = await officer(bot, f"/ticket {receipt}")
        assert "기한 재계산 (근무일 변경)" in card and "2026-12-01 18:00 → 2026-12-02 18:00" in card

    async with county(tmp_path, database_url, CLOSED_FRIDAY, at=WEDNESDAY) as bot:
        bot.assert_silent()  # the same calendar again: nothing moves, nobody is told twice


async def test_an_extended_deadline_moves_and_the_resident_is_sent_the_new_date(
    tmp_path, database_url
):
    """With the closure, the deadline was Wednesday 2 December, extended by three working days
    to Monday 7 December. The closure taken back, it is Tuesday 1 December plus three: Friday
    4 December. The resident was sent the first date, so they are sent the new one."""
    async with county(tmp_path, database_url, CLOSED_FRIDAY) as bot:
        receipt = await report(bot, "mom-1")
        assert "2026-12-07 18:00까지 연장" in await officer(bot, f"/extend {receipt} 3 부품 주문")
        bot.sent.clear()

    async with county(tmp_path, database_url, at=WEDNESDAY) as bot:
        [told] = bot.in_room("parenting")
        assert told.text == (
            f"[접수번호 {receipt}] 군청 근무일이 바뀌어 연장된 처리 기한을 다시 셌습니다. "
            "새 처리 기한: 2026-12-04 18:00"
        )
        [officers] = bot.to_officers()
        assert f"{receipt} 기한 2026-12-07 18:00 → 2026-12-04 18:00" in officers.text
        bot.assert_silent()


async def test_a_new_processing_period_is_for_new_reports_only(tmp_path, database_url):
    """The period is the one in force when the report was received."""
    async with county(tmp_path, database_url) as bot:
        before = await report(bot, "mom-1")
    shorter = "tickets:\n  periods: {inconvenience: 4}\n"
    async with county(tmp_path, database_url, shorter, at=WEDNESDAY) as bot:
        bot.assert_silent()
        after = await report(bot, "mom-2", SWING)
        await bot.say("mom-1", f"/status {before}", mention=True)
        assert bot.pop_text().endswith("처리 기한 2026-12-01 18:00")  # seven days
        await bot.say("mom-2", f"/status {after}", mention=True)
        assert bot.pop_text().endswith("처리 기한 2026-12-01 10:00")  # 32 working hours


@pytest.mark.parametrize("extended", [False, True])
def test_a_ticket_from_before_periods_were_kept_is_left_as_it_was(tmp_path, database_url, extended):
    """Nothing says which period (or extension) it was counted with."""
    settings = load_settings(write_config(tmp_path, database_url), environ={})
    bot = Conversation(settings)
    bot.app.prepare_database()
    due = datetime(2026, 12, 1, 18, tzinfo=KST)
    with Session(bot.app.engine) as session:
        session.add(
            Ticket(
                receipt_no="2026-0001",
                category="inconvenience",
                text="가로등",
                platform="chat",
                chat_id="room-parenting",
                created_at=MONDAY,
                due_at=due,
                period_days=None if not extended else 7,
                extended=extended,
            )
        )
        session.commit()
        office = Office(closures=frozenset({datetime(2026, 11, 27).date()}))
        assert recount(session, office, WEDNESDAY) == []
        [ticket] = session.exec(select(Ticket)).all()
        assert ticket.due_at == due
    bot.app.engine.dispose()
