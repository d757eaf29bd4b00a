"""What was just said in a room: "저희 동네도 그래요" just after a resident's report is one more
resident with that problem, not small talk.

Residents confirm a neighbour's report in passing (저도 봤어요, 덕림리도 똑같소), in words the
intent model reads as chatter. Just after another resident's report the queue took in, such a
message (bot/faq/understand.py, `echoes`) joins that ticket: the resident hears its outcome,
and officers learn one more resident has the problem, and where.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import ColumnElement, or_
from sqlmodel import col, select

from bot.context import Context
from bot.handlers.queue import OPEN
from storage.models import Ticket

REPORT_WITHIN = timedelta(minutes=10)


def neighbours_report(ctx: Context) -> Ticket | None:
    """The open inconvenience another resident reported in this room and thread just before."""
    event = ctx.event
    return ctx.session.exec(
        select(Ticket)
        .where(
            Ticket.platform == event.platform,
            Ticket.chat_id == event.chat_id,
            _in_thread_of(event.thread_id),
            Ticket.category == "inconvenience",
            col(Ticket.status).in_(OPEN),
            col(Ticket.merged_into_id).is_(None),
            Ticket.reporter_user_id != event.user_id,
            col(Ticket.created_at) >= ctx.now - REPORT_WITHIN,
        )
        .order_by(col(Ticket.created_at).desc())
        .limit(1)
    ).first()


def _in_thread_of(thread_id: str | None) -> ColumnElement[bool]:
    """Reports in the same thread, or (Slack) the report that starts the message's thread."""
    if thread_id is None:
        return col(Ticket.thread_id).is_(None)
    return or_(col(Ticket.thread_id) == thread_id, col(Ticket.message_id) == thread_id)
