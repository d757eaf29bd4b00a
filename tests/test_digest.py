"""The officer room's daily digest at the configured county time, and one reminder per
deadline — both once, whatever the number of ticks or restarts."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from bot.config import load_settings
from tests.conftest import write_config
from tests.conversation import KST, MONDAY, Conversation
from tests.test_queue import STREETLIGHT, SWING, report
from tests.test_turns import PROPOSED


@pytest.fixture
async def bot(tmp_path, database_url):
    extra = "tickets: {digest_at: '09:00', remind_before_hours: 24}\n"
    settings = load_settings(write_config(tmp_path, database_url, extra), environ={})
    conversation = Conversation(settings)
    await conversation.start()
    yield conversation
    await conversation.stop()


def without_digest(bot) -> None:
    bot.app.tickers[:] = [job for job in bot.app.tickers if job.__name__ != "digest"]


async def tick(bot, when: datetime) -> list[str]:
    """Time passes to `when`; return what the officer room got."""
    bot.clock.set(when)
    await bot.app.tick()
    await bot.app.drain()
    return [m.text for m in bot.to_officers()]


async def test_the_digest_comes_once_a_day_at_the_configured_time(bot):
    first = await report(bot, "mom-1", at=MONDAY)
    second = await report(bot, "mom-2", SWING)
    assert await tick(bot, datetime(2026, 11, 24, 8, 59, tzinfo=KST)) == []
    [digest] = await tick(bot, datetime(2026, 11, 24, 9, 0, tzinfo=KST))
    assert digest.startswith("[2026-11-24 민원 현황] 새 민원 2건 · 기한 지남 0건 · 기한 임박 0건")
    assert first in digest and second in digest and "■ 새 민원" in digest
    assert await tick(bot, datetime(2026, 11, 24, 9, 30, tzinfo=KST)) == []

    restarted = Conversation(bot.settings)  # a restart: a new app on the same database
    await restarted.start()
    try:
        restarted.clock.set(datetime(2026, 11, 24, 15, 0, tzinfo=KST))
        await restarted.app.tick()
        await restarted.app.drain()
        assert restarted.to_officers() == []
    finally:
        await restarted.stop()

    [next_day] = await tick(bot, datetime(2026, 11, 25, 9, 1, tzinfo=KST))
    assert "새 민원 0건" in next_day


async def test_the_digest_lists_overdue_and_soon_due_tickets(bot):
    late = await report(bot, "mom-1", at=MONDAY)  # due Tue 1 December 18:00
    tuesday = datetime(2026, 11, 24, 10, 0, tzinfo=KST)
    soon = await report(bot, "mom-2", SWING, at=tuesday)  # due 2 Dec
    messages = await tick(bot, datetime(2026, 12, 2, 9, 0, tzinfo=KST))
    [digest] = [m for m in messages if m.startswith("[2026-12-02 민원 현황]")]
    # the swing came just after Tuesday's digest (its report woke the bot), so it is still new
    assert "새 민원 1건 · 기한 지남 1건 · 기한 임박 1건" in digest
    overdue_part, soon_part = digest.split("■ 기한 지남")[1].split("■ 기한 임박")
    assert late in overdue_part and soon in soon_part


async def test_no_digest_on_a_closed_day_and_each_one_looks_to_the_next(tmp_path, database_url):
    """The county closes on Monday 30 November (`office.closures`) and gives a living
    inconvenience two days (16 working hours). Nobody reads a digest at the weekend or on the
    closure: Tuesday's lists what came in since Friday's, and Friday's warns of what falls due
    before Tuesday's, not only in the next 24 hours."""
    extra = (
        "tickets: {digest_at: '10:00', remind_before_hours: 0, periods: {inconvenience: 2}}\n"
        "office: {closures: [2026-11-30]}\n"
    )
    bot = Conversation(load_settings(write_config(tmp_path, database_url, extra), environ={}))
    await bot.start()
    try:
        first = await report(bot, "mom-1", at=datetime(2026, 11, 26, 9, 30, tzinfo=KST))
        [friday] = await tick(bot, datetime(2026, 11, 27, 10, 0, tzinfo=KST))
        assert "새 민원 0건 · 기한 지남 0건 · 기한 임박 1건" in friday  # new in Thursday's
        assert "기한 2026-12-01 09:30" in friday

        second = await report(bot, "mom-2", SWING, at=datetime(2026, 11, 28, 20, 0, tzinfo=KST))
        for day in (28, 29, 30):  # Saturday, Sunday, the closure
            assert await tick(bot, datetime(2026, 11, day, 10, 0, tzinfo=KST)) == []
        [tuesday] = await tick(bot, datetime(2026, 12, 1, 10, 0, tzinfo=KST))
        assert tuesday.startswith(
            "[2026-12-01 민원 현황] 새 민원 1건 · 기한 지남 1건 · 기한 임박 0건"
        )
        new, overdue = tuesday.split("■ 기한 지남")
        assert second in new and first in overdue  # Saturday's is due Wednesday 18:00
    finally:
        await bot.stop()


