"""The composition root: the one place that knows the core, the county's handlers and the
platform adapters, and puts them together into a running bot."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Sequence

from sqlalchemy.engine import Engine

from bot.adapter import Adapter
from bot.app import App
from bot.clock import Clock
from bot.config import Settings
from bot.faq import FaqSource
from bot.handlers import build_router
from bot.handlers.digest import daily_digest, deadline_reminders
from bot.handlers.feeds import FeedJob
from bot.handlers.notices import NoticeJob
from bot.handlers.officer import answers_aside
from bot.handlers.queue import TicketQueue
from bot.handlers.recount import recount_deadlines
from bot.handlers.report import member_snapshots
from bot.handlers.teaching import refresh_learned
from bot.middleware import FloodLimit, audit_commands, identify
from bot.scheduler import Scheduler
from bot.web import WebServer

log = logging.getLogger(__name__)


def build_app(
    settings: Settings,
    *,
    adapters: Sequence[Adapter] = (),
    clock: Clock | None = None,
    engine: Engine | None = None,
) -> App:
    """A bot with the county's handlers on the given adapters."""
    services = {"faq": FaqSource(settings.faq), "queue": TicketQueue()}
    app = App(
        settings,
        router=build_router(),
        adapters=adapters,
        middleware=[identify, FloodLimit(settings.flood_limit), audit_commands, answers_aside],
        services=services,
        engine=engine,
        clock=clock,
    )
    app.tickers.extend(
        [
            recount_deadlines(app),  # first: the digest and reminders use the recounted ones
            daily_digest(app),
            deadline_reminders(app),
            member_snapshots(app),
            refresh_learned(app),
        ]
    )
    scheduler = Scheduler(app)  # notices and county news, once across processes
    scheduler.add("notices", NoticeJob(app))
    scheduler.add("feeds", FeedJob(app))
    app.services["scheduler"] = scheduler
    app.tickers.append(scheduler.tick)
    app.workers.append(scheduler.run)
    return app


def platform_adapters(settings: Settings, server: WebServer) -> list[Adapter]:
    """The adapters the config turns on; one without its token is skipped with a log line."""
    adapters: list[Adapter] = []
    webchat = settings.platforms.webchat
    if webchat.enabled:
        from bot.adapters.webchat import WebchatAdapter

        adapters.append(WebchatAdapter(settings, server))
    if settings.platforms.telegram is not None:
        from bot.adapters.telegram import TelegramAdapter

        if telegram := TelegramAdapter.from_settings(settings, server):
            adapters.append(telegram)
    if settings.platforms.slack is not None:
        from bot.adapters.slack import SlackAdapter

        if slack := SlackAdapter.from_settings(settings, server):
            adapters.append(slack)
    return adapters


async def serve(settings: Settings) -> None:
    """Run the bot until SIGINT or SIGTERM, then stop everything cleanly."""
    webchat = settings.platforms.webchat
    server = WebServer(webchat.host, webchat.port)
    app = build_app(settings, adapters=platform_adapters(settings, server))
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    await app.start()
    await server.start()
    if webchat.enabled:
        log.info("web chat: %s/chat", server.url)
    try:
        await stopping.wait()
    finally:
        log.info("stopping")
        await app.stop()  # adapters first: the web chat closes its sockets
        await server.stop()
