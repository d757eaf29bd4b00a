"""Officer commands that work the queue: list, show, assign, answer, note, close, reopen,
refile, merge and extend tickets. Details with personal data are shown only where only
officers read.
"""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import col, select

from bot.context import Context
from bot.handlers import deadlines, views
from bot.handlers.args import receipt_and_text
from bot.handlers.people import find_person
from bot.handlers.queue import CATEGORIES, OPEN, STATUSES, TicketQueue
from bot.messages import Command
from bot.middleware import Next
from bot.router import Handler, Refused, Router, UsageError
from bot.texts import Texts
from storage.models import Person, Ticket, TicketEvent

router = Router("officer")

LIST_LIMIT = 30


def in_staff_place(ctx: Context) -> bool:
    """Only officers read here: the officer room or a 1:1 chat."""
    staff = ctx.settings.officer_room
    here = (ctx.event.platform, ctx.event.chat_id)
    return ctx.event.is_direct or (staff is not None and here == (staff.platform, staff.chat_id))


async def answers_aside(ctx: Context, call_next: Next) -> None:
    """Middleware: an officer's command typed in a residents' room is answered in the officer
    room, not in front of the residents (`2026-0001: 민원인에게 답변을 보냈습니다`). What the
    command sends residents still reaches them where they asked."""
    await call_next()
    staff = ctx.settings.officer_room
    event = ctx.event
    if staff is None or not isinstance(event, Command) or not ctx.has_role("officer"):
        return
    if in_staff_place(ctx):
        return
    where = ctx.room.name if ctx.room else event.chat_id
    name = ctx.person.name if ctx.person else event.user_name
    ctx.outgoing[:] = [
        replace(
            out,
            platform=staff.platform,
            chat_id=staff.chat_id,
            reply_to=None,
            thread_id=None,
            to_user=None,
            text=ctx.texts("officer.aside", name=name, room=where, text=out.text),
        )
        if (out.platform, out.chat_id, out.reply_to)
        == (event.platform, event.chat_id, event.message_id)
        else out
        for out in ctx.outgoing
    ]


def _require_staff_place(ctx: Context) -> None:
    if not in_staff_place(ctx):
        raise Refused(ctx.texts("usage.staff_place"))


def _statuses(ctx: Context, wanted: str) -> tuple[str, ...]:
    """`/tickets` arguments: nothing (open ones), `all`/`전체`, a status key or its name."""
    wanted = "".join(wanted.split()).lower()
    if not wanted:
        return OPEN
    if wanted in ("all", ctx.texts("word.all")):
        return STATUSES
    for status in STATUSES:
        if wanted in (status, "".join(ctx.texts(f"status.{status}").split()).lower()):
            return (status,)
    choices = ", ".join(ctx.texts(f"status.{s}") for s in STATUSES)
    raise UsageError(ctx.texts("usage.bad_status", status=wanted, choices=choices))


@router.command("tickets", role="officer", usage="usage.cmd.tickets")
async def list_tickets(ctx: Context, command: Command) -> None:
    _require_staff_place(ctx)
    statuses = _statuses(ctx, command.args)
    # open work: someone in danger first, then what falls due first, as officers take it;
    # closed cases as they came in
    by_due = set(statuses) <= set(OPEN)
    order = (
        (col(Ticket.urgent).desc(), col(Ticket.due_at).nulls_last(), Ticket.id)
        if by_due
        else (Ticket.id,)
    )
    tickets = ctx.session.exec(
        select(Ticket)
        .where(Ticket.status.in_(statuses), Ticket.merged_into_id.is_(None))
        .order_by(*order)
    ).all()
    if not tickets:
        ctx.reply(ctx.texts("officer.list_empty"))
        return
    ctx.reply(
        "\n".join(views.ticket_lines(ctx.texts, ctx.settings.tz, list(tickets), most=LIST_LIMIT))
    )


@router.command("ticket", role="officer", usage="usage.cmd.ticket")
async def show_ticket(ctx: Context, command: Command, queue: TicketQueue) -> None:
    _require_staff_place(ctx)
    receipt, _ = receipt_and_text(ctx, command)
    ticket = queue.get(ctx, receipt)
    ctx.reply(_card(ctx, queue, ticket))


