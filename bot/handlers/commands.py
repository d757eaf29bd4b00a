"""`sotong officer add|remove|list`, `sotong privacy erase`, `sotong report`,
`sotong answers` and `sotong learned`: the queue's administration from the county's server,
where whoever runs them already holds the database.

Storage and handlers are imported when a subcommand runs, so registering costs `sotong` nothing.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlmodel import Session

    from bot.config import Settings
    from storage.models import Identity, Person

Action = Callable[[argparse.Namespace, "Settings", "Session"], int]

PLATFORMS = ("webchat", "telegram", "slack", "console")
"""The platforms the bot has adapters for (`bot/adapters/`; console is `sotong chat`). Those
the config names (rooms, the officer room, officers' ids) are known too: a replay's."""
MAX_USER_ID = 64
"""Longer than any platform's user id (Telegram's are numbers, Slack's U0123ABC, the web
chat's v-1a2b3c4d5e6f)."""
MAX_NAME = 100
EXAMPLE = "write platform:user_id, e.g. telegram:123456"


def register(sub: Any) -> None:
    """Add the subcommands to `sotong`'s argument parser."""
    from bot.cli import DEFAULT_CONFIG

    database = argparse.ArgumentParser(add_help=False)
    database.add_argument("--config", default=DEFAULT_CONFIG, help="config file (config.yaml)")
    database.add_argument("--database", help="database URL, overriding the config")

    def actions(name: str, help: str) -> Any:
        return sub.add_parser(name, help=help).add_subparsers(dest="action", required=True)

    def action(group: Any, name: str, run: Action, help: str) -> argparse.ArgumentParser:
        parser = group.add_parser(name, help=help, parents=[database])
        parser.set_defaults(func=_guarded(run))
        return parser

    officer = actions("officer", "list, add or remove officers and admins")
    add = action(officer, "add", _officer_add, "make someone an officer (or admin)")
    add.add_argument("who", help="platform:user_id (e.g. telegram:123456) or a person id")
    add.add_argument("--role", choices=["officer", "admin"], default="officer")
    add.add_argument("--name", help="their name, for an account the bot has not seen yet")
    remove = action(officer, "remove", _officer_remove, "make an officer a resident again")
    remove.add_argument("who", help="platform:user_id or a person id")
    action(officer, "list", _officer_list, "officers and admins")

    privacy = actions("privacy", "personal data requests")
    erase = action(privacy, "erase", _erase, "erase a resident's personal data")
    erase.add_argument("person", help="person id or platform:user_id")
    erase.add_argument("--reason", default="", help="why (kept in the audit trail)")

    report = sub.add_parser(
        "report", help="the monthly report (cases by outcome, room members)", parents=[database]
    )
    report.add_argument("--month", help="YYYY-MM (default: this month, county time)")
    report.add_argument("--format", choices=["text", "csv", "markdown"], default="text")
    report.set_defaults(func=_guarded(_report))

    answers = sub.add_parser(
        "answers",
        help="how the FAQ answered residents in a month: answers and misses per entry",
        parents=[database],
    )
    answers.add_argument("--month", help="YYYY-MM (default: this month, county time)")
    answers.add_argument("--format", choices=["text", "csv", "markdown"], default="text")
    answers.set_defaults(func=_guarded(_answers))

    learned = sub.add_parser(
        "learned",
        help="what officers taught the FAQ with /faq, as JSON lines (for faq check/ask --learned)",
        parents=[database],
    )
    learned.add_argument(
        "--intents",
        action="store_true",
        help="instead: the messages officers refiled with /kind, labelled as training data",
    )
    learned.set_defaults(func=_guarded(_learned))


def _guarded(action: Action) -> Callable[[argparse.Namespace], int]:
    """Run `action(args, settings, session)` in one transaction on the configured database
    (migrated first); config errors are reported the way every `sotong` command reports them."""
    from bot.cli import _guarded as config_errors
    from bot.cli import _settings

    @config_errors
    def run(args: argparse.Namespace) -> int:
        from storage import make_engine, session_scope, upgrade

        settings = _settings(args)
        engine = make_engine(settings.database)
        try:
            upgrade(engine)
            with session_scope(engine) as session:
                return action(args, settings, session)
        finally:
            engine.dispose()

    return run


def _operator() -> str:
    return f"cli:{getpass.getuser()}"


def _not_found(who: str) -> int:
    print(f"no such person: {who} (give a person id or platform:user_id)", file=sys.stderr)
    return 1


def _bad_argument(message: str) -> int:
    """A value argparse cannot check: one line on stderr and exit code 2, as its own errors."""
    print(message, file=sys.stderr)
    return 2


def _account_problem(who: str, settings: Settings) -> str | None:
    """What is wrong with `who` as a new account's `platform:user_id`, if anything: the bot
    would never see a message from it (a slip of the platform, an id no platform gives)."""
    from rapidfuzz.distance import Levenshtein

    platform, _, user_id = who.strip().partition(":")
    known = set(PLATFORMS) | {room.platform for room in settings.rooms}
    known |= {name for officer in settings.officers for name in officer.ids}
    if settings.officer_room is not None:
        known.add(settings.officer_room.platform)
    if len(who) > 40:
        who = who[:39] + "…"
    if not platform:
        return f"{who!r} names no platform: {EXAMPLE}"
    if platform not in known:
        meant = [p for p in sorted(known) if Levenshtein.distance(platform.lower(), p) <= 2]
        hint = f": did you mean {meant[0]!r}?" if meant else ""
        return f"unknown platform {platform[:20]!r}{hint} (platforms: {', '.join(sorted(known))})"
    if not user_id:
        return f"{who!r} names no user id: {EXAMPLE}"
    if len(user_id) > MAX_USER_ID:
        return f"the user id is too long ({len(user_id):,} characters; at most {MAX_USER_ID})"
    if ":" in user_id or any(ch.isspace() or _invisible(ch) for ch in user_id):
        return f"the user id {user_id!r} may not hold a space, a control character or ':'"
    return None


def _name_problem(name: str) -> str | None:
    """What is wrong with `--name`, if anything."""
    if not name.strip():
        return "--name is blank: give the officer's name"
    if len(name) > MAX_NAME:
        return f"--name is too long ({len(name):,} characters; at most {MAX_NAME})"
    if any(_invisible(ch) for ch in name):
        return f"--name {name!r} holds a control character"
    return None


def _invisible(ch: str) -> bool:
    """A control character, or an invisible one such as a zero-width space."""
    import unicodedata

    return unicodedata.category(ch) in ("Cc", "Cf", "Cs")


def _officer_add(args: argparse.Namespace, settings: Settings, session: Session) -> int:
    from bot.handlers.people import find_person, is_person_id
    from storage.models import Identity, Person

    if args.name is not None and (problem := _name_problem(args.name)):
        return _bad_argument(problem)
    name = args.name.strip() if args.name else None
    person = find_person(session, args.who)
    if person is None:
        if is_person_id(args.who.strip()):
            return _not_found(args.who)
        if ":" in args.who and (problem := _account_problem(args.who, settings)):
            return _bad_argument(problem)
        platform, sep, user_id = args.who.strip().partition(":")
        if not sep or not name:
            print(
                f"{args.who} has not written to the bot yet: give platform:user_id and --name",
                file=sys.stderr,
            )
            return 1
        person = Person(name=name)
        session.add(person)
        session.flush()
        session.add(
            Identity(person_id=person.id, platform=platform, user_id=user_id, display_name="")
        )
    elif name:
        person.name = name
    _change_role(session, person, args.role)
    print(f"{person.name} (person {person.id}) is now {args.role}")
    return 0


def _officer_remove(args: argparse.Namespace, settings: Settings, session: Session) -> int:
    from bot.handlers.people import STAFF, find_person

    platform, _, user_id = args.who.partition(":")
    person = find_person(session, args.who)
    if settings.officer(platform, user_id) or (person and _configured(session, settings, person)):
        print(f"{args.who} is listed in the config file; remove them there", file=sys.stderr)
        return 1
    if person is None:
        return _not_found(args.who)
    if person.role not in STAFF:
        print(f"{person.name} (person {person.id}) is not an officer", file=sys.stderr)
        return 1
    _change_role(session, person, "resident")
    print(f"{person.name} (person {person.id}) is a resident again")
    return 0


def _officer_list(args: argparse.Namespace, settings: Settings, session: Session) -> int:
    from bot.handlers.people import staff
    from storage.queries import find_identity

    for person in staff(session):
        source = "config" if _configured(session, settings, person) else "database"
        accounts = ", ".join(f"{i.platform}:{i.user_id}" for i in _accounts(session, person))
        print(f"{person.id:>5}  {person.role:<8} {source:<9} {person.name}  {accounts}")
    for officer in settings.officers:  # not seen by a running bot yet
        if not any(find_identity(session, p, u) for p, u in officer.ids.items()):
            accounts = ", ".join(f"{p}:{u}" for p, u in officer.ids.items())
            print(f"{'-':>5}  {officer.role:<8} {'config':<9} {officer.name}  {accounts}")
    return 0


def _erase(args: argparse.Namespace, settings: Settings, session: Session) -> int:
    from bot.handlers.erase import erase_person
    from bot.handlers.people import STAFF, find_person
    from bot.texts import Texts
    from storage.models import utcnow

    person = find_person(session, args.person)
    if person is None:
        return _not_found(args.person)
    role = person.role
    erased = erase_person(
        session, person, Texts(settings.locale), now=utcnow(), by=_operator(), reason=args.reason
    )
    dropped = ""
    if role in STAFF:  # with their accounts gone no one can act as them: the role goes too
        _change_role(session, person, "resident")
        dropped = f"; no longer {role}"
    print(f"person {person.id} erased: {erased}{dropped}")
    return 0


def _change_role(session: Session, person: Person, role: str) -> None:
    from bot.handlers.people import set_role
    from storage.models import utcnow

    set_role(
        session, person, role, now=utcnow(), actor_id=None, platform="cli", user_id=_operator()
    )


def _accounts(session: Session, person: Person) -> list[Identity]:
    from sqlmodel import select

    from storage.models import Identity

    return list(session.exec(select(Identity).where(Identity.person_id == person.id)).all())


def _configured(session: Session, settings: Settings, person: Person) -> bool:
    """Config grants this person their role (the database cannot take it away)."""
    return any(settings.officer(i.platform, i.user_id) for i in _accounts(session, person))


def _month(args: argparse.Namespace, settings: Settings) -> tuple[int, int] | None:
    """The month of --month, or this month (county time); None (after a line on stderr) when
    --month is not one."""
    from bot.handlers.report import parse_month
    from storage.models import utcnow

    local = utcnow().astimezone(settings.tz)
    if not args.month:
        return local.year, local.month
    try:
        return parse_month(args.month, (local.year, local.month))
    except ValueError as exc:
        print(f"{exc}", file=sys.stderr)
        return None


def _print_table(text: str, fmt: str) -> None:
    """A rendered table on stdout; plain text ends with the newline a terminal expects (CSV
    and Markdown already end with theirs)."""
    sys.stdout.write(text)
    if fmt == "text":
        sys.stdout.write("\n")


def _report(args: argparse.Namespace, settings: Settings, session: Session) -> int:
    from bot.handlers.report import build_report, render
    from bot.texts import Texts
    from storage.models import utcnow

    month = _month(args, settings)
    if month is None:
        return 2
    report = build_report(session, settings, *month, now=utcnow())
    _print_table(render(report, Texts(settings.locale), settings, args.format), args.format)
    return 0


def _answers(args: argparse.Namespace, settings: Settings, session: Session) -> int:
    from bot.faq import FaqError, FaqIndex
    from bot.handlers.answers import build, render
    from bot.handlers.teaching import learned_phrasings
    from bot.texts import Texts
    from storage.models import utcnow

    month = _month(args, settings)
    if month is None:
        return 2
    try:  # as the bot reads it: with what officers taught it (/faq)
        index = FaqIndex.load(settings.faq, learned=learned_phrasings(session))
    except FaqError as exc:
        print(f"faq error: {exc}", file=sys.stderr)
        return 2
    report = build(session, settings, index, *month, now=utcnow())
    _print_table(render(report, Texts(settings.locale), settings, args.format), args.format)
    return 0


def _learned(args: argparse.Namespace, settings: Settings, session: Session) -> int:
    import json

    from bot.handlers.queue import refiled
    from bot.handlers.teaching import lessons

    if args.intents:
        records = [
            {"text": text, "intent": category, "faq": None, "ticket": receipt}
            for receipt, category, text in refiled(session)
        ]
    else:
        records = [
            {"text": text, "faq": entry_id, "ticket": receipt}
            for receipt, entry_id, text in lessons(session)
        ]
    for record in records:
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0
