"""Middleware: an onion around the router. Each layer is `async def mw(ctx, call_next)` and
decides whether (and how) the inner layers run.
"""

from __future__ import annotations

import logging
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta

from bot.context import ROLES, Context
from bot.messages import Command
from storage.models import Identity, Person
from storage.queries import find_identity

log = logging.getLogger(__name__)

Next = Callable[[], Awaitable[None]]
Middleware = Callable[[Context, Next], Awaitable[None]]
Endpoint = Callable[[Context], Awaitable[object]]


def chain(middleware: Sequence[Middleware], endpoint: Endpoint) -> Endpoint:
    """Wrap `endpoint` so the first middleware is the outermost layer."""

    async def run(ctx: Context) -> None:
        async def layer(index: int) -> None:
            if index == len(middleware):
                await endpoint(ctx)
            else:
                await middleware[index](ctx, lambda: layer(index + 1))

        await layer(0)

    return run


async def identify(ctx: Context, call_next: Next) -> None:
    """Find (or create) the person behind the platform account and their role.

    The role comes from config or the database, never from a display name.
    """
    event, session = ctx.event, ctx.session
    identity = find_identity(session, event.platform, event.user_id)
    if identity is None:
        person = Person(name=event.user_name or event.user_id, created_at=ctx.now)
        session.add(person)
        session.flush()
        identity = Identity(
            person_id=person.id,
            platform=event.platform,
            user_id=event.user_id,
            display_name=event.user_name,
        )
        session.add(identity)
    else:
        person = session.get(Person, identity.person_id)
        if event.user_name and identity.display_name != event.user_name:
            identity.display_name = event.user_name
    officer = ctx.settings.officer(event.platform, event.user_id)
    roles = [person.role, officer.role if officer else "resident"]
    ctx.person = person
    ctx.role = max(roles, key=ROLES.index)
    await call_next()


class FloodLimit:
    """Stop reacting to one resident who sends more than `per_minute` messages a minute.

    They are told once; officers are never limited.
    """

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._seen: defaultdict[tuple[str, str], deque[datetime]] = defaultdict(deque)
        self._warned: set[tuple[str, str]] = set()

    async def __call__(self, ctx: Context, call_next: Next) -> None:
        if ctx.has_role("officer") or ctx.event.kind not in ("message", "command"):
            await call_next()
            return
        key = (ctx.event.platform, ctx.event.user_id)
        seen = self._seen[key]
        while seen and ctx.now - seen[0] >= timedelta(minutes=1):
            seen.popleft()
        seen.append(ctx.now)
        if len(seen) <= self.per_minute:
            self._warned.discard(key)
            await call_next()
            return
        if key not in self._warned:
            self._warned.add(key)
            ctx.reply(ctx.texts("flood.limited"))
            log.warning("flood limit reached on %s by user %s", key[0], key[1])


async def audit_commands(ctx: Context, call_next: Next) -> None:
    """Record every command an officer or admin runs: who, what, when."""
    await call_next()
    if isinstance(ctx.event, Command) and ctx.has_role("officer"):
        ctx.audit("command", f"/{ctx.event.name} {ctx.event.args}".strip())
