"""`config.yaml` validated into typed settings.

A county IT officer edits this file by hand, so every error names the file, the line, the key
and the reason in one line. Any string may be `${ENV_VAR}`: secrets live in the environment.
"""

from __future__ import annotations

import difflib
import itertools
import math
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)
from yaml.constructor import SafeConstructor

_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
Mode = Literal["mention", "listen"]
Category = Literal["question", "suggestion", "inconvenience"]

PLATFORMS = ("webchat", "telegram", "slack")
"""The platforms the bot runs adapters for (`platform_adapters` in bot/assemble.py)."""
REPLAY_PLATFORM = "chat"
"""Rooms only `sotong replay` and the tests reach, through the in-process memory adapter."""
CONSOLE_PLATFORM = "console"
"""`sotong chat`: an officer's id there is their login name."""


def _platform_in(known: tuple[str, ...]) -> AfterValidator:
    def check(value: str) -> str:
        if value in known:
            return value
        close = difflib.get_close_matches(value, PLATFORMS, n=1)
        hint = f"did you mean {close[0]}?" if close else f"use {', '.join(PLATFORMS)}"
        raise ValueError(f"unknown platform {value!r} ({hint})")

    return AfterValidator(check)


RoomPlatform = Annotated[str, _platform_in((*PLATFORMS, REPLAY_PLATFORM))]
"""Where a room or the officer room is: a platform the bot runs, or replay's `chat`."""
IdPlatform = Annotated[str, _platform_in((*PLATFORMS, REPLAY_PLATFORM, CONSOLE_PLATFORM))]
"""Where an officer has an id: also the terminal of `sotong chat`."""


def _review_setting(value: Any) -> bool | float:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and 0 < value <= 1:
        return float(value)
    raise ValueError(
        f"give true, false or a score above 0 and at most 1 (0.75: answers scoring below it "
        f"wait for an officer), not {value!r}"
    )


ReviewSetting = Annotated[bool | float, PlainValidator(_review_setting)]
"""`review_answers`: true (every FAQ answer waits for an officer), false, or a score below
which an answer waits."""

# Telegram group ids are negative numbers that YAML reads as ints; chat ids are always text.
ChatId = Annotated[str, BeforeValidator(lambda v: str(v) if isinstance(v, int) else v)]


class ConfigError(Exception):
    """A config problem, already phrased as `file:line: key: reason`."""


class _At(ValueError):
    """A model validator's error about one key of the model: `loc` below the model, and
    `first` where the value it repeats was given (shown as its line)."""

    def __init__(
        self, loc: tuple[Any, ...], reason: str, *, first: tuple[Any, ...] | None = None
    ) -> None:
        super().__init__(reason)
        self.loc = loc
        self.first = first


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _empty_sections(cls, data: Any) -> Any:
        """An empty section (`feeds:` with its example entries still commented out) is the
        default: no feeds, default office hours. An empty plain value stays null and is
        validated as such (`county:` left empty is refused)."""
        if not isinstance(data, dict):
            return data
        return {
            key: value
            for key, value in data.items()
            if value is not None or not _is_section(cls.model_fields.get(key))
        }


def _is_section(info: Any) -> bool:
    """A field holding a list, a mapping or a group of settings, with a default."""
    if info is None or info.is_required():
        return False
    return isinstance(info.get_default(call_default_factory=True), list | dict | BaseModel)


class OfficerSettings(_Strict):
    name: str
    role: Literal["officer", "admin"] = "officer"
    ids: dict[IdPlatform, ChatId] = Field(default_factory=dict)
    """Platform → user id, e.g. {telegram: "123456", slack: "U0123", webchat: "kim"}."""
    secret: str | None = None
    """Web chat sign-in secret; put it in the environment: `${SOTONG_SECRET_KIM}`."""


class RoomSettings(_Strict):
    key: str
    name: str
    platform: RoomPlatform
    chat_id: ChatId
    groups: list[str] = Field(default_factory=list)
    mode: Mode = "mention"
    review_answers: ReviewSetting | None = None
    """Overrides the county's `review_answers` in this room."""


class OfficerRoom(_Strict):
    platform: RoomPlatform
    chat_id: ChatId


