"""Erasing a resident's personal data on request (개인정보 보호법), keeping the anonymous counts.

Removed: their contact, name and platform accounts, the raw events they sent (inbox), what the
bot sent them 1:1 or in answer to them (outbox), the choices they were offered, their words in
tickets and ticket history and in the audit trail. Kept: tickets with category, status, room
and dates, so monthly reports still add up. The erasure itself is written to the audit trail.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_
from sqlmodel import Session, col, delete, select

from bot.privacy import extract_contacts, remove_contacts
from bot.texts import Texts
from storage.models import (
    AuditEntry,
    FaqOffer,
    Identity,
    InboxItem,
    LearnedPhrasing,
    OutboxItem,
    Person,
    RecentQuestion,
    Ticket,
    TicketEvent,
    TicketFollower,
)

ERASED_ID = "erased"


@dataclass(frozen=True)
class Erased:
    """What an erasure touched, for the operator and the audit trail (counts only)."""

    accounts: int
    tickets: int
    inbox: int
    outbox: int

    def __str__(self) -> str:
        return (
            f"{self.accounts} accounts, {self.tickets} tickets, "
            f"{self.inbox} received and {self.outbox} sent messages"
        )


def erase_person(
    session: Session,
    person: Person,
    texts: Texts,
    *,
    now: datetime,
    by: str,
    reason: str = "",
) -> Erased:
    """Remove `person`'s personal data; `by` names who asked for it (for the audit trail)."""
    placeholder = texts("ticket.erased")
    accounts = list(session.exec(select(Identity).where(Identity.person_id == person.id)).all())
    inbox_ids = _erase_inbox(session, accounts, placeholder)
    for account in accounts:  # open choices hold the question as asked; recent ones, who asked
        for table in (FaqOffer, RecentQuestion):
            session.exec(
                delete(table).where(
                    col(table.platform) == account.platform,
                    col(table.user_id) == account.user_id,
                )
            )
    outbox = _erase_outbox(session, accounts, inbox_ids, placeholder)
    contacts = _contacts(session, person)
    tickets = _erase_tickets(session, person, placeholder)
    _erase_audit(session, person, accounts, placeholder)
    _forget_contacts(session, contacts, texts("ticket.erased_number"))
    for account in accounts:
        session.delete(account)
    person.name = texts("person.erased")
    person.contact = None
    person.erased_at = now
    session.add(person)
    erased = Erased(len(accounts), tickets, len(inbox_ids), outbox)
    session.add(
        AuditEntry(
            at=now,
            platform="cli",
            user_id=by,
            action="privacy.erase",
            detail=f"person {person.id}: {erased}" + (f" — {reason}" if reason else ""),
        )
    )
    return erased


def _erase_inbox(session: Session, accounts: list[Identity], placeholder: str) -> list[int]:
    """Blank the sender and text of every event the person's accounts sent."""
    erased: list[int] = []
    for account in accounts:
        quoted = json.dumps(account.user_id, ensure_ascii=False)
        items = session.exec(
            select(InboxItem).where(
                InboxItem.platform == account.platform,
                InboxItem.payload.contains(f'"user_id": {quoted}', autoescape=True),
            )
        ).all()
        for item in items:
            payload = json.loads(item.payload)
            if payload.get("user_id") != account.user_id:
                continue
            payload.update(user_id=ERASED_ID, user_name="", text=placeholder)
            if payload.get("is_direct"):
                payload["chat_id"] = ERASED_ID  # a 1:1 chat id can be the account id itself
            item.payload = json.dumps(payload, ensure_ascii=False)
            session.add(item)
            erased.append(item.id)
    return erased


def _erase_outbox(
    session: Session, accounts: list[Identity], inbox_ids: list[int], placeholder: str
) -> int:
    """Blank what was sent to the person 1:1 or in answer to their messages (the officers'
    announcement of their ticket included: it quoted them)."""
    user_ids = {account.user_id for account in accounts}
    conditions = [OutboxItem.source_inbox_id.in_(inbox_ids)] if inbox_ids else []
    for account in accounts:
        quoted = json.dumps(account.user_id, ensure_ascii=False)
        conditions.append(
            (OutboxItem.platform == account.platform)
            & OutboxItem.payload.contains(f'"to_user": {quoted}', autoescape=True)
        )
    if not conditions:
        return 0
    count = 0
    for item in session.exec(select(OutboxItem).where(or_(*conditions))).all():
        payload = json.loads(item.payload)
        if item.source_inbox_id not in inbox_ids and payload.get("to_user") not in user_ids:
            continue
        payload["text"] = placeholder
        if payload.get("to_user") in user_ids:
            payload.update(to_user=ERASED_ID, chat_id=ERASED_ID)
            item.chat_id = ERASED_ID
        item.payload = json.dumps(payload, ensure_ascii=False)
        session.add(item)
        count += 1
    return count


def _erase_tickets(session: Session, person: Person, placeholder: str) -> int:
    """Replace the person's words in their tickets and in what they added to others, and
    drop what the FAQ learned from their tickets."""
    tickets = session.exec(select(Ticket).where(Ticket.reporter_id == person.id)).all()
    for ticket in tickets:
        ticket.text = placeholder
        for lesson in session.exec(
            select(LearnedPhrasing).where(LearnedPhrasing.ticket_id == ticket.id)
        ).all():
            session.delete(lesson)  # the FAQ forgets their words at its next refresh
        ticket.reporter_user_id = None
        if ticket.private:
            ticket.chat_id = ERASED_ID  # a 1:1 chat id can be the account id itself
        session.add(ticket)
    for event in session.exec(select(TicketEvent).where(TicketEvent.actor_id == person.id)).all():
        if event.text:
            event.text = placeholder
            session.add(event)
    followers = session.exec(select(TicketFollower).where(TicketFollower.person_id == person.id))
    for follower in followers.all():
        follower.user_id = None
        if follower.private:
            follower.chat_id = ERASED_ID
        session.add(follower)
    return len(tickets)


def _contacts(session: Session, person: Person) -> list[str]:
    """The person's phone numbers and e-mails: on their record and in what they reported."""
    found = extract_contacts(person.contact or "")
    for ticket in session.exec(select(Ticket).where(Ticket.reporter_id == person.id)).all():
        found += extract_contacts(ticket.text or "")
    return found


def _forget_contacts(session: Session, contacts: list[str], placeholder: str) -> None:
    """Officers' notes, commands and messages may quote the person's number: remove it from
    everything stored, whoever wrote it. Rare and thorough, so a full scan is fine."""
    if not contacts:
        return
    for model, column in (
        (TicketEvent, "text"),
        (InboxItem, "payload"),
        (OutboxItem, "payload"),
        (AuditEntry, "detail"),
    ):
        for row in session.exec(select(model)).all():
            value = getattr(row, column)
            if value and value != (cleaned := remove_contacts(value, contacts, placeholder)):
                setattr(row, column, cleaned)
                session.add(row)


def _erase_audit(
    session: Session, person: Person, accounts: list[Identity], placeholder: str
) -> None:
    """Keep what happened (a refused command…), but not who or what they wrote."""
    by_account = [
        (AuditEntry.platform == a.platform) & (AuditEntry.user_id == a.user_id) for a in accounts
    ]
    entries = session.exec(
        select(AuditEntry).where(or_(AuditEntry.actor_id == person.id, *by_account))
    ).all()
    for entry in entries:
        entry.user_id = None
        if entry.detail:
            entry.detail = placeholder
        session.add(entry)
