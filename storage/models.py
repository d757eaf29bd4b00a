"""The database tables. Everything the bot must not lose lives here.

Times are stored as timezone-aware UTC; JSON payloads as text so SQLite and PostgreSQL agree.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


def utcnow() -> datetime:
    return datetime.now(UTC)


def _when(nullable: bool = False, index: bool = False) -> datetime:
    """A timestamp column; required ones default to now."""
    column = Column(UTCDateTime(), nullable=nullable, index=index)
    if nullable:
        return Field(default=None, sa_column=column)
    return Field(default_factory=utcnow, sa_column=column)


def _text(nullable: bool = False) -> str:
    """Unbounded text (messages, JSON payloads)."""
    return Field(default=None if nullable else "", sa_column=Column(Text, nullable=nullable))


class Room(SQLModel, table=True):
    """A group room the bot sits in, mirrored from config so reports can join on it."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    name: str
    platform: str
    chat_id: str
    mode: str = "mention"
    groups: str = "[]"
    """JSON list of group names (육아, 청년, …)."""


class Person(SQLModel, table=True):
    """A resident or officer, across platforms. `role` is resident, officer or admin."""

    id: int | None = Field(default=None, primary_key=True)
    name: str
    role: str = "resident"
    contact: str | None = _text(nullable=True)
    """Phone or e-mail a resident gave; shown to officers only."""
    created_at: datetime = _when()
    erased_at: datetime | None = _when(nullable=True)


