"""A county runs on its own calendar (`office:` and `tickets.periods` in config.yaml): opening
hours, the closures it declares and its processing periods set every deadline, every `/extend`
and what a resident asking after hours is told."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.config import ConfigError, load_settings
from bot.handlers.deadlines import Office
from tests.conftest import write_config
from tests.conversation import KST, Conversation
from tests.test_officer import officer
from tests.test_queue import STREETLIGHT, receipt_in, report
from tests.test_review import held, reviewing

OWN_CALENDAR = """\
office:
  opens: 08:30
  closes: 17:30
  breaks: [12:00~13:00]
  closures: [2026-11-27]          # 군민의 날: the county closes that Friday
tickets:
  periods: {inconvenience: 4}     # the county's 처리기준표: four days for a living inconvenience
"""


def kst(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=KST)


@pytest.fixture
async def bot(tmp_path, database_url):
    settings = load_settings(reviewing(tmp_path, database_url, extra=OWN_CALENDAR), environ={})
    conversation = Conversation(settings)
    await conversation.start()
    yield conversation
    await conversation.stop()


async def test_a_report_is_due_by_the_countys_own_hours_period_and_closures(bot):
    """Four days are 32 working hours of 08:30-17:30 less lunch: from Monday 10:00 they run
    through Thursday and, the county being closed on Friday, end Monday 30 November at 10:00."""
    receipt = await report(bot, "mom-1", at=kst(2026, 11, 23, 10))
    await bot.say("mom-1", f"/status {receipt}", mention=True)
    assert bot.pop_text() == f"[접수번호 {receipt}] 현재 상태: 접수 · 처리 기한 2026-11-30 10:00"

    assert "1부터 4 사이" in await officer(bot, f"/extend {receipt} 5 부품 주문")
    answer = await officer(bot, f"/extend {receipt} 4 부품 주문이 필요합니다")
    assert "2026-12-04 10:00까지 연장" in answer  # Mon 10:00 + 4 working days


async def test_a_resident_asking_before_a_closure_is_told_the_day_after_it(bot):
    """Thursday 17:45 is after the county's closing; Friday is its closure."""
    evening = kst(2026, 11, 26, 17, 45)
    await held(bot, "mom-1", "재산세 언제까지 내요?", at=evening, opens="11월 30일(월) 08:30")


async def test_a_resident_asking_at_the_countys_opening_hour_is_not_told_to_wait(bot):
    await held(bot, "mom-1", "재산세 언제까지 내요?", at=kst(2026, 11, 24, 8, 40))


async def test_a_problem_reported_at_night_is_told_when_the_office_opens(bot):
    """Thursday 20:00, the evening before the county's closure: nobody looks until Monday."""
    asked = await bot.say("mom-1", STREETLIGHT, mention=True, at=kst(2026, 11, 26, 20))
    [told] = bot.in_room("parenting")
    assert told.reply_to == asked
    assert told.text == (
        f"접수되었습니다 (접수번호 {receipt_in(told.text)}). 담당 부서에 전달했습니다. "
        "지금은 근무 시간이 아니어서 11월 30일(월) 08:30부터 확인합니다."
    )


async def test_a_problem_reported_before_opening_is_told_today(bot):
    await bot.say("mom-1", STREETLIGHT, mention=True, at=kst(2026, 11, 30, 7))
    [told] = bot.in_room("parenting")
    assert told.text.endswith("지금은 근무 시간이 아니어서 오늘 08:30부터 확인합니다.")


async def test_someone_in_danger_at_night_is_not_told_to_wait_for_the_office(bot):
    """They get the emergency numbers, and officers an alert, at once."""
    await bot.say(
        "mom-4", "남편이 술만 마시면 때려요. 어디에 전화해야 돼요?", at=kst(2026, 11, 26, 23)
    )
    safety, receipt = bot.in_room("parenting")
    assert "112" in safety.text and "접수번호" in receipt.text
    assert "근무 시간" not in receipt.text
    assert bot.to_officers()[-1].text.startswith("[긴급 ")


async def test_a_resident_asking_for_help_learns_when_officers_read_their_reports(bot):
    await bot.say("mom-1", "/help", room=None)
    assert "• 담당자는 평일 08:30~17:30에 확인합니다 (주말·공휴일 제외)." in bot.pop_text()


def test_the_office_comes_from_the_config(tmp_path):
    office = Office.of(load_settings(write_config(tmp_path, "sqlite://", OWN_CALENDAR), environ={}))
    assert office.closures == {date(2026, 11, 27)}
    assert office.period("inconvenience") == 4 and office.period("suggestion") == 14
    assert office.next_opening(kst(2026, 11, 26, 8)) == kst(2026, 11, 26, 8, 30)
    # seven days, the day of receipt and not the closure counted, end at its close of business
    assert office.due_at(kst(2026, 11, 23, 10), "question") == kst(2026, 12, 2, 17, 30)


def test_the_legal_defaults_when_the_config_is_silent(tmp_path):
    """09:00-18:00 with lunch, the periods of 민원처리법, only the public holidays closed."""
    assert Office.of(load_settings(write_config(tmp_path, "sqlite://"), environ={})) == Office()


@pytest.mark.parametrize(
    ("section", "line", "reason"),
    [
        ("office:\n  opens: '13:00'\n", 1, "opens < breaks (in order, each start < end) < closes"),
        ("office:\n  breaks: [lunch]\n", 2, 'write a stretch of the day as "12:00-13:00"'),
        ("office:\n  closures: [next friday]\n", 2, "valid date"),
        ("tickets:\n  periods: {question: 0}\n", 2, "greater than or equal to 1"),
        ("tickets:\n  periods: {chatter: 3}\n", 2, "'question', 'suggestion' or 'inconvenience'"),
    ],
)
def test_a_bad_calendar_names_the_line_and_the_reason(tmp_path, section, line, reason):
    path = write_config(tmp_path, "sqlite://", section)
    first = len(path.read_text(encoding="utf-8").splitlines()) - section.count("\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ={})
    message = str(caught.value)
    assert message.startswith(f"{path}:{first + line}: ") and reason in message
