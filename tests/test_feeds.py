"""County news from an RSS feed served on 127.0.0.1: each new item reaches the rooms of the
feed's groups once — across polls and restarts — and a broken feed is reported, not crashed on."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from email.utils import format_datetime

import pytest
from aiohttp import web
from sqlmodel import Session, select

from storage.models import Feed, FeedItem, InfoPost
from tests.test_notices import DEC1, at, broadcasts, county, started

ITEMS = [
    ("2026-1130-1", "김장 나눔 행사 안내", "12월 5일 군민회관에서 김장 나눔 행사가 열립니다."),
    ("2026-1130-2", "청년 월세 지원 신청", "<p>만 19~34세 <b>청년</b> 월세 지원 &amp; 상담</p>"),
    ("2026-1201-1", "동절기 수도 동파 주의", "수도 계량기를 헌 옷으로 감싸 주세요."),
]


def rss(items: list[tuple[str, str, str]], *, start: datetime = DEC1) -> bytes:
    """An RSS 2.0 document, newest item first as county sites publish them."""
    entries = []
    for number, (guid, title, summary) in enumerate(items):
        published = format_datetime(start + timedelta(hours=number))
        entries.append(
            f"<item><guid>{guid}</guid><title>{title}</title>"
            f"<link>https://county.example/news/{guid}</link>"
            f"<description><![CDATA[{summary}]]></description>"
            f"<pubDate>{published}</pubDate></item>"
        )
    body = "".join(reversed(entries))
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>시험군 새소식</title><link>https://county.example</link>{body}</channel></rss>"
    ).encode()


class CountySite:
    """The county's web site on 127.0.0.1: `/news.xml` serves `body` (or misbehaves)."""

    def __init__(self) -> None:
        self.body = rss(ITEMS)
        self.status = 200
        self.hang = 0.0
        self.requests = 0
        self.port = 0
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/news.xml"

    async def _news(self, request: web.Request) -> web.Response:
        self.requests += 1
        if self.hang:
            await asyncio.sleep(self.hang)
        return web.Response(body=self.body, status=self.status, content_type="application/rss+xml")

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/news.xml", self._news)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        await self._runner.cleanup()


@pytest.fixture
async def site() -> AsyncIterator[CountySite]:
    server = CountySite()
    await server.start()
    yield server
    await server.stop()


def news_settings(tmp_path, database_url, site: CountySite, **feed):
    section = {"url": site.url, "groups": ["육아"], "every": "30m", "timeout": 2, **feed}
    return county(tmp_path, database_url, feeds=[section])


async def test_three_new_items_are_posted_once_per_room_even_after_a_restart(
    tmp_path, database_url, site
):
    settings = news_settings(tmp_path, database_url, site)
    bot = await started(settings)
    try:
        sent = await at(bot, DEC1)
        rooms = broadcasts(sent)
        assert set(rooms) == {"room-parenting", "web-youth"}  # the rooms of 육아, no other
        for texts in rooms.values():
            assert [t.split("\n")[0] for t in texts] == [
                "[시험군 새소식] 김장 나눔 행사 안내",
                "[시험군 새소식] 청년 월세 지원 신청",
                "[시험군 새소식] 동절기 수도 동파 주의",
            ]
        assert rooms["room-parenting"][1] == (
            "[시험군 새소식] 청년 월세 지원 신청\n만 19~34세 청년 월세 지원 & 상담\n"
            "https://county.example/news/2026-1130-2"
        )
        [report] = sent["room-officers"]
        assert report.startswith("[새 소식 발송 결과] 시험군 새소식 새 소식 3건 · 방 2곳: 발송 2")

        assert await at(bot, DEC1 + timedelta(minutes=10)) == {}  # not due yet
        assert site.requests == 1
        assert await at(bot, DEC1 + timedelta(minutes=30)) == {}  # read again: nothing new
        assert site.requests == 2
    finally:
        await bot.stop()

    restarted = await started(settings)
    try:
        assert await at(restarted, DEC1 + timedelta(hours=1)) == {}
        assert site.requests == 3
        site.body = rss([*ITEMS, ("2026-1201-2", "한파 쉼터 운영", "경로당 쉼터 운영")])
        sent = broadcasts(await at(restarted, DEC1 + timedelta(hours=2)))
        assert {chat: len(texts) for chat, texts in sent.items()} == {
            "room-parenting": 1,
            "web-youth": 1,
        }
        assert sent["room-parenting"][0].startswith("[시험군 새소식] 한파 쉼터 운영")
        with Session(restarted.app.engine) as session:
            news = session.exec(select(InfoPost).where(InfoPost.kind == "news")).all()
        assert len(news) == 4  # 정보 제공: one per item, not per room
    finally:
        await restarted.stop()


async def test_every_new_item_of_a_later_read_is_posted_oldest_first(tmp_path, site):
    """Six new items at once (fewer than the ten a read may post): all six go out."""
    bot = await started(news_settings(tmp_path, f"sqlite:///{tmp_path}/db", site))
    try:
        await at(bot, DEC1)
        later = [(f"2026-1202-{n}", f"새 소식 {n}", "") for n in range(1, 7)]
        site.body = rss([*ITEMS, *later])
        sent = broadcasts(await at(bot, DEC1 + timedelta(minutes=30)))
        titles = [t.split("\n")[0] for t in sent["room-parenting"]]
        assert titles == [f"[시험군 새소식] 새 소식 {n}" for n in range(1, 7)]
    finally:
        await bot.stop()


