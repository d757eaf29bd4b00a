"""Telegram through the real python-telegram-bot, against a fake Bot API on 127.0.0.1: residents
write in groups and the bot answers as replies, once per update, within Telegram's limits."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time

import aiohttp
import pytest
from sqlmodel import select

from bot.adapter import SendError
from bot.adapters.ratelimit import RateLimiter, Saturated
from bot.adapters.telegram import TelegramAdapter, split_text
from bot.assemble import platform_adapters
from bot.messages import Command, Event, MemberJoined, MemberLeft, Message, Outgoing
from bot.outbox import enqueue
from bot.web import WebServer
from storage import session_scope
from storage.models import OutboxItem
from tests.fakes import (
    HEADS,
    KIM_TELEGRAM,
    PARENTING,
    PARK_TELEGRAM,
    county_config,
    ignore,
    listening,
    running,
)
from tests.fakes.telegram import SECRET_HEADER
from tests.running import free_port

# The adapter already reads `retry_after` as seconds or a timedelta (PTB 22's deprecation).
pytestmark = pytest.mark.filterwarnings("ignore:.*attribute `retry_after` will be of type")

QUESTION = "음식물 쓰레기 봉투 어디서 사요?"
ANSWER = "전용 봉투는 읍내 마트와 편의점에서 판매합니다"
JIEUN, SEOJUN = 501, 502


def replies(sent) -> list[int | None]:
    return [s.reply_to for s in sent]


# --- a resident asks, the bot answers ---------------------------------------------------------


async def test_a_question_in_a_group_is_answered_as_a_reply_to_it(telegram, county):
    async with running(county(telegram=telegram.section())):
        asked = telegram.say(PARENTING, JIEUN, "지은맘", QUESTION)
        [answer] = await telegram.wait_sent(1, PARENTING)
    assert ANSWER in answer.text
    assert answer.reply_to == asked and answer.allow_without_reply


async def test_in_a_mention_room_the_bot_answers_mentions_and_replies_to_itself(
    telegram, sqlite_county
):
    async with running(sqlite_county(telegram=telegram.section())):
        telegram.say(HEADS, JIEUN, "이장", QUESTION)  # not for the bot
        mentioned = telegram.say(HEADS, JIEUN, "이장", f"@sotong_bot {QUESTION}")
        [answer] = await telegram.wait_sent(1, HEADS)
        again = telegram.say(HEADS, SEOJUN, "부녀회장", QUESTION, reply_to=answer.message_id)
        sent = await telegram.wait_sent(2, HEADS)
    assert replies(sent) == [mentioned, again]


@pytest.mark.parametrize(
    ("user", "name", "text", "told"),
    [
        (JIEUN, "지은맘", "언제 고쳐주시나요?", "현재 상태: 접수"),  # the reporter: where it stands
        (SEOJUN, "서준맘", "저희 집 앞도 그래요", "함께 알려"),  # a neighbour: joins it
    ],
    ids=["reporter", "neighbour"],
)
async def test_a_reply_to_the_bots_receipt_follows_up_the_case(
    telegram, sqlite_county, user, name, text, told
):
    async with running(sqlite_county(telegram=telegram.section())):
        telegram.say(PARENTING, JIEUN, "지은맘", "놀이터 앞 가로등이 사흘째 꺼져 있어요 고쳐주세요")
        [receipt] = await telegram.wait_sent(1, PARENTING)
        replied = telegram.say(PARENTING, user, name, text, reply_to=receipt.message_id)
        sent = await telegram.wait_sent(2, PARENTING)
    [number] = re.findall(r"\d{4}-\d{4}", receipt.text)
    answer = sent[1]
    assert answer.reply_to == replied and number in answer.text and told in answer.text


async def test_a_duplicated_update_is_handled_once(telegram, county):
    async with running(county(telegram=telegram.section())):
        twice = telegram.say(PARENTING, JIEUN, "지은맘", QUESTION, duplicate=True)
        once = telegram.say(PARENTING, SEOJUN, "서준맘", QUESTION)
        sent = await telegram.wait_sent(2, PARENTING)
    assert replies(sent) == [twice, once]


async def test_a_quick_reply_button_comes_back_as_the_chosen_text(telegram, sqlite_county):
    choices = ("음식물쓰레기는 어떻게 배출하나요?", "재활용품 분리배출은 어떻게 하나요?")
    async with running(sqlite_county(telegram=telegram.section())) as app:
        asked = telegram.say(HEADS, JIEUN, "이장", "쓰레기 버리는 거요")  # not addressed: silence
        offer = Outgoing(
            "telegram", str(HEADS), "혹시 이것인가요?", str(asked), quick_replies=choices
        )
        with session_scope(app.engine) as session:
            enqueue(session, offer, app.clock.now())
        app.outbox.wake.set()
        [shown] = await telegram.wait_sent(1, HEADS)
        telegram.press(shown, JIEUN, "이장", choices[0])
        sent = await telegram.wait_sent(2, HEADS)
    assert shown.buttons == choices
    assert replies(sent) == [asked, asked]
    assert ANSWER in sent[1].text
    assert telegram.answered_callbacks  # the button stops spinning


async def test_under_an_answer_a_resident_presses_not_what_i_asked(telegram, sqlite_county):
    async with running(sqlite_county(telegram=telegram.section())):
        asked = telegram.say(PARENTING, JIEUN, "지은맘", QUESTION)
        [answer] = await telegram.wait_sent(1, PARENTING)
        telegram.press(answer, JIEUN, "지은맘", "찾는 답이 아니에요")
        sent = await telegram.wait_sent(2, PARENTING)
    assert ANSWER in answer.text and answer.buttons == ("찾는 답이 아니에요",)
    assert replies(sent) == [asked, asked]  # the receipt answers the question itself
    assert "담당자에게 전달했습니다" in sent[1].text


# --- Telegram's limits and failures ------------------------------------------------------------


async def test_a_429_delays_the_reply_then_delivers_it(telegram, sqlite_county):
    telegram.fail("sendMessage", 429, retry_after=1)
    async with running(sqlite_county(telegram=telegram.section())):
        asked = telegram.say(PARENTING, JIEUN, "지은맘", QUESTION)
        [answer] = await telegram.wait_sent(1, PARENTING)
    [refused] = [c for c in telegram.called("sendMessage") if c.status == 429]
    assert answer.reply_to == asked
    assert answer.at - refused.at >= 1.0


async def test_a_send_that_hangs_times_out_and_is_delivered_once_later(telegram, sqlite_county):
    telegram.hang("sendMessage", 5)

    def impatient(settings, server):
        return [TelegramAdapter(settings, server, timeout=0.5)]

    async with running(sqlite_county(telegram=telegram.section()), adapters=impatient):
        asked = telegram.say(PARENTING, JIEUN, "지은맘", QUESTION)
        sent = await telegram.wait_sent(1, PARENTING)
    assert replies(sent) == [asked]
    assert [c.status for c in telegram.called("sendMessage")] == [504, 200]


async def test_a_burst_of_100_replies_to_one_group_stays_within_the_group_limit(
    telegram, sqlite_county
):
    # Telegram allows 20 messages a minute in a group; scaled down to 20 per half second.
    limits = {"per_chat": {"count": 1, "seconds": 0.01}, "per_group": {"count": 20, "seconds": 0.5}}
    async with running(sqlite_county(telegram=telegram.section(**limits))) as app:
        with session_scope(app.engine) as session:
            for number in range(100):
                notice = Outgoing("telegram", str(PARENTING), f"안내 {number}")
                enqueue(session, notice, app.clock.now())
        app.outbox.wake.set()
        sent = await telegram.wait_sent(100, PARENTING, timeout=60)
    assert [s.text for s in sent] == [f"안내 {number}" for number in range(100)]
    times = [s.at for s in sent]
    assert all(later - first >= 0.5 for first, later in zip(times, times[20:], strict=False))


async def test_a_burst_longer_than_the_bot_will_wait_goes_back_to_the_outbox(
    telegram, sqlite_county
):
    """Sends that would wait long for room are given back and retried, still in order."""
    limits = {"per_chat": {"count": 1, "seconds": 0.01}, "per_group": {"count": 10, "seconds": 0.3}}

    def hasty(settings, server):
        return [TelegramAdapter(settings, server, limit_wait=0.05)]

    async with running(sqlite_county(telegram=telegram.section(**limits)), adapters=hasty) as app:
        with session_scope(app.engine) as session:
            for number in range(25):
                enqueue(
                    session, Outgoing("telegram", str(PARENTING), f"안내 {number}"), app.clock.now()
                )
        app.outbox.wake.set()
        sent = await telegram.wait_sent(25, PARENTING, timeout=30)
        for _ in range(100):  # the fake has the last message; the outbox records it just after
            with session_scope(app.engine) as session:
                items = session.exec(select(OutboxItem)).all()
            if all(item.status == "sent" for item in items):
                break
            await asyncio.sleep(0.05)
    assert [s.text for s in sent] == [f"안내 {number}" for number in range(25)]
    times = [s.at for s in sent]
    assert all(later - first >= 0.3 for first, later in zip(times, times[10:], strict=False))
    assert {item.status for item in items} == {"sent"}
    assert any(item.attempts > 1 for item in items)  # given back, then sent


async def test_the_limiter_spreads_sends_over_the_window_and_refuses_long_waits():
    limiter = RateLimiter()
    window = limiter.window("group", 3, 0.3)
    started: list[float] = []

    async def send() -> None:
        async with limiter.slot(window):
            started.append(time.monotonic())
            await asyncio.sleep(0.01)

    await asyncio.gather(*(send() for _ in range(7)))
    assert all(later - first >= 0.3 for first, later in zip(started, started[3:], strict=False))
    full_window = limiter.window("other group", 3, 0.3)
    for _ in range(3):
        async with limiter.slot(full_window):
            pass
    with pytest.raises(Saturated) as full:
        async with limiter.slot(full_window, max_wait=0.05):
            pass
    assert 0.05 < full.value.wait <= 0.3


async def test_polling_goes_on_after_the_bot_api_fails(telegram, sqlite_county):
    telegram.fail("getUpdates", 502)
    async with running(sqlite_county(telegram=telegram.section())):
        asked = telegram.say(PARENTING, JIEUN, "지은맘", QUESTION)
        [answer] = await telegram.wait_sent(1, PARENTING)
    assert answer.reply_to == asked


async def test_a_restart_resumes_polling_without_repeating_replies(telegram, county):
    settings = county(telegram=telegram.section())
    async with running(settings):
        first = telegram.say(PARENTING, JIEUN, "지은맘", QUESTION)
        await telegram.wait_sent(1, PARENTING)
    telegram.unconfirm_all()  # as if the bot had died before confirming what it fetched
    second = telegram.say(PARENTING, SEOJUN, "서준맘", QUESTION)
    async with running(settings):
        sent = await telegram.wait_sent(2, PARENTING)
    assert replies(sent) == [first, second]


# --- webhook mode ----------------------------------------------------------------------------


async def test_the_webhook_checks_the_secret_and_the_body(telegram, county):
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/webhook"
    secret = "a-long-random-secret"
    section = telegram.section(mode="webhook", webhook_url=url, webhook_secret=secret)
    forged = {
        "update_id": 1,
        "message": {
            "message_id": 99,
            "date": 0,
            "chat": {"id": PARENTING, "type": "supergroup"},
            "from": {"id": 666, "is_bot": False, "first_name": "누군가"},
            "text": QUESTION,
        },
    }
    async with running(county(telegram=section), port=port), aiohttp.ClientSession() as http:
        assert telegram.webhook == {"url": url, "secret_token": secret}
        for headers in ({}, {SECRET_HEADER: "wrong"}):
            async with http.post(url, json=forged, headers=headers) as response:
                assert response.status == 403
        for body in ("{not json", "[1, 2]", '{"message": {}}'):
            async with http.post(url, data=body, headers={SECRET_HEADER: secret}) as response:
                assert response.status == 400
        assert await raw_post(port, b"X-Telegram-Bot-Api-Secret-Token: \xe9\r\n") == 403
        odd = {**forged, "update_id": 2}  # a lone surrogate: stored as U+FFFD, not a 500
        odd["message"] = {**forged["message"], "message_id": 100, "text": "\ud800" + QUESTION}
        async with http.post(url, data=json.dumps(odd), headers={SECRET_HEADER: secret}) as r:
            assert r.status == 200
        await telegram.wait_sent(1, PARENTING)
        telegram.sent.clear()
        twice = telegram.say(PARENTING, JIEUN, "지은맘", QUESTION, duplicate=True)
        once = telegram.say(PARENTING, SEOJUN, "서준맘", QUESTION)
        sent = await telegram.wait_sent(2, PARENTING)
    assert replies(sent) == [twice, once]
    assert {d.status for d in telegram.deliveries} == {200}


async def raw_post(port: int, header: bytes) -> int:
    """POST with a header line as raw bytes (no client would send a Latin-1 byte): the status."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        b"POST /telegram/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n"
        b"Content-Type: application/json\r\n" + header + b"Connection: close\r\n\r\n{}"
    )
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    writer.close()
    return status