class WebchatSettings(_Strict):
    enabled: bool = True
    host: str = "127.0.0.1"
    port: int = 8080
    """0: any free port (the log says which)."""
    secret: str | None = None
    """Key that signs visitors' cookies; generated and kept under var/ when unset."""
    bot_name: str = "소통봇"

    @field_validator("port")
    @classmethod
    def _port(cls, value: int) -> int:
        if not 0 <= value <= 65535:
            raise ValueError(f"a port is 0 to 65535 (0: any free one), not {value}")
        return value


class RateSettings(_Strict):
    """A platform's send limit: at most `count` messages in any `seconds`."""

    count: int = Field(gt=0)
    seconds: float = Field(gt=0)


class TelegramSettings(_Strict):
    token: str | None = None
    """From @BotFather; keep it in the environment: `${TELEGRAM_BOT_TOKEN}`."""
    base_url: str | None = None
    """Bot API server, default https://api.telegram.org (a local Bot API server works too)."""
    mode: Literal["polling", "webhook"] = "polling"
    webhook_secret: str | None = None
    """Required in webhook mode: Telegram sends it in `X-Telegram-Bot-Api-Secret-Token`."""
    webhook_url: str | None = None
    """Required in webhook mode: the public https URL Telegram posts to; its path is the route
    on our web server (e.g. https://bot.example.go.kr/telegram/webhook)."""
    per_chat: RateSettings = RateSettings(count=1, seconds=1)
    per_group: RateSettings = RateSettings(count=20, seconds=60)
    overall: RateSettings = RateSettings(count=30, seconds=1)

    @field_validator("webhook_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value is not None:
            url = urlparse(value)
            if url.scheme not in ("http", "https") or not url.hostname:
                raise ValueError(
                    "the public https URL Telegram posts to, e.g. "
                    f"https://bot.example.go.kr/telegram/webhook, not {value!r}"
                )
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _telegram_secret(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value):
            raise ValueError(
                "Telegram allows only A-Z, a-z, 0-9, _ and - in the secret, 1 to 256 of them"
            )
        return value

    def needs(self) -> list[str]:
        """The keys the adapter cannot run without (`TelegramAdapter.from_settings`)."""
        return ["token", *self.mode_keys()]

    def mode_keys(self) -> list[str]:
        """What `mode` needs besides the token."""
        return ["webhook_url", "webhook_secret"] if self.mode == "webhook" else []


class SlackSettings(_Strict):
    bot_token: str | None = None
    """`xoxb-…`: `${SLACK_BOT_TOKEN}`."""
    app_token: str | None = None
    """`xapp-…` with `connections:write`, for Socket Mode: `${SLACK_APP_TOKEN}`."""
    signing_secret: str | None = None
    """For HTTP mode: `${SLACK_SIGNING_SECRET}`."""
    base_url: str | None = None
    """Web API server, default https://slack.com."""
    mode: Literal["socket", "http"] = "socket"
    events_path: str = "/slack/events"
    """HTTP mode: the route on our web server for events, slash commands and buttons."""
    per_channel: RateSettings = RateSettings(count=1, seconds=1)

    @field_validator("events_path")
    @classmethod
    def _route(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError(f"a route on the bot's web server starts with /, not {value!r}")
        return value

    def needs(self) -> list[str]:
        """The keys the adapter cannot run without (`SlackAdapter.from_settings`)."""
        return ["bot_token", *self.mode_keys()]

    def mode_keys(self) -> list[str]:
        """What `mode` needs besides the bot token."""
        return ["app_token" if self.mode == "socket" else "signing_secret"]


class PlatformSettings(_Strict):
    """One section per platform; another name is refused (a misspelt one would be ignored)."""

    webchat: WebchatSettings = WebchatSettings()
    telegram: TelegramSettings | None = None
    slack: SlackSettings | None = None


def _as_text(value: Any) -> Any:
    """YAML reads `2026-12-01 09:00:00` as a datetime and `30` as a number; keep what was
    written as text, for the schedule parsers."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | int | float) and not isinstance(value, bool):
        return str(value)
    return value


Text = Annotated[str, BeforeValidator(_as_text)]


def _clock(value: Any) -> Any:
    """A time of day is written "09:00"; pydantic would read a number as seconds after midnight."""
    if isinstance(value, str | time):
        return value
    raise ValueError(f'write a time of day as "09:00", not {value!r}')


def _county_time(value: time) -> time:
    """Times of day are in the county's `timezone`; an offset would not compare with them."""
    if value.tzinfo is not None:
        raise ValueError(f'times are in the county\'s timezone: write "{value:%H:%M}", no offset')
    return value


ClockTime = Annotated[time, BeforeValidator(_clock), AfterValidator(_county_time)]

_SPAN = re.compile(r"\s*(\d{1,2}:\d{2})\s*[-~–]\s*(\d{1,2}:\d{2})\s*")


def _span(value: Any) -> Any:
    """A stretch of the day, "12:00-13:00" (or 12:00~13:00, as notices write it)."""
    if isinstance(value, tuple | list):
        return value
    match = _SPAN.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f'write a stretch of the day as "12:00-13:00", not {value!r}')
    return match.groups()


TimeSpan = Annotated[tuple[time, time], BeforeValidator(_span)]


def _check_duration(value: str | None) -> str | None:
    if value is not None:
        from bot.scheduler import parse_duration

        parse_duration(value)
    return value


class NoticeSettings(_Strict):
    """A notice posted to room groups at a time (`at`, county time) or on a `cron` schedule."""

    name: str
    text: str
    groups: list[str] = Field(min_length=1)
    cron: str | None = None
    """Five crontab fields in county time: "0 9 * * MON" (weekdays 0/7 = Sunday, or MON-SUN)."""
    at: Text | None = None
    """In county time, e.g. "2026-12-01 09:00"."""
    grace: Text | None = None
    """How late a notice missed while the bot was down may still go out; `broadcast.grace`."""

    @model_validator(mode="after")
    def _one_schedule(self) -> NoticeSettings:
        from bot.scheduler import cron_trigger, parse_at

        if (self.cron is None) == (self.at is None):
            raise ValueError("give exactly one of `cron` or `at`")
        for key, check in (
            ("cron", lambda: cron_trigger(self.cron or "", ZoneInfo("UTC"))),
            ("at", lambda: parse_at(self.at or "", ZoneInfo("UTC"))),
            ("grace", lambda: _check_duration(self.grace)),
        ):
            try:
                if getattr(self, key) is not None:
                    check()
            except ValueError as exc:
                raise _At((key,), f"notice {self.name!r}: {exc}") from None
        return self


class FeedSettings(_Strict):
    """A county news feed (RSS or Atom); each new item goes once to the rooms of `groups`."""

    url: str
    groups: list[str] = Field(min_length=1)
    every: Text = "30m"
    """How often to read it: 30m, 1h, 90s …"""
    name: str | None = None
    """Shown with each item ("군청 새소식"); the feed's own title when unset."""
    timeout: float = Field(default=10.0, gt=0)
    """Seconds one read may take."""
    backlog: int = Field(default=3, ge=0)
    """How many of its newest items are posted when a feed is first read (the rest of its
    archive is only marked seen)."""

    @field_validator("every")
    @classmethod
    def _every(cls, value: str) -> str:
        return _check_duration(value)

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"a feed URL starts with http:// or https://, not {value!r}")
        return value