def _card(ctx: Context, queue: TicketQueue, ticket: Ticket) -> str:
    """Everything about a ticket, the reporter's contact included (officers only)."""
    texts, tz, session = ctx.texts, ctx.settings.tz, ctx.session
    room = ctx.settings.room_by_key(ticket.room_key) if ticket.room_key else None
    reporter = session.get(Person, ticket.reporter_id) if ticket.reporter_id else None
    assignee = session.get(Person, ticket.assignee_id) if ticket.assignee_id else None
    overdue = (
        ticket.status in OPEN
        and ticket.due_at is not None
        and deadlines.is_overdue(ctx.now, ticket.due_at)
    )
    lines = [
        views.urgent_mark(texts, ticket)
        + texts(
            "officer.ticket",
            receipt=ticket.receipt_no,
            status=texts(f"status.{ticket.status}"),
            category=texts(f"category.{ticket.category}"),
            room=room.name if room else texts("room.direct"),
            text=ticket.text,
            created=views.format_time(ticket.created_at, tz),
            due=views.format_time(ticket.due_at, tz),
            extended=(texts("officer.ticket_extended") if ticket.extended else "")
            + (texts("officer.overdue") if overdue else ""),
            assignee=assignee.name if assignee else texts("nobody"),
            department=ticket.department or texts("nobody"),
            reporter=reporter.name if reporter else texts("nobody"),
            contact=(reporter.contact if reporter else None) or texts("nobody"),
            followers=len(queue.followers(session, ticket)),
        )
    ]
    history = queue.history(session, ticket)
    if backing := sum(event.action == "supporter" for event in history):
        lines.append(texts("officer.ticket_supporters", count=backing))
    if ticket.merged_into_id is not None:
        target = session.get(Ticket, ticket.merged_into_id)
        lines.append(texts("officer.ticket_merged_into", target=target.receipt_no))
    if merged := queue.merged_in(session, ticket):
        lines.append(
            texts("officer.ticket_merged", receipts=", ".join(t.receipt_no for t in merged))
        )
    lines.append(texts("officer.history"))
    lines.extend(_history_line(ctx, event) for event in history)
    return "\n".join(lines)


def _history_line(ctx: Context, event: TicketEvent) -> str:
    texts = ctx.texts
    actor = ctx.session.get(Person, event.actor_id) if event.actor_id else None
    change = ""
    if event.to_status and event.from_status:
        change = f" ({texts(f'status.{event.from_status}')} → {texts(f'status.{event.to_status}')})"
    return texts(
        "officer.history_line",
        at=views.format_time(event.at, ctx.settings.tz),
        actor=actor.name if actor else texts("nobody"),
        action=texts(f"action.{event.action}"),
        change=change,
        text=f": {views.summary(_shown(texts, event))}" if event.text else "",
    )


def _shown(texts: Texts, event: TicketEvent) -> str:
    """An event's text as officers read it: a refiling names the categories, not their codes."""
    if event.action != "kind":
        return event.text or ""
    return " → ".join(
        texts(f"category.{code}") if code in CATEGORIES else code
        for code in (event.text or "").split(" → ")
    )


@router.command("assign", role="officer", usage="usage.cmd.assign")
async def assign(ctx: Context, command: Command, queue: TicketQueue) -> None:
    receipt, rest = receipt_and_text(ctx, command, missing="usage.need_assignee")
    ticket = queue.workable(ctx, receipt)
    words = rest.split()
    mentioned = [w for w in words if w.startswith("@")]
    department = " ".join(w for w in words if not w.startswith("@")) or None
    assignee = None
    if mentioned:
        assignee = find_person(
            ctx.session, mentioned[0], platform=ctx.event.platform, officers_only=True
        )
        if assignee is None:
            raise Refused(ctx.texts("usage.unknown_officer", who=mentioned[0]))
    queue.assign(ctx, ticket, assignee, department)
    current = ctx.session.get(Person, ticket.assignee_id) if ticket.assignee_id else None
    ctx.reply(
        ctx.texts(
            "officer.assigned",
            receipt=ticket.receipt_no,
            assignee=current.name if current else ctx.texts("nobody"),
            department=ticket.department or ctx.texts("nobody"),
        )
    )


@router.command("reply", role="officer", usage="usage.cmd.reply")
async def reply(ctx: Context, command: Command, queue: TicketQueue) -> None:
    receipt, text = receipt_and_text(ctx, command, missing="usage.need_text")
    ticket = queue.workable(ctx, receipt)
    if ticket.status == "received":
        queue.move(ctx, ticket, "in_progress", text=text, action="reply", public=True)
    else:
        queue.note(ctx, ticket, "reply", text, public=True)
    queue.tell_resident(
        ctx, ticket, ctx.texts("ticket.reply", receipt=ticket.receipt_no, text=text)
    )
    ctx.reply(ctx.texts("officer.sent", receipt=ticket.receipt_no))


@router.command("note", role="officer", usage="usage.cmd.note")
async def note(ctx: Context, command: Command, queue: TicketQueue) -> None:
    receipt, text = receipt_and_text(ctx, command, missing="usage.need_text")
    ticket = queue.get(ctx, receipt)
    queue.note(ctx, ticket, "note", text, public=False)
    ctx.reply(ctx.texts("officer.noted", receipt=ticket.receipt_no))