async def test_an_item_reads_as_plain_korean_with_only_a_web_link(tmp_path, site):
    """Inline markup joins its word and particle; an untitled item is headed by its text; a
    link that is not a web address is left out."""
    site.body = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>군청</title>'
        "<item><guid>1</guid><title>독감 예방접종</title><link>javascript:alert(1)</link>"
        "<description><![CDATA[<p>어르신 <b>무료 예방접종</b>을 시작합니다.</p>"
        "<p>보건소로 오세요.</p>]]></description></item>"
        "<item><guid>2</guid><description>읍사무소 민원실이 오늘 17시에 닫습니다."
        "</description><link>https://county.example/n/2</link></item>"
        "</channel></rss>"
    ).encode()
    assert sorted(await first_read(tmp_path, site)) == [
        "[군청] 독감 예방접종\n어르신 무료 예방접종을 시작합니다. 보건소로 오세요.",
        "[군청] 읍사무소 민원실이 오늘 17시에 닫습니다.\nhttps://county.example/n/2",
    ]


async def test_a_new_feed_posts_only_its_newest_items_and_a_name_overrides_its_title(
    tmp_path, site
):
    site.body = rss([(f"old-{n}", f"지난 소식 {n}", "") for n in range(8)])
    url = f"sqlite:///{tmp_path}/db"
    bot = await started(news_settings(tmp_path, url, site, backlog=2, name="군청"))
    try:
        sent = broadcasts(await at(bot, DEC1))
        titles = [t.split("\n")[0] for t in sent["room-parenting"]]
        assert titles == ["[군청] 지난 소식 6", "[군청] 지난 소식 7"]
        with Session(bot.app.engine) as session:
            items = session.exec(select(FeedItem)).all()
        assert len(items) == 8 and sum(i.posted for i in items) == 2
    finally:
        await bot.stop()


@pytest.mark.parametrize(
    ("break_it", "reason"),
    [
        (
            lambda s: setattr(s, "body", b"<html><body>Server maintenance</body></html>"),
            "RSS/Atom 형식이 아닙니다",
        ),
        (lambda s: setattr(s, "body", b"/etc/passwd"), "RSS/Atom 형식이 아닙니다"),  # no file read
        (  # a feed cut off mid-item: not an empty feed, or its archive would follow at once
            lambda s: setattr(s, "body", "<rss><channel><title>새소식<item><title>x".encode()),
            "RSS/Atom 형식이 아닙니다",
        ),
        (lambda s: setattr(s, "status", 503), "HTTP 503 오류"),
        (lambda s: setattr(s, "hang", 5.0), "0.3초 안에 응답이 없습니다"),
    ],
)
async def test_a_broken_feed_is_reported_once_per_streak_and_never_stops_the_bot(
    tmp_path, site, break_it, reason
):
    notice = {"name": "점검", "cron": "*/30 * * * *", "text": "정기 안내", "groups": ["이장단"]}
    settings = county(
        tmp_path,
        f"sqlite:///{tmp_path}/db",
        notices=[notice],
        feeds=[{"url": site.url, "groups": ["육아"], "every": "30m", "timeout": 0.3}],
    )
    break_it(site)
    bot = await started(settings)
    try:
        sent = await at(bot, DEC1)
        [failed] = [t for t in sent["room-officers"] if t.startswith("[새 소식 읽기 실패]")]
        assert site.url in failed and reason in failed
        assert broadcasts(sent) == {"room-heads": ["[공지] 정기 안내"]}  # notices go on

        sent = await at(bot, DEC1 + timedelta(minutes=30))  # fails again: no second report
        assert not [t for t in sent.get("room-officers", []) if "읽기 실패" in t]
        assert broadcasts(sent) == {"room-heads": ["[공지] 정기 안내"]}

        site.body, site.status, site.hang = rss(ITEMS), 200, 0.0
        sent = await at(bot, DEC1 + timedelta(minutes=60))
        assert (
            "[새 소식 복구] 시험군 새소식: 다시 읽힙니다 (2번 실패한 뒤)." in sent["room-officers"]
        )
        assert len(broadcasts(sent)["room-parenting"]) == 3
        with Session(bot.app.engine) as session:
            [feed] = session.exec(select(Feed)).all()
        assert feed.failures == 0 and feed.primed
    finally:
        await bot.stop()


async def test_an_atom_feed_works_too(tmp_path, site):
    site.body = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>군 보도자료</title><id>urn:county</id><updated>2026-12-01T00:00:00Z</updated>"
        "<entry><title>보도자료 1</title><id>urn:1</id><updated>2026-12-01T00:00:00Z</updated>"
        '<link href="https://county.example/press/1"/></entry></feed>'
    ).encode()
    assert await first_read(tmp_path, site) == [
        "[군 보도자료] 보도자료 1\nhttps://county.example/press/1"
    ]


async def first_read(tmp_path, site: CountySite) -> list[str]:
    """What the parenting room gets from the feed's first read."""
    bot = await started(news_settings(tmp_path, f"sqlite:///{tmp_path}/db", site))
    try:
        return broadcasts(await at(bot, DEC1))["room-parenting"]
    finally:
        await bot.stop()


def test_feed_settings_are_checked(tmp_path):
    from bot.config import ConfigError

    url = f"sqlite:///{tmp_path}/db"
    good = {"url": "http://127.0.0.1:9/news.xml", "groups": ["육아"]}
    assert county(tmp_path, url, feeds=[good]).feeds[0].every == "30m"
    for bad, reason in [
        ({**good, "every": "often"}, "not a duration"),
        ({**good, "groups": ["노인"]}, "unknown group '노인'"),
        ({**good, "url": "ftp://x"}, "http:// or https://"),
    ]:
        with pytest.raises(ConfigError, match=reason):
            county(tmp_path, url, feeds=[bad])
