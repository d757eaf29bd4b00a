"""The `sotong` command line (also `python -m bot`).

Subcommands import what they need when they run, so `sotong triage` starts fast.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path

from bot.config import (
    PLATFORMS,
    REPLAY_PLATFORM,
    ConfigError,
    Settings,
    check_database_url,
    load_settings,
)

DEFAULT_CONFIG = os.environ.get("SOTONG_CONFIG", "config.yaml")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sotong", description="소통 — county chatbot")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_config(name: str, func: Callable[[argparse.Namespace], int], help: str):
        p = sub.add_parser(name, help=help)
        p.add_argument("--config", default=DEFAULT_CONFIG, help="config file (config.yaml)")
        p.add_argument("--database", help="database URL, overriding the config")
        p.set_defaults(func=func)
        return p

    with_config("run", _run, "start the bot")
    with_config("check", _check, "validate the config and print what will run")
    chat = with_config("chat", _chat, "talk to the bot in this terminal")
    chat.add_argument("--name", help="your display name")
    replay = with_config("replay", _replay, "replay JSON-lines events through the pipeline")
    replay.add_argument("file", nargs="?", help="events file (default: stdin)")
    db = with_config("db", _db, "database maintenance")
    db.add_argument("action", choices=["upgrade"])

    from bot.faq.commands import register
    from bot.handlers.commands import register as register_queue

    register(sub)
    register_queue(sub)
    args = parser.parse_args(argv)
    _logging(args.verbose)
    return args.func(args)


def _logging(verbose: bool) -> None:
    from bot.privacy import PiiLogFilter

    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(PiiLogFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, handlers=[handler])
    for noisy in ("httpx", "alembic", "apscheduler", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _settings(args: argparse.Namespace) -> Settings:
    settings = load_settings(Path(args.config))
    if args.database:
        try:
            check_database_url(args.database)
        except ValueError as exc:
            raise ConfigError(f"--database: {exc}") from None
        settings = settings.model_copy(update={"database": args.database})
    return settings


def _guarded(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Config, FAQ and intent-model errors become one clear line on stderr and exit code 2."""

    def run(args: argparse.Namespace) -> int:
        from bot.faq import FaqError
        from bot.faq.intents import IntentModelError

        try:
            return func(args)
        except ConfigError as exc:
            print(f"config error: {exc}", file=sys.stderr)
        except FaqError as exc:
            print(f"faq error: {exc}", file=sys.stderr)
        except IntentModelError as exc:
            print(f"intent model error: {exc}", file=sys.stderr)
        return 2

    return run


@_guarded
def _run(args: argparse.Namespace) -> int:
    from bot.assemble import serve

    asyncio.run(serve(_settings(args)))
    return 0


@_guarded
def _check(args: argparse.Namespace) -> int:
    from bot.faq import FaqIndex
    from bot.faq.intents import default_model

    settings = _settings(args)
    entries = FaqIndex.load(settings.faq).entries
    default_model()
    webchat = settings.platforms.webchat
    print(f"county:    {settings.county} ({settings.timezone}, locale {settings.locale})")
    print(f"database:  {_hide_password(settings.database)}")
    checked = sum(entry.review_answers for entry in entries)
    always = f", {checked} with review_answers: true" if checked else ""
    print(f"faq:       {settings.faq} ({len(entries)} entries{always})")
    print(f"officers:  {', '.join(f'{o.name} ({o.role})' for o in settings.officers) or '-'}")
    off = settings.platforms_off()
    if webchat.enabled:
        print(f"web chat:  http://{webchat.host}:{webchat.port}/chat")
    else:
        print(f"web chat:  off ({off['webchat']})")
    for name in ("telegram", "slack"):
        section = getattr(settings.platforms, name)
        if section is not None:
            state = f" — off: {off[name]}" if name in off else ""
            print(f"{name + ':':<10} {section.mode}{state}")
    staff = settings.officer_room
    print(f"officer room: {f'{staff.platform} {staff.chat_id}' if staff else '-'}")
    if checked and staff is None:
        print("warning:   entries with review_answers wait for an officer; no officer_room hears")
    if settings.review_below(None):
        print(f"answers:   {_review(settings.review_below(None))} (review_answers)")
    print(f"office:    {_office(settings)}")
    print(f"tickets:   {_chasing(settings)}")
    print(f"rooms ({len(settings.rooms)}):")
    for room in settings.rooms:
        groups = ", ".join(room.groups) or "-"
        below = settings.review_below(room)
        mode = f"{room.mode}, {_review(below, short=True)}" if below else room.mode
        print(f"  {room.key:<16} {room.platform:<9} {mode:<23} {groups:<16} {room.name}")
    for warning in _unreached(settings, off):
        print(f"warning:   {warning}")
    print(f"notices: {len(settings.notices)}, feeds: {len(settings.feeds)}")
    return 0