class Identity(SQLModel, table=True):
    """One person's account on one platform."""

    __table_args__ = (UniqueConstraint("platform", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    platform: str
    user_id: str
    display_name: str = ""


class InboxItem(SQLModel, table=True):
    """Every incoming event, stored before it is handled; unique per platform delivery."""

    __tablename__ = "inbox"
    __table_args__ = (UniqueConstraint("platform", "delivery_id"),)
    id: int | None = Field(default=None, primary_key=True)
    platform: str
    delivery_id: str
    payload: str = _text()
    received_at: datetime = _when()
    status: str = Field(default="pending", index=True)
    """pending → handling → handled, or failed after repeated errors."""
    attempts: int = 0
    claimed_at: datetime | None = _when(nullable=True)
    handled_at: datetime | None = _when(nullable=True)
    error: str | None = _text(nullable=True)


class OutboxItem(SQLModel, table=True):
    """Every outgoing message, stored before it is sent and marked with the result."""

    __tablename__ = "outbox"
    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(index=True)
    chat_id: str
    payload: str = _text()
    created_at: datetime = _when()
    not_before: datetime = _when(index=True)
    status: str = Field(default="pending", index=True)
    """pending → sending → sent, or failed when the platform refuses it for good."""
    attempts: int = 0
    claimed_at: datetime | None = _when(nullable=True)
    sent_at: datetime | None = _when(nullable=True)
    platform_message_id: str | None = Field(default=None, index=True)
    """The platform's id for it once sent: a resident replying to it is found by it."""
    last_error: str | None = _text(nullable=True)
    source_inbox_id: int | None = Field(default=None, foreign_key="inbox.id")
    dedupe_key: str | None = Field(default=None, unique=True)
    """Set for messages that must exist once whatever happens (a notice to a room)."""


class ReceiptCounter(SQLModel, table=True):
    """Last receipt number handed out per year (`2026-0042`)."""

    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    last: int = 0


class Ticket(SQLModel, table=True):
    """A tracked case: a living inconvenience, a policy suggestion or an unanswered question."""

    id: int | None = Field(default=None, primary_key=True)
    receipt_no: str = Field(unique=True)
    category: str
    status: str = Field(default="received", index=True)
    text: str = _text()
    """The resident's words, with personal data masked."""
    platform: str
    chat_id: str
    room_key: str | None = None
    message_id: str | None = None
    thread_id: str | None = None
    private: bool = False
    """Raised in a 1:1 chat: answers go back 1:1 and the case is never shown in a room."""
    reporter_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    reporter_user_id: str | None = None
    assignee_id: int | None = Field(default=None, foreign_key="person.id")
    department: str | None = None
    """Department or topic an officer filed the case under (도로, 복지, …)."""
    created_at: datetime = _when(index=True)
    due_at: datetime | None = _when(nullable=True)
    period_days: int | None = None
    """The processing period `due_at` was counted with: the category's when it was received
    (or re-filed with /kind), kept so a later change to the calendar recounts the same period."""
    extended: bool = False
    """The one extension the law allows has been used."""
    extension_days: int | None = None
    """Its working days (None on tickets extended before they were kept)."""
    urgent: bool = False
    """Someone may be in danger: officers were alerted, and it is listed first."""
    reminded_at: datetime | None = _when(nullable=True)
    """When officers were reminded of `due_at`; cleared when the deadline moves."""
    closed_at: datetime | None = _when(nullable=True)
    merged_into_id: int | None = Field(default=None, foreign_key="ticket.id", index=True)
    """The ticket this duplicate was merged into; it then follows that ticket's status."""


class TicketEvent(SQLModel, table=True):
    """One change to a ticket: the audit trail, never overwritten."""

    __tablename__ = "ticket_event"
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    at: datetime = _when()
    actor_id: int | None = Field(default=None, foreign_key="person.id")
    action: str
    from_status: str | None = None
    to_status: str | None = None
    text: str | None = _text(nullable=True)
    public: bool = False
    """Whether the text was sent to the resident."""


class TicketFollower(SQLModel, table=True):
    """A resident who reported the same problem and wants the outcome too."""

    __tablename__ = "ticket_follower"
    __table_args__ = (UniqueConstraint("ticket_id", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    platform: str
    chat_id: str
    message_id: str | None = None
    thread_id: str | None = None
    user_id: str | None = None
    private: bool = False


class LearnedPhrasing(SQLModel, table=True):
    """A resident's question an officer answered with an FAQ entry: the matcher learns the
    ticket's words as a phrasing of that entry. The words stay on the ticket only, so erasing
    the resident's data erases what was learned from it."""

    __tablename__ = "learned_phrasing"
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", unique=True)
    entry_id: str
    taught_by_id: int | None = Field(default=None, foreign_key="person.id")
    at: datetime = _when()


class FaqOffer(SQLModel, table=True):
    """FAQ entries the bot listed for a resident to choose from: their next message may pick
    one by its number, or say none fits, and the question then goes to officers; or the one
    entry it answered with (`answered`), which the resident may say is not what they asked.
    The question is kept as received (like the inbox) until then, and erased with the
    resident's data."""

    __tablename__ = "faq_offer"
    id: int | None = Field(default=None, primary_key=True)
    platform: str
    chat_id: str
    user_id: str
    entry_ids: str  # the offered entries' ids in the order shown, one per line
    text: str = _text()
    message_id: str | None = None
    thread_id: str | None = None
    at: datetime = _when(index=True)
    answered: bool = False
    score: float | None = None
    """The matcher's score for the entry `answered` with, which a turn-down is counted under."""


class FaqUse(SQLModel, table=True):
    """An FAQ answer the bot gave, or a resident saying one was not what they asked: counted per
    entry and month (`/answers`), so officers see which entries serve and which miss. It holds
    no words and no person, so it outlives erasure; a miss names the question ticket it became,
    where officers read what the resident asked."""

    __tablename__ = "faq_use"
    id: int | None = Field(default=None, primary_key=True)
    entry_id: str
    at: datetime = _when(index=True)
    turned_down: bool = False
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id")
    reviewed: bool = False
    """The answer was held for an officer (`review_answers`) as the question ticket `ticket_id`:
    how the officer answered that ticket tells whether the bot picked right."""
    score: float | None = None
    """The matcher's score for the entry (of the answer turned down), when the bot picked it:
    `/answers` counts misses by score, for choosing where review starts. None for a resident's
    pick among choices."""


class RecentQuestion(SQLModel, table=True):
    """A question a resident just asked in a room, holding no words: a neighbour's message
    right after it, or in the thread it opened, that asks nothing is most likely the answer
    (bot/handlers/turns.py). Rows older than a day are dropped as new ones come."""

    __tablename__ = "recent_question"
    id: int | None = Field(default=None, primary_key=True)
    platform: str
    chat_id: str
    user_id: str
    message_id: str | None = None
    thread_id: str | None = None
    at: datetime = _when(index=True)


class InfoPost(SQLModel, table=True):
    """Information given to residents (notices, news, officers' posts): 정보 제공 in reports."""

    __tablename__ = "info_post"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _when(index=True)
    kind: str
    """notice, news or post."""
    title: str = _text()
    source_key: str | None = Field(default=None, unique=True)


class MemberSnapshot(SQLModel, table=True):
    """Members counted in a room at a time (reports show the latest per room)."""

    __tablename__ = "member_snapshot"
    id: int | None = Field(default=None, primary_key=True)
    room_key: str = Field(index=True)
    at: datetime = _when()
    count: int


class AuditEntry(SQLModel, table=True):
    """Who did what, when and why: refused commands, role changes, erasures."""

    __tablename__ = "audit"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _when(index=True)
    actor_id: int | None = Field(default=None, foreign_key="person.id")
    platform: str | None = None
    user_id: str | None = None
    action: str
    detail: str | None = _text(nullable=True)


class Notice(SQLModel, table=True):
    """A scheduled notice: from config (`config_name` set) or drafted by an officer in chat."""

    __tablename__ = "notice"
    id: int | None = Field(default=None, primary_key=True)
    config_name: str | None = Field(default=None, unique=True)
    schedule: str = ""
    """`cron:0 9 * * MON` or `at:2026-12-01T09:00:00+09:00`, as given (county time)."""
    text: str = _text()
    groups: str = "[]"
    """JSON list of room groups (육아, 청년, all …)."""
    grace_seconds: int | None = None
    """How late an occurrence may still be sent (after downtime); None: the config default."""
    status: str = Field(default="draft", index=True)
    """draft → active → done (an `at` notice once sent), or cancelled / removed (from config)."""
    next_at: datetime | None = _when(nullable=True, index=True)
    """The next occurrence not handled yet (UTC); None when nothing is due any more."""
    created_at: datetime = _when()
    created_by: int | None = Field(default=None, foreign_key="person.id")
    confirmed_by: int | None = Field(default=None, foreign_key="person.id")
    platform: str | None = None
    chat_id: str | None = None
    """Where an officer drafted it (the preview and confirmation happen there)."""


class Broadcast(SQLModel, table=True):
    """One notice occurrence or one batch of news, fanned out to rooms through the outbox."""

    __tablename__ = "broadcast"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    """`notice:<id>:<occurrence>` or `news:<feed id>:<poll>`; a second one is never made."""
    kind: str
    """notice or news."""
    title: str = _text()
    notice_id: int | None = Field(default=None, foreign_key="notice.id", index=True)
    scheduled_at: datetime | None = _when(nullable=True)
    created_at: datetime = _when(index=True)
    reported_at: datetime | None = _when(nullable=True, index=True)
    """When the delivery report went to the officer room."""


class BroadcastDelivery(SQLModel, table=True):
    """One outbox entry of a broadcast (one room, one message), found by its dedupe key."""

    __tablename__ = "broadcast_delivery"
    id: int | None = Field(default=None, primary_key=True)
    broadcast_id: int = Field(foreign_key="broadcast.id", index=True)
    room_key: str
    dedupe_key: str = Field(unique=True)


class Feed(SQLModel, table=True):
    """A county news feed (RSS/Atom) and how polling it goes."""

    __tablename__ = "feed"
    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(unique=True)
    title: str | None = None
    next_poll_at: datetime | None = _when(nullable=True)
    etag: str | None = None
    modified: str | None = None
    primed: bool = False
    """Read successfully at least once (its backlog is handled)."""
    failures: int = 0
    """Failed reads in a row; officers hear of a streak once."""
    failing_since: datetime | None = _when(nullable=True)
    last_error: str | None = _text(nullable=True)
    last_ok_at: datetime | None = _when(nullable=True)


class FeedItem(SQLModel, table=True):
    """An item seen in a feed; posted to its rooms once."""

    __tablename__ = "feed_item"
    __table_args__ = (UniqueConstraint("feed_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    feed_id: int = Field(foreign_key="feed.id", index=True)
    key: str
    """A hash of the item's id (or link, or title and date)."""
    title: str = _text()
    link: str | None = _text(nullable=True)
    published: datetime | None = _when(nullable=True)
    seen_at: datetime = _when()
    posted: bool = False
