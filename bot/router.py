"""Routers in the style of aiogram: nested, with filters, and handlers whose parameters are
injected by name (`async def resolve(command, ctx, queue): …`).

The router also applies the two rules every room shares: commands need the right role, and in
a `mention` room a plain message is only for the bot when it was addressed.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.context import Context
from bot.messages import Command, EventKind

Handler = Callable[..., Awaitable[Any]]
Filter = Callable[[Context], bool]


@dataclass(frozen=True)
class Route:
    kind: EventKind
    callback: Handler
    filters: tuple[Filter, ...] = ()
    command: str | None = None
    role: str = "resident"
    usage: str = ""
    params: tuple[str, ...] = ()

    def matches(self, ctx: Context) -> bool:
        if self.kind != ctx.event.kind:
            return False
        if self.command is not None and self.command != getattr(ctx.event, "name", None):
            return False
        return all(check(ctx) for check in self.filters)

    async def call(self, ctx: Context) -> Any:
        return await self.callback(**{name: ctx.resolve(name) for name in self.params})


class Router:
    """Handlers for some part of the bot's work; routers nest with `include`."""

    def __init__(self, name: str = "root") -> None:
        self.name = name
        self.routes: list[Route] = []
        self.children: list[Router] = []

    def include(self, *routers: Router) -> None:
        self.children.extend(routers)

    def on(self, kind: EventKind, *filters: Filter) -> Callable[[Handler], Handler]:
        return self._register(kind, filters=filters)

    def message(self, *filters: Filter) -> Callable[[Handler], Handler]:
        return self._register("message", filters=filters)

    def command(
        self,
        name: str,
        *,
        role: str = "resident",
        usage: str = "",
        filters: tuple[Filter, ...] = (),
    ) -> Callable[[Handler], Handler]:
        """Register `/name`. `role` is the least role allowed; `usage` is shown on misuse."""
        return self._register("command", filters=filters, command=name, role=role, usage=usage)

    def _register(self, kind: EventKind, **route: Any) -> Callable[[Handler], Handler]:
        def decorator(callback: Handler) -> Handler:
            params = tuple(inspect.signature(callback).parameters)
            self.routes.append(Route(kind=kind, callback=callback, params=params, **route))
            return callback

        return decorator

    def all_routes(self) -> list[Route]:
        routes = list(self.routes)
        for child in self.children:
            routes.extend(child.all_routes())
        return routes

    def commands(self) -> dict[str, Route]:
        return {r.command: r for r in self.all_routes() if r.command is not None}

    async def dispatch(self, ctx: Context) -> bool:
        """Run the first matching handler; return whether anything handled the event."""
        event = ctx.event
        if isinstance(event, Command):
            return await self._dispatch_command(ctx, event)
        if event.kind == "message" and ctx.mode == "mention" and not event.addressed:
            return False
        for route in self.all_routes():
            if route.matches(ctx):
                await route.call(ctx)
                return True
        return False

    async def _dispatch_command(self, ctx: Context, command: Command) -> bool:
        route = self.commands().get(command.name)
        if route is None:
            ctx.reply(ctx.texts("command.unknown", command=command.name))
            return True
        if not ctx.has_role(route.role):
            ctx.reply(ctx.texts("command.refused", command=command.name))
            ctx.audit("command.refused", f"/{command.name} {command.args}".strip())
            return True
        if not route.matches(ctx):
            return False
        try:
            await route.call(ctx)
        except Refused as exc:
            ctx.reply(str(exc))
        except UsageError as exc:
            ctx.reply(ctx.texts("command.usage", reason=exc, usage=ctx.texts.maybe(route.usage)))
        return True


class UsageError(Exception):
    """Raised by a command handler whose arguments are wrong; the router answers with the
    reason and the command's usage line."""


class Refused(UsageError):
    """Raised when a well-written command cannot be done (no such ticket, already closed,
    extended once already): the router answers with the reason alone, as the usage line
    would not help."""