def _status_change(status: str, action: str, message_key: str, missing: str) -> Handler:
    """A command that moves a ticket to `status` and tells the resident (and followers)."""

    async def change(ctx: Context, command: Command, queue: TicketQueue) -> None:
        receipt, text = receipt_and_text(ctx, command, missing=missing)
        ticket = queue.workable(ctx, receipt)
        queue.move(ctx, ticket, status, text=text, action=action, public=True)
        queue.tell_resident(
            ctx, ticket, ctx.texts(message_key, receipt=ticket.receipt_no, text=text)
        )
        ctx.reply(
            ctx.texts(
                "officer.done", receipt=ticket.receipt_no, status=ctx.texts(f"status.{status}")
            )
        )

    return change


router.command("resolve", role="officer", usage="usage.cmd.resolve")(
    _status_change("resolved", "resolved", "ticket.resolved", "usage.need_text")
)
router.command("reject", role="officer", usage="usage.cmd.reject")(
    _status_change("rejected", "rejected", "ticket.rejected", "usage.need_reason")
)
router.command("longterm", role="officer", usage="usage.cmd.longterm")(
    _status_change("long_term", "long_term", "ticket.long_term", "usage.need_text")
)
_reopen = _status_change("in_progress", "reopen", "ticket.reopened", "")


@router.command("reopen", role="officer", usage="usage.cmd.reopen")
async def reopen(ctx: Context, command: Command, queue: TicketQueue) -> None:
    """Only a closed ticket (resolved, rejected, long-term) goes back to work."""
    receipt, _ = receipt_and_text(ctx, command)
    ticket = queue.workable(ctx, receipt)
    if ticket.status in OPEN:
        raise Refused(ctx.texts("usage.reopen_open", receipt=ticket.receipt_no))
    await _reopen(ctx, command, queue)


@router.command("merge", role="officer", usage="usage.cmd.merge")
async def merge(ctx: Context, command: Command, queue: TicketQueue) -> None:
    argv = command.argv
    if len(argv) != 2:
        raise UsageError(ctx.texts("usage.merge_same"))
    duplicate, target = (queue.workable(ctx, receipt) for receipt in argv)
    queue.merge(ctx, duplicate, target)
    merged = ctx.texts("officer.merged", receipt=duplicate.receipt_no, target=target.receipt_no)
    differ = [  # the same pothole reported in two rooms is one case; a typo in N is not
        ctx.texts(key, a=a, b=b)
        for key, a, b in (
            ("officer.merge_rooms", _room_name(ctx, duplicate), _room_name(ctx, target)),
            (
                "officer.merge_kinds",
                ctx.texts(f"category.{duplicate.category}"),
                ctx.texts(f"category.{target.category}"),
            ),
        )
        if a != b
    ]
    ctx.reply("\n".join([merged, *differ]))


def _room_name(ctx: Context, ticket: Ticket) -> str:
    room = ctx.settings.room_by_key(ticket.room_key) if ticket.room_key else None
    return room.name if room else ctx.texts("room.direct")


@router.command("kind", role="officer", usage="usage.cmd.kind")
async def kind(ctx: Context, command: Command, queue: TicketQueue) -> None:
    """`/kind 2026-0042 생활불편`: the bot took a problem for a question (or the like)."""
    receipt, named = receipt_and_text(ctx, command, missing="usage.need_kind")
    ticket = queue.workable(ctx, receipt)
    category = _category(ctx, named)
    name = ctx.texts(f"category.{category}")
    if category == ticket.category:
        raise Refused(ctx.texts("kind.same", receipt=ticket.receipt_no, kind=name))
    queue.reclassify(ctx, ticket, category)
    due = views.format_time(ticket.due_at, ctx.settings.tz)
    ctx.reply(ctx.texts("kind.done", receipt=ticket.receipt_no, kind=name, due=due))


def _category(ctx: Context, named: str) -> str:
    """A category by its key or its name, spaced or not, or the name's last word (불편)."""
    wanted = "".join(named.split()).lower()
    for category in CATEGORIES:
        name = ctx.texts(f"category.{category}").lower()
        if wanted in (category, "".join(name.split()), name.split()[-1]):
            return category
    choices = ", ".join(ctx.texts(f"category.{c}") for c in CATEGORIES)
    raise UsageError(ctx.texts("kind.unknown", kind=named, choices=choices))


@router.command("extend", role="officer", usage="usage.cmd.extend")
async def extend(ctx: Context, command: Command, queue: TicketQueue) -> None:
    receipt, rest = receipt_and_text(ctx, command, missing="usage.need_days")
    days, _, reason = rest.partition(" ")
    if not reason.strip():  # the resident is told why their case takes longer
        raise UsageError(ctx.texts("usage.need_extend_reason"))
    ticket = queue.workable(ctx, receipt)
    days = days.removesuffix("일")  # officers write "5일" as often as "5"
    queue.extend(ctx, ticket, int(days) if days.isdigit() else 0, reason.strip())
    due = views.format_time(ticket.due_at, ctx.settings.tz)
    ctx.reply(ctx.texts("officer.extended", receipt=ticket.receipt_no, due=due))
