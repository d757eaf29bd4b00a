"""The county's monthly report, and how officers feed its 정보 제공 column.

**Cases table** (DESIGN §3): one row per month of the year up to the month asked for (starting
at the first month that has any data), then a total row:

    구분 | 접수 | 정보 제공 | 주요 민원: 소계 | 완료: 해결 | 완료: 불가 | 완료: 장기 추진 | 추진중

- 주요 민원: 소계 counts the tickets received that month (county time). A ticket an officer
  merged into another is the same case and is not counted again; neither is a resident who
  joined an open ticket as a follower.
- The status columns show each ticket's status *as of the report's cut-off* — the end of the
  month asked for, or now while that month is running — read from the ticket's history, so
  the report for a past month never changes: received/in progress → 추진중, resolved → 해결,
  rejected → 불가, long-term → 장기 추진.
- 정보 제공 counts `InfoPost` rows: notices and county news the bot posted, and officers' own
  informational posts recorded with `/info 내용` (one row per `/info`; the bot posts nothing,
  so it also covers rooms it cannot write to, such as a KakaoTalk open chat).
- 접수 = 정보 제공 + 소계.

**Rooms table**: each configured room with its member count (the latest `MemberSnapshot` at or
before the cut-off; snapshots are taken once a day from the adapters that can count members),
grouped by platform with a subtotal per platform, and a grand total. Unknown counts show "-".

Available as `/report [YYYY-MM]` (officers) and `sotong report [--month YYYY-MM]
[--format text|csv|markdown]`.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, func, select

from bot import privacy
from bot.app import App, Ticker
from bot.config import Settings
from bot.context import Context
from bot.handlers.views import format_time
from bot.messages import Command
from bot.router import Refused, Router, UsageError
from bot.texts import Texts
from storage.db import session_scope
from storage.models import InfoPost, MemberSnapshot, Ticket, TicketEvent

log = logging.getLogger(__name__)

router = Router("report")

FORMATS = ("text", "csv", "markdown")
YEARS = (2000, 2099)
"""The years a report may ask for: any other is a typo."""
_MONTH = re.compile(r"^(?:(?P<year>\d{4})\s*[-./년]\s*)?(?P<month>\d{1,2})\s*월?$")
_MONTHS_BACK = {"이번달": 0, "이달": 0, "thismonth": 0, "지난달": 1, "전달": 1, "lastmonth": 1}
COLUMNS = ("received", "info", "subtotal", "resolved", "rejected", "long_term", "open")
"""The cases table's number columns, in the county's order."""
STATUS_COLUMN = {
    "received": "open",
    "in_progress": "open",
    "resolved": "resolved",
    "rejected": "rejected",
    "long_term": "long_term",
}


# --- the numbers -----------------------------------------------------------------------------


@dataclass
class MonthRow:
    """One line of the cases table: a month (`month` 0 for the total)."""

    year: int
    month: int
    info: int = 0
    resolved: int = 0
    rejected: int = 0
    long_term: int = 0
    open: int = 0

    @property
    def subtotal(self) -> int:
        """주요 민원: 소계 — every case received, whatever became of it."""
        return self.resolved + self.rejected + self.long_term + self.open

    @property
    def received(self) -> int:
        """접수 = 정보 제공 + 소계."""
        return self.info + self.subtotal

    def numbers(self) -> list[int]:
        return [getattr(self, column) for column in COLUMNS]


@dataclass(frozen=True)
class RoomRow:
    platform: str
    key: str
    name: str
    members: int | None
    """None when no count was ever taken (the platform cannot tell, or not yet)."""


@dataclass(frozen=True)
class Period:
    """A month reported on, up to its cut-off: the month's end once it is over (the figures
    then never change), or `now` while it runs."""

    year: int
    month: int
    cutoff: datetime
    finished: bool

    @classmethod
    def of(cls, settings: Settings, year: int, month: int, *, now: datetime) -> Period:
        month_end = month_start(*_next_month(year, month), settings)
        finished = now >= month_end
        return cls(year, month, month_end if finished else now, finished)

    def by_cutoff(self, column: Any) -> Any:
        """Rows up to the cut-off: the month's end (excluded) or now (included)."""
        return column < self.cutoff if self.finished else column <= self.cutoff

    @property
    def shown(self) -> datetime:
        """The cut-off as titles show it: a finished month as of its last minute (30 Nov
        23:59), not the next one's first (1 Dec 00:00)."""
        return self.cutoff - timedelta(minutes=1) if self.finished else self.cutoff