# --- menus, member counts, and what the adapter makes of updates ------------------------------


async def test_command_menus_follow_roles_and_member_counts_are_read(telegram, sqlite_county):
    telegram.members[str(PARENTING)] = 37
    async with running(sqlite_county(telegram=telegram.section())) as app:
        adapter = app.adapters["telegram"]
        assert await adapter.member_count(str(PARENTING)) == 37
        assert await adapter.member_count("-404") is None
    everyone = set(telegram.commands["default"])
    officer = set(telegram.commands[f"chat:{KIM_TELEGRAM}"])
    admin = set(telegram.commands[f"chat:{PARK_TELEGRAM}"])
    assert {"help", "status"} <= everyone < officer < admin
    assert "resolve" in officer - everyone


async def test_updates_become_neutral_events(telegram, sqlite_county):
    adapter = TelegramAdapter(sqlite_county(telegram=telegram.section()), WebServer("x", 0))
    async with listening(adapter) as heard:
        telegram.say(PARENTING, JIEUN, "지은맘", "@sotong_bot 봉투 어디서 사요?")
        telegram.say(PARENTING, JIEUN, "지은맘", "/status@other_bot 2026-0001")  # not ours
        telegram.say(PARENTING, JIEUN, "지은맘", "/status@sotong_bot 2026-0001")
        telegram.join(PARENTING, SEOJUN, "서준맘")
        telegram.leave(PARENTING, SEOJUN, "서준맘")
        telegram.say(JIEUN, JIEUN, "지은맘", "안녕하세요")
        telegram.say(PARENTING, SEOJUN, "서준맘", "오늘 날씨 좋네요")
        await telegram.wait_until(lambda: len(heard) >= 6)
    mention, command, joined, left, direct, chatter = heard
    assert type(mention) is Message and mention.text == "봉투 어디서 사요?" and mention.addressed
    assert type(command) is Command and (command.name, command.args) == ("status", "2026-0001")
    assert type(joined) is MemberJoined and joined.user_id == str(SEOJUN)
    assert type(left) is MemberLeft and left.user_id == str(SEOJUN)
    assert direct.is_direct and direct.addressed and direct.chat_id == str(JIEUN)
    assert not chatter.addressed and chatter.user_name == "서준맘"
    assert len({e.delivery_id for e in heard}) == 6


