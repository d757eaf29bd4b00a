"""The web chat, through a real `sotong run` process: residents in one room see each other and
the bot; an officer signs in; a crash between receipt and reply still delivers the reply once."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from tests.running import web_county


@pytest.fixture
def running(tmp_path, database_url):
    bot = web_county(tmp_path, database_url)
    yield bot
    bot.stop()


class Visitor:
    """A browser tab speaking the page's WebSocket protocol."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.history: list[dict] = []

    async def join(self, room: str, name: str) -> None:
        async with self.session.get(f"{self.base}/chat") as page:
            assert page.status == 200
        self.ws = await self.session.ws_connect(f"{self.base}/chat/ws")
        await self.ws.send_json({"type": "join", "room": room, "name": name})
        joined = await self.ws.receive_json(timeout=10)
        assert joined["type"] == "joined", joined
        self.history = joined["history"]

    async def say(self, text: str, reply_to: str | None = None) -> None:
        await self.ws.send_json({"type": "say", "text": text, "reply_to": reply_to})

    async def next_message(self, timeout: float = 20) -> dict:
        while True:
            data = await self.ws.receive_json(timeout=timeout)
            if data["type"] == "message":
                return data

    async def close(self) -> None:
        await self.session.close()


async def test_the_page_is_served_and_a_bad_frame_gets_an_error_not_a_crash(running):
    visitor = Visitor(running.url)
    try:
        await visitor.join("web-parenting", "지은맘")
        await visitor.ws.send_str("not json")
        assert (await visitor.ws.receive_json(timeout=5))["type"] == "error"
        await visitor.ws.send_json({"type": "join", "room": "no-such-room"})
        assert (await visitor.ws.receive_json(timeout=5))["error"] == "unknown room"
    finally:
        await visitor.close()
    async with (  # no cookie: no socket
        aiohttp.ClientSession() as fresh,
        fresh.get(f"{running.url}/chat/ws") as response,
    ):
        assert response.status == 403


async def test_odd_characters_and_broken_forms_get_an_answer_or_a_400_never_a_crash(running):
    """A lone surrogate in a name or a line (which UTF-8 cannot hold) becomes U+FFFD; a
    sign-in form that is no form is a 400; `addressed` must be a real true."""
    visitor = Visitor(running.url)
    try:
        await visitor.join("web-parenting", "\ud800지은맘")
        await visitor.say("\ud800 음식물 쓰레기 봉투 어디서 사요?")
        mine = await visitor.next_message()
        assert mine["name"] == "\ufffd지은맘" and mine["text"].startswith("\ufffd 음식물")
        assert "봉투" in (await visitor.next_message())["text"]
        await visitor.ws.send_json({"type": "say", "text": "오늘 날씨 좋네요", "addressed": "no"})
        await visitor.next_message()  # their own line; the bot keeps out of small talk
        with pytest.raises(TimeoutError):
            await visitor.next_message(timeout=2)
    finally:
        await visitor.close()
    broken = [
        ("multipart/form-data; boundary=xx", b"--xx\r\nbroken"),
        ("multipart/form-data", b"officer=kim"),
        ("application/x-www-form-urlencoded", b"%%%\xff\xfe=\xff"),
    ]
    async with aiohttp.ClientSession() as session:
        for content_type, body in broken:
            headers = {"Content-Type": content_type}
            async with session.post(f"{running.url}/chat/login", data=body, headers=headers) as r:
                assert r.status == 400, content_type


async def test_killing_the_bot_between_receipt_and_reply_still_answers_once(running):
    resident = Visitor(running.url)
    try:
        await resident.join("web-parenting", "지은맘")
        await resident.say("음식물 쓰레기 봉투 어디서 사요?")
        echo = await resident.next_message()
        assert echo["name"] == "지은맘"
        running.kill()  # right after the message was stored, before the FAQ is even loaded
    finally:
        await resident.close()

    running.start()
    deadline = asyncio.get_running_loop().time() + 30
    while True:
        again = Visitor(running.url)
        try:
            await again.join("web-parenting", "지은맘")
            answers = [m for m in again.history if m["bot"]]
        finally:
            await again.close()
        if answers or asyncio.get_running_loop().time() > deadline:
            break
        await asyncio.sleep(0.5)
    questions = [m for m in again.history if m["text"] == "음식물 쓰레기 봉투 어디서 사요?"]
    assert len(questions) == 1
    assert len(answers) == 1 and "봉투" in answers[0]["text"]
    assert answers[0]["reply_to"] == questions[0]["id"]


async def test_a_news_link_reaches_the_page_as_a_link_not_as_markup(settings):
    from bot.adapters.webchat import WebchatAdapter
    from bot.messages import Outgoing
    from bot.web import WebServer

    adapter = WebchatAdapter(settings, WebServer("127.0.0.1", 0))
    news = Outgoing(
        "webchat",
        "web-parenting",
        "[군청 소식] 김장 나눔",
        link=("자세히 보기", "https://x.example/1"),
    )
    message_id = await adapter.send(news)
    [shown] = [m for m in adapter._history["web-parenting"] if m["id"] == message_id]
    assert shown["text"] == "[군청 소식] 김장 나눔"
    assert shown["link"] == {"label": "자세히 보기", "url": "https://x.example/1"}