@dataclass
class MonthlyReport:
    period: Period
    months: list[MonthRow]
    rooms: list[RoomRow] = field(default_factory=list)

    @property
    def total(self) -> MonthRow:
        total = MonthRow(self.period.year, 0)
        for row in self.months:
            for column in ("info", "resolved", "rejected", "long_term", "open"):
                setattr(total, column, getattr(total, column) + getattr(row, column))
        return total

    def platforms(self) -> list[tuple[str, list[RoomRow], int | None]]:
        """Rooms grouped by platform (in config order of first appearance), with subtotals."""
        order = list(dict.fromkeys(room.platform for room in self.rooms))
        grouped = []
        for platform in order:
            rooms = [room for room in self.rooms if room.platform == platform]
            grouped.append((platform, rooms, _sum(room.members for room in rooms)))
        return grouped

    @property
    def members(self) -> int | None:
        return _sum(room.members for room in self.rooms)


def _sum(values: Iterable[int | None]) -> int | None:
    known = [value for value in values if value is not None]
    return sum(known) if known else None


def parse_month(text: str, today: tuple[int, int]) -> tuple[int, int]:
    """`2026-11`, `2026.11`, `2026/11` or `2026년 11월` → (2026, 11); from `today` (year,
    month), `11월` is the last November up to it, and `지난달` / `이번 달` the month before
    it / it. ValueError otherwise."""
    words = "".join(text.split()).lower()
    if words in _MONTHS_BACK:
        year, month = today
        back = month - 1 - _MONTHS_BACK[words]
        return year + back // 12, back % 12 + 1
    match = _MONTH.match(text.strip())
    if match is None or not 1 <= int(match["month"]) <= 12:
        raise ValueError(f"not a month: {text!r} (expected YYYY-MM, 11월 or 지난달)")
    month = int(match["month"])
    if match["year"] is None:
        year, this_month = today
        return (year, month) if month <= this_month else (year - 1, month)
    if not YEARS[0] <= int(match["year"]) <= YEARS[1]:  # 0001-01 and 9999-12 overflow dates
        raise ValueError(f"not a month: {text!r} (a year from {YEARS[0]} to {YEARS[1]})")
    return int(match["year"]), month


def month_start(year: int, month: int, settings: Settings) -> datetime:
    return datetime(year, month, 1, tzinfo=settings.tz)


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def build_report(
    session: Session, settings: Settings, year: int, month: int, *, now: datetime
) -> MonthlyReport:
    """The report for `year`-`month` as it stands at `now` (or at that month's end if past)."""
    tz = settings.tz
    year_start = month_start(year, 1, settings)
    period = Period.of(settings, year, month, now=now)
    by_cutoff = period.by_cutoff

    rows = {m: MonthRow(year, m) for m in range(1, month + 1)}

    def local_month(when: datetime) -> int:
        return when.astimezone(tz).month

    posts = session.exec(
        select(InfoPost.at).where(InfoPost.at >= year_start, by_cutoff(InfoPost.at))
    ).all()
    for at in posts:
        rows[local_month(at)].info += 1

    tickets = session.exec(
        select(Ticket.id, Ticket.created_at).where(
            Ticket.created_at >= year_start, by_cutoff(Ticket.created_at)
        )
    ).all()
    created = {ticket_id: at for ticket_id, at in tickets}
    status: dict[int, str] = {}
    merged: set[int] = set()
    if created:
        events = session.exec(
            select(TicketEvent.ticket_id, TicketEvent.action, TicketEvent.to_status)
            .join(Ticket, Ticket.id == TicketEvent.ticket_id)
            .where(
                Ticket.created_at >= year_start,
                by_cutoff(Ticket.created_at),
                by_cutoff(TicketEvent.at),
            )
            .order_by(TicketEvent.at, TicketEvent.id)
        ).all()
        for ticket_id, action, to_status in events:
            if action == "merge":
                merged.add(ticket_id)
            if to_status:
                status[ticket_id] = to_status
    for ticket_id, at in created.items():
        if ticket_id in merged:
            continue
        column = STATUS_COLUMN.get(status.get(ticket_id, "received"), "open")
        row = rows[local_month(at)]
        setattr(row, column, getattr(row, column) + 1)

    busy = [m for m, row in rows.items() if row.subtotal or row.info]
    first = min(busy, default=month)
    return MonthlyReport(
        period=period,
        months=[rows[m] for m in range(first, month + 1)],
        rooms=room_members(session, settings, by_cutoff),
    )


