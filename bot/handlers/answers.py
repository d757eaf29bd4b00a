"""How the FAQ served residents in a month, entry by entry: `/answers [YYYY-MM]` (officers)
and `sotong answers [--month YYYY-MM] [--format text|csv|markdown]`.

Every answer the bot gives is counted, and so is every resident who says one is not what they
asked (the "찾는 답이 아니에요" button, or 아니요 … to the bot). Officers hear of each miss as
it happens; this table shows which entries miss again and again, so they can fix those first:
an answer that does not answer what residents ask in those words, or words another entry
should take (`/faq` on the ticket, which the table names, teaches them). Entries never used at
all may be worded unlike residents. Beside them, the month's question tickets: what the FAQ
could not answer, and the words no entry uses that they keep asking about (the entries to
write).

Question tickets are counted by their category as it stands now (an officer may refile one
with `/kind`), and without those merged into another.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from bot.config import Settings
from bot.context import Context
from bot.faq import FaqEntry, FaqIndex, FaqSource
from bot.handlers.report import Period, asked_month, layout, month_start, title
from bot.messages import Command
from bot.router import Router
from bot.texts import Texts
from storage.models import FaqUse, Ticket

router = Router("answers")

IN_CHAT = 15  # entries a chat table lists; `sotong answers` lists them all
UNUSED_NAMED = 10  # unused entries named by id before "외 N개"
QUESTION_WIDTH = 24  # characters of an entry's question the table shows
TICKETS_IN_CHAT = 3  # missed tickets a chat table names per entry before "외 N건"
GAP_ASKED = 2  # questions passed on that must ask about a word for it to be listed
GAPS_IN_CHAT = 5  # rows of such words a chat table lists
# What the bot or an erasure wrote into a ticket's text ([주민등록번호 삭제], (… 지운 내용))
_INSERTED = re.compile(r"\[[^\]]*\]|\([^)]*\)")


def record(ctx: Context, entry_id: str, *, turned_down: bool = False) -> FaqUse:
    """Count an answer with entry `entry_id` just given, or (`turned_down`) said not to be
    what the resident asked; the ticket that miss becomes is set on what this returns."""
    use = FaqUse(entry_id=entry_id, at=ctx.now, turned_down=turned_down)
    ctx.session.add(use)
    return use


def misses_this_month(ctx: Context, entry_id: str) -> int:
    """How often residents said the answer with `entry_id` was not what they asked, this
    month (county time), this message included once recorded."""
    now = ctx.now.astimezone(ctx.settings.tz)
    ctx.session.flush()
    return ctx.session.exec(
        select(func.count())
        .select_from(FaqUse)
        .where(
            FaqUse.entry_id == entry_id,
            col(FaqUse.turned_down),
            FaqUse.at >= month_start(now.year, now.month, ctx.settings),
        )
    ).one()


@dataclass(frozen=True)
class EntryUse:
    entry_id: str
    question: str | None
    """None when the entry is no longer in the FAQ."""
    answered: int
    turned_down: int
    tickets: tuple[str, ...] = ()
    """Receipt numbers of the question tickets its misses became, the first first."""


@dataclass(frozen=True)
class Gap:
    words: tuple[str, ...]
    """Words no entry uses, asked about in the same questions."""
    tickets: tuple[str, ...]
    """Receipt numbers of those questions, the first first."""


@dataclass(frozen=True)
class AnswersReport:
    period: Period
    used: list[EntryUse]
    """Entries answered with (or turned down) in the month, the most turned down first."""
    unused: list[str]
    """Ids of the FAQ's entries not answered with once, in FAQ order."""
    passed_on: int
    """Question tickets received in the month: questions the FAQ could not answer."""
    gaps: list[Gap]
    """What those questions asked about in words no entry uses, the most asked first."""

    @property
    def answered(self) -> int:
        return sum(use.answered for use in self.used)

    @property
    def turned_down(self) -> int:
        return sum(use.turned_down for use in self.used)


def build(
    session: Session,
    settings: Settings,
    index: FaqIndex,
    year: int,
    month: int,
    *,
    now: datetime,
) -> AnswersReport:
    """The answers given in `year`-`month` as they stand at `now` (or at that month's end)."""
    period = Period.of(settings, year, month, now=now)
    start = month_start(year, month, settings)
    used = _uses(session, index.entries, start, period)
    answered = {use.entry_id for use in used if use.answered}
    unused = [entry.id for entry in index.entries if entry.id not in answered]
    passed_on = session.exec(
        select(Ticket.receipt_no, Ticket.text)
        .where(
            Ticket.category == "question",
            col(Ticket.merged_into_id).is_(None),
            Ticket.created_at >= start,
            period.by_cutoff(Ticket.created_at),
        )
        .order_by(col(Ticket.created_at), col(Ticket.id))
    ).all()
    return AnswersReport(period, used, unused, len(passed_on), missing_words(index, passed_on))