async def test_a_reply_to_a_neighbour_or_a_mention_of_one_is_talk_between_members(
    telegram, sqlite_county
):
    adapter = TelegramAdapter(sqlite_county(telegram=telegram.section()), WebServer("x", 0))
    async with listening(adapter) as heard:
        told = telegram.say(PARENTING, JIEUN, "지은맘", "놀이터 앞 가로등이 꺼졌어요")
        telegram.say(PARENTING, SEOJUN, "서준맘", "저희 골목도 깜빡깜빡해요", reply_to=told)
        telegram.say(PARENTING, JIEUN, "지은맘", "사진도 올릴게요", reply_to=told)  # her own
        telegram.say(PARENTING, SEOJUN, "서준맘", "@jieun_mom 저희도 그래요")
        telegram.say(PARENTING, SEOJUN, "서준맘", "@sotong_bot 가로등 신고는 어디에 해요?")
        await telegram.wait_until(lambda: len(heard) >= 5)
    assert [event.to_member for event in heard] == [False, True, False, True, False]
    assert [event.reply_to for event in heard] == [None, str(told), str(told), None, None]


async def test_a_polled_update_the_core_cannot_store_yet_is_tried_again(telegram, sqlite_county):
    heard: list[Event] = []
    failures = [RuntimeError("database is locked")] * 2

    async def dispatch(event):
        if failures:
            raise failures.pop()
        heard.append(event)

    settings = sqlite_county(telegram=telegram.section())
    adapter = TelegramAdapter(settings, WebServer("x", 0), retry_first=0.01)
    await adapter.start(dispatch)
    try:
        asked = telegram.say(PARENTING, JIEUN, "지은맘", QUESTION)
        await telegram.wait_until(lambda: heard)
    finally:
        await adapter.stop()
    assert [event.message_id for event in heard] == [str(asked)]


