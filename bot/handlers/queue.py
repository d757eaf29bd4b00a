"""The complaint queue: receipt numbers, the ticket lifecycle and the way back to residents.

Every change is a `TicketEvent` (who, when, why); a ticket row only caches the current state.
"""

from __future__ import annotations

import re

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot import privacy
from bot.context import Context
from bot.faq import FaqEntry
from bot.handlers import deadlines, duplicates
from bot.handlers.views import format_day, format_time, resident_status
from bot.messages import Event, Outgoing
from bot.router import Refused, UsageError
from storage.models import Person, ReceiptCounter, Ticket, TicketEvent, TicketFollower

OPEN = ("received", "in_progress")
CLOSED = ("resolved", "rejected", "long_term")
STATUSES = (*OPEN, *CLOSED)
CATEGORIES = ("question", "inconvenience", "suggestion")
REPORTS = ("inconvenience", "suggestion")
"""Categories where a second resident's report of the same thing joins the first."""

# Which status may follow which; reopening takes a closed ticket back to work.
TRANSITIONS: dict[str, set[str]] = {
    "received": {"in_progress", *CLOSED},
    "in_progress": set(CLOSED),
    "resolved": {"in_progress"},
    "rejected": {"in_progress"},
    "long_term": {"in_progress", "resolved", "rejected"},
}

_RECEIPT = re.compile(r"^(?:(?P<year>\d{4})-)?(?P<seq>\d{1,6})(?:번)?$")  # 42, 42번, 2026-0042


def next_receipt(session: Session, year: int) -> str:
    """`YYYY-NNNN`, sequential per year, safe against concurrent writers."""
    bumped = session.execute(
        update(ReceiptCounter)
        .where(ReceiptCounter.year == year)
        .values(last=ReceiptCounter.last + 1)
        .returning(ReceiptCounter.last)
    ).first()
    if bumped is None:
        try:
            with session.begin_nested():
                session.add(ReceiptCounter(year=year, last=1))
            return f"{year}-0001"
        except IntegrityError:
            return next_receipt(session, year)
    return f"{year}-{bumped[0]:04d}"


def refiled(session: Session) -> list[tuple[str, str, str]]:
    """(receipt, category, the resident's words) of every ticket an officer refiled with
    `/kind`, as it is filed now: messages the triage misread, labelled by officers (not those
    of residents whose data was erased)."""
    rows = session.exec(
        select(Ticket.receipt_no, Ticket.category, Ticket.text)
        .join(Person, Person.id == Ticket.reporter_id, isouter=True)
        .where(
            Ticket.id.in_(select(TicketEvent.ticket_id).where(TicketEvent.action == "kind")),
            Person.erased_at.is_(None),
        )
        .order_by(Ticket.id)
    ).all()
    return [tuple(row) for row in rows]


