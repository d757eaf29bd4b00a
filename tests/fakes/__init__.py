"""Fake Telegram and Slack servers for adapter tests, the county config that points at them,
and the real bot running on it.

The county has a Telegram group in `listen` mode, one in `mention` mode, a Slack channel, and
its officers working in a Slack channel; tokens come from the environment, as in production.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.config import Settings
from bot.web import WebServer
from tests.conftest import load_county
from tests.fakes import slack, telegram

if TYPE_CHECKING:
    from bot.adapter import Adapter
    from bot.app import App
    from bot.messages import Event

PARENTING = -1001001
"""Telegram: 육아 소통방 (listen)."""
HEADS = -1001002
"""Telegram: 이장단 소통방 (mention)."""
YOUTH = "CYOUTH"
"""Slack: 청년 소통방 (listen)."""
OFFICERS = "COFFICERS"
"""Slack: the officers' channel."""
KIM_TELEGRAM, KIM_SLACK = 7001, "UKIM"
PARK_TELEGRAM, PARK_SLACK = 7002, "UPARK"

ENVIRONMENT = {
    "TELEGRAM_BOT_TOKEN": telegram.TOKEN,
    "SLACK_BOT_TOKEN": slack.BOT_TOKEN,
    "SLACK_APP_TOKEN": slack.APP_TOKEN,
    "SLACK_SIGNING_SECRET": slack.SIGNING_SECRET,
}


def county_config(
    tmp_path: Path,
    database_url: str,
    *,
    telegram: dict[str, Any] | None = None,
    slack: dict[str, Any] | None = None,
    environ: dict[str, str] | None = None,
    review_answers: bool = False,
) -> Settings:
    """Write and load the county's config; `telegram`/`slack` are those platforms' sections."""
    platforms: dict[str, Any] = {"webchat": {"enabled": False}}
    if telegram is not None:
        platforms["telegram"] = telegram
    if slack is not None:
        platforms["slack"] = slack
    officers = [
        ("김주무관", "officer", KIM_TELEGRAM, KIM_SLACK),
        ("박팀장", "admin", PARK_TELEGRAM, PARK_SLACK),
    ]
    rooms = [
        ("parenting", "육아 소통방", "telegram", PARENTING, "육아", "listen"),
        ("heads", "이장단 소통방", "telegram", HEADS, "이장단", "mention"),
        ("youth", "청년 소통방", "slack", YOUTH, "청년", "listen"),
    ]
    return load_county(
        tmp_path,
        database_url,
        environ=ENVIRONMENT if environ is None else environ,
        officers=[
            {"name": name, "role": role, "ids": {"telegram": tg, "slack": sl}}
            for name, role, tg, sl in officers
        ],
        rooms=[
            {
                "key": key,
                "name": name,
                "platform": platform,
                "chat_id": chat_id,
                "groups": [group],
                "mode": mode,
            }
            for key, name, platform, chat_id, group, mode in rooms
        ],
        officer_room={"platform": "slack", "chat_id": OFFICERS},
        platforms=platforms,
        review_answers=review_answers,
    )


async def ignore(event: Event) -> None:
    """A dispatch for tests that only look at what an adapter sends."""


MakeAdapters = Callable[[Settings, WebServer], Sequence["Adapter"]]


@contextlib.asynccontextmanager
async def listening(adapter: Adapter) -> AsyncIterator[list[Event]]:
    """An adapter started on its own (no app behind it): the events it delivers, in order."""
    heard: list[Event] = []

    async def dispatch(event: Event) -> None:
        heard.append(event)

    await adapter.start(dispatch)
    try:
        yield heard
    finally:
        await adapter.stop()


@contextlib.asynccontextmanager
async def running(
    settings: Settings, *, port: int = 0, adapters: MakeAdapters | None = None
) -> AsyncIterator[App]:
    """The county's bot, started as `sotong run` starts it: the adapters its config turns on
    (or those `adapters` makes), the real app with its workers, and the web server."""
    from bot.assemble import build_app, platform_adapters

    server = WebServer("127.0.0.1", port)
    app = build_app(settings, adapters=(adapters or platform_adapters)(settings, server))
    await app.start()
    await server.start()
    try:
        yield app
    finally:
        await server.stop()
        await app.stop()