def room_members(
    session: Session, settings: Settings, by_cutoff: Callable[[Any], Any]
) -> list[RoomRow]:
    """Each configured room with its latest member count taken by the report's cut-off."""
    rows = []
    for room in settings.rooms:
        count = session.exec(
            select(MemberSnapshot.count)
            .where(MemberSnapshot.room_key == room.key, by_cutoff(MemberSnapshot.at))
            .order_by(MemberSnapshot.at.desc(), MemberSnapshot.id.desc())
            .limit(1)
        ).first()
        rows.append(RoomRow(room.platform, room.key, room.name, count))
    return rows


# --- how it reads ----------------------------------------------------------------------------


def _platform_name(texts: Texts, platform: str) -> str:
    key = f"platform.{platform}"
    name = texts.maybe(key)
    return platform if name == key else name


def tables(
    report: MonthlyReport, texts: Texts, *, zero: str = "-", unknown: str = "-"
) -> tuple[list[list[str]], list[list[str]]]:
    """The two tables as rows of cells, headers first. As in the county's own table a zero
    reads `zero` ("-"); a member count nobody could take reads `unknown`."""

    def cell(value: int) -> str:
        return str(value) if value else zero

    def members_cell(value: int | None) -> str:
        return unknown if value is None else str(value)

    cases = [[texts("report.col.period")] + [texts(f"report.col.{column}") for column in COLUMNS]]
    for row in report.months:
        label = texts("report.month", year=row.year, month=row.month)
        cases.append([label, *(cell(n) for n in row.numbers())])
    cases.append([texts("report.total"), *(cell(n) for n in report.total.numbers())])

    rooms = [[texts(f"report.col.{c}") for c in ("platform", "room", "members")]]
    for platform, members, subtotal in report.platforms():
        name = _platform_name(texts, platform)
        rooms.extend([name, room.name, members_cell(room.members)] for room in members)
        rooms.append([name, texts("report.subtotal"), members_cell(subtotal)])
    rooms.append([texts("report.grand_total"), "", members_cell(report.members)])
    return cases, rooms


def title(key: str, period: Period, texts: Texts, settings: Settings) -> str:
    """The heading of a report on `period` (texts `key` with county, year, month, cutoff)."""
    return texts(
        key,
        county=settings.county,
        year=period.year,
        month=period.month,
        cutoff=format_time(period.shown, settings.tz),
    )


def render(report: MonthlyReport, texts: Texts, settings: Settings, fmt: str = "text") -> str:
    """The report as plain text (chat), CSV (spreadsheets) or Markdown."""
    spreadsheet = fmt == "csv"
    cases, rooms = tables(
        report, texts, zero="0" if spreadsheet else "-", unknown="" if spreadsheet else "-"
    )
    heading = title("report.title", report.period, texts, settings)
    return layout(fmt, heading, [("", cases), (texts("report.rooms"), rooms)])


def layout(
    fmt: str,
    heading: str,
    sections: Sequence[tuple[str, Sequence[Sequence[str]]]],
    notes: Sequence[str] = (),
) -> str:
    """Tables, each under its caption ("" for none), below a heading and its `notes`: aligned
    plain text for chat and terminals, Markdown, or CSV for spreadsheets (the heading, then
    the tables, a blank row before each; a byte-order mark first, without which Excel on a
    Korean Windows reads UTF-8 as garbage)."""
    if fmt == "csv":
        out = io.StringIO()
        out.write("\ufeff")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([heading])
        for _, rows in sections:
            writer.writerow([])
            writer.writerows(rows)
        return out.getvalue()
    if fmt == "markdown":
        lines = [f"## {heading}", ""]
        if notes:
            lines += [*(f"{note}  " for note in notes), ""]  # two spaces: a line break
        for caption, rows in sections:
            if caption:
                lines += [f"### {caption}", ""]
            lines += [*_markdown(rows), ""]
        return "\n".join(lines)
    if fmt != "text":
        raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")
    lines = [heading, *notes]
    for caption, rows in sections:
        lines.append("")
        if caption:
            lines.append(caption)
        lines += _aligned(rows)
    return "\n".join(lines)