class TicketQueue:
    """Opens, finds and moves tickets, and tells the people concerned."""

    # --- opening ----------------------------------------------------------------------------

    def open(
        self,
        ctx: Context,
        category: str,
        *,
        confirmation: str,
        asked: Event | None = None,
        missed: str | None = None,
        missed_times: int = 1,
        held: FaqEntry | None = None,
        urgent: bool = False,
    ) -> Ticket:
        """A new ticket from the resident's message (or the earlier one `asked`, which the
        bot answered with choices none of which fitted, or with an answer `missed`, the
        entry's question, which the resident said was not what they asked, the entry's
        `missed_times`-th miss this month; or the bot's answer `held` for an officer): the
        resident gets its receipt number (texts key `confirmation`) and, after hours, when an
        officer will look (not when `urgent`: they were given the emergency numbers), then the
        officer room its summary."""
        event = asked or ctx.event
        received = ctx.now.astimezone(ctx.settings.tz)
        office = deadlines.Office.of(ctx.settings)
        ticket = Ticket(
            receipt_no=next_receipt(ctx.session, received.year),
            category=category,
            text=privacy.mask(event.text).text,
            platform=event.platform,
            chat_id=event.chat_id,
            room_key=ctx.room.key if ctx.room else None,
            message_id=event.message_id,
            thread_id=event.thread_id,
            private=event.is_direct,
            reporter_id=ctx.person.id if ctx.person else None,
            reporter_user_id=event.user_id,
            created_at=ctx.now,
            due_at=office.due_at(received, category),
            period_days=office.period(category),
            urgent=urgent,
        )
        ctx.session.add(ticket)
        ctx.session.flush()
        self._record(ctx, ticket, "received", to_status="received", text=ticket.text)
        self._remember_contact(ctx, event.text)
        # someone in danger was given the emergency numbers: they hear that an officer knows
        key = "ticket.urgent" if urgent else confirmation
        confirmed = ctx.texts(key, receipt=ticket.receipt_no)
        if not urgent and (opens := office.next_opening(ctx.now)):  # not tonight
            confirmed += " " + ctx.texts(
                "ticket.after_hours",
                opens=format_day(opens, ctx.settings.tz, ctx.texts, ctx.now),
            )
        ctx.reply(confirmed)
        notice = ctx.texts(
            "officer.urgent_ticket" if urgent else "officer.new_ticket",
            receipt=ticket.receipt_no,
            category=ctx.texts(f"category.{category}"),
            room=ctx.room.name if ctx.room else ctx.texts("room.direct"),
            text=ticket.text,
            due=format_time(ticket.due_at, ctx.settings.tz),
        )
        if missed is not None:  # so officers can point the FAQ at the right entry (/faq)
            self._record(ctx, ticket, "answer_missed", text=missed)
            notice += "\n" + ctx.texts(
                "officer.answer_missed", question=missed, receipt=ticket.receipt_no
            )
            if missed_times > 1:  # an entry missing again and again is the one to fix
                notice += " " + ctx.texts("officer.answer_missed_again", times=missed_times)
        buttons: tuple[str, ...] = ()
        if held is not None:  # one tap or one command sends it, or lists the other entries
            self._record(ctx, ticket, "answer_held", text=held.question, by_bot=True)
            notice += "\n" + ctx.texts(
                "officer.answer_held",
                question=held.question,
                entry=held.id,
                receipt=ticket.receipt_no,
            )
            buttons = (ctx.texts("officer.send_held", receipt=ticket.receipt_no),)
        ctx.to_officers(notice, quick_replies=buttons)
        return ticket

    def _remember_contact(self, ctx: Context, text: str) -> None:
        """A phone number or e-mail the resident wrote is kept on their person, for officers."""
        person = ctx.person
        found = privacy.extract_contacts(text)
        if person is None or not found:
            return
        known = [c for c in (person.contact or "").split(", ") if c]
        person.contact = ", ".join(dict.fromkeys([*known, *found]))

    def duplicate_of(self, ctx: Context, category: str) -> Ticket | None:
        """An open report of the same kind from the same room about the same problem.

        Questions are never merged: two questions on one topic (where / when is the festival)
        share their nouns but want different answers."""
        if category not in REPORTS:
            return None
        event = ctx.event
        candidates = ctx.session.exec(
            select(Ticket).where(
                Ticket.platform == event.platform,
                Ticket.chat_id == event.chat_id,
                Ticket.category == category,
                Ticket.status.in_(OPEN),
                Ticket.merged_into_id.is_(None),
            )
        ).all()
        masked = privacy.mask(event.text).text
        return duplicates.most_alike(masked, candidates, ctx.settings.tickets.duplicate_score)

    def follow(self, ctx: Context, ticket: Ticket) -> None:
        """The sender reported `ticket`'s problem too: they are told it is in hand and will
        hear its outcome; officers learn one more resident is waiting."""
        ctx.reply(ctx.texts("ticket.duplicate", receipt=ticket.receipt_no))
        if not self._add_follower(ctx, ticket, "follower"):
            return
        ctx.to_officers(
            ctx.texts(
                "officer.follower",
                receipt=ticket.receipt_no,
                count=len(self.followers(ctx.session, ticket)),
                text=privacy.mask(ctx.event.text).text,
            )
        )

    def support(self, ctx: Context, ticket: Ticket, *, told: bool) -> None:
        """The sender backs the proposal `ticket` (찬성이요): counted on it, and they hear its
        outcome. Quiet in the room, where neighbours agree in passing, unless they said it to
        the bot (`told`). Officers see the count on the ticket, not a message each time."""
        if told:
            ctx.reply(ctx.texts("ticket.supported", receipt=ticket.receipt_no))
        self._add_follower(ctx, ticket, "supporter")

    def _add_follower(self, ctx: Context, ticket: Ticket, action: str) -> bool:
        """Make the sender a follower of `ticket`, who hears its outcome, unless they report
        or follow it already; recorded in its history as `action`."""
        event, person = ctx.event, ctx.person
        if person is None or person.id == ticket.reporter_id or self._follows(ctx, ticket, person):
            return False
        ctx.session.add(
            TicketFollower(
                ticket_id=ticket.id,
                person_id=person.id,
                platform=event.platform,
                chat_id=event.chat_id,
                message_id=event.message_id,
                thread_id=event.thread_id,
                user_id=event.user_id,
                private=event.is_direct,
            )
        )
        ctx.session.flush()
        self._remember_contact(ctx, event.text)
        self._record(ctx, ticket, action, text=privacy.mask(event.text).text)
        return True

    def add_detail(self, ctx: Context, ticket: Ticket) -> None:
        """The reporter told more of their problem just after reporting it: kept on the
        ticket, and officers see it."""
        self._remember_contact(ctx, ctx.event.text)
        text = privacy.mask(ctx.event.text).text
        self._record(ctx, ticket, "detail", text=text)
        ctx.reply(ctx.texts("ticket.detail", receipt=ticket.receipt_no))
        ctx.to_officers(ctx.texts("officer.detail", receipt=ticket.receipt_no, text=text))

    def tell_status(self, ctx: Context, ticket: Ticket) -> None:
        """The reporter asked how their case stands (언제 고쳐 주시나요?): they are told its
        status and the officer's last answer, and officers see that they asked, rather than
        a second ticket opening for the same problem. Asked of a closed case (아직도 안
        고쳐졌어요), it is the officers who are asked to look at it again."""
        self._remember_contact(ctx, ctx.event.text)
        text = privacy.mask(ctx.event.text).text
        self._record(ctx, ticket, "asked_status", text=text)
        receipt, status = ticket.receipt_no, ctx.texts(f"status.{ticket.status}")
        if ticket.status in CLOSED:
            ctx.reply(ctx.texts("ticket.recheck", receipt=receipt, status=status))
            ctx.to_officers(ctx.texts("officer.recheck", receipt=receipt, status=status, text=text))
            return
        ctx.reply(self.status_of(ctx, ticket))
        ctx.to_officers(ctx.texts("officer.asked_status", receipt=receipt, text=text))

    def status_of(self, ctx: Context, ticket: Ticket) -> str:
        """Where a case stands for its resident: its status and deadline, and the officer's
        last answer to them, if any (/status, or asking in words)."""
        told = resident_status(ctx.texts, ctx.settings.tz, ticket)
        answered = ctx.session.exec(
            select(TicketEvent.text)
            .where(
                TicketEvent.ticket_id == ticket.id,
                TicketEvent.action == "reply",
                col(TicketEvent.public).is_(True),
            )
            .order_by(col(TicketEvent.at).desc(), col(TicketEvent.id).desc())
        ).first()
        return told + "\n" + ctx.texts("ticket.last_reply", text=answered) if answered else told

    def _follows(self, ctx: Context, ticket: Ticket, person: Person) -> bool:
        return (
            ctx.session.exec(
                select(TicketFollower.id).where(
                    TicketFollower.ticket_id == ticket.id, TicketFollower.person_id == person.id
                )
            ).first()
            is not None
        )

    # --- finding ----------------------------------------------------------------------------

    def get(self, ctx: Context, receipt: str) -> Ticket:
        """The ticket named as `42`, `42번`, `0042` or `2026-0042` (this year by default)."""
        match = _RECEIPT.match(receipt.strip())
        if match is None:
            raise Refused(ctx.texts("ticket.not_found", receipt=receipt))
        year = int(match["year"] or ctx.now.astimezone(ctx.settings.tz).year)
        number = f"{year}-{int(match['seq']):04d}"
        ticket = ctx.session.exec(select(Ticket).where(Ticket.receipt_no == number)).first()
        if ticket is None:
            raise Refused(ctx.texts("ticket.not_found", receipt=number))
        return ticket

    def workable(self, ctx: Context, receipt: str) -> Ticket:
        """A ticket an officer may act on: not one merged into another."""
        ticket = self.get(ctx, receipt)
        if ticket.merged_into_id is not None:
            target = ctx.session.get(Ticket, ticket.merged_into_id)
            raise UsageError(
                ctx.texts("usage.merged", receipt=ticket.receipt_no, target=target.receipt_no)
            )
        return ticket

    def followers(self, session: Session, ticket: Ticket) -> list[TicketFollower]:
        return list(
            session.exec(
                select(TicketFollower)
                .where(TicketFollower.ticket_id == ticket.id)
                .order_by(TicketFollower.id)
            ).all()
        )

    def merged_in(self, session: Session, ticket: Ticket) -> list[Ticket]:
        """The tickets merged into `ticket`."""
        return list(
            session.exec(
                select(Ticket).where(Ticket.merged_into_id == ticket.id).order_by(Ticket.id)
            ).all()
        )

    def history(self, session: Session, ticket: Ticket) -> list[TicketEvent]:
        return list(
            session.exec(
                select(TicketEvent)
                .where(TicketEvent.ticket_id == ticket.id)
                .order_by(TicketEvent.at, TicketEvent.id)
            ).all()
        )

    def may_see(self, ctx: Context, ticket: Ticket) -> bool:
        """Officers see every ticket; a resident their own, those they follow, and the public
        ones of the room they ask in."""
        person = ctx.person
        if ctx.has_role("officer") or (person is not None and person.id == ticket.reporter_id):
            return True
        if person is not None and self._follows(ctx, ticket, person):
            return True
        event = ctx.event
        return not ticket.private and (ticket.platform, ticket.chat_id) == (
            event.platform,
            event.chat_id,
        )

    # --- changing ---------------------------------------------------------------------------

    def move(
        self,
        ctx: Context,
        ticket: Ticket,
        status: str,
        *,
        text: str,
        action: str,
        public: bool = False,
    ) -> None:
        """Change the status (checked against TRANSITIONS) and record why (`public`: the text
        goes to the resident too); tickets merged into this one follow it."""
        if status not in TRANSITIONS[ticket.status]:
            raise Refused(
                ctx.texts(
                    "usage.same_status" if status == ticket.status else "usage.bad_transition",
                    receipt=ticket.receipt_no,
                    current=ctx.texts(f"status.{ticket.status}"),
                    wanted=ctx.texts(f"status.{status}"),
                )
            )
        self._set_status(ctx, ticket, status, action=action, text=text, public=public)
        for merged in self.merged_in(ctx.session, ticket):
            self._set_status(ctx, merged, status, action="follow", text=ticket.receipt_no)

    def _set_status(
        self,
        ctx: Context,
        ticket: Ticket,
        status: str,
        *,
        action: str,
        text: str,
        public: bool = False,
    ) -> None:
        previous = ticket.status
        ticket.status = status
        ticket.closed_at = ctx.now if status in CLOSED else None
        ctx.session.add(ticket)
        self._record(
            ctx, ticket, action, from_status=previous, to_status=status, text=text, public=public
        )

    def note(self, ctx: Context, ticket: Ticket, action: str, text: str, *, public: bool) -> None:
        self._record(ctx, ticket, action, text=text, public=public)

    def assign(
        self, ctx: Context, ticket: Ticket, assignee: Person | None, department: str | None
    ) -> None:
        """File the ticket with an officer and/or a department; a new ticket is now in work."""
        if ticket.status not in OPEN:
            status = ctx.texts(f"status.{ticket.status}")
            raise Refused(ctx.texts("usage.closed", receipt=ticket.receipt_no, status=status))
        if assignee is not None:
            ticket.assignee_id = assignee.id
        if department:
            ticket.department = department
        detail = " · ".join(filter(None, [assignee.name if assignee else None, department]))
        if ticket.status == "received":
            self.move(ctx, ticket, "in_progress", text=detail, action="assign")
        else:
            self.note(ctx, ticket, "assign", detail, public=False)

    def extend(self, ctx: Context, ticket: Ticket, days: int, reason: str) -> None:
        """Use the ticket's one extension: move the deadline and tell the resident why."""
        if ticket.extended:
            raise Refused(ctx.texts("usage.extend_once", receipt=ticket.receipt_no))
        if ticket.status not in OPEN:
            raise Refused(ctx.texts("usage.extend_closed", receipt=ticket.receipt_no))
        office = deadlines.Office.of(ctx.settings)
        most = office.period(ticket.category)
        if not 1 <= days <= most:
            raise UsageError(ctx.texts("usage.extend_days", most=most))
        ticket.due_at = office.extend(ticket.due_at, days)
        ticket.extended, ticket.extension_days = True, days
        ticket.reminded_at = None
        ctx.session.add(ticket)
        self.note(ctx, ticket, "extend", f"+{days}: {reason}", public=True)
        due = format_time(ticket.due_at, ctx.settings.tz)
        self.tell_resident(
            ctx,
            ticket,
            ctx.texts("ticket.extended", receipt=ticket.receipt_no, due=due, text=reason),
        )

    def reclassify(self, ctx: Context, ticket: Ticket, category: str) -> None:
        """File an open ticket under another category (the triage misread it): its deadline
        becomes that category's, counted from its receipt, unless it was already extended."""
        if ticket.status not in OPEN:
            status = ctx.texts(f"status.{ticket.status}")
            raise Refused(ctx.texts("kind.closed", receipt=ticket.receipt_no, status=status))
        before, ticket.category = ticket.category, category
        if not ticket.extended:
            office = deadlines.Office.of(ctx.settings)
            received = ticket.created_at.astimezone(ctx.settings.tz)
            ticket.due_at = office.due_at(received, category)
            ticket.period_days = office.period(category)
            ticket.reminded_at = None
        ctx.session.add(ticket)
        self.note(ctx, ticket, "kind", f"{before} → {category}", public=False)

    def merge(self, ctx: Context, duplicate: Ticket, target: Ticket) -> None:
        """`duplicate` becomes part of `target`: its resident and followers follow `target`,
        and its status follows `target`'s from now on."""
        if duplicate.id == target.id:
            raise Refused(ctx.texts("usage.merge_same"))
        for ticket in (duplicate, target):
            if ticket.status not in OPEN:
                status = ctx.texts(f"status.{ticket.status}")
                raise UsageError(
                    ctx.texts("usage.merge_closed", receipt=ticket.receipt_no, status=status)
                )
        self.tell_resident(
            ctx,
            duplicate,
            ctx.texts("ticket.merged", receipt=duplicate.receipt_no, target=target.receipt_no),
        )
        for follower in self.followers(ctx.session, duplicate):
            self._refollow(ctx, follower, target)
        self._refollow(ctx, self._origin(duplicate), target)
        for earlier in self.merged_in(ctx.session, duplicate):
            earlier.merged_into_id = target.id
            ctx.session.add(earlier)
        duplicate.merged_into_id = target.id
        ctx.session.add(duplicate)
        self.note(ctx, duplicate, "merge", target.receipt_no, public=True)
        self.note(ctx, target, "merged_in", duplicate.receipt_no, public=False)
        if duplicate.status != target.status:
            self._set_status(ctx, duplicate, target.status, action="follow", text=target.receipt_no)

    def _origin(self, ticket: Ticket) -> TicketFollower:
        """The reporter of `ticket` as a (not yet stored) follower."""
        return TicketFollower(
            ticket_id=ticket.id,
            person_id=ticket.reporter_id,
            platform=ticket.platform,
            chat_id=ticket.chat_id,
            message_id=ticket.message_id,
            thread_id=ticket.thread_id,
            user_id=ticket.reporter_user_id,
            private=ticket.private,
        )

    def _refollow(self, ctx: Context, follower: TicketFollower, target: Ticket) -> None:
        """Move a follower to `target` unless that person is already there."""
        already = follower.person_id is not None and (
            follower.person_id == target.reporter_id
            or ctx.session.exec(
                select(TicketFollower.id).where(
                    TicketFollower.ticket_id == target.id,
                    TicketFollower.person_id == follower.person_id,
                )
            ).first()
            is not None
        )
        if already:
            if follower.id is not None:
                ctx.session.delete(follower)
            return
        follower.ticket_id = target.id
        ctx.session.add(follower)
        ctx.session.flush()

    # --- telling residents ------------------------------------------------------------------

    def tell_resident(self, ctx: Context, ticket: Ticket, text: str) -> None:
        """Send `text` where the resident asked (as a reply, in the thread) and to followers."""
        for out in self.to_resident(ctx.session, ticket, text):
            ctx.send(out)

    def to_resident(self, session: Session, ticket: Ticket, text: str) -> list[Outgoing]:
        """`text` for where the resident asked and for each follower, once per room or thread;
        personal data is masked wherever others can read it."""
        seen: set[tuple[str | None, ...]] = set()
        messages = []
        for place in [self._origin(ticket), *self.followers(session, ticket)]:
            if place.private and not place.user_id:
                continue  # the resident's account was erased
            key = (
                place.platform,
                place.chat_id,
                place.user_id if place.private else place.thread_id,
            )
            if key in seen:
                continue
            seen.add(key)
            messages.append(
                Outgoing(
                    platform=place.platform,
                    chat_id=place.chat_id,
                    text=text if place.private else privacy.mask(text).text,
                    reply_to=place.message_id,
                    thread_id=place.thread_id,
                    to_user=place.user_id if place.private else None,
                )
            )
        return messages

    def _record(
        self,
        ctx: Context,
        ticket: Ticket,
        action: str,
        *,
        from_status: str | None = None,
        to_status: str | None = None,
        text: str | None = None,
        public: bool = False,
        by_bot: bool = False,
    ) -> None:
        """Add an event to the ticket's history, done by the person whose message is handled
        (none when `by_bot`: the bot's own doing, such as the answer it picked)."""
        ctx.session.add(
            TicketEvent(
                ticket_id=ticket.id,
                at=ctx.now,
                actor_id=ctx.person.id if ctx.person and not by_bot else None,
                action=action,
                from_status=from_status,
                to_status=to_status,
                text=text,
                public=public,
            )
        )