class BroadcastSettings(_Strict):
    """Notices and news: how late they may still go out, and when officers get the report."""

    grace: Text = "1h"
    """A notice whose time passed while the bot was down is still sent this long after it;
    later, officers are told it was missed."""
    report_after: Text = "30m"
    """The delivery report waits for retries at most this long."""

    @field_validator("grace", "report_after")
    @classmethod
    def _duration(cls, value: str) -> str:
        return _check_duration(value)


class OfficeSettings(_Strict):
    """When the county office works, in county time. Legal deadlines count only these hours
    and days, and a resident whose answer waits for an officer after hours is told when the
    office opens. Weekends and public holidays are always closed."""

    opens: ClockTime = time(9)
    closes: ClockTime = time(18)
    breaks: list[TimeSpan] = [(time(12), time(13))]
    """Stretches inside the day that deadlines do not count (lunch); [] for none."""
    closures: list[date] = Field(default_factory=list)
    """Days the office is closed that the public-holiday calendar does not know yet: a newly
    declared 임시공휴일, the county's own closure. Written 2026-12-31."""

    @model_validator(mode="after")
    def _in_order(self) -> OfficeSettings:
        cuts = [self.opens, *(t for span in self.breaks for t in span), self.closes]
        if any(a >= b for a, b in itertools.pairwise(cuts)):
            shown = " < ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in self.breaks)
            raise ValueError(
                f"the day must run opens < breaks (in order, each start < end) < closes, not "
                f"{self.opens:%H:%M} < {shown or '(no breaks)'} < {self.closes:%H:%M}"
            )
        return self


