"""Slack through the real slack-bolt and slack_sdk, against a fake Slack on 127.0.0.1: Socket
Mode by default, or HTTP with signed requests; answers go in the resident's thread, each
message is handled once, and slash commands are acknowledged before the work is done."""

from __future__ import annotations

import json
import logging
import re
import time

import pytest
import yaml

from bot.adapter import SendError
from bot.adapters.slack import SlackAdapter
from bot.assemble import platform_adapters
from bot.handlers import build_router
from bot.messages import Command, Event, MemberJoined, Message, Outgoing
from bot.outbox import enqueue
from bot.web import WebServer
from storage import session_scope
from tests.conftest import ROOT
from tests.fakes import (
    ENVIRONMENT,
    KIM_SLACK,
    OFFICERS,
    YOUTH,
    county_config,
    ignore,
    listening,
    running,
)
from tests.fakes.slack import BOT_USER
from tests.running import free_port

QUESTION = "음식물 쓰레기 봉투 어디서 사요?"
ANSWER = "전용 봉투는 읍내 마트와 편의점에서 판매합니다"
JIEUN, SEOJUN = "UJIEUN", "USEOJUN"


@pytest.fixture
def http_mode(slack, county):
    """Settings for HTTP mode on a known port, with the fake posting events there."""
    port = free_port()
    slack.events_url = f"http://127.0.0.1:{port}/slack/events"
    return county(slack=slack.section(mode="http")), port


def threads(posted) -> list[str | None]:
    return [p.thread_ts for p in posted]


# --- residents ask in channels (Socket Mode) --------------------------------------------------


async def test_a_question_is_answered_in_its_thread_and_the_thread_goes_on(slack, county):
    async with running(county(slack=slack.section())):
        asked = await slack.say(YOUTH, JIEUN, QUESTION)
        [answer] = await slack.wait_posted(1, YOUTH)
        await slack.say(YOUTH, SEOJUN, f"<@{BOT_USER}> 재활용품은요?", thread_ts=asked)
        posted = await slack.wait_posted(2, YOUTH)
    assert ANSWER in answer.text
    assert threads(posted) == [asked, asked]


async def test_a_mention_arrives_twice_and_is_answered_once(slack, county):
    async with running(county(slack=slack.section())):
        twice = await slack.say(YOUTH, JIEUN, f"<@{BOT_USER}> {QUESTION}")
        retried = slack.message(YOUTH, SEOJUN, QUESTION)
        first = await slack.send_event(retried, event_id="EvRETRIED")
        again = await slack.send_event(retried, event_id="EvRETRIED", retry_num=1)
        once = await slack.say(YOUTH, JIEUN, QUESTION)
        posted = await slack.wait_posted(3, YOUTH)
    assert (first.status, again.status) == (200, 200)
    assert threads(posted) == [twice, retried["ts"], once]


async def test_a_quick_reply_button_comes_back_as_the_chosen_text(slack, sqlite_county):
    asked = "1700000000.000100"
    choices = ("음식물쓰레기는 어떻게 배출하나요?", "재활용품 분리배출은 어떻게 하나요?")
    async with running(sqlite_county(slack=slack.section())) as app:
        offer = Outgoing("slack", YOUTH, "혹시 이것인가요?", reply_to=asked, quick_replies=choices)
        with session_scope(app.engine) as session:
            enqueue(session, offer, app.clock.now())
        app.outbox.wake.set()
        [shown] = await slack.wait_posted(1, YOUTH)
        pressed = await slack.click(shown, JIEUN, choices[0])
        posted = await slack.wait_posted(2, YOUTH)
    assert shown.buttons == choices and pressed.status == 200
    assert threads(posted) == [asked, asked]
    assert ANSWER in posted[1].text


