"""Processing deadlines for residents' complaints, as 「민원 처리에 관한 법률」 §19 counts them.

- A period of 5 days or less is counted in working hours from the time of receipt, 8 working
  hours to a day; hours outside the office's working day do not elapse.
- A longer period is counted in days, the day of receipt counting as day 1; the deadline is the
  close of business (18:00 by default) of the last counted day.
- Saturdays, Sundays and public holidays (substitute holidays, 설날 and 추석 with the days around
  them, election days) are never counted. They come from the maintained `holidays` package, so
  a new substitute holiday arrives with a package update, not a code change; closures the
  package does not know yet (a newly declared 임시공휴일) are passed as `extra_holidays`.

A ticket received on a day that is not counted starts on the next working day. One received on a
working day after hours keeps that day as day 1 under the day rule: the law counts the first day
whatever the hour, and an earlier deadline is the one the county can defend.

Everything here is pure: no clock, no I/O. Times must be timezone-aware. `Office` carries a
county's own hours, closures and periods from `config.yaml`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import pairwise
from types import MappingProxyType
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import holidays

if TYPE_CHECKING:
    from bot.config import Settings

SEOUL = ZoneInfo("Asia/Seoul")

PERIOD_DAYS: Mapping[str, int] = MappingProxyType(
    {
        "question": 7,  # 단순 질의 (제도·절차에 관한 질의)
        "suggestion": 14,  # 정책 건의
        "inconvenience": 7,  # 고충 · 생활 불편
    }
)
"""Default processing period per ticket category, in days; a county may pass its own."""

HOURS_PER_DAY = 8
"""The law's working day, whatever the office's opening hours."""

HOURS_RULE_MAX_DAYS = 5
"""Periods up to this many days are counted in working hours; longer ones in days."""


@dataclass(frozen=True)
class OfficeHours:
    """When the office works, in its own time zone: the hours a short period uses up."""

    start: time = time(9)
    end: time = time(18)
    breaks: tuple[tuple[time, time], ...] = ((time(12), time(13)),)
    tz: ZoneInfo = SEOUL

    def __post_init__(self) -> None:
        if any(a >= b for a, b in pairwise(self._cuts())):
            raise ValueError("office hours must run start < breaks (in order) < end")

    def windows(self, day: date) -> list[tuple[datetime, datetime]]:
        """The working stretches of `day`, between the breaks."""
        cuts = self._cuts()
        return [
            (
                datetime.combine(day, cuts[i], tzinfo=self.tz),
                datetime.combine(day, cuts[i + 1], tzinfo=self.tz),
            )
            for i in range(0, len(cuts), 2)
        ]

    def _cuts(self) -> list[time]:
        return [self.start, *(t for pair in self.breaks for t in pair), self.end]


OFFICE_HOURS = OfficeHours()


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("KR", years=year))


def is_working_day(day: date, *, extra_holidays: Iterable[date] = ()) -> bool:
    """Whether `day` counts toward a deadline: a weekday that is neither a public holiday nor
    a county-declared closure."""
    _require_date(day)
    return (
        day.weekday() < 5
        and day not in _public_holidays(day.year)
        and day not in frozenset(extra_holidays)
    )


def next_opening(
    now: datetime, *, extra_holidays: Iterable[date] = (), hours: OfficeHours = OFFICE_HOURS
) -> datetime | None:
    """When the office next opens, or None while it is open (a working day between opening and
    closing; officers are back from a break within the hour)."""
    _require_aware(now)
    closed = frozenset(extra_holidays)
    local = _local(now, hours)
    day = local.date()
    if is_working_day(day, extra_holidays=closed) and local.time() >= hours.start:
        if local.time() < hours.end:
            return None
        day += timedelta(days=1)
    while not is_working_day(day, extra_holidays=closed):
        day += timedelta(days=1)
    return datetime.combine(day, hours.start, tzinfo=hours.tz)


def working_days_between(start: date, end: date, *, extra_holidays: Iterable[date] = ()) -> int:
    """Working days from `start` to `end`, both included (as the day of receipt is day 1);
    0 when `end` is before `start`."""
    _require_date(start)
    _require_date(end)
    closed = frozenset(extra_holidays)
    return sum(
        is_working_day(start + timedelta(days=n), extra_holidays=closed)
        for n in range((end - start).days + 1)
    )


def due_at(
    received: datetime,
    category: str,
    *,
    periods: Mapping[str, int] | None = None,
    extra_holidays: Iterable[date] = (),
    hours: OfficeHours = OFFICE_HOURS,
) -> datetime:
    """The legal deadline of a ticket of `category` received at `received`."""
    table = PERIOD_DAYS if periods is None else periods
    if category not in table:
        raise ValueError(f"no processing period for category {category!r}")
    return deadline(received, table[category], extra_holidays=extra_holidays, hours=hours)


def deadline(
    received: datetime,
    days: int,
    *,
    extra_holidays: Iterable[date] = (),
    hours: OfficeHours = OFFICE_HOURS,
) -> datetime:
    """The end of a `days`-day period starting at `received`: in working hours up to 5 days,
    else at the close of the `days`-th working day, counting the day of receipt."""
    if days < 1:
        raise ValueError("a processing period is at least one day")
    local = _local(received, hours)
    closed = frozenset(extra_holidays)
    if days <= HOURS_RULE_MAX_DAYS:
        return _add_working_hours(local, days * HOURS_PER_DAY, closed, hours)
    day = local.date()
    counted = 0
    while True:
        if is_working_day(day, extra_holidays=closed):
            counted += 1
            if counted == days:
                return datetime.combine(day, hours.end, tzinfo=hours.tz)
        day += timedelta(days=1)


def extend(
    due: datetime,
    days: int,
    *,
    extra_holidays: Iterable[date] = (),
    hours: OfficeHours = OFFICE_HOURS,
) -> datetime:
    """The deadline after the one extension: `days` working days later, counted as
    `days` × 8 working hours from the old deadline (so 18:00 stays 18:00)."""
    if days < 1:
        raise ValueError("an extension is at least one day")
    return _add_working_hours(
        _local(due, hours), days * HOURS_PER_DAY, frozenset(extra_holidays), hours
    )


@dataclass(frozen=True)
class Office:
    """One county office's calendar as `config.yaml` sets it: its hours, the closures it
    declared and its processing periods, for the functions above."""

    hours: OfficeHours = OFFICE_HOURS
    closures: frozenset[date] = frozenset()
    periods: Mapping[str, int] = field(default_factory=lambda: PERIOD_DAYS)

    @classmethod
    def of(cls, settings: Settings) -> Office:
        """The office of `config.yaml`: `office:` and `tickets.periods`, in county time."""
        office = settings.office
        return cls(
            hours=OfficeHours(office.opens, office.closes, tuple(office.breaks), settings.tz),
            closures=frozenset(office.closures),
            periods=MappingProxyType({**PERIOD_DAYS, **settings.tickets.periods}),
        )

    def works_on(self, day: date) -> bool:
        return is_working_day(day, extra_holidays=self.closures)

    def next_working_day(self, day: date, step: int = 1) -> date:
        """The working day nearest `day` after it (Monday, for a Friday); `step=-1`: before it."""
        day += timedelta(days=step)
        while not self.works_on(day):
            day += timedelta(days=step)
        return day

    def period(self, category: str) -> int:
        """The processing period of `category` in days, also its longest extension."""
        return self.periods[category]

    def due_at(self, received: datetime, category: str) -> datetime:
        return self.due(received, self.period(category))

    def due(self, received: datetime, days: int, extension: int | None = None) -> datetime:
        """The end of a `days`-day period from `received`, and of its `extension` if it has
        one: how a ticket's deadline is counted again when the calendar changes."""
        end = deadline(received, days, extra_holidays=self.closures, hours=self.hours)
        return self.extend(end, extension) if extension else end

    def extend(self, due: datetime, days: int) -> datetime:
        return extend(due, days, extra_holidays=self.closures, hours=self.hours)

    def next_opening(self, now: datetime) -> datetime | None:
        return next_opening(now, extra_holidays=self.closures, hours=self.hours)