class TicketSettings(_Strict):
    """How officers are kept on top of the queue (all times in the county's time zone)."""

    digest_at: ClockTime | None = None
    """Daily digest to the officer room (new, overdue, due soon), e.g. "09:00"; off when unset."""
    remind_before_hours: int = Field(default=24, ge=0)
    """Officers are reminded once this long before a deadline passes; 0 turns reminders off."""
    duplicate_score: float = Field(default=80.0, ge=0, le=100)
    """How alike (0-100) a new report must be to an open one in the room to count as the same."""
    periods: dict[Category, Annotated[int, Field(ge=1)]] = Field(default_factory=dict)
    """Processing period in days per category, where the county's 민원사무 처리기준표 differs
    from the default (question 7, suggestion 14, inconvenience 7); also the longest extension."""


class Settings(_Strict):
    county: str
    timezone: str = "Asia/Seoul"
    locale: Literal["ko", "en"] = "ko"
    database: str = "sqlite:///var/sotong.db"
    faq: Path
    officers: list[OfficerSettings] = Field(default_factory=list)
    rooms: list[RoomSettings] = Field(default_factory=list)
    officer_room: OfficerRoom | None = None
    platforms: PlatformSettings = PlatformSettings()
    notices: list[NoticeSettings] = Field(default_factory=list)
    feeds: list[FeedSettings] = Field(default_factory=list)
    broadcast: BroadcastSettings = BroadcastSettings()
    tickets: TicketSettings = TicketSettings()
    office: OfficeSettings = OfficeSettings()
    state_dir: Path = Path("var")
    """Where the bot keeps files of its own (the SQLite database, the cookie key)."""
    flood_limit: int = 12
    """Messages one person may send per minute before the bot stops reacting to them."""
    review_answers: ReviewSetting = False
    """Hold FAQ answers for an officer, who sends each (or a better one) with `/faq`: `true`
    for every answer, or a score (0.75) for those the bot is less sure of. For the first weeks
    of a new FAQ, before residents see what the bot would say on its own."""

    _unset: dict[str, str] = PrivateAttr(default_factory=dict)
    """Keys (platforms.telegram.token) left null because their `${VARIABLE}` is not set."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (e.g. Asia/Seoul)") from None
        return value

    @field_validator("database")
    @classmethod
    def _database(cls, value: str) -> str:
        return check_database_url(value)

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        for what, items, key, shown in (
            ("rooms", self.rooms, "key", lambda v: f"room key {v!r} is used twice"),
            (
                "rooms",
                self.rooms,
                "chat_id",
                lambda v: f"{v[0]} chat {v[1]!r} is listed as two rooms",
            ),
            ("notices", self.notices, "name", lambda v: f"notice name {v!r} is used twice"),
            (
                "feeds",
                self.feeds,
                "url",
                lambda v: f"feed {v!r} is listed twice (give it all its groups once)",
            ),
        ):
            seen: dict[Any, int] = {}
            for index, item in enumerate(items):
                value = getattr(item, key)
                if key == "chat_id":
                    value = (item.platform, value)
                if value in seen:
                    first = (what, seen[value], key)
                    raise _At((what, index, key), shown(value), first=first)
                seen[value] = index
        if self.officer_room is None:
            held = [("review_answers",)] if self.review_below(None) else []
            held += [
                ("rooms", index, "review_answers")
                for index, room in enumerate(self.rooms)
                if self.review_below(room)
            ]
            if held:
                raise _At(held[0], "review_answers needs an officer_room: held answers wait there")
        known = self.groups()
        for what, items in (("notices", self.notices), ("feeds", self.feeds)):
            for index, item in enumerate(items):
                for number, group in enumerate(item.groups):
                    if group not in known:
                        raise _At(
                            (what, index, "groups", number),
                            f"unknown group {group!r} (rooms have: {', '.join(sorted(known))})",
                        )
        return self

    def platforms_off(self) -> dict[str, str]:
        """Platforms whose adapter will not run, and why: the web chat when disabled, and a
        Telegram or Slack section without a key its mode needs (its adapter logs that at start
        and stays off). A platform without a section is not listed."""
        off: dict[str, str] = {}
        if not self.platforms.webchat.enabled:
            off["webchat"] = "platforms.webchat.enabled is false"
        for name in ("telegram", "slack"):
            section = getattr(self.platforms, name)
            if section is None:
                continue
            missing = []
            for key in section.needs():
                if not getattr(section, key):
                    where = f"platforms.{name}.{key}"
                    variable = self._unset.get(where)
                    missing.append(f"{where} ({variable} is not set)" if variable else where)
            if missing:
                off[name] = f"needs {' and '.join(missing)}"
        return off

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def room(self, platform: str, chat_id: str) -> RoomSettings | None:
        return next(
            (r for r in self.rooms if r.platform == platform and r.chat_id == chat_id), None
        )

    def review_below(self, room: RoomSettings | None) -> float:
        """FAQ answers in `room` (None: a 1:1 chat) scoring below this wait for an officer:
        0 holds none, infinity all."""
        review = self.review_answers
        if room is not None and room.review_answers is not None:
            review = room.review_answers
        if isinstance(review, bool):
            return math.inf if review else 0.0
        return review

    def room_by_key(self, key: str) -> RoomSettings | None:
        return next((r for r in self.rooms if r.key == key), None)

    def groups(self) -> set[str]:
        """Every room group, and `all`/`전체` (every room)."""
        return {group for room in self.rooms for group in room.groups} | {"all", "전체"}

    def rooms_in(self, groups: list[str]) -> list[RoomSettings]:
        """Rooms of any of `groups`; the group `all` means every room."""
        if "all" in groups or "전체" in groups:
            return list(self.rooms)
        return [r for r in self.rooms if set(r.groups) & set(groups)]

    def officer(self, platform: str, user_id: str) -> OfficerSettings | None:
        return next((o for o in self.officers if o.ids.get(platform) == user_id), None)


def check_database_url(url: str) -> str:
    """`url` if the bot can use it: SQLite, or PostgreSQL through psycopg (storage/db.py); a
    ValueError saying what to write instead. A SQLite file's directory is made at start."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    examples = "sqlite:///var/sotong.db or postgresql+psycopg://user@host/sotong"
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ValueError(f"not a database URL (write e.g. {examples})") from None
    if parsed.drivername in ("sqlite", "sqlite+pysqlite", "postgresql+psycopg"):
        return url
    if parsed.get_backend_name() == "postgresql":
        raise ValueError(
            f"write postgresql+psycopg://… (the driver the bot installs), not {parsed.drivername}://…"
        )
    raise ValueError(f"unsupported database {parsed.drivername}://…: use {examples}")


