"""Deadlines read off an officer's calendar: weekends, 설날 2027, 추석 2026, the hour rule for
short periods, the day-of-receipt-is-day-1 rule for long ones, and the one extension."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import holidays
import pytest

from bot.handlers.deadlines import (
    PERIOD_DAYS,
    SEOUL,
    Office,
    OfficeHours,
    deadline,
    due_at,
    due_soon,
    extend,
    is_overdue,
    is_working_day,
    next_opening,
    remaining,
    working_days_between,
)


def kst(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SEOUL)


SHORT = {"question": 3, "suggestion": 1}  # a county that configured short periods


# --- the calendar the library gives us ---------------------------------------------------------


def test_the_library_knows_seollal_2027_with_its_substitute_day() -> None:
    kr = holidays.country_holidays("KR", years=2027)
    assert sorted(d for d in kr if date(2027, 2, 5) <= d <= date(2027, 2, 10)) == [
        date(2027, 2, 6),  # Sat, the day before
        date(2027, 2, 7),  # Sun, 설날
        date(2027, 2, 8),  # Mon, the day after
        date(2027, 2, 9),  # Tue, substitute (설날 fell on a Sunday)
    ]
    assert not is_working_day(date(2027, 2, 9))
    assert is_working_day(date(2027, 2, 10))


def test_chuseok_2026_and_the_substitute_for_national_foundation_day() -> None:
    closed = [date(2026, 9, 24), date(2026, 9, 25), date(2026, 9, 26), date(2026, 10, 5)]
    assert not any(is_working_day(d) for d in closed)
    # 추석's second day is a Saturday: no substitute day for that, so Monday the 28th is open.
    assert is_working_day(date(2026, 9, 28))


def test_weekends_and_weekdays() -> None:
    assert is_working_day(date(2026, 11, 20))  # Friday
    assert not is_working_day(date(2026, 11, 21))  # Saturday
    assert not is_working_day(date(2026, 11, 22))  # Sunday


def test_county_declared_closures_are_not_counted() -> None:
    assert not is_working_day(date(2026, 11, 20), extra_holidays=[date(2026, 11, 20)])


def test_working_days_between_counts_both_ends() -> None:
    assert working_days_between(date(2026, 11, 16), date(2026, 11, 20)) == 5
    assert working_days_between(date(2026, 11, 20), date(2026, 11, 23)) == 2  # Fri, Mon
    assert working_days_between(date(2026, 9, 23), date(2026, 10, 6)) == 7  # 추석, 개천절
    assert working_days_between(date(2026, 11, 20), date(2026, 11, 19)) == 0


def test_a_datetime_is_not_taken_for_a_date() -> None:
    with pytest.raises(TypeError):
        is_working_day(kst(2026, 11, 20))


# --- periods counted in days (6 days or more) ---------------------------------------------------


def test_a_question_received_on_the_friday_before_seollal_2027() -> None:
    # Fri 5 is day 1; Sat 6 to Tue 9 are not counted; Wed 10 … Wed 17 are days 2-7.
    assert due_at(kst(2027, 2, 5), "question") == kst(2027, 2, 17, 18)


def test_a_complaint_received_the_day_before_chuseok_2026() -> None:
    # Wed 23 is day 1; 24-27 closed; Mon 28 - Fri 2 are days 2-6; 3-5 closed; Tue 6 is day 7.
    assert due_at(kst(2026, 9, 23), "inconvenience") == kst(2026, 10, 6, 18)


def test_across_a_weekend() -> None:
    assert due_at(kst(2026, 11, 12), "question") == kst(2026, 11, 20, 18)  # Thu → Fri
    assert due_at(kst(2026, 11, 2), "suggestion") == kst(2026, 11, 19, 18)  # 14 days


def test_the_day_of_receipt_is_day_one_whatever_the_hour() -> None:
    monday_morning = due_at(kst(2026, 11, 16, 9, 0), "question")
    assert monday_morning == kst(2026, 11, 24, 18)  # Mon 16 … Tue 24 is 7 working days
    assert due_at(kst(2026, 11, 16, 17, 59), "question") == monday_morning
    # after hours the day still counts: the law counts the first day, and the earlier date
    # is the one the county can defend
    assert due_at(kst(2026, 11, 16, 21, 0), "question") == monday_morning


def test_received_on_a_saturday_counting_starts_on_monday() -> None:
    assert due_at(kst(2026, 11, 14, 11), "question") == due_at(kst(2026, 11, 16, 9), "question")


def test_a_county_closure_pushes_the_deadline() -> None:
    closure = [date(2026, 11, 20)]
    assert due_at(kst(2026, 11, 12), "question", extra_holidays=closure) == kst(2026, 11, 23, 18)


def test_office_hours_set_the_close_of_business() -> None:
    early = OfficeHours(start=time(8, 30), end=time(17, 30))
    assert due_at(kst(2026, 11, 12), "question", hours=early) == kst(2026, 11, 20, 17, 30)


def test_a_receipt_time_in_another_zone_is_read_as_seoul_time() -> None:
    # 2026-11-15 23:00 UTC is Monday 16th 08:00 in Seoul
    assert due_at(datetime(2026, 11, 15, 23, tzinfo=UTC), "question") == kst(2026, 11, 24, 18)


# --- periods of 5 days or less: working hours ---------------------------------------------------


def test_three_days_from_friday_1630_end_at_wednesday_1630() -> None:
    # Fri 1.5 h, Mon 8 h, Tue 8 h, Wed 09-12 and 13-16:30 6.5 h: 24 working hours
    assert due_at(kst(2026, 11, 20, 16, 30), "question", periods=SHORT) == kst(2026, 11, 25, 16, 30)


def test_hours_received_on_a_saturday_start_monday_morning() -> None:
    assert due_at(kst(2026, 11, 21, 10), "question", periods=SHORT) == kst(2026, 11, 25, 18)


def test_hours_received_after_hours_start_the_next_working_morning() -> None:
    assert due_at(kst(2026, 11, 20, 20), "question", periods=SHORT) == kst(2026, 11, 25, 18)
    assert due_at(kst(2026, 11, 23, 7), "question", periods=SHORT) == kst(2026, 11, 25, 18)


def test_lunch_time_does_not_count() -> None:
    # from 13:00: Mon 5 h, Tue 8, Wed 8, Thu 09-12 3 h
    assert due_at(kst(2026, 11, 23, 12, 30), "question", periods=SHORT) == kst(2026, 11, 26, 12)
    # one day from 11:00: Mon 11-12 and 13-18 (6 h), Tue 09-11
    assert due_at(kst(2026, 11, 23, 11), "suggestion", periods=SHORT) == kst(2026, 11, 24, 11)


def test_hours_skip_chuseok() -> None:
    # Wed 15-18 (3 h), then 24-27 closed, Mon 09-12 and 13-15
    assert deadline(kst(2026, 9, 23, 15), 1) == kst(2026, 9, 28, 15)


def test_when_the_office_next_opens() -> None:
    assert next_opening(kst(2026, 11, 23, 10)) is None  # a Monday morning: open
    assert next_opening(kst(2026, 11, 23, 12, 30)) is None  # lunch: back within the hour
    assert next_opening(kst(2026, 11, 23, 8, 59)) == kst(2026, 11, 23, 9)  # before opening
    assert next_opening(kst(2026, 11, 23, 18)) == kst(2026, 11, 24, 9)  # after closing
    assert next_opening(kst(2026, 11, 27, 21)) == kst(2026, 11, 30, 9)  # Friday night
    assert next_opening(kst(2026, 9, 23, 19)) == kst(2026, 9, 28, 9)  # before 추석
    assert next_opening(kst(2026, 11, 23, 10), extra_holidays=[date(2026, 11, 23)]) == kst(
        2026, 11, 24, 9
    )
    # a time read in UTC is Seoul time: 2026-11-23 01:00 UTC is 10:00 KST
    assert next_opening(datetime(2026, 11, 23, 1, tzinfo=UTC)) is None


def test_the_working_days_either_side_of_a_break() -> None:
    office = Office(closures=frozenset({date(2026, 11, 30)}))
    assert office.next_working_day(date(2026, 11, 27)) == date(2026, 12, 1)  # Fri → Tue
    assert office.next_working_day(date(2026, 12, 1), -1) == date(2026, 11, 27)
    assert Office().next_working_day(date(2026, 9, 23)) == date(2026, 9, 28)  # over 추석
    assert Office().next_working_day(date(2026, 9, 28), -1) == date(2026, 9, 23)


def test_five_days_are_hours_six_days_are_days() -> None:
    received = kst(2026, 11, 16, 14)
    assert deadline(received, 5) == kst(2026, 11, 23, 14)
    assert deadline(received, 6) == kst(2026, 11, 23, 18)


# --- extension and reminders --------------------------------------------------------------------


def test_an_extension_counts_working_days_from_the_old_deadline() -> None:
    assert extend(kst(2026, 11, 20, 18), 3) == kst(2026, 11, 25, 18)  # Fri → Wed
    # due on the Wednesday before 설날 2027: Thu, Fri, (6-9 closed) Wed, Thu, Fri
    assert extend(kst(2027, 2, 3, 18), 5) == kst(2027, 2, 12, 18)
    # an hour-counted deadline keeps its time of day
    assert extend(kst(2026, 11, 25, 16, 30), 2) == kst(2026, 11, 27, 16, 30)


def test_an_extension_of_a_deadline_read_back_in_utc() -> None:
    stored = kst(2026, 11, 20, 18).astimezone(UTC)  # as the database returns it
    assert extend(stored, 3) == kst(2026, 11, 25, 18)


def test_remaining_overdue_and_due_soon() -> None:
    due = kst(2026, 11, 20, 18)
    assert remaining(kst(2026, 11, 20, 9), due) == timedelta(hours=9)
    assert not is_overdue(due, due)
    assert is_overdue(due + timedelta(minutes=1), due)
    assert remaining(kst(2026, 11, 21, 18), due) == timedelta(days=-1)
    assert due_soon(kst(2026, 11, 19, 18), due)
    assert not due_soon(kst(2026, 11, 19, 17), due)
    assert due_soon(kst(2026, 11, 17, 18), due, within=timedelta(days=3))
    assert not due_soon(kst(2026, 11, 21), due)  # overdue is not "soon"


# --- misuse -------------------------------------------------------------------------------------


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        due_at(datetime(2026, 11, 20, 10), "question")
    with pytest.raises(ValueError, match="timezone-aware"):
        is_overdue(datetime(2026, 11, 20, 10), kst(2026, 11, 20, 18))


def test_unknown_categories_and_empty_periods_are_refused() -> None:
    with pytest.raises(ValueError, match="category"):
        due_at(kst(2026, 11, 20), "chatter")
    with pytest.raises(ValueError):
        deadline(kst(2026, 11, 20), 0)
    with pytest.raises(ValueError):
        extend(kst(2026, 11, 20), 0)


def test_default_periods_follow_the_law_and_are_read_only() -> None:
    assert dict(PERIOD_DAYS) == {"question": 7, "suggestion": 14, "inconvenience": 7}
    with pytest.raises(TypeError):
        PERIOD_DAYS["question"] = 3  # type: ignore[index]


def test_office_hours_must_be_in_order() -> None:
    with pytest.raises(ValueError):
        OfficeHours(start=time(18), end=time(9))
    with pytest.raises(ValueError):
        OfficeHours(breaks=((time(13), time(12)),))