async def test_the_digest_after_the_bot_was_down_covers_the_days_it_missed(bot):
    """Friday's digest went out; the bot was down all Monday. Tuesday's lists Sunday's report,
    which no digest has shown."""
    assert len(await tick(bot, datetime(2026, 11, 27, 9, 0, tzinfo=KST))) == 1
    sunday = await report(bot, "mom-1", at=datetime(2026, 11, 29, 20, 0, tzinfo=KST))
    [tuesday] = await tick(bot, datetime(2026, 12, 1, 9, 0, tzinfo=KST))
    assert "[2026-12-01 민원 현황] 새 민원 1건" in tuesday and sunday in tuesday


async def test_the_digest_tells_how_many_neighbours_backed_a_proposal(bot):
    proposal = await bot.say("mom-1", PROPOSED, at=MONDAY)
    [receipt] = bot.in_room("parenting")
    bot.to_officers()  # that day's digest, and the new proposal
    await bot.say("mom-2", "찬성이요")
    await bot.say("mom-3", "완전 공감이요 여름엔 진짜 뜨거워요")
    evening = datetime(2026, 11, 23, 21, 0, tzinfo=KST)  # a reply to it, hours later
    await bot.say("mom-4", "저도 찬성합니다", reply_to=proposal, to_member=True, at=evening)
    bot.assert_silent()
    [digest] = await tick(bot, datetime(2026, 11, 24, 9, 0, tzinfo=KST))
    number = re.search(r"\d{4}-\d{4}", receipt.text)[0]  # as the resident was told it
    assert f"■ 주민 공감\n{number} 공감 3명 (+3) · 공원에 그늘막" in digest

    morning = datetime(2026, 11, 24, 9, 30, tzinfo=KST)
    await bot.say("mom-5", "대찬성", reply_to=proposal, to_member=True, at=morning)
    [next_day] = await tick(bot, datetime(2026, 11, 25, 9, 0, tzinfo=KST))
    assert f"{number} 공감 4명 (+1)" in next_day

    [quiet] = await tick(bot, datetime(2026, 11, 26, 9, 0, tzinfo=KST))
    assert "■ 주민 공감" not in quiet  # no one new backed it


async def test_officers_are_reminded_once_before_a_deadline_in_office_hours(bot):
    """24 hours before Tuesday 18:00 is Monday 18:00, as the office closes: the reminder waits
    for Tuesday morning instead of reaching officers' phones in the evening."""
    receipt = await report(bot, "mom-1", STREETLIGHT, at=MONDAY)
    without_digest(bot)  # it is tested above
    for evening in (
        datetime(2026, 11, 30, 17, 59, tzinfo=KST),
        datetime(2026, 11, 30, 22, 0, tzinfo=KST),
    ):
        assert await tick(bot, evening) == []
    [reminder] = await tick(bot, datetime(2026, 12, 1, 9, 0, tzinfo=KST))
    assert reminder.startswith(f"[기한 임박 {receipt}] 처리 기한 2026-12-01 18:00 · 접수")
    assert await tick(bot, datetime(2026, 12, 1, 9, 1, tzinfo=KST)) == []
    assert await tick(bot, datetime(2026, 12, 2, 9, 0, tzinfo=KST)) == []

    await bot.say("officer-kim", f"/extend {receipt} 3 자재 수급", room=None)
    bot.sent.clear()
    # the new deadline (Fri 4 December 18:00) gets its own reminder, the next morning too
    assert await tick(bot, datetime(2026, 12, 3, 18, 30, tzinfo=KST)) == []
    [again] = await tick(bot, datetime(2026, 12, 4, 9, 0, tzinfo=KST))
    assert again.startswith(f"[기한 임박 {receipt}] 처리 기한 2026-12-04 18:00")


async def test_a_deadline_missed_while_the_bot_was_down_is_reported_as_overdue(bot):
    receipt = await report(bot, "mom-1", at=MONDAY)
    without_digest(bot)
    [reminder] = await tick(bot, datetime(2026, 12, 3, 10, 0, tzinfo=KST))
    assert reminder.startswith(f"[기한 지남 {receipt}]")


async def test_closed_tickets_are_not_chased(bot):
    receipt = await report(bot, "mom-1", at=MONDAY)
    await bot.say("officer-kim", f"/resolve {receipt} 교체 완료", room=None)
    bot.sent.clear()
    without_digest(bot)
    assert await tick(bot, datetime(2026, 12, 1, 9, 0, tzinfo=KST)) == []