# ---------------------------------------------------------------------------------------------
# Loading: YAML with line numbers, ${ENV} expansion, one clear error line.


_DEPTH = 50
"""How deeply a config may nest (it needs six levels): more is a mistake, or an alias inside
itself."""
_VALUES = 100_000
"""How many values a config may hold once its aliases are expanded."""
_YAML = "tag:yaml.org,2002:"
_SCALARS = {
    f"{_YAML}{tag}" for tag in ("null", "bool", "int", "float", "str", "timestamp", "value")
}
_MODE_KEYS = {
    "webhook_url": "https://bot.example.go.kr/telegram/webhook",
    "webhook_secret": "${TELEGRAM_WEBHOOK_SECRET}",
    "app_token": "${SLACK_APP_TOKEN}",
    "signing_secret": "${SLACK_SIGNING_SECRET}",
}
"""Keys a platform's mode needs besides its token, with an example."""


def load_settings(path: str | Path, *, environ: dict[str, str] | None = None) -> Settings:
    """Read, expand and validate a config file; raise `ConfigError` naming file, line and key."""
    path = Path(path)
    environ = dict(os.environ if environ is None else environ)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ConfigError(
            f"{path}:{line}: not UTF-8 (byte 0x{raw[exc.start]:02x}): save the file as UTF-8"
        ) from None
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}{line}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    except RecursionError:
        raise ConfigError(
            f"{path}:{_too_deep(text)}: nested more than {_DEPTH} levels deep"
        ) from None
    if root is None or not isinstance(root, yaml.MappingNode):
        raise ConfigError(f"{path}:1: the config must be a mapping of keys (county:, faq:, …)")
    reader = _Reader(path, environ)
    data = reader.plain(root)
    if override := environ.get("SOTONG_DATABASE_URL"):
        data["database"] = override
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        env = "SOTONG_DATABASE_URL" if override else None
        raise reader.invalid(exc.errors()[0], override=env) from None
    reader.mode_keys(settings)
    settings._unset = {_key(loc): name for loc, name in reader.unset.items()}
    return _resolve_paths(settings, path.parent)


