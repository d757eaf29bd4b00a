"""County news: RSS/Atom feeds read on a schedule, each new item posted once to the rooms of
the feed's groups, and counted as 정보 제공.

A feed is read with aiohttp (a timeout, a size cap, conditional GET with ETag/Last-Modified)
and parsed with feedparser from a stream of the bytes, so feedparser itself never opens a URL
or a file. A read that fails — no answer, an HTTP error, or something that is not a feed — is
reported to the officer room once per failure streak, and once more when the feed reads again;
it never stops the scheduler. When a feed is first read, only its newest `backlog` items are
posted, so adding the county's feed does not replay its archive; later reads post every unseen
item, at most `MAX_PER_READ` (oldest first).

Items are plain text with the link on its own line, which every platform shows as a link;
adapters own anything platform-specific (escaping, length limits).
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import io
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import aiohttp
import feedparser
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.scheduler import count_as_information, open_broadcast, parse_duration, post, to_officers
from storage.db import session_scope
from storage.models import Feed, FeedItem

if TYPE_CHECKING:
    from bot.app import App
    from bot.config import FeedSettings

log = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
MAX_PER_READ = 10
SUMMARY_CHARS = 200
USER_AGENT = "Sotong/0.1 (county chatbot; +feed reader)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
)


@dataclass
class Entry:
    key: str
    title: str
    link: str | None
    summary: str
    published: datetime | None
    order: int


@dataclass
class Read:
    """The outcome of reading a feed once."""

    error: str | None = None
    """A `feed.error_*` texts key, with `detail` its values."""
    detail: dict[str, Any] = field(default_factory=dict)
    not_modified: bool = False
    title: str | None = None
    entries: list[Entry] = field(default_factory=list)
    etag: str | None = None
    modified: str | None = None


class FeedJob:
    """The scheduler job: reads every feed that is due, posts what is new."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, now: datetime) -> datetime | None:
        configs = self.app.settings.feeds
        if not configs:
            return None
        due: list[tuple[FeedSettings, int, str | None, str | None]] = []
        with session_scope(self.app.engine) as session:
            rows = {
                f.url: f
                for f in session.exec(
                    select(Feed).where(Feed.url.in_([c.url for c in configs]))
                ).all()
            }
            for config in configs:
                row = rows.get(config.url)
                if row is None:
                    row = rows[config.url] = Feed(url=config.url, next_poll_at=now)
                    session.add(row)
                    session.flush()
                if row.next_poll_at is None or row.next_poll_at <= now:
                    row.next_poll_at = now + parse_duration(config.every)  # claimed
                    session.add(row)
                    due.append((config, row.id, row.etag, row.modified))
        if due:
            async with aiohttp.ClientSession(headers={"User-Agent": USER_AGENT}) as http:
                reads = await asyncio.gather(
                    *(read_feed(http, config, etag, modified) for config, _, etag, modified in due)
                )
            for (config, feed_id, _, _), read in zip(due, reads, strict=True):
                with session_scope(self.app.engine) as session:
                    self.store(session, config, feed_id, read, now)
        with session_scope(self.app.engine) as session:
            return session.exec(
                select(Feed.next_poll_at)
                .where(Feed.url.in_([c.url for c in configs]), Feed.next_poll_at.is_not(None))
                .order_by(Feed.next_poll_at)
            ).first()

    def store(
        self, session: Session, config: FeedSettings, feed_id: int, read: Read, now: datetime
    ) -> None:
        feed = session.get(Feed, feed_id)
        texts = self.app.texts
        source = config.name or feed.title or config.url
        if read.error is not None:
            error = texts(read.error, **read.detail)
            feed.failures += 1
            feed.last_error = error
            if feed.failures == 1:
                feed.failing_since = now
                log.warning("feed %s failed: %s %s", config.url, read.error, read.detail)
                to_officers(
                    self.app,
                    session,
                    texts("feed.failed", source=source, url=config.url, error=error),
                    now,
                    key=f"feed-failed:{feed.id}:{now.isoformat()}",
                )
            session.add(feed)
            return
        if read.title:
            feed.title = read.title
            source = config.name or read.title
        if feed.failures:
            log.info("feed %s reads again after %d failures", config.url, feed.failures)
            to_officers(
                self.app,
                session,
                texts("feed.recovered", source=source, count=feed.failures),
                now,
                key=f"feed-recovered:{feed.id}:{feed.failing_since.isoformat()}",
            )
            feed.failures, feed.failing_since, feed.last_error = 0, None, None
        feed.last_ok_at = now
        feed.etag, feed.modified = read.etag or feed.etag, read.modified or feed.modified
        session.add(feed)
        if read.not_modified:
            return
        self.post_new(session, config, feed, read.entries, source, now)
        feed.primed = True

    def post_new(
        self,
        session: Session,
        config: FeedSettings,
        feed: Feed,
        entries: Sequence[Entry],
        source: str,
        now: datetime,
    ) -> None:
        unique = list({e.key: e for e in reversed(entries)}.values())  # first mention wins
        keys = [e.key for e in unique]
        known = set(
            session.exec(
                select(FeedItem.key).where(FeedItem.feed_id == feed.id, FeedItem.key.in_(keys))
            ).all()
        )
        new = sorted((e for e in unique if e.key not in known), key=_chronological)
        if not new:
            return
        most = MAX_PER_READ if feed.primed else min(config.backlog, MAX_PER_READ)
        posting = new[-most:] if most else []  # the newest `most`
        if len(new) > len(posting):
            log.info(
                "feed %s: %d older items only marked seen", config.url, len(new) - len(posting)
            )
        fresh: list[Entry] = []
        for entry in new:
            item = FeedItem(
                feed_id=feed.id,
                key=entry.key,
                title=entry.title,
                link=entry.link,
                published=entry.published,
                seen_at=now,
                posted=entry in posting,
            )
            with session.begin_nested():
                try:
                    session.add(item)
                    session.flush()
                except IntegrityError:  # another process stored it a moment ago
                    continue
            if entry in posting:
                fresh.append(entry)
        if not fresh:
            return
        texts = self.app.texts
        rooms = self.app.settings.rooms_in(config.groups)
        title = texts("feed.batch_title", source=source, count=len(fresh))
        broadcast = open_broadcast(
            session, key=f"news:{feed.id}:{fresh[0].key}", kind="news", title=title, now=now
        )
        if broadcast is None:
            return
        for entry in fresh:
            key = f"news:{feed.id}:{entry.key}"
            text, link = format_item(texts, source, entry)
            post(session, broadcast, rooms, text, link=link, key=key, now=now)
            if rooms:
                count_as_information(session, kind="news", title=entry.title, key=key, now=now)
        log.info("feed %s: %d new items to %d rooms", config.url, len(fresh), len(rooms))
        self.app.outbox.wake.set()


