"""Slack through slack-bolt's AsyncApp, run inside our own event loop: Socket Mode by default
(no public URL; the `xapp-` app token), or HTTP on the bot's web server, where Bolt checks the
signing secret (`X-Slack-Signature` over a timestamp at most five minutes old; else 401).

Slack's quirks stay here. A message is acknowledged only once it is in the inbox (Bolt's
`process_before_response`), so Slack retries anything we lost; a retry, and the second copy
Slack sends of a mention (`app_mention` and `message`), carry the message's own
`channel:ts` as delivery id, so the inbox keeps one. Slash commands are acknowledged at once and
answered by the bot's reply later; `<@bot>` mentions are stripped; replies go in the thread.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
from collections.abc import Awaitable, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapter import Adapter, Capabilities, Dispatch, SendError
from bot.adapters import slack_checks
from bot.adapters.ratelimit import RateLimiter, connect_or_keep_trying, stop_trying
from bot.config import Settings, SlackSettings
from bot.messages import Event, MemberJoined, MemberLeft, Message, Outgoing, parse_text
from bot.web import WebServer

log = logging.getLogger(__name__)

PLATFORM = "slack"
MAX_TEXT = 40_000
DEFAULT_BASE_URL = "https://slack.com"
CHOICE_ACTION = "sotong_choice"
UMBRELLA_COMMAND = "/sotong"
NAME_TIMEOUT = 2.0
"""Longest a `users.info` lookup may hold up an event (Slack wants its ack within 3 s)."""
UNREACHABLE = (aiohttp.ClientError, TimeoutError, SlackApiError)
"""Failures worth trying again: the network, Slack's own errors (auth problems are not these)."""
_AUTH_ERRORS = frozenset(
    {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "not_allowed_token_type"}
)
_PERMANENT = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "msg_too_long",
        "no_text",
        "invalid_blocks",
        "invalid_arguments",
        "restricted_action",
        "cannot_reply_to_message",
    }
)
"""Errors a retry cannot fix: the outbox gives up on the message."""
_SHOWN_SUBTYPES = (None, "thread_broadcast", "file_share")
"""Message subtypes that are a person writing (not edits, deletions, joins …)."""
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")  # <@U0JIEUN> names a member
_LINK = re.compile(r"<((?:https?|mailto):[^<>|]+)(?:\|([^<>]*))?>")

T = TypeVar("T")