@contextlib.asynccontextmanager
async def _mum_and_neighbour(settings) -> AsyncIterator[tuple[Any, list, Visitor, Visitor]]:
    """The web chat on its own (no bot behind it), with 지은맘 and 윗집언니 in the parenting
    room: the adapter, the events it delivers, and the two tabs."""
    from bot.adapters.webchat import WebchatAdapter
    from bot.web import WebServer
    from tests.fakes import listening

    server = WebServer("127.0.0.1", 0)
    adapter = WebchatAdapter(settings, server)
    async with listening(adapter) as heard:
        await server.start()
        mum, neighbour = Visitor(server.url), Visitor(server.url)
        try:
            await mum.join("web-parenting", "지은맘")
            await neighbour.join("web-parenting", "윗집언니")
            yield adapter, heard, mum, neighbour
        finally:
            await mum.close()
            await neighbour.close()
            await server.stop()


async def test_naming_a_neighbour_is_talk_between_neighbours_naming_the_bot_is_not(settings):
    async with _mum_and_neighbour(settings) as (_, heard, mum, neighbour):
        await neighbour.say("@지은맘 그거 면사무소 가면 바로 해 줘요")
        await neighbour.next_message()
        await mum.say("@소통봇 여권은 어디서 만들어요?")
        await mum.next_message()
        await mum.say("윗집언니 말처럼 면사무소 가 볼게요")  # no @: a name alone is no mention
        await mum.next_message()
    answer, to_bot, plain = heard
    assert answer.to_member and not answer.addressed
    assert to_bot.addressed and not to_bot.to_member
    assert to_bot.text == "여권은 어디서 만들어요?"  # calling the bot is not what is asked
    assert not plain.to_member


async def test_a_neighbour_replying_to_a_receipt_joins_that_report_not_the_latest(running):
    mum, dad, neighbour = (Visitor(running.url) for _ in range(3))
    try:
        for visitor, name in ((mum, "지은맘"), (dad, "서준아빠"), (neighbour, "윗집언니")):
            await visitor.join("web-parenting", name)
        await mum.say("놀이터 그네 줄이 끊어져서 아이들이 다칠 것 같아요")
        first = await _receipt(neighbour)
        await dad.say("도서관 앞 가로등이 사흘째 꺼져 있어요 고쳐주세요")
        second = await _receipt(neighbour)
        await neighbour.say("저희 집 앞도 그래요", reply_to=first["id"])
        mine = await neighbour.next_message()
        joined = await neighbour.next_message()
    finally:
        for visitor in (mum, dad, neighbour):
            await visitor.close()
    assert mine["reply_to"] == first["id"]  # the page shows what it answers
    assert joined["bot"] and joined["reply_to"] == mine["id"] and "함께 알려" in joined["text"]
    assert _number(first) in joined["text"] and _number(second) not in joined["text"]


async def test_a_reply_tells_the_bot_or_a_neighbour_it_is_for_and_an_unknown_id_nothing(settings):
    from bot.messages import Outgoing

    async with _mum_and_neighbour(settings) as (adapter, heard, mum, neighbour):
        await mum.say("놀이터 그네 줄이 끊어졌어요")
        report = await neighbour.next_message()
        bots = await adapter.send(Outgoing("webchat", "web-parenting", "접수되었습니다"))
        await neighbour.next_message()
        await neighbour.say("저희 집 앞도 그래요", reply_to=report["id"])
        await mum.say("아직 소식이 없네요", reply_to=bots)
        await mum.say("그네 언제 고쳐요", reply_to="w-never-shown")
        for _ in range(3):
            await mum.next_message()
    _, to_neighbour, to_bot, unknown = heard
    assert to_neighbour.reply_to == report["id"] and to_neighbour.to_member
    assert not to_neighbour.addressed
    assert to_bot.reply_to == bots and to_bot.addressed and not to_bot.to_member
    assert unknown.reply_to is None and not unknown.addressed


async def _receipt(visitor: Visitor) -> dict:
    """The bot's receipt for the report just made, as the room sees it."""
    while True:
        message = await visitor.next_message()
        if message["bot"] and "접수번호" in message["text"]:
            return message


def _number(receipt: dict) -> str:
    return re.search(r"\d{4}-\d{4}", receipt["text"])[0]


def enter(page, url: str, name: str, room: str = "web-parenting") -> None:
    """A resident opens the page and enters `room` (dm: the 1:1 chat) under `name`."""
    page.goto(f"{url}/chat")
    page.select_option("#room", room)
    page.fill("#name", name)
    page.click("#enter")
    page.wait_for_selector("#text:enabled")


def sign_in(page, url: str, room: str = "dm") -> None:
    """김주무관 signs in and enters `room` (dm: the 1:1 chat with the bot)."""
    page.goto(f"{url}/chat/login")
    page.fill("input[name=officer]", "kim")
    page.fill("input[name=secret]", "kim-secret")
    page.click("button[type=submit]")
    page.wait_for_selector("text=담당자: 김주무관")
    page.select_option("#room", room)
    page.click("#enter")
    page.wait_for_selector("#text:enabled")


