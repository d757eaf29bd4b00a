"""Telegram through python-telegram-bot, run inside our own event loop: long polling by
default, or a webhook route on the bot's web server.

Telegram's quirks stay here: `update_id` is the delivery id the inbox dedupes on; mentions and
replies to the bot mark a message as addressed; `/cmd@otherbot` is not ours; quick replies are
inline buttons whose press comes back as the chosen text; sends wait for Telegram's limits
(about 1/s per chat, 20/min per group, 30/s overall) and a 429 becomes `SendError(retry_after)`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import re
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlparse

from aiohttp import web
from telegram import (
    BotCommand,
    BotCommandScope,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MessageEntity,
    ReplyParameters,
    Update,
    User,
)
from telegram import Message as TelegramMessage
from telegram.constants import ChatType
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler
from telegram.warnings import PTBDeprecationWarning

from bot.adapter import Adapter, Capabilities, CommandInfo, Dispatch, SendError
from bot.adapters.ratelimit import (
    RateLimiter,
    Saturated,
    Window,
    backoff,
    connect_or_keep_trying,
    stop_trying,
)
from bot.config import Settings, TelegramSettings
from bot.context import ROLES
from bot.messages import Event, MemberJoined, MemberLeft, Message, Outgoing, parse_text
from bot.web import WebServer

log = logging.getLogger(__name__)
# PTB 22 warns on every 429 that `retry_after` will become a timedelta; `_retry_seconds`
# already reads both kinds.
warnings.filterwarnings(
    "ignore", ".*attribute `retry_after` will be of type", PTBDeprecationWarning
)

PLATFORM = "telegram"
MAX_TEXT = 4096
DEFAULT_BASE_URL = "https://api.telegram.org"
DEFAULT_WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
STORE_TRIES = 5
"""Tries to hand a polled update to the core (1 s, 2 s, 4 s, 8 s apart) before giving up."""
LIMIT_WAIT = 30.0
"""Longest a send waits for room under the limits; beyond, it goes back to the outbox."""
ALLOWED_UPDATES = ("message", "callback_query")
REJECTED = (
    "telegram: the bot token was rejected (401 Unauthorized) — check platforms.telegram.token "
    "(TELEGRAM_BOT_TOKEN)"
)
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
_OTHER_BOT_COMMAND = re.compile(r"^/[A-Za-z][\w-]*@(?P<bot>\w+)")


class TelegramAdapter(Adapter):
    platform = PLATFORM
    capabilities = Capabilities(threads=True, buttons=True, member_count=True, max_text=MAX_TEXT)

    def __init__(
        self,
        settings: Settings,
        server: WebServer,
        *,
        timeout: float = 10.0,
        poll_timeout: float = 25.0,
        retry_first: float = 1.0,
        limit_wait: float = LIMIT_WAIT,
    ) -> None:
        config = settings.platforms.telegram
        if config is None or not config.token:
            raise ValueError("the Telegram adapter needs platforms.telegram.token")
        self.settings = settings
        self.config: TelegramSettings = config
        self.base_url = (config.base_url or DEFAULT_BASE_URL).rstrip("/")
        self.poll_timeout = poll_timeout
        self.retry_first = retry_first
        self.limit_wait = limit_wait
        builder = (
            ApplicationBuilder()
            .token(config.token)
            .base_url(f"{self.base_url}/bot")
            .base_file_url(f"{self.base_url}/file/bot")
            .connect_timeout(timeout)
            .read_timeout(timeout)
            .write_timeout(timeout)
            .pool_timeout(timeout)
            .job_queue(None)
        )
        if config.mode == "webhook":
            builder = builder.updater(None)
        self.application: Application[Any, Any, Any, Any, Any, Any] = builder.build()
        self.application.add_handler(TypeHandler(Update, self._on_update))
        self.application.add_error_handler(self._on_error)
        self.limiter = RateLimiter()
        self._dispatch: Dispatch | None = None
        self._connected = False
        self._reconnect: asyncio.Task[None] | None = None
        self._commands: list[CommandInfo] | None = None
        self._partial: dict[tuple[str, str | None, str], tuple[int, str]] = {}
        """Long messages cut in parts: how far a failed send got, so a retry goes on from there."""
        if config.mode == "webhook":
            path = urlparse(config.webhook_url or "").path or DEFAULT_WEBHOOK_PATH
            server.app.router.add_post(path, self._webhook)

    @classmethod
    def from_settings(cls, settings: Settings, server: WebServer) -> TelegramAdapter | None:
        """The adapter the config asks for, or None (with the reason logged) when it can't run."""
        if settings.platforms.telegram is None:
            return None
        if problem := settings.platforms_off().get(PLATFORM):  # as `sotong check` says
            log.warning("telegram: %s; the Telegram adapter is off", problem)
            return None
        return cls(settings, server)

    # --- lifecycle ----------------------------------------------------------------------------

    async def start(self, dispatch: Dispatch) -> None:
        self._dispatch = dispatch
        self._reconnect = await connect_or_keep_trying(
            self._connect,
            platform=PLATFORM,
            where=self.base_url,
            transient=(NetworkError,),
            first=self.retry_first,
        )

    async def _connect(self) -> None:
        """Check the token, then poll or register the webhook. Safe to call again after a
        network failure part way through."""
        application = self.application
        try:
            await application.initialize()
        except InvalidToken:
            raise RuntimeError(REJECTED) from None
        if not application.running:
            await application.start()
        if application.updater is not None:
            await application.updater.start_polling(
                timeout=self.poll_timeout,
                allowed_updates=ALLOWED_UPDATES,
                error_callback=_polling_failed,
            )
        else:
            await application.bot.set_webhook(
                url=self.config.webhook_url or "",
                secret_token=self.config.webhook_secret,
                allowed_updates=ALLOWED_UPDATES,
            )
        self._connected = True
        log.info("telegram: connected as @%s (%s)", application.bot.username, self.config.mode)
        if self._commands is not None:  # asked for while Telegram was out of reach
            await self._publish(self._commands)

    async def stop(self) -> None:
        await stop_trying(self._reconnect)
        application = self.application
        if application.updater is not None and application.updater.running:
            await application.updater.stop()  # confirms the updates fetched so far
        if application.running:
            await application.stop()  # handles the updates already fetched
        await application.shutdown()
        self._connected = False
        self._dispatch = None

    # --- incoming -----------------------------------------------------------------------------

    async def _on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A polled update. Telegram forgets it once the next poll confirms it, so handing it
        to the core is tried again a few times (the inbox keeps one copy) before it is given
        up with an error line; updates after it wait, so their order is kept."""
        events = self._events(update)
        for attempt in range(1, STORE_TRIES + 1):
            try:
                await self._deliver(update, events)
                return
            except Exception as exc:
                if attempt == STORE_TRIES:
                    raise
                delay = backoff(attempt, first=self.retry_first, cap=8.0)
                log.warning(
                    "telegram: update %s not stored (%r); trying again in %.1fs",
                    update.update_id,
                    exc,
                    delay,
                )
                await asyncio.sleep(delay)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        number = getattr(update, "update_id", "?")
        log.error("telegram: update %s was not handled: %r", number, context.error)

    async def _webhook(self, request: web.Request) -> web.Response:
        """Telegram's POST: the secret header is checked first, in constant time."""
        given = request.headers.get(SECRET_HEADER, "").encode(errors="surrogateescape")
        if not hmac.compare_digest(given, (self.config.webhook_secret or "").encode()):
            log.warning("telegram: webhook call with a wrong secret from %s", request.remote)
            return web.Response(status=403)
        if self._dispatch is None or not self._connected:
            return web.Response(status=503)  # Telegram tries again later
        try:
            update = Update.de_json(await request.json(), self.application.bot)
            events = self._events(update)
        except Exception as exc:  # anything a malformed body can raise while parsing
            log.warning("telegram: malformed webhook update: %r", exc)
            return web.Response(status=400, text="malformed update")
        await self._deliver(update, events)  # a failure here is a 500: Telegram retries
        return web.Response()

    async def _deliver(self, update: Update, events: list[Event]) -> None:
        if self._dispatch is None:
            return
        for event in events:
            await self._dispatch(event)
        if update.callback_query is not None:
            with contextlib.suppress(TelegramError):
                await update.callback_query.answer()

    def _events(self, update: Update) -> list[Event]:
        """The neutral events in one update (a join can bring several people)."""
        if update.callback_query is not None:
            return self._choice(update.update_id, update.callback_query)
        message = update.message
        if message is None:
            return []
        if message.migrate_to_chat_id:
            log.warning(
                "telegram: group %s became supergroup %s; update its rooms[].chat_id",
                message.chat.id,
                message.migrate_to_chat_id,
            )
            return []
        if message.new_chat_members:
            return [
                MemberJoined(**_fields(message, user, f"{update.update_id}:{user.id}"))
                for user in message.new_chat_members
                if not user.is_bot
            ]
        left = message.left_chat_member
        if left is not None:
            return [] if left.is_bot else [MemberLeft(**_fields(message, left, update.update_id))]
        text = message.text or message.caption
        if not text or message.from_user is None or self._for_another_bot(text):
            return []
        fields = _fields(message, message.from_user, update.update_id)
        fields["addressed"] = fields["is_direct"] or self._mentions_me(message)
        fields["to_member"] = self._answers_member(message)
        fields["reply_to"] = _replied_to(message)
        fields["text"] = self._without_mention(text)
        return [parse_text(**fields)]

    def _choice(self, update_id: int, query: CallbackQuery) -> list[Event]:
        """A quick-reply button press: the resident said the button's text."""
        shown = query.message
        if not isinstance(shown, TelegramMessage) or shown.reply_markup is None:
            return []  # too old: Telegram no longer sends the message with its buttons
        buttons = (b for row in shown.reply_markup.inline_keyboard for b in row)
        text = next((b.text for b in buttons if b.callback_data == query.data), None)
        if text is None:
            return []
        fields = _fields(shown, query.from_user, update_id)
        asked = shown.reply_to_message  # answer under the question the choices were for
        fields.update(
            at=datetime.now(UTC),
            text=text,
            addressed=True,
            message_id=str((asked or shown).message_id),
        )
        return [Message(**fields)]

    def _answers_member(self, message: TelegramMessage) -> bool:
        """A reply to someone else's message (a topic's opening message is no reply), or a
        mention of someone other than the bot."""
        reply = message.reply_to_message if _replied_to(message) else None
        author = reply.from_user if reply is not None else None
        writer = message.from_user.id if message.from_user else None
        if author is not None and not author.is_bot and author.id != writer:
            return True
        return any(not self._is_me(entity, text) for entity, text in _mentions(message))

    def _mentions_me(self, message: TelegramMessage) -> bool:
        me = self.application.bot
        reply = message.reply_to_message
        if reply is not None and reply.from_user is not None and reply.from_user.id == me.id:
            return True
        return any(self._is_me(entity, text) for entity, text in _mentions(message))

    def _is_me(self, entity: MessageEntity, text: str) -> bool:
        """Whether a mention (`@sotong_bot`, or a name linked to a user) names the bot."""
        me = self.application.bot
        if entity.type == MessageEntity.MENTION:
            return text.lower() == f"@{me.username}".lower()
        return entity.user is not None and entity.user.id == me.id

    def _without_mention(self, text: str) -> str:
        """`@sotong_bot 봉투 어디서 사요?` → `봉투 어디서 사요?` (commands keep working)."""
        if text.startswith("/"):
            return text  # parse_text drops the `@botname` of a command itself
        handle = re.escape(f"@{self.application.bot.username}")
        return re.sub(rf"\s*{handle}\b", "", text, flags=re.I).strip()

    def _for_another_bot(self, text: str) -> bool:
        match = _OTHER_BOT_COMMAND.match(text)
        return match is not None and match["bot"].lower() != self.application.bot.username.lower()

    # --- outgoing -----------------------------------------------------------------------------

    async def send(self, out: Outgoing) -> str:
        if not self._connected:
            raise SendError("telegram: not connected yet")
        room_for_link = _length(out.link[0]) + 1 if out.link else 0
        parts = split_text(out.text, MAX_TEXT - room_for_link)
        key = (out.chat_id, out.reply_to, out.text)
        done, first_id = self._partial.pop(key, (0, ""))
        for index in range(done, len(parts)):
            try:
                sent = await self._send_part(
                    out, parts[index], first=index == 0, last=index == len(parts) - 1
                )
            except SendError:
                if index:
                    self._partial[key] = (index, first_id)
                raise
            first_id = first_id or str(sent.message_id)
        return first_id

    async def _send_part(
        self, out: Outgoing, text: str, *, first: bool, last: bool
    ) -> TelegramMessage:
        reply = None
        if first and out.reply_to and out.reply_to.isdigit():
            reply = ReplyParameters(int(out.reply_to), allow_sending_without_reply=True)
        keyboard = None
        if last and out.quick_replies:
            keyboard = InlineKeyboardMarkup(
                [
                    [InlineKeyboardButton(choice, callback_data=str(number))]
                    for number, choice in enumerate(out.quick_replies)
                ]
            )
        thread = int(out.thread_id) if out.thread_id and out.thread_id.isdigit() else None
        entities = None
        if last and out.link:  # a titled link, as an entity: no markup to escape in the text
            label, url = out.link
            text = f"{text}\n{label}"
            offset = _length(text) - _length(label)
            entities = [MessageEntity(MessageEntity.TEXT_LINK, offset, _length(label), url=url)]
        try:
            async with self.limiter.slot(*self._windows(out.chat_id), max_wait=self.limit_wait):
                with _as_send_error():
                    return await self.application.bot.send_message(
                        chat_id=out.chat_id,
                        text=text,
                        reply_parameters=reply,
                        reply_markup=keyboard,
                        message_thread_id=thread,
                        entities=entities,
                    )
        except Saturated as full:  # a long burst: the outbox keeps it until there is room
            raise SendError(f"telegram: {full}", retry_after=full.wait) from None

    def _windows(self, chat_id: str) -> list[Window]:
        """Telegram's limits for one chat: overall, per chat, and per group (negative ids)."""
        config, limiter = self.config, self.limiter
        windows = [
            limiter.window("overall", config.overall.count, config.overall.seconds),
            limiter.window(("chat", chat_id), config.per_chat.count, config.per_chat.seconds),
        ]
        if chat_id.startswith("-"):
            group = config.per_group
            windows.append(limiter.window(("group", chat_id), group.count, group.seconds))
        return windows

    async def member_count(self, chat_id: str) -> int | None:
        if not self._connected:
            return None
        try:
            return await self.application.bot.get_chat_member_count(chat_id)
        except TelegramError as exc:
            log.warning("telegram: no member count for %s: %s", chat_id, exc)
            return None

    async def publish_commands(self, commands: list[CommandInfo]) -> None:
        """Resident commands for everyone; officers' private chats and the officer room also
        list the commands their role allows. Before Telegram is reachable they are kept and
        published once it is."""
        self._commands = commands
        if self._connected:
            await self._publish(commands)

    async def _publish(self, commands: list[CommandInfo]) -> None:
        """One menu per scope; a scope Telegram refuses (an officer who never wrote to the
        bot: "chat not found") is logged and skipped."""
        for scope, role in self._command_scopes():
            allowed = ROLES[: ROLES.index(role) + 1]
            listed = [
                BotCommand(c.name, (c.usage or f"/{c.name}")[:256])
                for c in commands
                if c.role in allowed and _COMMAND_NAME.fullmatch(c.name)
            ]
            try:
                await self.application.bot.set_my_commands(listed, scope=scope)
            except TelegramError as exc:
                log.warning("telegram: command menu for %s not set: %s", scope.type, exc)

    def _command_scopes(self) -> list[tuple[BotCommandScope, str]]:
        scopes: list[tuple[BotCommandScope, str]] = [(BotCommandScopeDefault(), "resident")]
        for officer in self.settings.officers:
            user_id = officer.ids.get(PLATFORM)
            if user_id:
                scopes.append((BotCommandScopeChat(user_id), officer.role))
        room = self.settings.officer_room
        if room is not None and room.platform == PLATFORM:
            scopes.append((BotCommandScopeChat(room.chat_id), "officer"))
        return scopes


