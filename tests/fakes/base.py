"""What the fake platforms share: an aiohttp server on 127.0.0.1 that records every API call
and can be told to misbehave on the next calls of a method (answer 429 or 5xx, or hang)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Self, TypeVar

from aiohttp import web

T = TypeVar("T")


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]
    at: float
    """`time.monotonic()` when the call arrived."""
    status: int = 200


@dataclass(frozen=True)
class Fault:
    status: int = 0
    retry_after: int | None = None
    hang: float = 0.0


class FakeServer:
    """Subclasses add routes to `self.app` and call `answer_fault` at the top of an API call."""

    def __init__(self) -> None:
        self.app = web.Application()
        self.calls: list[Call] = []
        self.port = 0
        self.closing = asyncio.Event()
        """Set on stop: long polls and hanging calls return at once."""
        self._faults: defaultdict[str, deque[Fault]] = defaultdict(deque)
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def start(self) -> None:
        self._runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        self.port = self._runner.addresses[0][1]
        self.closing.clear()

    async def stop(self) -> None:
        """Stop listening (the port is kept, so `start` again brings the same server back)."""
        self.closing.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # --- misbehaving on request ---------------------------------------------------------------

    def fail(
        self, method: str, status: int, *, retry_after: int | None = None, times: int = 1
    ) -> None:
        """The next `times` calls of `method` get `status` (429 with `retry_after`, 5xx …)."""
        self._faults[method].extend([Fault(status=status, retry_after=retry_after)] * times)

    def hang(self, method: str, seconds: float, *, times: int = 1) -> None:
        """The next `times` calls of `method` get no answer for `seconds` (and are lost)."""
        self._faults[method].extend([Fault(hang=seconds)] * times)

    async def take_fault(self, method: str, params: dict[str, Any]) -> Fault | None:
        """The fault planned for this call, if any, recorded as a failed call."""
        faults = self._faults.get(method)
        if not faults:
            return None
        fault = faults.popleft()
        self.calls.append(Call(method, params, time.monotonic(), fault.status or 504))
        if fault.hang:
            await self.sleep(fault.hang)
        return fault

    async def sleep(self, seconds: float) -> None:
        """Sleep, but wake up when the server stops."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self.closing.wait()

    def record(self, method: str, params: dict[str, Any]) -> None:
        self.calls.append(Call(method, params, time.monotonic()))

    def called(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    # --- tests wait for what the bot does -----------------------------------------------------

    async def wait_until(self, check: Callable[[], T], timeout: float = 15.0, what: str = "") -> T:
        """Poll `check` until it returns something truthy; fail the test after `timeout`."""
        deadline = time.monotonic() + timeout
        while not (result := check()):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what or check}")
            await asyncio.sleep(0.02)
        return result


async def request_params(request: web.Request) -> dict[str, Any]:
    """An API call's parameters, whether sent in the query, form-encoded, multipart or JSON."""
    params: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        body = await request.json() if request.can_read_body else None
        params.update(body or {})
    elif request.can_read_body:
        form = await request.post()
        params.update({k: v if isinstance(v, str) else str(v) for k, v in form.items()})
    return params


def json_field(value: Any) -> Any:
    """Nested objects arrive JSON-encoded inside form fields."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        return json.loads(value)
    return value
