"""Keeping officers ahead of the legal deadlines: a daily digest of new, overdue and soon-due
tickets at a configured time, and one reminder per ticket before its deadline passes. The
digest also names the proposals neighbours backed since the last one: the bot counts them
quietly in the rooms (bot/handlers/turns.py), so this is where officers hear of them; and,
where answers are reviewed first (`review_answers`), the held answers still waiting, with a
button each that sends the bot's pick: those asked overnight are cleared in a few taps.

Both run as `App.tickers`. Each message is queued with a dedupe key, so a digest goes out once
a working day and a reminder once per deadline, across restarts and several processes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case
from sqlmodel import Session, col, func, select

from bot.app import App, Ticker
from bot.faq import FaqIndex
from bot.handlers import answers, deadlines, views
from bot.handlers.queue import OPEN
from bot.scheduler import to_officers
from storage.db import session_scope
from storage.models import OutboxItem, Person, Ticket, TicketEvent

DIGEST_LIMIT = 15
HELD_BUTTONS = 5
"""Held answers the digest puts a send button under (the oldest); the rest are listed."""


def open_tickets(session: Session, *, due_before: datetime | None = None) -> list[Ticket]:
    """Open tickets officers work on (merged duplicates follow their target), by deadline."""
    query = select(Ticket).where(Ticket.status.in_(OPEN), Ticket.merged_into_id.is_(None))
    if due_before is not None:
        query = query.where(Ticket.due_at.is_not(None), Ticket.due_at <= due_before)
    return list(session.exec(query.order_by(Ticket.due_at, Ticket.id)).all())


def daily_digest(app: App) -> Ticker:
    """At `tickets.digest_at` (county time), once each working day of the office: what came in
    since the last digest (Monday's covers the weekend; one after the bot was down covers the
    days it missed), what is overdue and what falls due before the next one. Nobody reads a
    digest on a Sunday or a closure."""
    settings = app.settings

    async def digest(now: datetime) -> None:
        at = settings.tickets.digest_at
        if at is None or settings.officer_room is None:
            return
        tz = settings.tz
        local = now.astimezone(tz)
        office = deadlines.Office.of(settings)
        if local.time() < at or not office.works_on(local.date()):
            return
        key = f"digest:{local.date().isoformat()}"
        with session_scope(app.engine) as session:
            if session.exec(select(OutboxItem.id).where(OutboxItem.dedupe_key == key)).first():
                return
            today = local.date()
            last = session.exec(
                select(func.max(OutboxItem.created_at)).where(
                    col(OutboxItem.dedupe_key).like("digest:%")
                )
            ).one()
            since = last or datetime.combine(office.next_working_day(today, -1), at, tzinfo=tz)
            until = datetime.combine(office.next_working_day(today), at, tzinfo=tz)
            text, buttons = _digest(app, session, now, since, until)
            to_officers(app, session, text, now, key=key, quick_replies=buttons)

    return digest


def _digest(
    app: App, session: Session, now: datetime, since: datetime, until: datetime
) -> tuple[str, tuple[str, ...]]:
    """The digest's text, and its buttons (one per held answer it offers to send): news since
    the last digest, and what falls due before the next one (`until`)."""
    texts, tz = app.texts, app.settings.tz
    new = session.exec(
        select(Ticket)
        .where(Ticket.created_at >= since, Ticket.created_at < now)
        .order_by(Ticket.id)
    ).all()
    due = open_tickets(session, due_before=until)
    overdue = [t for t in due if deadlines.is_overdue(now, t.due_at)]
    soon = [t for t in due if deadlines.due_soon(now, t.due_at, until - now)]
    lines = [
        texts(
            "digest.title",
            date=now.astimezone(tz).strftime("%Y-%m-%d"),
            new=len(new),
            overdue=len(overdue),
            soon=len(soon),
        )
    ]
    for title, tickets in (("digest.new", new), ("digest.overdue", overdue), ("digest.soon", soon)):
        if tickets:
            lines.append(texts(title))
            lines.extend(views.ticket_lines(texts, tz, list(tickets), most=DIGEST_LIMIT))
    if backed := _backed(session, since, now):
        lines.append(texts("digest.backed"))
        lines.extend(
            texts(
                "digest.backed_line",
                receipt=ticket.receipt_no,
                count=count,
                new=new,
                text=views.summary(ticket.text),
            )
            for ticket, count, new in backed[:DIGEST_LIMIT]
        )
        if len(backed) > DIGEST_LIMIT:
            lines.append(texts("officer.list_more", count=len(backed) - DIGEST_LIMIT))
    held = answers.awaiting_review(session)
    if held:
        lines.append(texts("digest.held"))
        index: FaqIndex = app.services["faq"].index
        for ticket, entry_id in held[:DIGEST_LIMIT]:
            entry = index.entry(entry_id)
            lines.append(
                texts(
                    "digest.held_line",
                    receipt=ticket.receipt_no,
                    text=views.summary(ticket.text),
                    question=entry.question if entry else entry_id,
                )
            )
        if len(held) > DIGEST_LIMIT:
            lines.append(texts("officer.list_more", count=len(held) - DIGEST_LIMIT))
    buttons = tuple(
        texts("officer.send_held", receipt=ticket.receipt_no) for ticket, _ in held[:HELD_BUTTONS]
    )
    return "\n".join(lines), buttons


def _backed(session: Session, since: datetime, now: datetime) -> list[tuple[Ticket, int, int]]:
    """Tickets residents backed between `since` and `now`: (ticket, backers in all, new
    backers), the most backed first."""
    new = func.sum(case((col(TicketEvent.at) >= since, 1), else_=0))
    rows = session.exec(
        select(Ticket, func.count(col(TicketEvent.id)), new)
        .join(TicketEvent, col(TicketEvent.ticket_id) == Ticket.id)
        .where(TicketEvent.action == "supporter", col(TicketEvent.at) < now)
        .group_by(col(Ticket.id))
        .having(new > 0)
        .order_by(func.count(col(TicketEvent.id)).desc(), col(Ticket.id))
    ).all()
    return [(ticket, total, added) for ticket, total, added in rows]


def deadline_reminders(app: App) -> Ticker:
    """Once per deadline, `tickets.remind_before_hours` before it passes (or as soon as the
    bot sees a missed one), remind the officer room; an extension re-arms the reminder. A
    reminder falling due while the office is closed waits for it to open: a nag at 22:00 or
    on a Sunday reaches officers' phones, not their desks."""
    settings = app.settings

    async def remind(now: datetime) -> None:
        hours = settings.tickets.remind_before_hours
        if not hours or settings.officer_room is None:
            return
        if deadlines.Office.of(settings).next_opening(now) is not None:
            return
        with session_scope(app.engine) as session:
            for ticket in open_tickets(session, due_before=now + timedelta(hours=hours)):
                if ticket.reminded_at is not None:
                    continue
                ticket.reminded_at = now
                session.add(ticket)
                key = f"reminder:{ticket.id}:{ticket.due_at.isoformat()}"
                text = _reminder_text(app, session, ticket, now)
                to_officers(app, session, text, now, key=key)

    return remind


def _reminder_text(app: App, session: Session, ticket: Ticket, now: datetime) -> str:
    texts = app.texts
    assignee = session.get(Person, ticket.assignee_id) if ticket.assignee_id else None
    return texts(
        "reminder.overdue" if deadlines.is_overdue(now, ticket.due_at) else "reminder.due",
        receipt=ticket.receipt_no,
        due=views.format_time(ticket.due_at, app.settings.tz),
        status=texts(f"status.{ticket.status}"),
        assignee=assignee.name if assignee else texts("nobody"),
        text=views.summary(ticket.text),
    )