def _mentions(message: TelegramMessage) -> list[tuple[MessageEntity, str]]:
    """The @handles and linked names of a message's text or caption."""
    entities = message.parse_entities() if message.text else message.parse_caption_entities()
    kinds = (MessageEntity.MENTION, MessageEntity.TEXT_MENTION)
    return [(entity, text) for entity, text in entities.items() if entity.type in kinds]


def _fields(message: TelegramMessage, user: User, delivery: int | str) -> dict[str, Any]:
    """What every event from `message` shares, with `user` as the person concerned."""
    direct = message.chat.type == ChatType.PRIVATE
    return {
        "platform": PLATFORM,
        "chat_id": str(message.chat.id),
        "user_id": str(user.id),
        "user_name": user.full_name,
        "delivery_id": str(delivery),
        "at": message.date,
        "message_id": str(message.message_id),
        "thread_id": str(message.message_thread_id) if message.is_topic_message else None,
        "is_direct": direct,
        "addressed": direct,
    }


def _replied_to(message: TelegramMessage) -> str | None:
    """The message this one replies to; in a topic, every message replies to the topic's
    opening one, which is no reply of the writer's."""
    reply = message.reply_to_message
    if reply is None or (
        message.is_topic_message and reply.message_id == message.message_thread_id
    ):
        return None
    return str(reply.message_id)


