"""Public notices to room groups: from `config.yaml` and from officers in chat.

Officers draft a notice, see a preview (time, rooms, text) and confirm it:

    /notice at 2026-12-01 09:00 groups 청년 다음 달 청년 일자리 박람회가 열립니다.
    /notice every "0 9 * * MON" groups 육아,청년 이번 주 보건소 일정입니다.
    /notice now groups 전체 오늘 오후 단수 예정입니다.
    /notice confirm 12        (or the `공지 예약 확인 #12` button under its preview)
    /notice cancel 12
    /notices

Times are county time. The scheduler (`bot.scheduler`) runs `NoticeJob`, which turns each due
occurrence into one broadcast: one outbox entry per room, sent once, counted as 정보 제공.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from bot.context import Context
from bot.handlers import views
from bot.handlers.officer import in_staff_place
from bot.messages import Command
from bot.router import Refused, Router, UsageError
from bot.scheduler import (
    count_as_information,
    cron_trigger,
    first_time,
    groups_json,
    occurrences,
    open_broadcast,
    parse_at,
    parse_duration,
    parse_schedule,
    post,
    to_officers,
)
from storage.db import session_scope
from storage.models import Notice

if TYPE_CHECKING:
    from bot.app import App
    from bot.config import NoticeSettings, Settings
    from bot.scheduler import Scheduler

log = logging.getLogger(__name__)

router = Router("notices")

DRAFT_TTL = timedelta(days=1)
"""A draft not confirmed within this is dropped."""
PAST_TOLERANCE = timedelta(minutes=1)
"""`at` a minute ago still counts as now (the officer typed slowly)."""
OPEN = ("draft", "active")
CATCH_UP = 50
"""Most occurrences of one notice sent in one pass (a replay jumping a month on a busy cron)."""
LIST_LIMIT = 30


# --- the job the scheduler runs -------------------------------------------------------------------


class NoticeJob:
    """Mirrors config notices into the database, then handles every due occurrence."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.started_at: datetime | None = None
        """This process's first pass: occurrences before it came while the bot was down."""

    @property
    def settings(self) -> Settings:
        return self.app.settings

    async def __call__(self, now: datetime) -> datetime | None:
        engine = self.app.engine
        if self.started_at is None:
            with session_scope(engine) as session:
                sync_config(session, self.settings, now)
            self.started_at = now
        with session_scope(engine) as session:
            due = session.exec(
                select(Notice.id)
                .where(Notice.status == "active", Notice.next_at <= now)
                .order_by(Notice.next_at, Notice.id)
            ).all()
        for notice_id in due:
            try:
                with session_scope(engine) as session:
                    notice = session.get(Notice, notice_id)
                    if notice.status == "active" and notice.next_at and notice.next_at <= now:
                        self.handle(session, notice, now)
            except Exception:  # one broken notice must not hold up the others
                log.exception("notice %s could not be handled; it is tried again", notice_id)
        with session_scope(engine) as session:
            return session.exec(
                select(Notice.next_at)
                .where(Notice.status == "active", Notice.next_at.is_not(None))
                .order_by(Notice.next_at)
            ).first()

    def grace(self, notice: Notice) -> timedelta:
        if notice.grace_seconds is not None:
            return timedelta(seconds=notice.grace_seconds)
        return parse_duration(self.settings.broadcast.grace)

    def handle(self, session: Session, notice: Notice, now: datetime) -> None:
        """Everything due of one notice, in one transaction, then `next_at` moves on.

        Occurrences that fell due while this process was running are each sent, however late
        the pass (a replay jumps hours between events; the live loop is seconds late at most).
        Of those that fell due before it started — the bot was down — only the newest is
        sent, and only within its grace period; the others are reported to officers."""
        settings = self.app.settings
        trigger = parse_schedule(notice.schedule, settings.tz)
        times, following = occurrences(trigger, notice.next_at, now)
        running = [t for t in times if t >= self.started_at]
        down = [t for t in times if t < self.started_at]
        grace = self.grace(notice)
        if down and not running and now - down[-1] <= grace:
            running = [down.pop()]
        missed = down + running[:-CATCH_UP]
        for when in running[-CATCH_UP:]:
            self.broadcast(session, notice, when, now)
        if missed:
            self.report_missed(session, notice, missed, grace, now)
        notice.next_at = following
        if following is None:
            notice.status = "done"
        session.add(notice)

    def broadcast(self, session: Session, notice: Notice, when: datetime, now: datetime) -> None:
        app = self.app
        key = f"notice:{notice.id}:{when.strftime('%Y%m%dT%H%M%SZ')}"
        title = title_of(notice)
        broadcast = open_broadcast(
            session,
            key=key,
            kind="notice",
            title=title,
            now=now,
            notice_id=notice.id,
            scheduled_at=when,
        )
        if broadcast is None:
            log.info("notice %s at %s was already broadcast", notice.id, when)
            return
        rooms = app.settings.rooms_in(json.loads(notice.groups))
        queued = post(
            session, broadcast, rooms, app.texts("notice.post", text=notice.text), key=key, now=now
        )
        if rooms:
            count_as_information(session, kind="notice", title=title, key=key, now=now)
        log.info("notice %s (%s): queued for %d of %d rooms", notice.id, title, queued, len(rooms))
        app.outbox.wake.set()

    def report_missed(
        self,
        session: Session,
        notice: Notice,
        missed: list[datetime],
        grace: timedelta,
        now: datetime,
    ) -> None:
        texts, tz = self.app.texts, self.settings.tz
        first = views.format_time(missed[0], tz)
        times = (
            first
            if len(missed) == 1
            else texts("notice.missed_more", first=first, count=len(missed) - 1)
        )
        log.warning("notice %s missed %d occurrence(s) from %s", notice.id, len(missed), first)
        to_officers(
            self.app,
            session,
            texts(
                "notice.missed",
                id=notice.id,
                title=title_of(notice),
                times=times,
                grace=format_duration(grace),
            ),
            now,
            key=f"missed:notice:{notice.id}:{missed[0].strftime('%Y%m%dT%H%M%SZ')}",
        )