async def test_under_an_answer_a_resident_clicks_not_what_i_asked(slack, sqlite_county):
    async with running(sqlite_county(slack=slack.section())):
        asked = await slack.say(YOUTH, JIEUN, QUESTION)
        [answer] = await slack.wait_posted(1, YOUTH)
        pressed = await slack.click(answer, JIEUN, "찾는 답이 아니에요")
        posted = await slack.wait_posted(2, YOUTH)
    assert ANSWER in answer.text and answer.buttons == ("찾는 답이 아니에요",)
    assert pressed.status == 200 and threads(posted) == [asked, asked]
    assert "담당자에게 전달했습니다" in posted[1].text


async def test_a_429_delays_the_reply_then_delivers_it(slack, sqlite_county):
    slack.fail("chat.postMessage", 429, retry_after=1, times=2)  # the SDK retries once itself
    async with running(sqlite_county(slack=slack.section())):
        asked = await slack.say(YOUTH, JIEUN, QUESTION)
        [answer] = await slack.wait_posted(1, YOUTH)
    first_refusal = next(c for c in slack.called("chat.postMessage") if c.status == 429)
    assert answer.thread_ts == asked
    assert answer.at - first_refusal.at >= 2.0


async def test_member_counts_come_from_conversations_info(slack, sqlite_county):
    slack.members[YOUTH] = 128
    async with running(sqlite_county(slack=slack.section())) as app:
        adapter = app.adapters["slack"]
        assert await adapter.member_count(YOUTH) == 128
        assert await adapter.member_count("CGONE") is None


# --- HTTP mode --------------------------------------------------------------------------------


async def test_http_mode_refuses_bad_or_stale_signatures_and_handles_a_retry_once(slack, http_mode):
    settings, port = http_mode
    async with running(settings, port=port):
        question = slack.message(YOUTH, JIEUN, QUESTION)
        forged = json.dumps(slack.callback(question))
        assert (await slack.post(forged, secret="not-the-secret")).status == 401
        stale = int(time.time()) - 6 * 60
        assert (await slack.post(forged, timestamp=stale)).status == 401
        first = await slack.send_event(question, event_id="Ev1")
        retry = await slack.send_event(question, event_id="Ev1", retry_num=1)
        next_one = await slack.say(YOUTH, SEOJUN, QUESTION)
        posted = await slack.wait_posted(2, YOUTH)
    assert (first.status, retry.status) == (200, 200)
    assert threads(posted) == [question["ts"], next_one]


UNSIGNED = [  # (body, content type, headers): all refused before anything reads them
    ("hello", "application/json", {}),
    ("[1, 2]", "application/json", {}),
    ("null", "application/json", {}),
    ("payload=%7Bnot", "application/x-www-form-urlencoded", {}),
    ("{}", "application/json", {"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=0"}),
    ("{}", "application/json", {"X-Slack-Request-Timestamp": "1", "X-Slack-Signature": "v0=é"}),
]


async def test_http_mode_refuses_unsigned_junk_with_401_and_signed_junk_with_400(slack, http_mode):
    """Nothing a stranger or a broken proxy sends gets a 500 (which Slack would retry)."""
    import aiohttp

    settings, port = http_mode
    message = slack.message(YOUTH, JIEUN, QUESTION)
    event = {key: value for key, value in message.items() if key != "channel"}
    signed_junk = [
        ("[1, 2]", "application/json"),
        (json.dumps({"type": "event_callback"}), "application/json"),
        (json.dumps(slack.callback(event)), "application/json"),  # no channel
        *(
            (json.dumps(slack.callback({**message, **bad})), "application/json")
            for bad in ({"ts": "abc"}, {"ts": "1e300"}, {"text": 5}, {"user": 5}, {"channel": 5})
        ),
        (
            json.dumps(slack.callback({"type": "member_joined_channel", "channel": YOUTH})),
            "application/json",
        ),
        ("command=%2Fhelp&user_id=U1&trigger_id=1.2", "application/x-www-form-urlencoded"),
        ("payload=%5B%5D", "application/x-www-form-urlencoded"),
    ]
    async with running(settings, port=port), aiohttp.ClientSession() as session:
        for body, content_type, headers in UNSIGNED:
            headers = {"Content-Type": content_type, **headers}
            async with session.post(slack.events_url, data=body.encode(), headers=headers) as r:
                assert r.status == 401, body
        for body, content_type in signed_junk:
            assert (await slack.post(body, content_type)).status == 400, body
        await slack.say(YOUTH, JIEUN, QUESTION)  # and the bot goes on
        await slack.wait_posted(1, YOUTH)