def _unreached(settings: Settings, off: dict[str, str]) -> list[str]:
    """Rooms (and the officer room) on a platform whose adapter will not run."""
    places = [(f"room {room.key}", room.platform) for room in settings.rooms]
    if settings.officer_room is not None:
        places.append(("the officer room", settings.officer_room.platform))
    running = {
        platform
        for platform in PLATFORMS
        if platform not in off
        and (platform == "webchat" or getattr(settings.platforms, platform) is not None)
    }
    warnings = []
    for platform in dict.fromkeys(platform for _, platform in places):
        if platform in running:
            continue
        here = [place for place, on in places if on == platform]
        who, them = ", ".join(here), "it" if len(here) == 1 else "them"
        if platform == REPLAY_PLATFORM:
            warnings.append(f"{who} on {platform}: only `sotong replay` and the tests reach {them}")
        elif platform in off:
            warnings.append(f"{who} on {platform} will hear nothing: {platform} is off")
        else:
            warnings.append(
                f"{who} on {platform} will hear nothing: no platforms.{platform} section"
            )
    return warnings


def _review(below: float, *, short: bool = False) -> str:
    """Which FAQ answers wait for an officer, for `sotong check`."""
    if below == math.inf:
        return "review" if short else "every FAQ answer waits for an officer"
    return (
        f"review < {below}" if short else f"FAQ answers scoring below {below} wait for an officer"
    )


def _office(settings: Settings) -> str:
    """Office hours, closures and processing periods, as the deadlines count them."""
    from bot.handlers.deadlines import Office

    office = Office.of(settings)
    hours = office.hours
    day = f"{hours.start:%H:%M}-{hours.end:%H:%M}"
    if hours.breaks:
        day += f" (breaks {', '.join(f'{a:%H:%M}-{b:%H:%M}' for a, b in hours.breaks)})"
    days = ", ".join(f"{category} {n}" for category, n in office.periods.items())
    closed = ", ".join(str(closure) for closure in sorted(office.closures)) or "-"
    return f"{day} · periods (days): {days} · closures: {closed}"


def _chasing(settings: Settings) -> str:
    """How officers are kept on the queue: the digest and the reminders."""
    tickets, at = settings.tickets, settings.tickets.digest_at
    digest = f"digest {at:%H:%M} on working days" if at else "no digest"
    hours = tickets.remind_before_hours
    remind = f"reminders {hours} h before a deadline, in office hours" if hours else "no reminders"
    return f"{digest} · {remind}"


def _hide_password(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@_guarded
def _chat(args: argparse.Namespace) -> int:
    from bot.adapters.console import ConsoleAdapter
    from bot.assemble import build_app
    from bot.texts import Texts

    async def talk() -> None:
        settings = _settings(args)
        console = ConsoleAdapter(
            Texts(settings.locale), settings.platforms.webchat.bot_name, name=args.name
        )
        app = build_app(settings, adapters=[console])
        await app.start()
        try:
            await console.finished.wait()
            await app.drain()
        finally:
            await app.stop()

    logging.getLogger().setLevel(logging.WARNING)
    asyncio.run(talk())
    return 0


@_guarded
def _replay(args: argparse.Namespace) -> int:
    from bot.replay import ReplayError, read_lines, replay

    settings = _settings(args)
    try:
        asyncio.run(replay(settings, read_lines(args.file), sys.stdout))
    except ReplayError as exc:
        print(f"replay error: {exc}", file=sys.stderr)
        return 2
    return 0


@_guarded
def _db(args: argparse.Namespace) -> int:
    from storage import make_engine, upgrade

    settings = _settings(args)
    upgrade(make_engine(settings.database))
    print(f"database is up to date: {_hide_password(settings.database)}")
    return 0
