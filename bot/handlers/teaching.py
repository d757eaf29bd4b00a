"""Officers teach the FAQ residents' own words: `/faq 2026-0042 waste-schedule` answers a
ticket with an FAQ entry, and the bot then knows the resident's question as a phrasing of it.

Residents rarely use the FAQ's words (불 들어오는 기둥 for 가로등), and no lexicon knows them
all; the officers answering the tickets do. `/unlearn` takes a wrong lesson back.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from bot.context import Context
from bot.faq import FaqEntry, FaqSource
from bot.faq.index import Candidate
from bot.faq.text import clean
from bot.handlers import answers
from bot.handlers.args import receipt_and_text
from bot.handlers.queue import OPEN, TicketQueue
from bot.messages import Command
from bot.router import Refused, Router, UsageError
from storage.db import session_scope
from storage.models import LearnedPhrasing, Person, Ticket

if TYPE_CHECKING:
    from bot.app import App, Ticker

router = Router("teaching")

CHOICES = 5  # entries listed for a ticket when no entry is named


def lessons(session: Session) -> list[tuple[str, str, str]]:
    """(receipt, entry id, the resident's words) of everything taught, oldest first."""
    rows = session.exec(
        select(Ticket.receipt_no, LearnedPhrasing.entry_id, Ticket.text)
        .join(Ticket, Ticket.id == LearnedPhrasing.ticket_id)
        .order_by(LearnedPhrasing.id)
    ).all()
    return [tuple(row) for row in rows]


def learned_phrasings(session: Session) -> dict[str, list[str]]:
    """Entry id → the words of the tickets answered with it, oldest first."""
    learned: dict[str, list[str]] = defaultdict(list)
    for _, entry_id, text in lessons(session):
        learned[entry_id].append(text)
    return dict(learned)


def refresh_learned(app: App) -> Ticker:
    """Keep the FAQ in step with what was taught, here or in another process; a change
    rebuilds the index in the background."""

    async def refresh(_now: datetime) -> None:
        with session_scope(app.engine) as session:
            _hand_over(session, app.services["faq"])

    return refresh


@router.command("faq", role="officer", usage="usage.cmd.faq")
async def answer_with_faq(
    ctx: Context, command: Command, queue: TicketQueue, faq: FaqSource
) -> None:
    """With an entry: send its answer, close the ticket and learn its words. Without one:
    list the entries closest to the ticket, so the officer can pick."""
    receipt, entry_id = receipt_and_text(ctx, command)
    ticket = queue.workable(ctx, receipt)
    if ticket.category != "question":  # a pothole is not solved by a leaflet on potholes
        category = ctx.texts(f"category.{ticket.category}")
        raise Refused(ctx.texts("teach.not_question", receipt=ticket.receipt_no, category=category))
    if not entry_id:
        ctx.reply(_choices(ctx, ticket, faq))
        return
    entry = faq.index.entry(entry_id) or _chosen(ticket, faq, entry_id)
    if entry is None:
        raise UsageError(ctx.texts("teach.no_entry", entry=entry_id, receipt=ticket.receipt_no))
    _answer(ctx, queue, faq, ticket, entry)


def _pressed(ctx: Context) -> str | None:
    """The receipt on the `이 답 보내기 2026-0012` button an officer pressed under an answer
    held for review (bot/handlers/queue.py), if this is one."""
    prefix = ctx.texts("officer.send_held", receipt="")
    text = ctx.event.text.strip()
    if not text.startswith(prefix) or not ctx.has_role("officer"):
        return None
    return text.removeprefix(prefix).strip() or None


def _is_send_held(ctx: Context) -> bool:
    return _pressed(ctx) is not None


@router.message(_is_send_held)
async def send_held(ctx: Context, queue: TicketQueue, faq: FaqSource) -> None:
    """`/faq N` with the entry the bot picked, in one tap."""
    try:
        ticket = queue.workable(ctx, _pressed(ctx))
        entry_id = answers.held_entry(ctx.session, ticket)
        entry = faq.index.entry(entry_id) if entry_id else None
        if entry is None:
            raise Refused(ctx.texts("teach.no_held", receipt=ticket.receipt_no))
        ctx.audit("faq.send_held", f"{ticket.receipt_no} {entry.id}")  # a tap, not a command
        _answer(ctx, queue, faq, ticket, entry)
    except UsageError as exc:
        ctx.reply(str(exc))


def _answer(
    ctx: Context, queue: TicketQueue, faq: FaqSource, ticket: Ticket, entry: FaqEntry
) -> None:
    """Send the entry's answer, close the ticket and learn its words."""
    if ticket.status not in OPEN:
        raise Refused(ctx.texts("teach.closed", receipt=ticket.receipt_no))
    queue.move(ctx, ticket, "resolved", text=entry.id, action="faq", public=True)
    queue.tell_resident(
        ctx,
        ticket,
        ctx.texts(
            "ticket.faq_answer",
            receipt=ticket.receipt_no,
            question=entry.question,
            answer=entry.answer,
        ),
    )
    reporter = ctx.session.get(Person, ticket.reporter_id) if ticket.reporter_id else None
    if reporter is not None and reporter.erased_at is not None:
        ctx.reply(
            ctx.texts(
                "officer.done", receipt=ticket.receipt_no, status=ctx.texts("status.resolved")
            )
        )
        return  # their words are gone: nothing to learn
    lesson = _lesson(ctx.session, ticket) or LearnedPhrasing(ticket_id=ticket.id, entry_id=entry.id)
    lesson.entry_id = entry.id
    lesson.taught_by_id = ctx.person.id if ctx.person else None
    lesson.at = ctx.now
    ctx.session.add(lesson)
    learned = _learn(ctx, faq)
    ctx.reply(
        ctx.texts(
            "teach.done",
            receipt=ticket.receipt_no,
            entry=entry.id,
            count=len(learned.get(entry.id, ())),
        )
    )


@router.command("unlearn", role="officer", usage="usage.cmd.unlearn")
async def unlearn(ctx: Context, command: Command, queue: TicketQueue, faq: FaqSource) -> None:
    """Forget the words learned from a ticket (the answer the resident got stays sent)."""
    receipt, _ = receipt_and_text(ctx, command)
    ticket = queue.get(ctx, receipt)
    lesson = _lesson(ctx.session, ticket)
    if lesson is None:
        raise Refused(ctx.texts("teach.nothing", receipt=ticket.receipt_no))
    ctx.session.delete(lesson)
    queue.note(ctx, ticket, "unlearn", lesson.entry_id, public=False)
    _learn(ctx, faq)
    ctx.reply(ctx.texts("teach.forgotten", receipt=ticket.receipt_no, entry=lesson.entry_id))


def _lesson(session: Session, ticket: Ticket) -> LearnedPhrasing | None:
    return session.exec(
        select(LearnedPhrasing).where(LearnedPhrasing.ticket_id == ticket.id)
    ).first()


def _learn(ctx: Context, faq: FaqSource) -> dict[str, list[str]]:
    """Hand the FAQ everything taught, this command's change included."""
    ctx.session.flush()
    return _hand_over(ctx.session, faq)


def _hand_over(session: Session, faq: FaqSource) -> dict[str, list[str]]:
    """Give the FAQ every lesson in the database (it rebuilds only on a change)."""
    learned = learned_phrasings(session)
    faq.learn(learned)
    return learned


def _closest(ticket: Ticket, faq: FaqSource) -> list[Candidate]:
    """The entries `/faq N` lists for a ticket, in its order."""
    return faq.index.rank(clean(ticket.text), limit=CHOICES)


def _chosen(ticket: Ticket, faq: FaqSource, pick: str) -> FaqEntry | None:
    """The entry listed as number `pick` by `/faq N` (an entry id wins over a number)."""
    if not pick.isdecimal():
        return None
    ranked = _closest(ticket, faq)
    return ranked[int(pick) - 1].entry if 0 < int(pick) <= len(ranked) else None


def _choices(ctx: Context, ticket: Ticket, faq: FaqSource) -> str:
    ranked = _closest(ticket, faq)
    if not ranked:
        return ctx.texts("teach.no_choices", receipt=ticket.receipt_no)
    lines = [ctx.texts("teach.choices", receipt=ticket.receipt_no)]
    lines += [
        ctx.texts(
            "teach.choice",
            number=number,
            entry=c.entry.id,
            question=c.entry.question,
            score=f"{c.score:.2f}",
        )
        for number, c in enumerate(ranked, start=1)
    ]
    lines.append(ctx.texts("teach.how", receipt=ticket.receipt_no, entry=ranked[0].entry.id))
    return "\n".join(lines)