async def test_a_slash_command_is_acknowledged_before_the_work_is_done(slack, http_mode):
    settings, port = http_mode
    async with running(settings, port=port):
        asked = time.monotonic()
        ack = await slack.slash(OFFICERS, KIM_SLACK, "김주무관", "/help", "")
        [answer] = await slack.wait_posted(1, OFFICERS)
    assert ack.status == 200
    assert ack.at - asked < 3.0  # Slack's limit for the acknowledgement
    assert ack.at < answer.at
    assert answer.thread_ts is None


# --- what the adapter makes of Slack's events -------------------------------------------------


async def test_a_thread_reply_to_a_neighbour_or_a_mention_of_one_is_talk_between_members(
    slack, sqlite_county
):
    adapter = SlackAdapter(sqlite_county(slack=slack.section()), WebServer("x", 0))
    async with listening(adapter) as heard:
        told = await slack.say(YOUTH, JIEUN, "청년센터 앞 가로등이 꺼졌어요")
        await slack.say(YOUTH, SEOJUN, "저희 골목도 깜빡깜빡해요", thread_ts=told)
        await slack.say(YOUTH, JIEUN, "사진도 올릴게요", thread_ts=told)  # her own thread
        await slack.say(YOUTH, SEOJUN, f"<@{JIEUN}> 저희도 그래요")
        await slack.say(YOUTH, SEOJUN, f"<@{BOT_USER}> 가로등 신고는 어디에 해요?")
        await slack.wait_until(lambda: len(heard) >= 6)  # a mention arrives twice
    once = {event.delivery_id: event.to_member for event in heard}
    assert list(once.values()) == [False, True, False, True, False]


async def test_slack_events_become_neutral_events(slack, sqlite_county):
    slack.names[JIEUN] = "지은맘"
    adapter = SlackAdapter(sqlite_county(slack=slack.section()), WebServer("x", 0))
    async with listening(adapter) as heard:
        edited = {"message": {"text": "수정"}, "previous_message": {"text": "원래"}}
        await slack.send_event(
            slack.message(YOUTH, JIEUN, "수정", subtype="message_changed", **edited)
        )
        await slack.send_event(slack.message(YOUTH, "UOTHER", "다른 봇", bot_id="B0OTHER"))
        await slack.send_event(slack.message(YOUTH, JIEUN, "", subtype="channel_join"))
        await slack.send_event(
            slack.message(YOUTH, JIEUN, f"<@{BOT_USER}> 링크 <https://county.go.kr|군청> &amp; 표")
        )
        await slack.send_event(
            {"type": "member_joined_channel", "user": BOT_USER, "channel": YOUTH}
        )
        await slack.send_event({"type": "member_joined_channel", "user": SEOJUN, "channel": YOUTH})
        await slack.say("D0JIEUN", JIEUN, "안녕하세요", direct=True)
        await slack.slash(OFFICERS, KIM_SLACK, "김주무관", "/sotong", "status 2026-0001")
    written, joined, direct, umbrella = heard
    assert type(written) is Message and written.text == "링크 군청 & 표" and written.addressed
    assert written.user_name == "지은맘"  # from users.info
    assert type(joined) is MemberJoined and joined.user_id == joined.user_name == SEOJUN
    assert direct.is_direct and direct.addressed
    assert type(umbrella) is Command and (umbrella.name, umbrella.args) == ("status", "2026-0001")