def _key(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc) or "(top level)"


def _too_deep(text: str) -> int:
    """The line where `text` nests more than `_DEPTH` levels (too deep to compose)."""
    depth = 0
    for event in yaml.parse(text):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > _DEPTH:
                return event.start_mark.line + 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return 1


@dataclass
class _Reader:
    """Turns the composed YAML node tree into plain data for pydantic, remembering each key's
    line and which values were a `${VARIABLE}` (and which of those were unset)."""

    path: Path
    environ: dict[str, str]
    lines: dict[tuple[Any, ...], int] = field(default_factory=dict)
    variables: set[tuple[Any, ...]] = field(default_factory=set)
    unset: dict[tuple[Any, ...], str] = field(default_factory=dict)
    values: int = 0
    constructor: SafeConstructor = field(default_factory=SafeConstructor)

    def error(self, line: int, loc: tuple[Any, ...], reason: str) -> ConfigError:
        where = f"{self.path}:{line}: {_key(loc)}: " if loc else f"{self.path}:{line}: "
        return ConfigError(where + reason)

    def line(self, loc: tuple[Any, ...]) -> int:
        while loc and loc not in self.lines:
            loc = loc[:-1]
        return self.lines.get(loc, 1)

    def plain(self, node: yaml.Node, loc: tuple[Any, ...] = (), depth: int = 0) -> Any:
        """A composed YAML node as plain data."""
        line = node.start_mark.line + 1
        self.lines[loc] = line
        self.values += 1
        if depth > _DEPTH:  # named by the key it is under, not by 50 list positions
            raise self.error(line, loc[:2], f"nested more than {_DEPTH} levels deep")
        if self.values > _VALUES:
            raise self.error(line, loc[:2], f"more than {_VALUES} values (aliases of aliases?)")
        self.tagged(node, loc)
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            first: dict[str, int] = {}
            for key_node, value_node in node.value:
                line = key_node.start_mark.line + 1
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self.error(line, loc, "a key must be a plain name, not a list or mapping")
                key = key_node.value
                self.tagged(key_node, (*loc, key))
                if key in first:
                    raise self.error(line, (*loc, key), f"given twice (first on line {first[key]})")
                first[key] = line
                out[key] = self.plain(value_node, (*loc, key), depth + 1)
                self.lines[(*loc, key)] = line
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.plain(item, (*loc, i), depth + 1) for i, item in enumerate(node.value)]
        return self.scalar(node, loc)

    def tagged(self, node: yaml.Node, loc: tuple[Any, ...]) -> None:
        """Refuse a tag the settings cannot hold: `!foo`, `!!binary`, `!!set` …"""
        kind = {yaml.MappingNode: "map", yaml.SequenceNode: "seq"}.get(type(node))
        if node.tag in ({f"{_YAML}{kind}"} if kind else _SCALARS):
            return
        shown = "!!" + node.tag.removeprefix(_YAML) if node.tag.startswith(_YAML) else node.tag
        if node.tag == f"{_YAML}binary":
            reason = "binary values (!!binary) are not supported: write text"
        elif node.tag == f"{_YAML}merge":
            reason = "merge keys (<<) are not supported: write the keys out"
        elif node.tag.startswith(_YAML):
            reason = f"the YAML tag {shown} is not supported here"
        else:
            reason = f"unknown YAML tag {shown}"
        raise self.error(node.start_mark.line + 1, loc, reason)

    def scalar(self, node: yaml.ScalarNode, loc: tuple[Any, ...]) -> Any:
        line = node.start_mark.line + 1
        if node.tag == f"{_YAML}value":  # a lone `=`
            return node.value
        try:
            value = self.constructor.construct_object(node)
        except (ValueError, yaml.YAMLError) as exc:
            if node.tag == f"{_YAML}timestamp":
                raise self.error(line, loc, f"not a real date: {node.value} ({exc})") from None
            raise self.error(line, loc, f"cannot read {node.value!r} ({exc})") from None
        if isinstance(value, int | float) and ":" in node.value:  # YAML 1.1 base 60: 18:00 is 1080
            return node.value
        if isinstance(value, str) and "${" in value:
            return self.expand(value, loc, line)
        return value

    def expand(self, value: str, loc: tuple[Any, ...], line: int) -> str | None:
        """`${VAR}` → the variable's value. A value that is only an unset variable becomes null,
        so an unset token disables its adapter instead of failing the whole config."""
        for start in (m.start() for m in re.finditer(r"\$\{", value)):
            if not _ENV.match(value, start):
                end = value.find("}", start)
                if end < 0:
                    raise self.error(line, loc, f"{value[start:]} has no closing }}")
                raise self.error(
                    line,
                    loc,
                    f"{value[start : end + 1]} is not an environment variable: a name is "
                    "letters, digits and _, and does not start with a digit",
                )
        self.variables.add(loc)
        whole = _ENV.fullmatch(value)
        if whole and whole[1] not in self.environ:
            self.unset[loc] = whole[1]
            return None
        missing = [name for name in _ENV.findall(value) if name not in self.environ]
        if missing:
            raise self.error(line, loc, f"environment variable {missing[0]} is not set")
        return _ENV.sub(lambda m: self.environ[m[1]], value)

    def invalid(self, error: Any, *, override: str | None) -> ConfigError:
        """Pydantic's first error as `file:line: key: reason`."""
        loc = tuple(part for part in error["loc"] if part != "[key]")
        reason = error["msg"].removeprefix("Value error, ")
        located = (error.get("ctx") or {}).get("error")
        if isinstance(located, _At):
            reason = str(located)
            if located.first is not None:
                reason += f" (first on line {self.line((*loc, *located.first))})"
            loc = (*loc, *located.loc)
        elif error["type"] == "missing":
            reason = "this key is required"
        elif error["type"] == "extra_forbidden" and loc[:-1] == ("platforms",):
            close = difflib.get_close_matches(str(loc[-1]), PLATFORMS, n=1)
            hint = f"did you mean {close[0]}?" if close else f"platforms: {', '.join(PLATFORMS)}"
            reason = f"unknown platform ({hint})"
        elif error["type"] == "extra_forbidden":
            reason = "unknown key (check the spelling)"
        elif error.get("input") is None and loc in self.unset:
            reason = f"the environment variable {self.unset[loc]} is not set"
        elif error.get("input") is None:
            reason = "this item is empty" if isinstance(loc[-1], int) else "this key has no value"
        key = _key(loc)
        if override and loc[:1] == ("database",):
            key += f" ({override})"
        return ConfigError(f"{self.path}:{self.line(loc)}: {key}: {reason}")

    def mode_keys(self, settings: Settings) -> None:
        """Refuse a platform mode without a key it needs (a webhook without its secret) unless
        the key is a `${VARIABLE}`: unset, it turns the platform off, as an unset token does."""
        for name in ("telegram", "slack"):
            section = getattr(settings.platforms, name)
            for key in section.mode_keys() if section is not None else []:
                loc = ("platforms", name, key)
                if not getattr(section, key) and loc not in self.variables:
                    raise self.error(
                        self.line(loc),
                        loc,
                        f"{section.mode} mode needs this key, e.g. {key}: {_MODE_KEYS[key]}",
                    )


def _resolve_paths(settings: Settings, base: Path) -> Settings:
    """FAQ and SQLite paths are relative to the config file, not to the current directory."""
    changes: dict[str, Any] = {}
    for key in ("faq", "state_dir"):
        value: Path = getattr(settings, key)
        if not value.is_absolute():
            changes[key] = (base / value).resolve()
    prefix = "sqlite:///"
    db = settings.database
    if db.startswith(prefix) and not db.startswith(prefix + "/") and ":memory:" not in db:
        changes["database"] = prefix + str((base / db[len(prefix) :]).resolve())
    return settings.model_copy(update=changes) if changes else settings
