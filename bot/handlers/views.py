"""How tickets read to officers: one line in a list, a full card, dates in county time.

Shared by the officer commands, the new-ticket announcement, the digest and the reminders; and
how a case's status reads to its resident.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.texts import Texts
from storage.models import Ticket

SUMMARY_CHARS = 40


def format_time(when: datetime | None, tz: ZoneInfo) -> str:
    """A time (a deadline, a receipt) as people read it: in the county's time zone."""
    return when.astimezone(tz).strftime("%Y-%m-%d %H:%M") if when else "-"


def format_day(when: datetime, tz: ZoneInfo, texts: Texts, now: datetime) -> str:
    """A day and time as residents read it, with its weekday: 11월 30일(월) 09:00, or 오늘
    09:00 on the day itself."""
    local = when.astimezone(tz)
    hour = local.strftime("%H:%M")
    if local.date() == now.astimezone(tz).date():
        return texts("time.today", time=hour)
    weekday = texts("time.weekdays").split()[local.weekday()]
    return texts("time.day", month=local.month, day=local.day, weekday=weekday, time=hour)


def summary(text: str) -> str:
    """The first words of a ticket, on one line."""
    flat = " ".join(text.split())
    return flat if len(flat) <= SUMMARY_CHARS else flat[: SUMMARY_CHARS - 1] + "…"


def ticket_line(texts: Texts, tz: ZoneInfo, ticket: Ticket) -> str:
    return urgent_mark(texts, ticket) + texts(
        "officer.list_line",
        receipt=ticket.receipt_no,
        status=texts(f"status.{ticket.status}"),
        category=texts(f"category.{ticket.category}"),
        due=format_time(ticket.due_at, tz),
        text=summary(ticket.text),
    )


def urgent_mark(texts: Texts, ticket: Ticket) -> str:
    """`[긴급] ` before a ticket someone in danger raised, wherever officers see it."""
    return texts("officer.urgent_mark") if ticket.urgent else ""


def resident_status(texts: Texts, tz: ZoneInfo, ticket: Ticket) -> str:
    """Where a case stands, as its resident reads it (/status, or asking in its thread)."""
    return texts(
        "ticket.status",
        receipt=ticket.receipt_no,
        status=texts(f"status.{ticket.status}"),
        due=format_time(ticket.due_at, tz),
    )


def ticket_lines(texts: Texts, tz: ZoneInfo, tickets: list[Ticket], *, most: int) -> list[str]:
    """At most `most` lines, and how many more there are."""
    lines = [ticket_line(texts, tz, t) for t in tickets[:most]]
    if len(tickets) > most:
        lines.append(texts("officer.list_more", count=len(tickets) - most))
    return lines
