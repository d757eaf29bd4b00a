"""The inbox: every incoming event is stored before it is handled, once per delivery.

Handling an item and queueing its replies commit together, so a crash at any point leaves the
item either untouched (handled again on restart) or handled with its replies in the outbox.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.messages import Event
from storage.db import session_scope
from storage.models import InboxItem

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
LEASE = timedelta(seconds=10)
"""How long a claimed item belongs to the process handling it. Handling takes milliseconds,
so a claim older than this means that process died and another (or its restart) takes over."""
Handle = Callable[[Session, InboxItem, Event], Awaitable[None]]


class Inbox:
    def __init__(self, engine: Engine, *, lease: timedelta = LEASE) -> None:
        self.engine = engine
        self.lease = lease

    def accept(self, event: Event, now: datetime) -> bool:
        """Store `event`; return False when this delivery was already stored (a redelivery)."""
        item = InboxItem(
            platform=event.platform,
            delivery_id=event.delivery_id,
            payload=event.to_json(),
            received_at=now,
        )
        try:
            with session_scope(self.engine) as session:
                session.add(item)
        except IntegrityError:
            return False
        return True

    def is_known(self, platform: str, delivery_id: str) -> bool:
        with Session(self.engine) as session:
            found = session.exec(
                select(InboxItem.id).where(
                    InboxItem.platform == platform, InboxItem.delivery_id == delivery_id
                )
            ).first()
        return found is not None

    def _claim_next(self, now: datetime) -> int | None:
        """Take the oldest unhandled item (or one whose handler died) for this process."""
        stale = now - self.lease
        with session_scope(self.engine) as session:
            candidates = session.exec(
                select(InboxItem.id)
                .where(
                    or_(
                        InboxItem.status == "pending",
                        (InboxItem.status == "handling") & (InboxItem.claimed_at < stale),
                    )
                )
                .order_by(InboxItem.id)
                .limit(5)
            ).all()
            for item_id in candidates:
                claimed = session.execute(
                    update(InboxItem)
                    .where(
                        InboxItem.id == item_id,
                        or_(
                            InboxItem.status == "pending",
                            (InboxItem.status == "handling") & (InboxItem.claimed_at < stale),
                        ),
                    )
                    .values(status="handling", claimed_at=now, attempts=InboxItem.attempts + 1)
                )
                if claimed.rowcount == 1:
                    return item_id
        return None

    async def handle_pending(self, handle: Handle, now: Callable[[], datetime]) -> int:
        """Handle every unhandled item in arrival order; return how many were handled."""
        count = 0
        while (item_id := self._claim_next(now())) is not None:
            await self._handle_one(item_id, handle, now)
            count += 1
        return count

    async def _handle_one(self, item_id: int, handle: Handle, now: Callable[[], datetime]) -> None:
        try:
            with session_scope(self.engine) as session:
                item = session.get(InboxItem, item_id)
                await handle(session, item, Event.from_json(item.payload))
                item.status = "handled"
                item.handled_at = now()
                item.error = None
        except Exception as exc:
            log.exception("handling inbox item %s failed", item_id)
            with session_scope(self.engine) as session:
                item = session.get(InboxItem, item_id)
                item.error = f"{type(exc).__name__}: {exc}"
                item.status = "failed" if item.attempts >= MAX_ATTEMPTS else "pending"
