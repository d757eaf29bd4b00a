"""One county on two platforms: a resident reports a problem on Telegram, an officer resolves
it from Slack, and the outcome reaches the resident's group as a reply. One platform failing
never stops the other."""

from __future__ import annotations

import logging
import re

import pytest

from tests.fakes import ENVIRONMENT, KIM_SLACK, OFFICERS, PARENTING, YOUTH, county_config, running

QUESTION = "음식물 쓰레기 봉투 어디서 사요?"
JIEUN = 501


@pytest.fixture
def county(tmp_path, database_url, telegram, slack):
    """The county on both fake platforms (pass `environ` to change its tokens), on each kind
    of database."""
    return lambda **options: county_config(
        tmp_path, database_url, telegram=telegram.section(), slack=slack.section(), **options
    )


@pytest.fixture
def sqlite_county(tmp_path, telegram, slack):
    """The same on SQLite only, for tests where the kind of database makes no difference."""
    database = f"sqlite:///{tmp_path}/sotong.db"
    return lambda **options: county_config(
        tmp_path, database, telegram=telegram.section(), slack=slack.section(), **options
    )


async def test_an_officer_on_slack_resolves_a_report_made_on_telegram(telegram, slack, county):
    async with running(county()):
        report = telegram.say(PARENTING, JIEUN, "지은맘", "○○마을 입구 가로등이 사흘째 꺼져 있어요")
        [received] = await telegram.wait_sent(1, PARENTING)
        receipt = re.search(r"\d{4}-\d{4}", received.text)[0]
        [announced] = await slack.wait_posted(1, OFFICERS)

        ack = await slack.slash(
            OFFICERS, KIM_SLACK, "김주무관", "/resolve", f"{receipt} 교체했습니다"
        )
        [_, outcome] = await telegram.wait_sent(2, PARENTING)
        [_, confirmed] = await slack.wait_posted(2, OFFICERS)

    assert "접수되었습니다" in received.text and received.reply_to == report
    assert receipt in announced.text
    assert ack.status == 200 and ack.at < confirmed.at  # acknowledged before the work was done
    assert outcome.reply_to == report
    assert receipt in outcome.text and "교체했습니다" in outcome.text


async def test_an_answer_held_for_review_is_sent_with_one_tap_on_slack(telegram, slack, county):
    async with running(county(review_answers=True)):
        asked = telegram.say(PARENTING, JIEUN, "지은맘", QUESTION)
        [held] = await telegram.wait_sent(1, PARENTING)
        [notice] = await slack.wait_posted(1, OFFICERS)
        receipt = re.search(r"\d{4}-\d{4}", held.text)[0]
        await slack.click(notice, KIM_SLACK, f"이 답 보내기 {receipt}")
        [_, answer] = await telegram.wait_sent(2, PARENTING)
        [_, done] = await slack.wait_posted(2, OFFICERS)

    assert held.reply_to == asked and "담당자가 답변을 확인한 뒤" in held.text
    assert "food-waste" in notice.text and notice.buttons == (f"이 답 보내기 {receipt}",)
    assert answer.reply_to == asked and "편의점에서 판매합니다" in answer.text
    assert "해결로 바꿨습니다" in done.text


async def test_a_rejected_telegram_token_leaves_slack_running(slack, sqlite_county, caplog):
    settings = sqlite_county(environ={**ENVIRONMENT, "TELEGRAM_BOT_TOKEN": "123456:WRONG"})
    with caplog.at_level(logging.ERROR, logger="bot.app"):
        async with running(settings):
            asked = await slack.say(YOUTH, "UJIEUN", QUESTION)
            [answer] = await slack.wait_posted(1, YOUTH)
    assert answer.thread_ts == asked
    assert "telegram: the bot token was rejected (401 Unauthorized)" in caplog.text
    assert "WRONG" not in caplog.text


async def test_telegram_out_of_reach_at_start_is_connected_later(telegram, slack, sqlite_county):
    settings = sqlite_county()
    await telegram.stop()  # Telegram cannot be reached when the bot starts
    async with running(settings):
        asked_on_slack = await slack.say(YOUTH, "UJIEUN", QUESTION)
        [on_slack] = await slack.wait_posted(1, YOUTH)
        await telegram.start()
        asked = telegram.say(PARENTING, JIEUN, "지은맘", QUESTION)
        [answer] = await telegram.wait_sent(1, PARENTING)
    assert on_slack.thread_ts == asked_on_slack
    assert answer.reply_to == asked
    assert "help" in telegram.commands["default"]  # the menu was published once connected
