"""What was just said in a room: "저희 동네도 그래요" just after a resident's report is one more
resident with that problem, and "벌써 일주일째예요" from the reporter tells more of it; neither is
small talk.

Residents confirm a neighbour's report in passing (저도 봤어요, 덕림리도 똑같소), and reporters
go on about theirs, in words the intent model reads as chatter. Just after a report the queue
took in, a neighbour's such message (bot/faq/understand.py, `echoes`) joins that ticket: the
resident hears its outcome, and officers learn one more resident has the problem, and where.
The reporter's (`adds`) is kept on their ticket, and officers see it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import ColumnElement, or_
from sqlmodel import col, select

from bot.context import Context
from bot.handlers.queue import OPEN
from storage.models import Ticket

REPORT_WITHIN = timedelta(minutes=10)


@dataclass(frozen=True)
class JustReported:
    """The open inconveniences reported in this room and thread in the last REPORT_WITHIN."""

    mine: Ticket | None  # the sender's own: what they write next may add to it
    neighbours: Ticket | None  # another resident's: the sender may have that problem too


def just_reported(ctx: Context) -> JustReported:
    event = ctx.event
    recent = ctx.session.exec(
        select(Ticket)
        .where(
            Ticket.platform == event.platform,
            Ticket.chat_id == event.chat_id,
            _in_thread_of(event.thread_id),
            Ticket.category == "inconvenience",
            col(Ticket.status).in_(OPEN),
            col(Ticket.merged_into_id).is_(None),
            col(Ticket.created_at) >= ctx.now - REPORT_WITHIN,
        )
        .order_by(col(Ticket.created_at).desc())
    ).all()
    mine = (t for t in recent if t.reporter_user_id == event.user_id)
    theirs = (t for t in recent if t.reporter_user_id != event.user_id)
    return JustReported(next(mine, None), next(theirs, None))


def _in_thread_of(thread_id: str | None) -> ColumnElement[bool]:
    """Reports in the same thread, or (Slack) the report that starts the message's thread."""
    if thread_id is None:
        return col(Ticket.thread_id).is_(None)
    return or_(col(Ticket.thread_id) == thread_id, col(Ticket.message_id) == thread_id)