def _uses(
    session: Session, entries: Sequence[FaqEntry], start: datetime, period: Period
) -> list[EntryUse]:
    """Each entry answered with (or turned down) in the period, the most turned down first."""
    rows = session.exec(
        select(FaqUse.entry_id, FaqUse.turned_down, func.count())
        .where(FaqUse.at >= start, period.by_cutoff(FaqUse.at))
        .group_by(FaqUse.entry_id, FaqUse.turned_down)
    ).all()
    answered: Counter[str] = Counter()
    turned_down: Counter[str] = Counter()
    for entry_id, down, count in rows:
        (turned_down if down else answered)[entry_id] += count
    tickets: dict[str, list[str]] = {}
    for entry_id, receipt in session.exec(
        select(FaqUse.entry_id, Ticket.receipt_no)
        .join(Ticket, col(FaqUse.ticket_id) == Ticket.id)
        .where(FaqUse.at >= start, period.by_cutoff(FaqUse.at))
        .order_by(col(FaqUse.at), col(FaqUse.id))
    ):
        tickets.setdefault(entry_id, []).append(receipt)
    questions = {entry.id: entry.question for entry in entries}
    used = [
        EntryUse(
            entry_id,
            questions.get(entry_id),
            answered[entry_id],
            turned_down[entry_id],
            tuple(tickets.get(entry_id, ())),
        )
        for entry_id in answered.keys() | turned_down.keys()
    ]
    used.sort(key=lambda use: (-use.turned_down, -use.answered, use.entry_id))
    return used


def missing_words(index: FaqIndex, passed_on: Sequence[tuple[str, str]]) -> list[Gap]:
    """The words no entry uses that two or more questions passed on (receipt, text) ask
    about, the most asked first. Words asked in the same questions share a row (독감 · 예방 ·
    접종), and a word counts the questions of the longer words it begins (분실 those of 분실물:
    the analyser splits some compounds)."""
    asked: dict[str, set[str]] = {}
    for receipt, text in passed_on:
        for word in index.unknown_words(_INSERTED.sub(" ", text)):
            asked.setdefault(word, set()).add(receipt)
    order = {receipt: number for number, (receipt, _) in enumerate(passed_on)}
    rows: dict[tuple[str, ...], list[str]] = {}
    for word in asked:
        receipts = set().union(*(found for other, found in asked.items() if other.startswith(word)))
        if len(receipts) >= GAP_ASKED:
            rows.setdefault(tuple(sorted(receipts, key=order.__getitem__)), []).append(word)
    gaps = [Gap(tuple(words), receipts) for receipts, words in rows.items()]
    gaps.sort(key=lambda gap: (-len(gap.tickets), order[gap.tickets[0]]))
    return gaps


def render(
    report: AnswersReport,
    texts: Texts,
    settings: Settings,
    fmt: str = "text",
    *,
    limit: int | None = None,
) -> str:
    """The table of entries used under a summary, then the words no entry uses; in chat
    (`limit`) the first entries, words and tickets only."""
    zero = "0" if fmt == "csv" else "-"

    def cell(value: int) -> str:
        return str(value) if value else zero

    shown = report.used if limit is None else report.used[:limit]
    columns = ("entry", "question", "answered", "turned_down", "tickets")
    rows = [[texts(f"answers.col.{column}") for column in columns]]
    for use in shown:
        question = use.question if use.question is not None else texts("answers.gone")
        if fmt != "csv" and len(question) > QUESTION_WIDTH:
            question = question[: QUESTION_WIDTH - 1] + "…"
        tickets = _receipts(use.tickets, texts, fmt, limit)
        rows.append([use.entry_id, question, cell(use.answered), cell(use.turned_down), tickets])
    rows.append([texts("report.total"), "", cell(report.answered), cell(report.turned_down), ""])
    notes = [
        texts("answers.summary", answered=report.answered, turned_down=report.turned_down),
        texts("answers.passed_on", count=report.passed_on),
    ]
    if report.unused:
        named = ", ".join(report.unused[:UNUSED_NAMED])
        if len(report.unused) > UNUSED_NAMED:
            named += " " + texts("answers.unused_more", count=len(report.unused) - UNUSED_NAMED)
        notes.append(texts("answers.unused", count=len(report.unused), entries=named))
    if len(shown) < len(report.used):
        notes.append(texts("answers.more", shown=len(shown), count=len(report.used)))
    gaps = report.gaps if limit is None else report.gaps[:GAPS_IN_CHAT]
    if len(gaps) < len(report.gaps):
        notes.append(texts("answers.gaps_more", shown=len(gaps), count=len(report.gaps)))
    sections = [("", rows)]
    if gaps:  # what new entries would answer
        sections.append((texts("answers.gaps"), _gap_rows(gaps, texts, fmt, limit)))
    heading = title("answers.title", report.period, texts, settings)
    return layout(fmt, heading, sections, notes)


def _gap_rows(gaps: Sequence[Gap], texts: Texts, fmt: str, limit: int | None) -> list[list[str]]:
    header = [texts(f"answers.col.{column}") for column in ("words", "asked", "tickets")]
    return [
        header,
        *(
            [
                " · ".join(gap.words),
                str(len(gap.tickets)),
                _receipts(gap.tickets, texts, fmt, limit),
            ]
            for gap in gaps
        ),
    ]


def _receipts(tickets: Sequence[str], texts: Texts, fmt: str, limit: int | None) -> str:
    """Receipt numbers for a cell: in chat (`limit`) the first few and how many more."""
    if not tickets:
        return "" if fmt == "csv" else "-"
    if limit is None or len(tickets) <= TICKETS_IN_CHAT:
        return " ".join(tickets)
    more = texts("answers.tickets_more", count=len(tickets) - TICKETS_IN_CHAT)
    return " ".join([*tickets[:TICKETS_IN_CHAT], more])


@router.command("answers", role="officer", usage="usage.cmd.answers")
async def answers(ctx: Context, command: Command, faq: FaqSource) -> None:
    year, month = asked_month(ctx, command)
    built = build(ctx.session, ctx.settings, faq.index, year, month, now=ctx.now)
    ctx.reply(render(built, ctx.texts, ctx.settings, limit=IN_CHAT))
