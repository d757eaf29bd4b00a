"""Pacing of platform traffic: sliding-window send limits that make a sender wait instead of
being refused, and the growing pause between attempts to reach a platform that is down.

Platforms count a message when it reaches them, so a send holds its place in a window from
the moment it starts until its answer is back: whatever the network does in between, the
platform never sees more than `count` messages in any `seconds`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable

log = logging.getLogger(__name__)

Clock = Callable[[], float]


class Window:
    """At most `count` sends in any `seconds`: sends in flight and recent ones both count."""

    def __init__(self, count: int, seconds: float) -> None:
        self.count = count
        self.seconds = seconds
        self._finished: deque[float] = deque()
        self._in_flight = 0

    def wait_time(self, now: float) -> float:
        """Seconds until one more send fits (`inf`: until a send in flight finishes)."""
        while self._finished and self._finished[0] <= now - self.seconds:
            self._finished.popleft()
        if len(self._finished) + self._in_flight < self.count:
            return 0.0
        if not self._finished:
            return math.inf
        return self._finished[0] + self.seconds - now

    def begin(self) -> None:
        self._in_flight += 1

    def end(self, now: float) -> None:
        self._in_flight -= 1
        self._finished.append(now)


class Saturated(Exception):
    """The limits would hold a send back longer than its caller is willing to wait."""

    def __init__(self, wait: float) -> None:
        super().__init__(f"send limit reached; room again in {wait:.1f}s")
        self.wait = wait


class RateLimiter:
    """Named windows (per chat, per group, overall …); `slot` waits until a send fits them all."""

    def __init__(self, clock: Clock = time.monotonic) -> None:
        self._clock = clock
        self._windows: dict[Hashable, Window] = {}
        self._changed = asyncio.Event()

    def window(self, key: Hashable, count: int, seconds: float) -> Window:
        found = self._windows.get(key)
        if found is None:
            found = self._windows[key] = Window(count, seconds)
        return found

    @contextlib.asynccontextmanager
    async def slot(self, *windows: Window, max_wait: float = math.inf) -> AsyncIterator[None]:
        """Wait for room in every window, then hold it while the body sends.

        When the wait would be longer than `max_wait`, raise `Saturated` at once instead, so
        the caller can give the send back (the outbox then retries it when there is room)
        rather than hold it for minutes."""
        while (delay := max((w.wait_time(self._clock()) for w in windows), default=0.0)) > 0:
            if delay > max_wait and not math.isinf(delay):
                raise Saturated(delay)
            changed = self._changed
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(None if math.isinf(delay) else delay):
                    await changed.wait()
        for window in windows:
            window.begin()
        try:
            yield
        finally:
            now = self._clock()
            for window in windows:
                window.end(now)
            self._changed.set()  # wake waiters blocked on sends in flight
            self._changed = asyncio.Event()


def backoff(attempt: int, *, first: float = 1.0, cap: float = 60.0) -> float:
    """Pause before the `attempt`-th retry (1-based): first, 2×first, 4×first … up to `cap`."""
    return min(first * 2 ** (attempt - 1), cap)


async def keep_trying(
    attempt: Callable[[], Awaitable[None]],
    *,
    what: str,
    transient: tuple[type[BaseException], ...],
    first: float = 1.0,
) -> None:
    """Run `attempt` until it succeeds; transient failures are logged and retried with
    backoff, anything else ends the loop with an error log (a retry would not fix it)."""
    tries = 0
    while True:
        try:
            await attempt()
            return
        except transient as exc:
            tries += 1
            delay = backoff(tries, first=first)
            log.warning("%s failed (%s); trying again in %.1fs", what, exc, delay)
            await asyncio.sleep(delay)
        except Exception as exc:
            log.error("%s failed for good: %s", what, exc)
            return


async def connect_or_keep_trying(
    connect: Callable[[], Awaitable[None]],
    *,
    platform: str,
    where: str,
    transient: tuple[type[BaseException], ...],
    first: float = 1.0,
) -> asyncio.Task[None] | None:
    """Run `connect` once; when `where` is out of reach, keep trying in a background task
    (returned, for `stop_trying`), so one unreachable platform never holds up the others."""
    try:
        await connect()
    except transient as exc:
        log.warning(
            "%s: cannot reach %s yet (%r); connecting in the background", platform, where, exc
        )
        return asyncio.create_task(
            keep_trying(connect, what=f"{platform}: connecting", transient=transient, first=first)
        )
    return None


async def stop_trying(task: asyncio.Task[None] | None) -> None:
    """Cancel a `connect_or_keep_trying` task and wait until it has really ended."""
    if task is not None:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
