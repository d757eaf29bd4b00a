"""The outbox: every outgoing message is stored, then delivered by a worker that retries
with backoff and records the result. Messages to one chat go out in order; chats are
delivered concurrently so one slow room never holds up the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.adapter import Adapter, SendError
from bot.messages import Outgoing
from storage.db import session_scope
from storage.models import OutboxItem

log = logging.getLogger(__name__)

MAX_BACKOFF = 300.0
Now = Callable[[], datetime]


def backoff(attempts: int) -> float:
    """Seconds to wait after the `attempts`-th failure: 1, 2, 4 … up to five minutes."""
    return min(2.0 ** (attempts - 1), MAX_BACKOFF)


def enqueue(
    session: Session,
    out: Outgoing,
    now: datetime,
    *,
    source_inbox_id: int | None = None,
    dedupe_key: str | None = None,
    not_before: datetime | None = None,
) -> bool:
    """Queue `out` in the caller's transaction. With a `dedupe_key` a second queueing of the
    same message is ignored (returns False), so a broadcast survives restarts without repeats."""
    item = OutboxItem(
        platform=out.platform,
        chat_id=out.chat_id,
        payload=out.to_json(),
        created_at=now,
        not_before=not_before or now,
        source_inbox_id=source_inbox_id,
        dedupe_key=dedupe_key,
    )
    if dedupe_key is None:
        session.add(item)
        return True
    with session.begin_nested():
        try:
            session.add(item)
            session.flush()
        except IntegrityError:
            return False
    return True


LEASE = timedelta(seconds=30)
"""A claimed message belongs to its worker this long after the worker last touched it; a
worker touches its batch before every send, so only a dead worker's claims go stale."""
BATCH = 10
"""Messages claimed per chat at a time, so a slow (rate-limited) chat holds few claims."""


class Outbox:
    def __init__(
        self,
        engine: Engine,
        adapters: Mapping[str, Adapter],
        now: Now,
        *,
        lease: timedelta = LEASE,
    ) -> None:
        self.engine = engine
        self.adapters = adapters
        self.now = now
        self.lease = lease
        self.wake = asyncio.Event()
        self._busy: dict[tuple[str, str], asyncio.Task[None]] = {}

    def _claim_due(self) -> dict[tuple[str, str], list[int]]:
        """Claim due messages for chats not already being delivered, grouped by chat.

        A chat whose oldest waiting message is not due yet is skipped whole, so messages to
        one chat never overtake each other.
        """
        now = self.now()
        stale = now - self.lease
        batches: dict[tuple[str, str], list[int]] = {}
        blocked: set[tuple[str, str]] = set(self._busy)
        with session_scope(self.engine) as session:
            rows = session.exec(
                select(OutboxItem)
                .where(OutboxItem.status.in_(("pending", "sending")))
                .where(OutboxItem.platform.in_(list(self.adapters)))
                .order_by(OutboxItem.id)
                .limit(500)
            ).all()
            for item in rows:
                chat = (item.platform, item.chat_id)
                if chat in blocked:
                    continue
                if item.status == "pending" and item.not_before > now:
                    blocked.add(chat)
                    continue
                if item.status == "sending" and item.claimed_at > stale:
                    blocked.add(chat)  # another worker is delivering this chat right now
                    continue
                still_due = (
                    OutboxItem.status == "pending"
                    if item.status == "pending"
                    else (OutboxItem.status == "sending") & (OutboxItem.claimed_at < stale)
                )
                claimed = session.execute(
                    update(OutboxItem)
                    .where(OutboxItem.id == item.id, still_due)
                    .values(status="sending", claimed_at=now)
                )
                if claimed.rowcount == 1:
                    batch = batches.setdefault(chat, [])
                    batch.append(item.id)
                    if len(batch) >= BATCH:
                        blocked.add(chat)
        return batches

    async def deliver_due(self) -> int:
        """Start delivery of everything due, wait for it, return how many were sent."""
        results = await asyncio.gather(
            *(self._deliver_chat(ids) for ids in self._claim_due().values())
        )
        return sum(results)

    async def run(self) -> None:
        """The delivery worker: one task per busy chat, woken on enqueue and every second."""
        while True:
            for chat, ids in self._claim_due().items():
                task = asyncio.create_task(self._deliver_chat(ids))
                self._busy[chat] = task
                task.add_done_callback(lambda _t, chat=chat: self._finished(chat))
            # asyncio.timeout, not wait_for: on 3.11 wait_for swallows a cancel that
            # arrives as the event is set, and stop() would wait forever.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(1.0):
                    await self.wake.wait()
            self.wake.clear()

    def _finished(self, chat: tuple[str, str]) -> None:
        self._busy.pop(chat, None)
        self.wake.set()

    async def stop(self) -> None:
        tasks = list(self._busy.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _deliver_chat(self, ids: list[int]) -> int:
        sent = 0
        for index, item_id in enumerate(ids):
            self._touch(ids[index:])
            if not await self._deliver_one(item_id):
                self._release(ids[index + 1 :])
                break
            sent += 1
        return sent

    async def _deliver_one(self, item_id: int) -> bool:
        with Session(self.engine) as session:
            item = session.get(OutboxItem, item_id)
            out = Outgoing.from_json(item.payload)
        adapter = self.adapters[out.platform]
        try:
            message_id = await adapter.send(out)
        except asyncio.CancelledError:
            self._release([item_id])
            raise
        except Exception as exc:  # every failure is recorded and retried, never dropped
            self._failed(item_id, exc)
            return False
        with session_scope(self.engine) as session:
            item = session.get(OutboxItem, item_id)
            item.status = "sent"
            item.sent_at = self.now()
            item.attempts += 1
            item.platform_message_id = message_id
            item.last_error = None
        return True

    def _failed(self, item_id: int, exc: Exception) -> None:
        permanent = isinstance(exc, SendError) and exc.permanent
        retry_after = exc.retry_after if isinstance(exc, SendError) else None
        with session_scope(self.engine) as session:
            item = session.get(OutboxItem, item_id)
            item.attempts += 1
            item.last_error = f"{type(exc).__name__}: {exc}"
            if permanent:
                item.status = "failed"
                log.error(
                    "message %s to %s:%s refused for good: %s",
                    item_id,
                    item.platform,
                    item.chat_id,
                    exc,
                )
            else:
                delay = retry_after if retry_after is not None else backoff(item.attempts)
                item.status = "pending"
                item.not_before = self.now() + timedelta(seconds=delay)
                log.warning(
                    "message %s to %s:%s failed (attempt %d), retrying in %.1fs: %s",
                    item_id,
                    item.platform,
                    item.chat_id,
                    item.attempts,
                    delay,
                    exc,
                )

    def _touch(self, ids: list[int]) -> None:
        """Renew this worker's claim on the messages it is still going to send."""
        with session_scope(self.engine) as session:
            session.execute(
                update(OutboxItem)
                .where(OutboxItem.id.in_(ids), OutboxItem.status == "sending")
                .values(claimed_at=self.now())
            )

    def _release(self, ids: list[int]) -> None:
        if not ids:
            return
        with session_scope(self.engine) as session:
            session.execute(
                update(OutboxItem)
                .where(OutboxItem.id.in_(ids), OutboxItem.status == "sending")
                .values(status="pending", claimed_at=None)
            )