def remaining(now: datetime, due: datetime) -> timedelta:
    """Clock time left before `due`; negative once it has passed."""
    _require_aware(now)
    _require_aware(due)
    return due - now


def is_overdue(now: datetime, due: datetime) -> bool:
    """Whether the deadline has passed (a ticket due at 18:00 is still on time at 18:00)."""
    return remaining(now, due) < timedelta(0)


def due_soon(now: datetime, due: datetime, within: timedelta = timedelta(hours=24)) -> bool:
    """Whether the deadline is still ahead but no further than `within`: worth a reminder."""
    left = remaining(now, due)
    return timedelta(0) <= left <= within


def _add_working_hours(
    start: datetime, count: int, closed: frozenset[date], hours: OfficeHours
) -> datetime:
    """The moment `count` working hours after `start`; time outside office hours stands still."""
    left = timedelta(hours=count)
    day = start.date()
    while True:
        if is_working_day(day, extra_holidays=closed):
            for opens, closes in hours.windows(day):
                begin = max(start, opens)
                if begin >= closes:
                    continue
                if closes - begin >= left:
                    return begin + left
                left -= closes - begin
        day += timedelta(days=1)


def _local(when: datetime, hours: OfficeHours) -> datetime:
    _require_aware(when)
    return when.astimezone(hours.tz)


def _require_aware(when: datetime) -> None:
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError("deadlines need timezone-aware times (e.g. tzinfo=ZoneInfo('Asia/Seoul'))")


def _require_date(day: date) -> None:
    if isinstance(day, datetime):
        raise TypeError("pass the office's local date, e.g. when.astimezone(tz).date()")