async def test_long_answers_are_split_at_line_boundaries(telegram, sqlite_county):
    line = "가" * 99 + "\n"
    text = line * 60  # 6,000 characters
    assert [len(p) for p in split_text(text)] == [40 * 100 - 1, 20 * 100 - 1]
    assert split_text("😀" * 3000)[0] == "😀" * 2048  # Telegram counts UTF-16 units
    adapter = TelegramAdapter(sqlite_county(telegram=telegram.section()), WebServer("x", 0))

    await adapter.start(ignore)
    try:
        await adapter.send(Outgoing("telegram", str(PARENTING), text, reply_to="7"))
    finally:
        await adapter.stop()
    first, second = telegram.to(PARENTING)
    assert first.text + "\n" + second.text == text.rstrip("\n")
    assert (first.reply_to, second.reply_to) == (7, None)


async def test_send_failures_say_whether_to_wait_retry_or_give_up(telegram, sqlite_county):
    adapter = TelegramAdapter(sqlite_county(telegram=telegram.section()), WebServer("x", 0))

    await adapter.start(ignore)
    telegram.kicked.add(str(HEADS))
    telegram.fail("sendMessage", 429, retry_after=7)
    telegram.fail("sendMessage", 502)
    try:
        outcomes = []
        for chat in (PARENTING, PARENTING, HEADS):
            with pytest.raises(SendError) as failure:
                await adapter.send(Outgoing("telegram", str(chat), "안내"))
            outcomes.append((failure.value.retry_after, failure.value.permanent))
    finally:
        await adapter.stop()
    assert outcomes == [(7.0, False), (None, False), (None, True)]


