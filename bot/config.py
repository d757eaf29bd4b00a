"""`config.yaml` validated into typed settings.

A county IT officer edits this file by hand, so every error names the file, the line, the key
and the reason in one line. Any string may be `${ENV_VAR}`: secrets live in the environment.
"""

from __future__ import annotations

import itertools
import math
import os
import re
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationError,
    field_validator,
    model_validator,
)

_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
Mode = Literal["mention", "listen"]
Category = Literal["question", "suggestion", "inconvenience"]


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


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OfficerSettings(_Strict):
    name: str
    role: Literal["officer", "admin"] = "officer"
    ids: dict[str, ChatId] = Field(default_factory=dict)
    """Platform → user id, e.g. {telegram: "123456", slack: "U0123", webchat: "kim"}."""
    secret: str | None = None
    """Web chat sign-in secret; put it in the environment: `${SOTONG_SECRET_KIM}`."""


class RoomSettings(_Strict):
    key: str
    name: str
    platform: str
    chat_id: ChatId
    groups: list[str] = Field(default_factory=list)
    mode: Mode = "mention"
    review_answers: ReviewSetting | None = None
    """Overrides the county's `review_answers` in this room."""


class OfficerRoom(_Strict):
    platform: str
    chat_id: ChatId


class WebchatSettings(_Strict):
    enabled: bool = True
    host: str = "127.0.0.1"
    port: int = 8080
    secret: str | None = None
    """Key that signs visitors' cookies; generated and kept under var/ when unset."""
    bot_name: str = "소통봇"


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


class PlatformSettings(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)
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
        try:
            if self.cron is not None:
                cron_trigger(self.cron, ZoneInfo("UTC"))
            if self.at is not None:
                parse_at(self.at, ZoneInfo("UTC"))
        except ValueError as exc:
            raise ValueError(f"notice {self.name!r}: {exc}") from None
        _check_duration(self.grace)
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

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (e.g. Asia/Seoul)") from None
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        keys = [room.key for room in self.rooms]
        for key in keys:
            if keys.count(key) > 1:
                raise ValueError(f"room key {key!r} is used twice")
        chats = [(room.platform, room.chat_id) for room in self.rooms]
        for chat in chats:
            if chats.count(chat) > 1:
                raise ValueError(f"{chat[0]} chat {chat[1]!r} is listed as two rooms")
        names = [notice.name for notice in self.notices]
        for name in names:
            if names.count(name) > 1:
                raise ValueError(f"notice name {name!r} is used twice")
        urls = [feed.url for feed in self.feeds]
        for url in urls:
            if urls.count(url) > 1:
                raise ValueError(f"feed {url!r} is listed twice (give it all its groups once)")
        if self.officer_room is None and (
            self.review_below(None) or any(self.review_below(room) for room in self.rooms)
        ):
            raise ValueError("review_answers needs an officer_room: held answers wait there")
        known = self.groups()
        for what, items in (("notice", self.notices), ("feed", self.feeds)):
            for item in items:
                unknown = [g for g in item.groups if g not in known]
                if unknown:
                    label = getattr(item, "name", None) or getattr(item, "url", "")
                    raise ValueError(
                        f"{what} {label!r}: unknown group {unknown[0]!r} "
                        f"(rooms have: {', '.join(sorted(known))})"
                    )
        return self

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


# ---------------------------------------------------------------------------------------------
# Loading: YAML with line numbers, ${ENV} expansion, one clear error line.


def load_settings(path: str | Path, *, environ: dict[str, str] | None = None) -> Settings:
    """Read, expand and validate a config file; raise `ConfigError` naming file, line and key."""
    path = Path(path)
    environ = dict(os.environ if environ is None else environ)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc.strerror})") from None
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}{line}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if root is None or not isinstance(root, yaml.MappingNode):
        raise ConfigError(f"{path}:1: the config must be a mapping of keys (county:, faq:, …)")
    lines: dict[tuple[Any, ...], int] = {}
    data = _plain(root, (), lines, path, environ)
    if override := environ.get("SOTONG_DATABASE_URL"):
        data["database"] = override
    data.setdefault("faq", None)
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(error["loc"])
        key = ".".join(str(p) for p in loc) or "(top level)"
        line = _nearest_line(lines, loc)
        reason = error["msg"].removeprefix("Value error, ")
        if error["type"] == "missing":
            reason = "this key is required"
        elif error["type"] == "extra_forbidden":
            reason = "unknown key (check the spelling)"
        raise ConfigError(f"{path}:{line}: {key}: {reason}") from None
    return _resolve_paths(settings, path.parent)


def _plain(
    node: yaml.Node,
    loc: tuple[Any, ...],
    lines: dict[tuple[Any, ...], int],
    path: Path,
    environ: dict[str, str],
) -> Any:
    """Turn a composed YAML node into plain data, remembering each key's line."""
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            lines[(*loc, key)] = key_node.start_mark.line + 1
            out[key] = _plain(value_node, (*loc, key), lines, path, environ)
            lines[(*loc, key)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item, (*loc, i), lines, path, environ) for i, item in enumerate(node.value)]
    value = yaml.safe_load(yaml.serialize(node))
    if isinstance(value, int | float) and ":" in node.value:  # YAML 1.1 base 60: 18:00 is 1080
        return node.value
    if isinstance(value, str) and "${" in value:
        return _expand(value, loc, node.start_mark.line + 1, path, environ)
    return value


def _expand(
    value: str, loc: tuple[Any, ...], line: int, path: Path, environ: dict[str, str]
) -> str | None:
    """`${VAR}` → the variable's value. A value that is only an unset variable becomes null,
    so an unset token disables its adapter instead of failing the whole config."""
    whole = _ENV.fullmatch(value)
    if whole and whole[1] not in environ:
        return None
    missing = [name for name in _ENV.findall(value) if name not in environ]
    if missing:
        key = ".".join(str(p) for p in loc)
        raise ConfigError(f"{path}:{line}: {key}: environment variable {missing[0]} is not set")
    return _ENV.sub(lambda m: environ[m[1]], value)


def _nearest_line(lines: dict[tuple[Any, ...], int], loc: tuple[Any, ...]) -> int:
    while loc and loc not in lines:
        loc = loc[:-1]
    return lines.get(loc, 1)


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
