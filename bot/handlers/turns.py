"""What was just said in a room: "저희 동네도 그래요" just after a resident's report is one more
resident with that problem, "벌써 일주일째예요" from the reporter tells more of it, and "면사무소
가서 신청하면 돼요" just after a neighbour's question answers it; none is what it looks like alone.

Residents confirm a neighbour's report in passing (저도 봤어요, 덕림리도 똑같소), and reporters
go on about theirs, in words the intent model reads as chatter. Just after a report the queue
took in, a neighbour's such message (bot/faq/understand.py, `echoes`) joins that ticket: the
resident hears its outcome, and officers learn one more resident has the problem, and where.
The reporter's (`adds`) is kept on their ticket, and officers see it. A reporter asking how
theirs stands (언제 고쳐 주시는지 답 좀 주세요, `presses`), just after it, or however late in
its thread (Slack) or in reply to it or to the bot's receipt (Telegram, the web chat), is told
its status rather than filing it again; when that case was closed, officers are asked to look
at it again. Neighbours backing a proposal just made (찬성이요, 좋은 생각이네요, `supports`)
are each counted on it, quietly, and hear its outcome.
Neighbours answer each other's questions in the county's own words (보건소 모자보건실에 물어보면
돼요), which the model reads as questions; just after another resident's question, one that
asks nothing is taken for the answer it is. "Just after" is 10 minutes, or a day in the thread
a report, a proposal or a question opened (Slack), and for a reply to a report or a proposal
or to the bot's receipt for it (Telegram, the web chat).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, or_
from sqlmodel import col, delete, select

from bot.context import Context
from bot.handlers.queue import OPEN
from bot.messages import Outgoing
from storage.models import OutboxItem, RecentQuestion, Ticket

JUST_NOW = timedelta(minutes=10)  # how long a report or a question is what the room is on
THREAD_KEPT = timedelta(days=1)  # … and what the replies in the thread it opened are on
TAKEN_UP = ("inconvenience", "suggestion")  # what neighbours join (저도요) or back (찬성이요)


@dataclass(frozen=True)
class JustSaid:
    """The open inconveniences and proposals made in this room and thread in the last
    JUST_NOW (or, in the last THREAD_KEPT, the one that opened the sender's thread or that they
    reply to), whether another resident asked something there, and the sender's own case of
    any kind, however old, open or closed, that this message follows up (`own_case`)."""

    mine: Ticket | None  # the sender's own report: what they write next may add to it
    neighbours: Ticket | None  # another resident's report: the sender may have that problem too
    asked: bool = False  # another resident asked, or opened the thread asking: an answer?
    own_case: Ticket | None = None  # written in its thread or in reply: how does it stand?
    proposal: Ticket | None = None  # another resident's proposal: the sender may back it


def just_said(ctx: Context) -> JustSaid:
    event = ctx.event
    recent = ctx.session.exec(
        select(Ticket)
        .where(
            Ticket.platform == event.platform,
            Ticket.chat_id == event.chat_id,
            _just_now(ctx, Ticket, col(Ticket.created_at)),
            col(Ticket.category).in_(TAKEN_UP),
            col(Ticket.status).in_(OPEN),
            col(Ticket.merged_into_id).is_(None),
        )
        .order_by(col(Ticket.created_at).desc())
    ).all()
    asked = ctx.session.exec(
        select(RecentQuestion.id).where(
            RecentQuestion.platform == event.platform,
            RecentQuestion.chat_id == event.chat_id,
            RecentQuestion.user_id != event.user_id,
            _just_now(ctx, RecentQuestion, col(RecentQuestion.at)),
        )
    ).first()
    own, replied = _followed(ctx)
    others = [t for t in recent if t.reporter_user_id != event.user_id]
    others += [replied] if replied else []
    mine = (t for t in recent if t.reporter_user_id == event.user_id)
    return JustSaid(
        _first(mine, "inconvenience"),
        _first(others, "inconvenience"),
        asked is not None,
        own,
        _first(others, "suggestion"),
    )


def followed_up(ctx: Context) -> JustSaid:
    """For a message to the bot: only the case it follows up counts (a reply to the bot's
    receipt), as the sender's own, or as a neighbour's report they have too or proposal they
    back."""
    own, replied = _followed(ctx)
    others = [replied] if replied else []
    return JustSaid(
        None,
        _first(others, "inconvenience"),
        own_case=own,
        proposal=_first(others, "suggestion"),
    )


def _first(tickets: Iterable[Ticket], category: str) -> Ticket | None:
    return next((t for t in tickets if t.category == category), None)


def _followed(ctx: Context) -> tuple[Ticket | None, Ticket | None]:
    """The case a message follows up: the one that opened the thread it is written in
    (Slack), or the one it replies to, replying to the report or to the bot's receipt for it
    (Telegram). As the sender's own, however old and closed or not (one marked resolved may
    not be, as its reporter can best tell); as a neighbour's, while it is an open report or
    proposal of the last THREAD_KEPT, as in a Slack thread."""
    event = ctx.event
    opened_by = event.thread_id or _replied_report(ctx)
    if opened_by is None:
        return None, None
    case = ctx.session.exec(
        select(Ticket).where(
            Ticket.platform == event.platform,
            Ticket.chat_id == event.chat_id,
            Ticket.message_id == opened_by,
            col(Ticket.merged_into_id).is_(None),
        )
    ).first()
    if case is None:
        return None, None
    if case.reporter_user_id == event.user_id:
        return case, None
    fresh = case.status in OPEN and case.created_at >= ctx.now - THREAD_KEPT
    return None, case if fresh and case.category in TAKEN_UP else None


def _replied_report(ctx: Context) -> str | None:
    """The message a reply is about: itself, or what the bot's message replied to."""
    event = ctx.event
    if event.reply_to is None:
        return None
    ours = ctx.session.exec(
        select(OutboxItem.payload).where(
            OutboxItem.platform == event.platform,
            OutboxItem.chat_id == event.chat_id,
            OutboxItem.platform_message_id == event.reply_to,
        )
    ).first()
    if ours is None:
        return event.reply_to
    return Outgoing.from_json(ours).reply_to


def asked(ctx: Context) -> None:
    """Note that the sender asked the room something; questions past THREAD_KEPT are dropped."""
    event = ctx.event
    ctx.session.exec(delete(RecentQuestion).where(col(RecentQuestion.at) < ctx.now - THREAD_KEPT))
    ctx.session.add(
        RecentQuestion(
            platform=event.platform,
            chat_id=event.chat_id,
            user_id=event.user_id,
            message_id=event.message_id,
            thread_id=event.thread_id,
            at=ctx.now,
        )
    )


def _just_now(
    ctx: Context, table: type[Ticket] | type[RecentQuestion], at: ColumnElement[datetime]
) -> ColumnElement[bool]:
    """Said in the sender's thread (or outside threads, as they write) in the last JUST_NOW;
    or, on Slack, the message that opened their thread, in the last THREAD_KEPT: a thread is
    about what opened it, however late a reply comes."""
    thread_id = ctx.event.thread_id
    if thread_id is None:
        return col(table.thread_id).is_(None) & (at >= ctx.now - JUST_NOW)
    return or_(
        (col(table.thread_id) == thread_id) & (at >= ctx.now - JUST_NOW),
        (col(table.message_id) == thread_id) & (at >= ctx.now - THREAD_KEPT),
    )
