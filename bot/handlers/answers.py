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

Where officers review the bot's answers first (`review_answers`), each answer held is counted as
the entry's, and how the officer answered its ticket tells whether the bot picked right: sent as
picked, or changed (another entry, or the officer's own words), which counts as a miss. That
is the bot's precision on the county's own questions, the figure to decide on ending review.
Below the table, the answers the bot picked and their misses by its score: misses gather at low
scores, and this shows below which score (`review_answers: 0.75`) answers should wait.

Question tickets are counted by their category as it stands now (an officer may refile one
with `/kind`), and without those merged into another.
"""

from __future__ import annotations

import itertools
import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, func, select

from bot.config import Settings
from bot.context import Context
from bot.faq import FaqEntry, FaqIndex, FaqSource
from bot.handlers.queue import OPEN
from bot.handlers.report import Period, asked_month, layout, month_start, title
from bot.messages import Command
from bot.router import Router
from bot.texts import Texts
from storage.models import FaqUse, Ticket, TicketEvent

router = Router("answers")

IN_CHAT = 15  # entries a chat table lists; `sotong answers` lists them all
UNUSED_NAMED = 10  # entries named by id in a line before "외 N개"
QUESTION_WIDTH = 24  # characters of an entry's question the table shows
TICKETS_IN_CHAT = 3  # missed tickets a chat table names per entry before "외 N건"
GAP_ASKED = 2  # questions passed on that must ask about a word for it to be listed
GAPS_IN_CHAT = 5  # rows of such words a chat table lists
# Where the answers by score are cut into rows: the scores a county might start review at
# (`review_answers`), from the lowest the bot answers at (0.45 unless one entry stands alone)
SCORE_BANDS = (0.45, 0.6, 0.75, 0.9)
# What an officer does on a held answer's ticket that answers the resident (/faq, /reply,
# /resolve, /reject, /longterm), unlike an extension or a merge, which only say when or where
_ANSWERING = ("faq", "reply", "resolved", "rejected", "long_term")
# What the bot or an erasure wrote into a ticket's text ([주민등록번호 삭제], (… 지운 내용))
_INSERTED = re.compile(r"\[[^\]]*\]|\([^)]*\)")


def record(
    ctx: Context,
    entry_id: str,
    *,
    score: float | None = None,
    turned_down: bool = False,
    reviewed: bool = False,
) -> FaqUse:
    """Count an answer with entry `entry_id` just given (or, `reviewed`, held for an officer),
    or (`turned_down`) said not to be what the resident asked; `score` is the matcher's, when
    the bot picked the entry. The ticket that miss or that hold becomes is set on what this
    returns."""
    use = FaqUse(
        entry_id=entry_id, at=ctx.now, score=score, turned_down=turned_down, reviewed=reviewed
    )
    ctx.session.add(use)
    return use


def held_entry(session: Session, ticket: Ticket) -> str | None:
    """The entry the bot picked for `ticket`, when it held that answer for an officer."""
    return session.exec(
        select(FaqUse.entry_id).where(col(FaqUse.reviewed), FaqUse.ticket_id == ticket.id)
    ).first()


def awaiting_review(session: Session) -> list[tuple[Ticket, str]]:
    """Open tickets whose held answer no officer has answered yet, the oldest first, each with
    the entry the bot picked (the morning digest offers to send them)."""
    answered = (
        select(TicketEvent.id)
        .where(TicketEvent.ticket_id == Ticket.id, col(TicketEvent.action).in_(_ANSWERING))
        .exists()
    )
    rows = session.exec(
        select(Ticket, FaqUse.entry_id)
        .join(FaqUse, col(FaqUse.ticket_id) == Ticket.id)
        .where(
            col(FaqUse.reviewed),
            col(Ticket.status).in_(OPEN),
            col(Ticket.merged_into_id).is_(None),
            ~answered,
        )
        .order_by(col(Ticket.created_at), col(Ticket.id))
    ).all()
    return [(ticket, entry_id) for ticket, entry_id in rows]


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
class Review:
    """Answers held for an officer in the month, by how the officer answered their tickets."""

    sent: int = 0
    """Sent as the bot picked (`/faq N` with that entry)."""
    changed: int = 0
    """Answered otherwise: another entry, the officer's own words, or closed."""
    waiting: int = 0

    @property
    def held(self) -> int:
        return self.sent + self.changed + self.waiting


@dataclass
class Band:
    """The answers the bot picked, scoring from `low` (None: any lower) to below `high`
    (None: any higher): how often those were misses shows where review should start."""

    low: float | None
    high: float | None
    answered: int = 0
    """Given, or held for an officer."""
    turned_down: int = 0
    """Turned down by the resident, or changed by the officer."""
    sent: int = 0
    """Held, and sent by the officer as the bot picked."""
    waiting: int = 0
    """Held, not yet answered."""


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
    review: Review = Review()
    by_score: list[Band] = field(default_factory=list)
    """Bands with an answer in them, the lowest first; answers picked by a resident among
    choices, and those counted before scores were kept, are in none."""
    always_reviewed: list[str] = field(default_factory=list)
    """Ids of the entries whose every answer an officer checks first (`review_answers: true`)."""

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
    held = _held(session, start, period)
    used = _uses(session, index.entries, start, period, [h for h in held if h.how == "changed"])
    answered = {use.entry_id for use in used if use.answered}
    unused = [entry.id for entry in index.entries if entry.id not in answered]
    held_receipts = {h.receipt for h in held}
    passed_on = [
        row
        for row in session.exec(
            select(Ticket.receipt_no, Ticket.text)
            .where(
                Ticket.category == "question",
                col(Ticket.merged_into_id).is_(None),
                Ticket.created_at >= start,
                period.by_cutoff(Ticket.created_at),
            )
            .order_by(col(Ticket.created_at), col(Ticket.id))
        ).all()
        if row[0] not in held_receipts  # the FAQ had an answer; an officer checked it
    ]
    outcomes = Counter(h.how for h in held)
    review = Review(outcomes["sent"], outcomes["changed"], outcomes["waiting"])
    gaps = missing_words(index, passed_on)
    return AnswersReport(
        period,
        used,
        unused,
        len(passed_on),
        gaps,
        review,
        _by_score(session, start, period, held),
        [entry.id for entry in index.entries if entry.review_answers],
    )


@dataclass(frozen=True)
class _Held:
    entry_id: str
    receipt: str
    at: datetime
    score: float | None
    how: str
    """`sent`, `changed` or `waiting` (see Review)."""


def _held(session: Session, start: datetime, period: Period) -> list[_Held]:
    """Each answer held for an officer in the period, by the first answer the resident got on
    its ticket (or on the one it was merged into), the first first."""
    held = session.exec(
        select(FaqUse, Ticket)
        .join(Ticket, col(FaqUse.ticket_id) == Ticket.id)
        .where(col(FaqUse.reviewed), FaqUse.at >= start, period.by_cutoff(FaqUse.at))
        .order_by(col(FaqUse.at), col(FaqUse.id))
    ).all()
    found = []
    for use, ticket in held:
        first = session.exec(
            select(TicketEvent)
            .where(
                col(TicketEvent.ticket_id).in_(
                    [i for i in (ticket.id, ticket.merged_into_id) if i]
                ),
                col(TicketEvent.action).in_(_ANSWERING),
                period.by_cutoff(TicketEvent.at),
            )
            .order_by(col(TicketEvent.at), col(TicketEvent.id))
        ).first()
        if first is None:
            how = "waiting"
        else:
            how = "sent" if first.action == "faq" and first.text == use.entry_id else "changed"
        found.append(_Held(use.entry_id, ticket.receipt_no, use.at, use.score, how))
    return found


def _by_score(
    session: Session, start: datetime, period: Period, held: Sequence[_Held]
) -> list[Band]:
    """The answers the bot picked in the period, given and `held`, by their score."""
    edges: list[float | None] = [None, *SCORE_BANDS, None]
    bands = [Band(low, high) for low, high in itertools.pairwise(edges)]
    given = session.exec(
        select(FaqUse.score, FaqUse.turned_down).where(
            col(FaqUse.score).is_not(None),
            ~col(FaqUse.reviewed),
            FaqUse.at >= start,
            period.by_cutoff(FaqUse.at),
        )
    ).all()
    for score, down in given:
        band = bands[bisect_right(SCORE_BANDS, score)]
        if down:
            band.turned_down += 1
        else:
            band.answered += 1
    for answer in held:
        if answer.score is None:
            continue
        band = bands[bisect_right(SCORE_BANDS, answer.score)]
        band.answered += 1
        band.turned_down += answer.how == "changed"
        band.sent += answer.how == "sent"
        band.waiting += answer.how == "waiting"
    return [band for band in bands if band.answered or band.turned_down]


def _uses(
    session: Session,
    entries: Sequence[FaqEntry],
    start: datetime,
    period: Period,
    changed: Sequence[_Held],
) -> list[EntryUse]:
    """Each entry answered with (or turned down) in the period, the most turned down first;
    `changed` are held answers an officer did not send, misses too."""
    rows = session.exec(
        select(FaqUse.entry_id, FaqUse.turned_down, func.count())
        .where(FaqUse.at >= start, period.by_cutoff(FaqUse.at))
        .group_by(FaqUse.entry_id, FaqUse.turned_down)
    ).all()
    answered: Counter[str] = Counter()
    turned_down: Counter[str] = Counter()
    for entry_id, down, count in rows:
        (turned_down if down else answered)[entry_id] += count
    misses = session.exec(
        select(FaqUse.at, FaqUse.entry_id, Ticket.receipt_no)
        .join(Ticket, col(FaqUse.ticket_id) == Ticket.id)
        .where(col(FaqUse.turned_down), FaqUse.at >= start, period.by_cutoff(FaqUse.at))
    ).all()
    for held in changed:
        turned_down[held.entry_id] += 1
    tickets: dict[str, list[str]] = {}
    for _, entry_id, receipt in sorted(
        [*misses, *((h.at, h.entry_id, h.receipt) for h in changed)]
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
    review = report.review
    notes = [
        texts(
            "answers.summary",
            answered=report.answered,
            turned_down=report.turned_down - review.changed,
        )
    ]
    if review.held:  # how often the bot picked right, where officers check it first
        notes.append(
            texts(
                "answers.review",
                held=review.held,
                sent=review.sent,
                changed=review.changed,
                waiting=review.waiting,
            )
        )
    # what the table by score is read against
    if setting := _review_setting(settings, texts, report.always_reviewed):
        notes.append(setting)
    notes.append(texts("answers.passed_on", count=report.passed_on))
    if report.unused:
        named = _named(report.unused, texts)
        notes.append(texts("answers.unused", count=len(report.unused), entries=named))
    if len(shown) < len(report.used):
        notes.append(texts("answers.more", shown=len(shown), count=len(report.used)))
    gaps = report.gaps if limit is None else report.gaps[:GAPS_IN_CHAT]
    if len(gaps) < len(report.gaps):
        notes.append(texts("answers.gaps_more", shown=len(gaps), count=len(report.gaps)))
    sections = [("", rows)]
    if gaps:  # what new entries would answer
        sections.append((texts("answers.gaps"), _gap_rows(gaps, texts, fmt, limit)))
    if report.by_score:  # where review should start, or could end
        bands = _band_rows(report.by_score, texts, cell, reviewed=bool(report.review.held))
        sections.append((texts("answers.by_score"), bands))
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


def _named(ids: Sequence[str], texts: Texts) -> str:
    """Entry ids for a line of text: the first few, and how many more."""
    named = ", ".join(ids[:UNUSED_NAMED])
    if len(ids) > UNUSED_NAMED:
        named += " " + texts("answers.unused_more", count=len(ids) - UNUSED_NAMED)
    return named


def _review_setting(settings: Settings, texts: Texts, always: Sequence[str]) -> str | None:
    """Where answers wait for an officer now, by cut (`0.75 미만 (1:1 대화, 육아 소통방)`),
    and which entries' answers always do, to read the table by score against; None where no
    answer waits."""
    places: dict[float, list[str]] = {}
    for room in [None, *settings.rooms]:
        name = room.name if room else texts("room.direct")
        places.setdefault(settings.review_below(room), []).append(name)
    if set(places) == {0.0} and not always:
        return None
    parts = []
    for below, names in sorted(places.items(), key=lambda item: -item[0]):
        if below == math.inf:
            what = texts("answers.review_all")
        elif below:
            what = texts("answers.review_below", score=below)
        else:
            what = texts("answers.review_none")
        parts.append(f"{what} ({', '.join(names)})")
    if always:
        parts.append(texts("answers.review_entries", entries=_named(always, texts)))
    return texts("answers.review_setting", places=" · ".join(parts))


def _band_rows(
    bands: Sequence[Band], texts: Texts, cell: Callable[[int], str], *, reviewed: bool
) -> list[list[str]]:
    """The bands' rows; what officers did with held answers only in a month that had some."""
    columns = ("score", "answered", "turned_down", "sent", "waiting")[: 5 if reviewed else 3]
    rows = [[texts(f"answers.col.{column}") for column in columns]]
    for band in bands:
        if band.low is None:
            label = texts("answers.score_below", score=f"{band.high:.2f}")
        elif band.high is None:
            label = texts("answers.score_from", score=f"{band.low:.2f}")
        else:
            label = f"{band.low:.2f}–{band.high:.2f}"
        counts = (band.answered, band.turned_down, band.sent, band.waiting)
        rows.append([label, *map(cell, counts[: len(columns) - 1])])
    return rows


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
