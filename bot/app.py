"""The app: wires config, storage, adapters, middleware and the router together, and starts
and stops them cleanly. It knows no platform and no county rule; `bot.assemble` gives it both.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot import privacy
from bot.adapter import Adapter, CommandInfo
from bot.clock import Clock
from bot.config import Settings
from bot.context import Context
from bot.inbox import Inbox
from bot.messages import Event, well_formed_event
from bot.middleware import Middleware, chain
from bot.outbox import Outbox, enqueue
from bot.router import Router
from bot.texts import Texts
from storage import make_engine, session_scope, upgrade
from storage.models import Identity, InboxItem, Person, Room
from storage.queries import find_identity

log = logging.getLogger(__name__)

Ticker = Callable[[datetime], Awaitable[None]]
"""A periodic job: called about every `tick_seconds`, and by replay before each event."""


class App:
    def __init__(
        self,
        settings: Settings,
        *,
        router: Router,
        adapters: Sequence[Adapter] = (),
        middleware: Sequence[Middleware] = (),
        services: dict[str, Any] | None = None,
        engine: Engine | None = None,
        clock: Clock | None = None,
        tick_seconds: float = 30.0,
    ) -> None:
        self.settings = settings
        self.router = router
        self.adapters: dict[str, Adapter] = {a.platform: a for a in adapters}
        self.engine = engine or make_engine(settings.database)
        self.clock = clock or Clock()
        self.texts = Texts(settings.locale)
        self.services: dict[str, Any] = {"app": self, "clock": self.clock, **(services or {})}
        self.tickers: list[Ticker] = []
        self.workers: list[Callable[[], Awaitable[None]]] = []
        """Long-running loops (the notice scheduler) started with the background workers and
        cancelled on stop; replays and tests drive the same work through `tickers`."""
        self.tick_seconds = tick_seconds
        self.inbox = Inbox(self.engine)
        self.outbox = Outbox(self.engine, self.adapters, self.clock.now)
        self._pipeline = chain(middleware, router.dispatch)
        self._inbox_wake = asyncio.Event()
        self._tasks: list[asyncio.Task[Any]] = []
        self._started: list[Adapter] = []

    # --- lifecycle ------------------------------------------------------------------------

    def prepare_database(self) -> None:
        """Migrate the schema and mirror the config's rooms and officers into it."""
        upgrade(self.engine)
        with session_scope(self.engine) as session:
            self._sync_rooms(session)
            self._sync_officers(session)

    async def start(self, *, workers: bool = True) -> None:
        """Start storage, adapters and (unless a replay drives them) the background workers."""
        self.prepare_database()
        commands = [
            CommandInfo(name=name, usage=self.texts.maybe(route.usage), role=route.role)
            for name, route in self.router.commands().items()
        ]
        # Side by side: a platform slow to answer at start never delays the others.
        await asyncio.gather(*(self._start_adapter(a, commands) for a in self.adapters.values()))
        if workers:
            self._tasks = [
                asyncio.create_task(self._inbox_loop(), name="inbox"),
                asyncio.create_task(self.outbox.run(), name="outbox"),
                asyncio.create_task(self._tick_loop(), name="ticks"),
                *(asyncio.create_task(worker()) for worker in self.workers),
            ]

    async def _start_adapter(self, adapter: Adapter, commands: list[CommandInfo]) -> None:
        try:
            await adapter.start(self.receive)
            await adapter.publish_commands(commands)
        except Exception:
            log.exception("the %s adapter failed to start; the others go on", adapter.platform)
            return
        self._started.append(adapter)
        log.info("%s adapter started", adapter.platform)

    async def stop(self) -> None:
        for adapter in reversed(self._started):
            try:
                await adapter.stop()
            except Exception:
                log.exception("the %s adapter did not stop cleanly", adapter.platform)
        self._started.clear()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        await self.outbox.stop()
        self.engine.dispose()

    # --- the flow of one event --------------------------------------------------------------

    async def receive(self, event: Event) -> bool:
        """Adapter callback: store the event (once per delivery) and wake the handler.

        A resident registration number is removed before anything is stored, and a character
        UTF-8 cannot hold (a lone surrogate) is replaced.
        """
        event = well_formed_event(event)
        text, removed = privacy.strip_rrn(event.text)
        if removed:
            event = replace(event, text=text)
        accepted = self.inbox.accept(event, self.clock.now())
        if accepted:
            self._inbox_wake.set()
        else:
            log.info("duplicate delivery %s/%s ignored", event.platform, event.delivery_id)
        return accepted

    async def _handle(self, session: Session, item: InboxItem, event: Event) -> None:
        ctx = Context(
            event=event,
            session=session,
            settings=self.settings,
            texts=self.texts,
            now=self.clock.now(),
            services=self.services,
        )
        await self._pipeline(ctx)
        for out in ctx.outgoing:
            enqueue(session, out, ctx.now, source_inbox_id=item.id)
        if ctx.outgoing:
            self.outbox.wake.set()

    async def drain(self) -> None:
        """Handle every stored event and send everything due (replays and tests drive this)."""
        while await self.inbox.handle_pending(self._handle, self.clock.now) or (
            await self.outbox.deliver_due()
        ):
            pass

    async def tick(self) -> None:
        for ticker in self.tickers:
            try:
                await ticker(self.clock.now())
            except Exception:
                log.exception("periodic job %s failed", getattr(ticker, "__name__", ticker))

    async def _inbox_loop(self) -> None:
        while True:
            await self.inbox.handle_pending(self._handle, self.clock.now)
            with contextlib.suppress(TimeoutError):  # not wait_for: it can swallow a cancel
                async with asyncio.timeout(5.0):
                    await self._inbox_wake.wait()
            self._inbox_wake.clear()

    async def _tick_loop(self) -> None:
        while True:
            await self.tick()
            await asyncio.sleep(self.tick_seconds)

    # --- config mirrored into the database --------------------------------------------------

    def _sync_rooms(self, session: Session) -> None:
        existing = {room.key: room for room in session.exec(select(Room)).all()}
        for room in self.settings.rooms:
            row = existing.get(room.key) or Room(
                key=room.key, name=room.name, platform="", chat_id=""
            )
            row.name, row.platform, row.chat_id = room.name, room.platform, room.chat_id
            row.mode, row.groups = room.mode, json.dumps(room.groups, ensure_ascii=False)
            session.add(row)

    def _sync_officers(self, session: Session) -> None:
        """Officers listed in config get a person and identities, so commands know them."""
        for officer in self.settings.officers:
            identities = {
                platform: find_identity(session, platform, user_id)
                for platform, user_id in officer.ids.items()
            }
            known = next((i for i in identities.values() if i is not None), None)
            person = session.get(Person, known.person_id) if known else None
            if person is None:
                person = Person(name=officer.name, role=officer.role, created_at=self.clock.now())
                session.add(person)
                session.flush()
            person.name = officer.name
            if person.role == "resident":
                person.role = officer.role
            for platform, identity in identities.items():
                if identity is None:
                    session.add(
                        Identity(
                            person_id=person.id,
                            platform=platform,
                            user_id=officer.ids[platform],
                            display_name=officer.name,
                        )
                    )