@pytest.mark.browser
def test_replying_to_the_bots_receipt_in_a_real_browser(running, chromium):
    reporter, neighbour = (chromium.new_context().new_page() for _ in range(2))
    for page, name in ((reporter, "지은맘"), (neighbour, "윗집언니")):
        enter(page, running.url, name)
    reporter.fill("#text", "놀이터 그네 줄이 끊어져서 아이들이 다칠 것 같아요")
    reporter.press("#text", "Enter")
    receipt = neighbour.wait_for_selector(".msg.bot:has-text('접수번호')")
    receipt.query_selector("button.reply").click()
    assert "접수번호" in neighbour.inner_text("#replying")
    neighbour.fill("#text", "저희 집 앞도 그래요")
    neighbour.press("#text", "Enter")
    mine = neighbour.wait_for_selector(".msg.mine:has-text('저희 집 앞도 그래요')")
    assert "접수번호" in mine.query_selector(".quote").inner_text()  # what it answers
    assert neighbour.is_hidden("#replying")  # the next message is no reply unless asked
    neighbour.wait_for_selector(".msg.bot:has-text('함께 알려')")


@pytest.mark.browser
def test_two_residents_and_an_officer_in_a_real_browser(running, tmp_path, chromium):
    context_a, context_b, officer = (chromium.new_context() for _ in range(3))
    first, second, staff = context_a.new_page(), context_b.new_page(), officer.new_page()
    for page, name in ((first, "지은맘"), (second, "서준맘")):
        enter(page, running.url, name)

    first.fill("#text", "음식물 쓰레기 봉투 어디서 사요?")
    first.press("#text", "Enter")
    for page in (first, second):
        page.wait_for_selector(".msg:has-text('음식물 쓰레기 봉투 어디서 사요?')")
        page.wait_for_selector(".msg.bot:has-text('전용 봉투')")

    second.fill("#text", "놀이터 그네 줄이 끊어져서 아이들이 다칠 것 같아요")
    second.press("#text", "Enter")
    receipt_line = first.wait_for_selector(".msg.bot:has-text('접수번호')").inner_text()
    receipt = re.search(r"\d{4}-\d{4}", receipt_line).group(0)

    sign_in(staff, running.url)
    staff.fill("#text", f"/resolve {receipt} 오늘 그네 줄을 새로 달았습니다.")
    staff.press("#text", "Enter")
    staff.wait_for_selector(".msg.bot:has-text('해결')")

    for page in (first, second):
        page.wait_for_selector(".msg.bot:has-text('오늘 그네 줄을 새로 달았습니다.')")
    second.screenshot(path=str(tmp_path / "resident.png"), full_page=True)


@pytest.mark.browser
def test_a_wrong_officer_secret_is_refused(running, chromium):
    page = chromium.new_page()
    page.goto(f"{running.url}/chat/login")
    page.fill("input[name=officer]", "kim")
    page.fill("input[name=secret]", "guess")
    page.click("button[type=submit]")
    page.wait_for_selector("text=아이디 또는 비밀번호가 맞지 않습니다.")
    assert page.locator("text=담당자: 김주무관").count() == 0


@pytest.mark.browser
def test_a_reload_or_a_restart_of_the_bot_brings_the_resident_back_in(running, chromium):
    """The page keeps the room and name: reloading rejoins with the conversation, and when
    the bot restarts the page says so and reconnects by itself."""
    page = chromium.new_context().new_page()
    enter(page, running.url, "지은맘")
    page.fill("#text", "음식물 쓰레기 봉투 어디서 사요?")
    page.press("#text", "Enter")
    page.wait_for_selector(".msg.bot:has-text('전용 봉투')")

    page.reload()
    page.wait_for_selector("#text:enabled")
    assert page.input_value("#name") == "지은맘"
    page.wait_for_selector(".msg.mine:has-text('음식물 쓰레기 봉투 어디서 사요?')")

    running.stop()
    page.wait_for_selector("#text:disabled")
    assert "다시 연결하는 중" in page.inner_text("#status")
    running.start()
    page.wait_for_selector("#text:enabled", timeout=40_000)
    page.fill("#text", "/help")
    page.press("#text", "Enter")
    page.wait_for_selector(".msg.bot:has-text('소통 창구')")


async def test_the_members_of_a_room_are_everyone_who_entered_it_not_the_tabs_open(settings):
    """The daily count for the report: 지은맘 and 윗집언니 entered the parenting room (지은맘
    twice); they are still its members after they leave and after the bot restarts."""
    from bot.adapters.webchat import WebchatAdapter
    from bot.web import WebServer

    async with _mum_and_neighbour(settings) as (adapter, _, mum, _):
        await mum.join("dm", "지은맘")  # her 1:1 chat is no room to count
        await mum.join("web-parenting", "지은맘")
        assert await adapter.member_count("web-parenting") == 2
    restarted = WebchatAdapter(settings, WebServer("127.0.0.1", 0))
    assert await restarted.member_count("web-parenting") == 2
    assert await restarted.member_count("web-youth") == 0
