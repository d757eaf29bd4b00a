"""Open deadlines counted again when the office's calendar changes.

A deadline is counted at receipt from the calendar of that day. When the county later declares
a closure (a 임시공휴일, a typhoon day) that falls inside a ticket's period, the law no longer
counts that day, so the deadline moves a working day later; a closure taken back, changed
opening hours or a `holidays` release with a new substitute holiday move it too. The period
itself stays the one the ticket was received under (`Ticket.period_days`): a new
`tickets.periods` applies to new tickets only.

The calendar comes from `config.yaml`, read at start, so this runs once per start, on the
first tick. Officers are told which deadlines moved; a resident who was sent an extended
deadline is sent the new one, as they were sent the first.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.app import App, Ticker
from bot.handlers import deadlines, views
from bot.handlers.digest import DIGEST_LIMIT, open_tickets
from bot.handlers.queue import TicketQueue
from bot.outbox import enqueue
from bot.scheduler import to_officers
from storage.db import session_scope
from storage.models import Ticket, TicketEvent


@dataclass(frozen=True)
class Moved:
    ticket: Ticket
    was: datetime


def recount(session: Session, office: deadlines.Office, now: datetime) -> list[Moved]:
    """Count every open deadline again on `office`'s calendar; each one that moves is stored
    with an event in its history. Tickets received before their period was kept are left as
    they are: nothing says which period they were counted with."""
    moved = []
    for ticket in open_tickets(session):
        if ticket.period_days is None or ticket.due_at is None:
            continue
        if ticket.extended and ticket.extension_days is None:
            continue
        due = office.due(ticket.created_at, ticket.period_days, ticket.extension_days)
        if due == ticket.due_at:
            continue
        moved.append(Moved(ticket, ticket.due_at))
        ticket.due_at, ticket.reminded_at = due, None
        session.add(ticket)
        session.add(
            TicketEvent(
                ticket_id=ticket.id,
                at=now,
                action="recount",
                text=f"{views.format_time(moved[-1].was, office.hours.tz)} → "
                f"{views.format_time(due, office.hours.tz)}",
            )
        )
    return moved


def recount_deadlines(app: App) -> Ticker:
    """The ticker: on its first run, recount, tell the officer room what moved and residents
    their new extended deadline."""
    done = False

    async def run(now: datetime) -> None:
        nonlocal done
        if done:
            return
        office = deadlines.Office.of(app.settings)
        with session_scope(app.engine) as session:
            moved = recount(session, office, now)
            if moved:
                _tell(app, session, moved, now)
        done = True

    return run


def _tell(app: App, session: Session, moved: list[Moved], now: datetime) -> None:
    texts, tz = app.texts, app.settings.tz
    queue: TicketQueue = app.services["queue"]
    key = hashlib.sha256(
        "".join(f"{m.ticket.id}:{m.ticket.due_at.isoformat()};" for m in moved).encode()
    ).hexdigest()[:16]
    lines = [texts("officer.recounted", count=len(moved))]
    lines += [
        texts(
            "officer.recounted_line",
            receipt=m.ticket.receipt_no,
            was=views.format_time(m.was, tz),
            due=views.format_time(m.ticket.due_at, tz),
            text=views.summary(m.ticket.text),
        )
        for m in moved[:DIGEST_LIMIT]
    ]
    if len(moved) > DIGEST_LIMIT:
        lines.append(texts("officer.list_more", count=len(moved) - DIGEST_LIMIT))
    to_officers(app, session, "\n".join(lines), now, key=f"recount:{key}")
    for m in moved:
        if not m.ticket.extended:
            continue  # the resident was never sent this deadline
        text = texts(
            "ticket.recounted",
            receipt=m.ticket.receipt_no,
            due=views.format_time(m.ticket.due_at, tz),
        )
        for n, out in enumerate(queue.to_resident(session, m.ticket, text)):
            enqueue(session, out, now, dedupe_key=f"recount:{key}:{m.ticket.id}:{n}")
    app.outbox.wake.set()