class SlackAdapter(Adapter):
    platform = PLATFORM
    capabilities = Capabilities(threads=True, buttons=True, member_count=True, max_text=MAX_TEXT)

    def __init__(
        self,
        settings: Settings,
        server: WebServer,
        *,
        timeout: float = 10.0,
        retry_first: float = 1.0,
    ) -> None:
        config = settings.platforms.slack
        if config is None or not config.bot_token:
            raise ValueError("the Slack adapter needs platforms.slack.bot_token")
        self.config: SlackSettings = config
        self.timeout = timeout
        self.retry_first = retry_first
        self.client = AsyncWebClient(
            token=config.bot_token,
            base_url=f"{(config.base_url or DEFAULT_BASE_URL).rstrip('/')}/api/",
            timeout=timeout,
            retry_handlers=[
                AsyncConnectionErrorRetryHandler(max_retry_count=2),
                AsyncRateLimitErrorRetryHandler(max_retry_count=1),
            ],
        )
        self.bolt = AsyncApp(
            client=self.client,
            signing_secret=config.signing_secret or "",
            request_verification_enabled=config.mode == "http",
            process_before_response=True,
        )
        self.bolt.event("app_mention")(self._on_message)
        self.bolt.event("message")(self._on_message)
        self.bolt.event("member_joined_channel")(self._on_member)
        self.bolt.event("member_left_channel")(self._on_member)
        self.bolt.command(re.compile(r"^/"))(self._on_command)
        self.bolt.action(re.compile(rf"^{CHOICE_ACTION}"))(self._on_choice)
        self.limiter = RateLimiter()
        self.bot_user_id = ""
        self._dispatch: Dispatch | None = None
        self._socket: AsyncSocketModeHandler | None = None
        self._names: dict[str, str] = {}
        self._read_profiles = True
        self._reconnect: asyncio.Task[None] | None = None
        if config.mode == "http":
            server.app.router.add_post(config.events_path, self._http)

    @classmethod
    def from_settings(cls, settings: Settings, server: WebServer) -> SlackAdapter | None:
        """The adapter the config asks for, or None (with the reason logged) when it can't run."""
        if settings.platforms.slack is None:
            return None
        if problem := settings.platforms_off().get(PLATFORM):  # as `sotong check` says
            log.warning("slack: %s; the Slack adapter is off", problem)
            return None
        return cls(settings, server)

    # --- lifecycle ----------------------------------------------------------------------------

    async def start(self, dispatch: Dispatch) -> None:
        self._dispatch = dispatch
        self._reconnect = await connect_or_keep_trying(
            self._connect,
            platform=PLATFORM,
            where="Slack",
            transient=UNREACHABLE,
            first=self.retry_first,
        )

    async def _connect(self) -> None:
        """Check the tokens (`auth.test`, `apps.connections.open`), then open the socket."""
        auth = await _checked(self.client.auth_test(), "bot token", "bot_token")
        self.bot_user_id = auth["user_id"]
        if self.config.mode == "socket":
            handler = AsyncSocketModeHandler(self.bolt, self.config.app_token)
            try:
                handler.client.wss_uri = await _checked(
                    handler.client.issue_new_wss_url(), "app token", "app_token"
                )
                # The SDK retries a failing WebSocket forever; we give up and retry in the
                # background instead, so one platform never holds up the others.
                async with asyncio.timeout(self.timeout):
                    await handler.connect_async()
            except BaseException:
                await handler.close_async()
                raise
            self._socket = handler
        log.info("slack: connected as %s (%s)", auth.get("user"), self.config.mode)

    async def stop(self) -> None:
        await stop_trying(self._reconnect)
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        self.bot_user_id = ""
        self._dispatch = None

    @property
    def connected(self) -> bool:
        return bool(self.bot_user_id)

    # --- incoming -----------------------------------------------------------------------------

    async def _http(self, request: web.Request) -> web.Response:
        """Events, slash commands and button presses in HTTP mode: signed (else 401) and in
        the shape the listeners read (else 400) before Bolt sees them."""
        if self._dispatch is None or not self.connected:
            return web.Response(status=503)  # Slack tries again later
        try:
            body = (await request.read()).decode("utf-8")
        except UnicodeDecodeError:
            return web.Response(status=400, text="malformed body")
        if not slack_checks.signed(self.config.signing_secret or "", body, request.headers):
            return web.Response(status=401, text="invalid signature")
        if problem := slack_checks.malformed(body, request.content_type):
            log.warning("slack: refused a malformed request: %s", problem)
            return web.Response(status=400, text=problem)
        return await to_aiohttp_response(
            await self.bolt.async_dispatch(await to_bolt_request(request))
        )

    async def _deliver(self, event: Event) -> None:
        if self._dispatch is None:
            raise RuntimeError("slack: not started")  # Bolt answers 500 and Slack retries
        await self._dispatch(event)

    async def _on_message(self, event: dict[str, Any]) -> None:
        if event.get("subtype") not in _SHOWN_SUBTYPES or event.get("bot_id"):
            return
        user, text = event.get("user"), event.get("text") or ""
        if not user or not text.strip():
            return  # a file shared without a word, as on Telegram: nothing to read
        direct = event.get("channel_type") == "im"
        mentioned = event["type"] == "app_mention" or f"<@{self.bot_user_id}>" in text
        parent = event.get("parent_user_id")
        replied = parent == self.bot_user_id
        await self._deliver(
            parse_text(
                platform=PLATFORM,
                chat_id=event["channel"],
                user_id=user,
                user_name=await self._name(user),
                delivery_id=f"{event['channel']}:{event['ts']}",
                at=_time(event["ts"]),
                text=self._plain(text),
                message_id=event["ts"],
                thread_id=event.get("thread_ts"),
                is_direct=direct,
                addressed=direct or mentioned or replied,
                to_member=parent not in (None, user, self.bot_user_id)
                or bool(set(_MENTION.findall(text)) - {user, self.bot_user_id}),
            )
        )

    async def _on_member(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        if event["user"] == self.bot_user_id:
            return  # the bot itself was invited or removed (Bolt passes these on)
        kind = MemberJoined if event["type"] == "member_joined_channel" else MemberLeft
        await self._deliver(
            kind(
                platform=PLATFORM,
                chat_id=event["channel"],
                user_id=event["user"],
                user_name=await self._name(event["user"]),
                delivery_id=body["event_id"],
                at=_time(body.get("event_time")),
            )
        )

    async def _on_command(self, ack: AsyncAck, command: dict[str, Any]) -> None:
        """Acknowledge first (Slack allows 3 s); the bot's answer follows as a message.

        `/sotong status 2026-0001` is `/status 2026-0001`: Slack keeps some names (`/status`)
        for itself, so every command is also reachable through the one umbrella command."""
        await ack()
        name, text = command["command"], (command.get("text") or "").strip()
        if name == UMBRELLA_COMMAND:
            word, _, text = text.partition(" ")
            name = f"/{word or 'help'}"
        channel = command["channel_id"]
        await self._deliver(
            parse_text(
                platform=PLATFORM,
                chat_id=channel,
                user_id=command["user_id"],
                user_name=await self._name(command["user_id"], command.get("user_name")),
                delivery_id=command["trigger_id"],
                at=datetime.now(UTC),
                text=f"{name} {text}".strip(),
                is_direct=channel.startswith("D"),
                addressed=True,
            )
        )

    async def _on_choice(self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]):
        """A quick-reply button press: the person said the button's text, in its thread."""
        await ack()
        channel = body["channel"]["id"]
        shown = body.get("message") or {}
        thread = shown.get("thread_ts")
        await self._deliver(
            Message(
                platform=PLATFORM,
                chat_id=channel,
                user_id=body["user"]["id"],
                user_name=await self._name(body["user"]["id"], body["user"].get("name")),
                delivery_id=body["trigger_id"],
                at=datetime.now(UTC),
                text=action["value"],
                message_id=thread or shown.get("ts"),
                thread_id=thread,
                is_direct=channel.startswith("D"),
                addressed=True,
            )
        )

    async def _name(self, user_id: str, fallback: str | None = None) -> str:
        """How a person is called (`users.info`, scope `users:read`), cached; without the
        scope, or when Slack is slow to tell, the `fallback` or the member id."""
        if (known := self._names.get(user_id)) is not None:
            return known
        name = None
        if self._read_profiles:
            try:
                async with asyncio.timeout(NAME_TIMEOUT):
                    found = await self.client.users_info(user=user_id)
            except SlackApiError as exc:
                if exc.response.get("error") in ("missing_scope", "not_allowed_token_type"):
                    self._read_profiles = False
                    log.warning("slack: no users:read scope; people are shown by member id")
            except (aiohttp.ClientError, TimeoutError) as exc:
                log.info("slack: no name for %s yet: %r", user_id, exc)
            else:
                user = found["user"]
                profile = user.get("profile") or {}
                name = (
                    profile.get("display_name")
                    or profile.get("real_name")
                    or user.get("real_name")
                    or user.get("name")
                )
                if name:
                    self._names[user_id] = name
        return name or fallback or user_id

    def _plain(self, text: str) -> str:
        """Slack markup as people read it: no `<@bot>`, links as their label, `&lt;` as `<`."""
        text = text.replace(f"<@{self.bot_user_id}>", "")
        text = _LINK.sub(lambda m: m[2] or m[1], text)
        return html.unescape(" ".join(text.split()))

    # --- outgoing -----------------------------------------------------------------------------

    async def send(self, out: Outgoing) -> str:
        if not self.connected:
            raise SendError("slack: not connected yet")
        message: dict[str, Any] = {"channel": out.chat_id, "text": _slack_text(out)}
        thread = out.thread_id or (None if out.to_user else out.reply_to)
        if thread:
            message["thread_ts"] = thread
        if out.quick_replies:
            message["blocks"] = _choice_blocks(out.text, out.quick_replies)
        per = self.config.per_channel
        async with self.limiter.slot(self.limiter.window(out.chat_id, per.count, per.seconds)):
            try:
                sent = await self.client.chat_postMessage(**message)
            except SlackApiError as exc:
                raise _send_error(exc) from exc
            except (aiohttp.ClientError, TimeoutError) as exc:
                raise SendError(f"slack: {exc!r}") from exc
        return str(sent["ts"])

    async def member_count(self, chat_id: str) -> int | None:
        if not self.connected:
            return None
        try:
            info = await self.client.conversations_info(channel=chat_id, include_num_members=True)
        except SlackApiError as exc:
            log.warning("slack: no member count for %s: %s", chat_id, exc.response.get("error"))
            return None
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning("slack: no member count for %s: %r", chat_id, exc)
            return None
        return info["channel"].get("num_members")