def _width(text: str) -> int:
    """Columns `text` takes in a terminal: Korean (wide) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _aligned(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]

    def pad(cell: str, i: int) -> str:
        space = " " * (widths[i] - _width(cell))
        return cell + space if i == 0 or not _numeric(cell) else space + cell

    return [" | ".join(pad(cell, i) for i, cell in enumerate(row)).rstrip() for row in rows]


def _numeric(cell: str) -> bool:
    return cell.isdigit() or cell == "-"


def _markdown(rows: Sequence[Sequence[str]]) -> list[str]:
    header, *body = rows
    rule = ["---"] + [
        "---:" if any(_numeric(r[i]) for r in body) else "---" for i in range(1, len(header))
    ]
    return [
        "| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |"
        for row in (header, rule, *body)
    ]


# --- chat commands ---------------------------------------------------------------------------


def asked_month(ctx: Context, command: Command) -> tuple[int, int]:
    """The month a report command names (YYYY-MM), or this month (county time) when none;
    a month not yet begun is refused."""
    now_local = ctx.now.astimezone(ctx.settings.tz)
    if not command.args.strip():
        return now_local.year, now_local.month
    try:
        year, month = parse_month(command.args, (now_local.year, now_local.month))
    except ValueError:
        raise UsageError(ctx.texts("usage.bad_month")) from None
    if (year, month) > (now_local.year, now_local.month):
        raise Refused(ctx.texts("usage.future_month", month=f"{year}-{month:02d}"))
    return year, month


@router.command("report", role="officer", usage="usage.cmd.report")
async def report(ctx: Context, command: Command) -> None:
    year, month = asked_month(ctx, command)
    built = build_report(ctx.session, ctx.settings, year, month, now=ctx.now)
    ctx.reply(render(built, ctx.texts, ctx.settings, "text"))


@router.command("info", role="officer", usage="usage.cmd.info")
async def info(ctx: Context, command: Command) -> None:
    """Count an informational post an officer made (정보 제공); nothing is sent to residents."""
    text = command.args.strip()
    if not text:
        raise UsageError(ctx.texts("usage.need_info"))
    ctx.session.add(InfoPost(at=ctx.now, kind="post", title=privacy.mask(text).text))
    ctx.session.flush()
    local = ctx.now.astimezone(ctx.settings.tz)
    start = month_start(local.year, local.month, ctx.settings)
    count = ctx.session.exec(
        select(func.count()).select_from(InfoPost).where(InfoPost.at >= start)
    ).one()
    ctx.reply(ctx.texts("report.info_recorded", year=local.year, month=local.month, count=count))


# --- member counts -----------------------------------------------------------------------------


def member_snapshots(app: App) -> Ticker:
    """Once a day (county time) per room, store the member count its adapter reports. A count
    that fails is tried again the next day (a report shows the latest one taken)."""
    settings = app.settings
    counted: dict[str, date] = {}
    """Room key → the last day its count was taken or tried (saves a query every tick)."""

    async def snapshot(now: datetime) -> None:
        today = now.astimezone(settings.tz).date()
        due = [room for room in settings.rooms if counted.get(room.key) != today]
        if not due:
            return
        day_start = datetime.combine(today, datetime.min.time(), tzinfo=settings.tz)
        with session_scope(app.engine) as session:
            taken = set(
                session.exec(
                    select(MemberSnapshot.room_key).where(MemberSnapshot.at >= day_start)
                ).all()
            )
        counts: dict[str, int] = {}
        for room in due:
            counted[room.key] = today
            adapter = app.adapters.get(room.platform)
            if room.key in taken or adapter is None or not adapter.capabilities.member_count:
                continue
            try:
                count = await adapter.member_count(room.chat_id)
            except Exception:
                log.warning("could not count the members of room %s", room.key, exc_info=True)
                continue
            if count is not None:
                counts[room.key] = count
        if counts:
            with session_scope(app.engine) as session:
                for key, count in counts.items():
                    session.add(MemberSnapshot(room_key=key, at=now, count=count))

    return snapshot
