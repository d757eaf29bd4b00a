"""Time as the bot sees it. Replays and tests set it; live runs follow the wall clock."""

from __future__ import annotations

from datetime import UTC, datetime


class Clock:
    """The wall clock, unless `set()` pinned it (replay moves it to each event's time)."""

    def __init__(self) -> None:
        self._pinned: datetime | None = None

    def now(self) -> datetime:
        return self._pinned or datetime.now(UTC)

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("the clock needs a timezone-aware time")
        self._pinned = when.astimezone(UTC)