async def test_a_missing_token_turns_telegram_off_with_a_log_line(telegram, tmp_path, caplog):
    settings = county_config(tmp_path, "sqlite://", telegram=telegram.section(), environ={})
    with caplog.at_level(logging.WARNING):
        adapters = platform_adapters(settings, WebServer("127.0.0.1", 0))
    assert adapters == []
    assert re.search(
        r"telegram: needs platforms.telegram.token .*TELEGRAM_BOT_TOKEN.*is off", caplog.text
    )


async def test_a_wrong_token_fails_at_start_with_a_clear_message(telegram, sqlite_county):
    wrong = {"TELEGRAM_BOT_TOKEN": "123456:WRONG"}
    adapter = TelegramAdapter(
        sqlite_county(telegram=telegram.section(), environ=wrong), WebServer("x", 0)
    )
    with pytest.raises(RuntimeError) as failure:
        await adapter.start(ignore)
    await adapter.stop()
    assert str(failure.value) == (
        "telegram: the bot token was rejected (401 Unauthorized) — "
        "check platforms.telegram.token (TELEGRAM_BOT_TOKEN)"
    )


async def test_a_news_link_is_a_titled_link_counted_in_utf16(telegram, sqlite_county):
    adapter = TelegramAdapter(sqlite_county(telegram=telegram.section()), WebServer("x", 0))
    await adapter.start(ignore)
    try:
        news = Outgoing(
            "telegram",
            str(PARENTING),
            "[군청 소식] 😀 김장 나눔 행사",
            link=("자세히 보기", "https://county.example/news/1"),
        )
        await adapter.send(news)
    finally:
        await adapter.stop()
    [sent] = telegram.to(PARENTING)
    assert sent.text == "[군청 소식] 😀 김장 나눔 행사\n자세히 보기"
    [entity] = sent.entities
    assert entity["type"] == "text_link" and entity["url"] == "https://county.example/news/1"
    assert (entity["offset"], entity["length"]) == (len(news.text) + 2, 6)  # 😀 is 2 units