def title_of(notice: Notice) -> str:
    return notice.config_name or views.summary(notice.text)


def format_duration(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return f"{hours}h{minutes}m"
    return f"{hours}h" if hours else f"{minutes}m"


def schedule_of(config: NoticeSettings) -> str:
    return f"cron:{config.cron}" if config.cron is not None else f"at:{config.at}"


def sync_config(session: Session, settings: Settings, now: datetime) -> None:
    """Config notices into the `notice` table. An unchanged schedule keeps its `next_at`, so a
    notice due while the bot was down is still found due on start."""
    rows = {
        n.config_name: n
        for n in session.exec(select(Notice).where(Notice.config_name.is_not(None))).all()
    }
    for config in settings.notices:
        schedule = schedule_of(config)
        row = rows.pop(config.name, None)
        if row is None:
            row = Notice(config_name=config.name, created_at=now, status="removed")
        row.text = config.text
        row.groups = groups_json(config.groups)
        row.grace_seconds = (
            int(parse_duration(config.grace).total_seconds()) if config.grace else None
        )
        if row.schedule != schedule or row.status in ("removed", "cancelled"):
            row.schedule, row.status = schedule, "active"
            if config.at is not None:
                row.next_at = parse_at(config.at, settings.tz)
            else:
                row.next_at = first_time(cron_trigger(config.cron, settings.tz), now)
        session.add(row)
    for row in rows.values():  # no longer in the config
        if row.status == "active":
            row.status, row.next_at = "removed", None
            session.add(row)


# --- officers in chat ---------------------------------------------------------------------------


class _Args:
    """Reads `/notice` arguments word by word; the notice text keeps its line breaks."""

    _WORD = re.compile(r"\s*(\S+)")
    _QUOTED = re.compile(r"\s*[\"'“”‘’](.*?)[\"'“”‘’]", re.S)

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.pos = 0

    def word(self) -> str | None:
        match = self._WORD.match(self.raw, self.pos)
        if match is None:
            return None
        self.pos = match.end()
        return match[1]

    def peek(self) -> str | None:
        match = self._WORD.match(self.raw, self.pos)
        return match[1] if match else None

    def quoted(self) -> str | None:
        match = self._QUOTED.match(self.raw, self.pos)
        if match is None:
            return None
        self.pos = match.end()
        return match[1]

    def rest(self) -> str:
        return self.raw[self.pos :].strip()


GROUP_WORDS = ("groups", "group", "그룹", "대상")
TEXT_WORDS = ("text", "내용")
_TIME = re.compile(r"\d{1,2}:\d{2}(:\d{2})?")


def _known_groups(ctx: Context) -> list[str]:
    return sorted(ctx.settings.groups())


def _read_groups(ctx: Context, args: _Args) -> list[str]:
    choices = ", ".join(_known_groups(ctx))
    word = args.word()
    if word is None or word.lower() not in GROUP_WORDS:
        raise UsageError(ctx.texts("notice.need_groups", choices=choices))
    listing = args.word() or ""
    while listing.endswith(",") or (args.peek() or "").startswith(","):
        listing += args.word() or ""
        if args.peek() is None:
            break
    groups = [g.strip() for g in listing.split(",") if g.strip()]
    if not groups:
        raise UsageError(ctx.texts("notice.need_groups", choices=choices))
    known = ctx.settings.groups()
    for group in groups:
        if group not in known:
            raise UsageError(ctx.texts("notice.unknown_group", group=group, choices=choices))
    return list(dict.fromkeys(groups))


def _read_text(ctx: Context, args: _Args) -> str:
    text = args.rest()
    first, _, after = text.partition(" ")
    if first.rstrip(":").lower() in TEXT_WORDS:
        text = after.strip()
    if not text:
        raise UsageError(ctx.texts("notice.need_text"))
    return text


def _read_at(ctx: Context, args: _Args) -> datetime:
    value = args.word() or ""
    if _TIME.fullmatch(args.peek() or ""):
        value += " " + (args.word() or "")
    try:
        when = parse_at(value, ctx.settings.tz)
    except ValueError as exc:
        key = "notice.need_time" if "give a time" in str(exc) else "notice.bad_date"
        raise UsageError(ctx.texts(key, value=value or "-")) from None
    if when < ctx.now - PAST_TOLERANCE:
        raise Refused(ctx.texts("notice.past", when=views.format_time(when, ctx.settings.tz)))
    return when


def _read_cron(ctx: Context, args: _Args) -> str:
    expression = args.quoted()
    if expression is None:
        words: list[str] = []
        while len(words) < 5 and (args.peek() or "").lower() not in ("", *GROUP_WORDS):
            words.append(args.word() or "")
        expression = " ".join(words)
    expression = " ".join(expression.split())
    try:
        cron_trigger(expression, ctx.settings.tz)
    except ValueError as exc:
        raise UsageError(
            ctx.texts("notice.bad_cron", value=expression or "-", reason=exc)
        ) from None
    return expression


def _require_staff_place(ctx: Context) -> None:
    if not in_staff_place(ctx):
        raise Refused(ctx.texts("usage.staff_place"))


@router.command("notice", role="officer", usage="usage.cmd.notice")
async def notice(ctx: Context, command: Command, scheduler: Scheduler) -> None:
    _require_staff_place(ctx)
    args = _Args(command.args)
    sub = (args.word() or "").lower()
    if sub in ("at", "every", "now", "예약", "반복", "지금"):
        _draft(ctx, args, {"예약": "at", "반복": "every", "지금": "now"}.get(sub, sub))
    elif sub in ("confirm", "확인", "yes"):
        confirm(ctx, _notice_id(ctx, args), scheduler)
    elif sub in ("cancel", "취소"):
        cancel(ctx, _notice_id(ctx, args))
    elif sub in ("list", "목록"):
        list_notices(ctx)
    elif not sub:
        raise UsageError(ctx.texts("notice.need_sub"))
    else:
        raise UsageError(ctx.texts("notice.bad_sub", word=sub))


@router.command("notices", role="officer", usage="usage.cmd.notices")
async def notices(ctx: Context) -> None:
    _require_staff_place(ctx)
    list_notices(ctx)


def _notice_id(ctx: Context, args: _Args) -> int:
    word = (args.word() or "").lstrip("#")
    if not word.isdigit():
        raise UsageError(ctx.texts("notice.need_id"))
    return int(word)


def _draft(ctx: Context, args: _Args, kind: str) -> None:
    tz = ctx.settings.tz
    if kind == "at":
        when = _read_at(ctx, args)
        schedule = f"at:{when.astimezone(tz).isoformat()}"
    elif kind == "every":
        schedule = f"cron:{_read_cron(ctx, args)}"
    else:
        schedule = f"at:{ctx.now.astimezone(tz).replace(microsecond=0).isoformat()}"
    groups = _read_groups(ctx, args)
    text = _read_text(ctx, args)
    row = Notice(
        schedule=schedule,
        text=text,
        groups=groups_json(groups),
        status="draft",
        created_at=ctx.now,
        created_by=ctx.person.id if ctx.person else None,
        platform=ctx.event.platform,
        chat_id=ctx.event.chat_id,
    )
    ctx.session.add(row)
    ctx.session.flush()
    ctx.audit("notice.draft", f"#{row.id} {schedule} {','.join(groups)}")
    texts = ctx.texts
    rooms = ctx.settings.rooms_in(groups)
    ctx.reply(
        texts(
            "notice.preview",
            id=row.id,
            when=describe_schedule(ctx, row),
            groups=", ".join(groups),
            count=len(rooms),
            rooms=", ".join(room.name for room in rooms) or texts("nobody"),
            text=texts("notice.post", text=text),
        ),
        quick_replies=(
            texts("notice.confirm_button", id=row.id),
            texts("notice.cancel_button", id=row.id),
        ),
    )


def describe_schedule(ctx: Context, notice: Notice, *, upcoming: int = 3) -> str:
    """`2026-12-01 09:00`, or the cron schedule with its next occurrences (county time)."""
    tz = ctx.settings.tz
    kind, _, value = notice.schedule.partition(":")
    if kind == "at":
        return views.format_time(parse_at(value, tz), tz)
    trigger = cron_trigger(value, tz)
    times: list[str] = []
    when = notice.next_at or first_time(trigger, ctx.now)
    while when is not None and len(times) < upcoming:
        times.append(views.format_time(when, tz))
        when = trigger.get_next_fire_time(when, when)
    return ctx.texts("notice.every", cron=value, next=", ".join(times))


def _get(ctx: Context, notice_id: int) -> Notice:
    row = ctx.session.get(Notice, notice_id)
    if row is None:
        raise Refused(ctx.texts("notice.not_found", id=notice_id))
    return row


def _status(ctx: Context, row: Notice) -> str:
    return ctx.texts(f"notice.status_{row.status}")


def confirm(ctx: Context, notice_id: int, scheduler: Scheduler | None) -> None:
    row = _get(ctx, notice_id)
    if row.status != "draft":
        raise Refused(ctx.texts("notice.not_draft", id=row.id, status=_status(ctx, row)))
    if ctx.now - row.created_at > DRAFT_TTL:
        raise Refused(ctx.texts("notice.expired", id=row.id))
    tz = ctx.settings.tz
    kind, _, value = row.schedule.partition(":")
    if kind == "at":
        when = parse_at(value, tz)
        grace = parse_duration(ctx.settings.broadcast.grace)
        if when < ctx.now - max(grace, PAST_TOLERANCE):
            raise Refused(ctx.texts("notice.past", when=views.format_time(when, tz)))
        row.next_at = when
    else:
        row.next_at = first_time(cron_trigger(value, tz), ctx.now)
    row.status = "active"
    row.confirmed_by = ctx.person.id if ctx.person else None
    ctx.session.add(row)
    ctx.audit("notice.confirm", f"#{row.id}")
    ctx.reply(ctx.texts("notice.confirmed", id=row.id, next=views.format_time(row.next_at, tz)))
    if scheduler is not None:
        scheduler.wake.set()


def cancel(ctx: Context, notice_id: int) -> None:
    row = _get(ctx, notice_id)
    if row.config_name is not None:
        raise Refused(ctx.texts("notice.config_owned", id=row.id))
    if row.status not in OPEN:
        raise Refused(ctx.texts("notice.not_cancellable", id=row.id, status=_status(ctx, row)))
    row.status, row.next_at = "cancelled", None
    ctx.session.add(row)
    ctx.audit("notice.cancel", f"#{row.id}")
    ctx.reply(ctx.texts("notice.cancelled", id=row.id))


def list_notices(ctx: Context) -> None:
    rows = ctx.session.exec(
        select(Notice)
        .where(Notice.status.in_(OPEN))
        .order_by(Notice.status.desc(), Notice.next_at, Notice.id)
    ).all()
    live = [r for r in rows if r.status == "active" or ctx.now - r.created_at <= DRAFT_TTL]
    if not live:
        ctx.reply(ctx.texts("notice.list_empty"))
        return
    lines = [
        ctx.texts(
            "notice.list_line",
            id=row.id,
            status=_status(ctx, row),
            when=describe_schedule(ctx, row, upcoming=1),
            groups=", ".join(json.loads(row.groups)),
            text=views.summary(row.text),
            source=ctx.texts("notice.from_config") if row.config_name else "",
        )
        for row in live[:LIST_LIMIT]
    ]
    if len(live) > LIST_LIMIT:
        lines.append(ctx.texts("officer.list_more", count=len(live) - LIST_LIMIT))
    ctx.reply("\n".join(lines))


# --- the preview's buttons ------------------------------------------------------------------------


def _pressed(ctx: Context) -> tuple[str, int] | None:
    """The action and the notice on a preview's button an officer pressed (`공지 예약 확인 #12`):
    each preview's buttons carry its own notice, so an older preview's act on that one."""
    if not ctx.has_role("officer"):
        return None
    text = ctx.event.text.strip()
    for action in ("confirm", "cancel"):
        number = text.removeprefix(ctx.texts(f"notice.{action}_button", id=""))
        if number != text and number.isdigit():
            return action, int(number)
    return None


def _is_draft_answer(ctx: Context) -> bool:
    return _pressed(ctx) is not None


@router.message(_is_draft_answer)
async def draft_answer(ctx: Context, scheduler: Scheduler) -> None:
    action, notice_id = _pressed(ctx)
    try:
        if action == "confirm":
            confirm(ctx, notice_id, scheduler)
        else:
            cancel(ctx, notice_id)
    except UsageError as exc:
        ctx.reply(str(exc))