def _polling_failed(exc: TelegramError) -> None:
    if isinstance(exc, Conflict):  # Telegram serves one poller (or a webhook) per token
        log.error(
            "telegram: another process is reading this bot's updates (%s); stop it, or give "
            "each bot its own token",
            exc,
        )
        return
    log.warning("telegram: polling failed (%s); polling again with backoff", exc)


@contextlib.contextmanager
def _as_send_error() -> Iterator[None]:
    """Telegram's errors as the outbox understands them: wait, retry later, or give up."""
    try:
        yield
    except RetryAfter as exc:
        raise SendError(f"telegram: {exc}", retry_after=_retry_seconds(exc)) from exc
    except ChatMigrated as exc:
        raise SendError(
            f"telegram: the group is now supergroup {exc.new_chat_id}; update rooms[].chat_id",
            permanent=True,
        ) from exc
    except (BadRequest, Forbidden) as exc:  # chat not found, bot kicked, bad request
        raise SendError(f"telegram: {exc.message}", permanent=True) from exc
    except InvalidToken:
        raise SendError(REJECTED) from None
    except TelegramError as exc:  # network errors and timeouts: the outbox backs off
        raise SendError(f"telegram: {exc.message}") from exc


def _retry_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 returns int or timedelta depending on PTB_TIMEDELTA
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _units(char: str) -> int:
    """Telegram measures text in UTF-16 code units: characters outside the BMP count twice."""
    return 2 if ord(char) > 0xFFFF else 1


def _length(text: str) -> int:
    return sum(map(_units, text))


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """`text` in pieces Telegram accepts, cut after a line where possible, else after a word."""
    pieces: list[str] = []
    rest = text
    while _length(rest) > limit:
        size = cut = 0
        while size + _units(rest[cut]) <= limit:
            size += _units(rest[cut])
            cut += 1
        head = rest[:cut]
        boundary = head.rfind("\n")
        if boundary <= 0:
            boundary = head.rfind(" ")
        if boundary > 0:
            cut = boundary + 1
        pieces.append(rest[:cut])
        rest = rest[cut:]
    pieces.append(rest)
    return [piece.strip("\n") for piece in pieces if piece.strip()]