async def test_slack_out_of_reach_at_start_is_connected_in_the_background(slack, sqlite_county):
    heard: list[Event] = []

    async def dispatch(event):
        heard.append(event)

    settings = sqlite_county(slack=slack.section())
    adapter = SlackAdapter(settings, WebServer("x", 0), retry_first=0.05)
    await slack.stop()
    await adapter.start(dispatch)  # returns at once; the adapter keeps trying
    try:
        await slack.start()
        asked = await slack.say(YOUTH, JIEUN, QUESTION)  # waits for the socket
        await slack.wait_until(lambda: heard)
    finally:
        await adapter.stop()
    assert [event.message_id for event in heard] == [asked]


async def test_send_failures_say_whether_to_wait_retry_or_give_up(slack, sqlite_county):
    adapter = SlackAdapter(sqlite_county(slack=slack.section()), WebServer("x", 0))

    await adapter.start(ignore)
    slack.fail("chat.postMessage", 429, retry_after=1, times=2)
    slack.fail("chat.postMessage", 500)
    try:
        outcomes = []
        for _ in range(2):
            with pytest.raises(SendError) as failure:
                await adapter.send(Outgoing("slack", YOUTH, "안내"))
            outcomes.append((failure.value.retry_after, failure.value.permanent))
    finally:
        await adapter.stop()
    assert outcomes == [(1.0, False), (None, False)]


@pytest.mark.parametrize(
    ("variable", "message"),
    [
        (
            "SLACK_BOT_TOKEN",
            "slack: the bot token was rejected (invalid_auth) — "
            "check platforms.slack.bot_token (SLACK_BOT_TOKEN)",
        ),
        (
            "SLACK_APP_TOKEN",
            "slack: the app token was rejected (invalid_auth) — "
            "check platforms.slack.app_token (SLACK_APP_TOKEN)",
        ),
    ],
)
async def test_a_wrong_token_fails_at_start_with_a_clear_message(
    slack, sqlite_county, variable, message
):
    settings = sqlite_county(slack=slack.section(), environ={**ENVIRONMENT, variable: "xox-wrong"})
    adapter = SlackAdapter(settings, WebServer("x", 0))

    with pytest.raises(RuntimeError) as failure:
        await adapter.start(ignore)
    await adapter.stop()
    assert str(failure.value) == message


async def test_a_missing_app_token_turns_slack_off_with_a_log_line(slack, tmp_path, caplog):
    environ = {"SLACK_BOT_TOKEN": "xoxb-set"}
    settings = county_config(tmp_path, "sqlite://", slack=slack.section(), environ=environ)
    with caplog.at_level(logging.WARNING):
        assert platform_adapters(settings, WebServer("127.0.0.1", 0)) == []
    assert "slack: needs platforms.slack.app_token (SLACK_APP_TOKEN is not set)" in caplog.text


async def test_a_news_link_is_a_titled_link_and_the_text_stays_as_written(slack, sqlite_county):
    adapter = SlackAdapter(sqlite_county(slack=slack.section()), WebServer("x", 0))
    await adapter.start(ignore)
    try:
        await adapter.send(
            Outgoing(
                "slack",
                YOUTH,
                "[군청 소식] <청년> 창업 & 교육",
                link=("자세히 보기", "https://county.example/news?id=1&p=2"),
            )
        )
    finally:
        await adapter.stop()
    [posted] = slack.to(YOUTH)
    assert posted.text == (
        "[군청 소식] &lt;청년&gt; 창업 &amp; 교육\n"
        "<https://county.example/news?id=1&amp;p=2|자세히 보기>"
    )


def test_the_app_manifest_in_the_docs_has_every_command_the_bot_knows():
    """An officer's `/answers` in Slack reaches the bot only if the app declares it."""
    docs = (ROOT / "docs" / "platforms.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(\s*display_information:.*?)```", docs, re.DOTALL)
    assert block is not None
    manifest = yaml.safe_load(re.sub(r"(?m)^ {3}", "", block.group(1)))
    declared = {c["command"].removeprefix("/") for c in manifest["features"]["slash_commands"]}
    telegram_only = {"start"}  # Telegram's own first message
    assert set(build_router().commands()) - telegram_only <= declared