def _chronological(entry: Entry) -> tuple[float, int]:
    # undated items keep the feed's order (newest first in the feed → oldest last here)
    stamp = entry.published.timestamp() if entry.published else 0.0
    return (stamp, -entry.order)


def format_item(texts: Any, source: str, entry: Entry) -> tuple[str, tuple[str, str] | None]:
    """The item's text, and its link for each adapter to render as its platform does."""
    parts = [texts("feed.item", source=source, title=entry.title)]
    if entry.summary and entry.summary != entry.title:
        parts.append(entry.summary)
    link = (texts("feed.read_more"), entry.link) if entry.link else None
    return "\n".join(parts), link


# --- reading ------------------------------------------------------------------------------------


async def read_feed(
    http: aiohttp.ClientSession, config: FeedSettings, etag: str | None, modified: str | None
) -> Read:
    """Fetch and parse one feed; every failure comes back as `Read.error`, never raised."""
    headers = {"Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    try:
        async with asyncio.timeout(config.timeout):
            async with http.get(config.url, headers=headers, allow_redirects=True) as response:
                if response.status == 304:
                    return Read(not_modified=True)
                if response.status >= 400:
                    return Read(error="feed.error_http", detail={"status": response.status})
                body = await response.content.read(MAX_BYTES + 1)
                if len(body) > MAX_BYTES:
                    return Read(
                        error="feed.error_too_big", detail={"mb": MAX_BYTES // (1024 * 1024)}
                    )
                content_type = response.headers.get("Content-Type", "")
                new_etag = response.headers.get("ETag")
                new_modified = response.headers.get("Last-Modified")
    except TimeoutError:
        return Read(error="feed.error_timeout", detail={"seconds": f"{config.timeout:g}"})
    except aiohttp.ClientError as exc:
        return Read(error="feed.error_network", detail={"reason": f"{type(exc).__name__}: {exc}"})
    except Exception as exc:  # a feed must never stop the scheduler
        log.exception("reading feed %s", config.url)
        return Read(error="feed.error_network", detail={"reason": f"{type(exc).__name__}: {exc}"})
    try:
        # a stream, never bytes: feedparser would try a short body as a local file name
        parsed = await asyncio.to_thread(
            feedparser.parse, io.BytesIO(body), response_headers={"content-type": content_type}
        )
    except Exception as exc:
        return Read(error="feed.error_garbage", detail={"reason": type(exc).__name__})
    if not parsed.entries and (parsed.get("bozo") or not parsed.get("version")):
        # a broken document with no items is no feed: taking it for an empty one would count
        # the feed as read, and its archive would then be posted at once once it is mended
        reason = parsed.get("bozo_exception")
        return Read(
            error="feed.error_garbage", detail={"reason": type(reason).__name__ if reason else "-"}
        )
    return Read(
        title=_clean(parsed.feed.get("title", "")) or None,
        entries=[_entry(i, e) for i, e in enumerate(parsed.entries)],
        etag=new_etag,
        modified=new_modified,
    )


_BLOCK = re.compile(
    r"<\s*/?\s*(?:p|br|div|li|ul|ol|tr|td|th|h[1-6]|table|blockquote|hr)\b[^>]*>", re.I
)
_TAG = re.compile(r"<[^>]+>")


def _clean(value: str) -> str:
    """Plain text: a block ends a phrase, an inline tag (<b>예방접종</b>을) joins its word."""
    return " ".join(html.unescape(_TAG.sub("", _BLOCK.sub(" ", value or ""))).split())


def _entry(order: int, entry: Any) -> Entry:
    title = _clean(entry.get("title", ""))
    link = entry.get("link") or None
    when = entry.get("published_parsed") or entry.get("updated_parsed")
    published = datetime(*when[:6], tzinfo=UTC) if when else None
    identity = entry.get("id") or link or f"{title or '-'}|{entry.get('published', '')}"
    if link and not link.lower().startswith(("http://", "https://")):
        link = None  # a javascript: or a bare id is nothing a resident can open
    summary = _clean(entry.get("summary", ""))
    if len(summary) > SUMMARY_CHARS:
        summary = summary[: SUMMARY_CHARS - 1] + "…"
    title = title or summary or "-"  # an untitled item is headed by its text
    return Entry(
        key=hashlib.sha256(identity.encode("utf-8")).hexdigest()[:40],
        title=title,
        link=link,
        summary=summary,
        published=published,
        order=order,
    )