async def _checked(call: Awaitable[T], what: str, key: str) -> T:
    """`call`, with a rejected token turned into a message that says which one to fix."""
    try:
        return await call
    except SlackApiError as exc:
        error = exc.response.get("error")
        if error in _AUTH_ERRORS:
            variable = f"SLACK_{key.upper()}"
            raise RuntimeError(
                f"slack: the {what} was rejected ({error}) — check platforms.slack.{key} "
                f"({variable})"
            ) from None
        raise


def _send_error(exc: SlackApiError) -> SendError:
    """Slack's refusal as the outbox understands it: wait, retry later, or give up."""
    response = exc.response
    if response.status_code == 429:
        return SendError("slack: rate limited", retry_after=_retry_after(response.headers))
    error = response.get("error") if isinstance(response.data, dict) else None
    reason = error or f"HTTP {response.status_code}"
    return SendError(f"slack: {reason}", permanent=error in _PERMANENT)


def _retry_after(headers: Mapping[str, Any]) -> float:
    for name, value in headers.items():
        if name.lower() == "retry-after":
            return float(value[0] if isinstance(value, list) else value)
    return 1.0


def _time(ts: str | float | None) -> datetime:
    return datetime.fromtimestamp(float(ts), UTC) if ts else datetime.now(UTC)


def _slack_text(out: Outgoing) -> str:
    """The text as written, and its link as Slack's titled `<url|label>`."""
    if out.link is None:
        return _escape(out.text)
    label, url = out.link
    return f"{_escape(out.text)}\n<{_escape(url)}|{_escape(label).replace('|', '¦')}>"


def _escape(text: str) -> str:
    """Slack reads `<…>` as mentions and links: what the bot says is shown as written."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _choice_blocks(text: str, choices: tuple[str, ...]) -> list[dict[str, Any]]:
    """The text and one button per choice (Slack's limits: 3,000-char text, 75-char labels)."""
    buttons = [
        {
            "type": "button",
            "action_id": f"{CHOICE_ACTION}_{number}",
            "text": {"type": "plain_text", "text": choice[:72] + ("…" if len(choice) > 72 else "")},
            "value": choice[:2000],
        }
        for number, choice in enumerate(choices[:25])
    ]
    return [
        {"type": "section", "text": {"type": "plain_text", "text": text[:3000]}},
        {"type": "actions", "elements": buttons},
    ]
