"""A fake Slack on 127.0.0.1, enough for slack-bolt and slack_sdk to run unchanged: the Web API
(`auth.test`, `chat.postMessage`, `conversations.info`, `users.info`, `apps.connections.open`),
a Socket Mode WebSocket that sends envelopes and waits for their acks, and, for HTTP mode,
Slack's signed POSTs to the bot's events URL.

Tests make people write (`say`), run slash commands (`slash`), press buttons (`click`), read
what the bot posted (`posted`), and make Slack misbehave (`fail`, `hang`, `retry_num`).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import WSMsgType, web

from tests.fakes.base import FakeServer, Fault, json_field, request_params

BOT_TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-test-token"
SIGNING_SECRET = "test-signing-secret"
BOT_USER = "UBOT"
TEAM = "T0COUNTY"
APP = "A0SOTONG"


@dataclass(frozen=True)
class Posted:
    """A message the bot posted."""

    channel: str
    text: str
    ts: str
    thread_ts: str | None
    buttons: tuple[str, ...]
    at: float


@dataclass(frozen=True)
class Delivery:
    """How the bot answered one delivery: HTTP status (200 for a socket ack) and when."""

    status: int
    at: float
    body: Any = None


class FakeSlack(FakeServer):
    def __init__(self) -> None:
        super().__init__()
        self.posted: list[Posted] = []
        self.members: dict[str, int] = {}
        self.names: dict[str, str] = {}
        """Display names by member id, for `users.info` (others are `user_not_found`)."""
        self._authors: dict[str, str] = {}  # ts → who wrote it, for a thread's parent_user_id
        self.events_url: str | None = None
        """HTTP mode: where events are posted (signed); unset, they go over the socket."""
        self.connected = asyncio.Event()
        self._sockets: list[web.WebSocketResponse] = []
        self._acks: dict[str, asyncio.Future[Delivery]] = {}
        self._clock = itertools.count(1)
        self.app.router.add_route("*", "/api/{method}", self._api)
        self.app.router.add_get("/link/", self._link)

    async def stop(self) -> None:
        for socket in list(self._sockets):
            await socket.close()
        await super().stop()

    def section(self, **overrides: Any) -> dict[str, Any]:
        """`platforms.slack` pointing at this fake, the tokens from the environment.

        Slack's 1 message a second per channel is scaled down to one per 0.2 s, so tests
        with several answers in one channel stay quick; the limit still applies."""
        return {
            "bot_token": "${SLACK_BOT_TOKEN}",
            "app_token": "${SLACK_APP_TOKEN}",
            "signing_secret": "${SLACK_SIGNING_SECRET}",
            "base_url": self.url,
            "per_channel": {"count": 1, "seconds": 0.2},
            **overrides,
        }

    # --- people do things ---------------------------------------------------------------------

    async def say(
        self,
        channel: str,
        user: str,
        text: str,
        *,
        thread_ts: str | None = None,
        direct: bool = False,
    ) -> str:
        """`user` writes in `channel` (or 1:1 with `direct`); returns the message's ts.

        As Slack does, a mention of the bot in a channel arrives twice: as `app_mention` and
        as `message`."""
        event = self.message(channel, user, text, thread_ts=thread_ts, direct=direct)
        if f"<@{BOT_USER}>" in text and not direct:
            await self.send_event({**event, "type": "app_mention"})
        await self.send_event(event)
        return event["ts"]

    def message(
        self,
        channel: str,
        user: str,
        text: str,
        *,
        thread_ts: str | None = None,
        direct: bool = False,
        **extra: Any,
    ) -> dict[str, Any]:
        """A `message` event, for tests that deliver it themselves (twice, altered …)."""
        ts = self._ts()
        event = {
            "type": "message",
            "channel": channel,
            "user": user,
            "text": text,
            "ts": ts,
            "event_ts": ts,
            "channel_type": "im" if direct else "channel",
            **extra,
        }
        self._authors[ts] = user
        if thread_ts:
            event["thread_ts"] = thread_ts
            parent = next((p for p in self.posted if p.ts == thread_ts), None)
            event["parent_user_id"] = BOT_USER if parent else self._authors.get(thread_ts, user)
        return event

    def callback(self, event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
        """The Events API body around `event` (the same `event_id` marks a retry)."""
        return {
            "token": "legacy",
            "team_id": TEAM,
            "api_app_id": APP,
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
        }

    async def send_event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry_num: int | None = None
    ) -> Delivery:
        """Deliver one event, over the socket or to the events URL."""
        return await self._deliver("events_api", self.callback(event, event_id), retry_num)

    async def slash(self, channel: str, user: str, name: str, command: str, text: str) -> Delivery:
        """`user` runs `/command text` in `channel`."""
        payload = {
            "token": "legacy",
            "team_id": TEAM,
            "team_domain": "county",
            "channel_id": channel,
            "channel_name": channel.lower(),
            "user_id": user,
            "user_name": name,
            "command": command,
            "text": text,
            "api_app_id": APP,
            "response_url": f"{self.url}/response",
            "trigger_id": f"{next(self._clock)}.{uuid.uuid4().hex[:8]}",
        }
        return await self._deliver("slash_commands", payload, None)

    async def click(self, posted: Posted, user: str, choice: str) -> Delivery:
        """`user` presses the button labelled `choice` under a message the bot posted."""
        number = posted.buttons.index(choice)
        message = {"type": "message", "user": BOT_USER, "ts": posted.ts, "text": posted.text}
        if posted.thread_ts:
            message["thread_ts"] = posted.thread_ts
        payload = {
            "type": "block_actions",
            "user": {"id": user, "name": user, "team_id": TEAM},
            "api_app_id": APP,
            "token": "legacy",
            "team": {"id": TEAM, "domain": "county"},
            "channel": {"id": posted.channel, "name": posted.channel.lower()},
            "container": {"type": "message", "message_ts": posted.ts, "channel_id": posted.channel},
            "trigger_id": f"{next(self._clock)}.{uuid.uuid4().hex[:8]}",
            "message": message,
            "actions": [
                {
                    "type": "button",
                    "action_id": f"sotong_choice_{number}",
                    "block_id": "choices",
                    "value": choice,
                    "text": {"type": "plain_text", "text": choice},
                    "action_ts": self._ts(),
                }
            ],
            "response_url": f"{self.url}/response",
        }
        return await self._deliver("interactive", payload, None)

    def to(self, channel: str) -> list[Posted]:
        return [p for p in self.posted if p.channel == channel]

    async def wait_posted(self, count: int, channel: str | None = None, timeout: float = 15.0):
        """Wait until the bot has posted `count` messages (to `channel`); return them."""

        def enough() -> list[Posted] | None:
            found = self.posted if channel is None else self.to(channel)
            return list(found) if len(found) >= count else None

        return await self.wait_until(enough, timeout, f"{count} posts to {channel}")

    def _ts(self) -> str:
        return f"{int(time.time())}.{next(self._clock):06d}"

    # --- delivering to the bot ----------------------------------------------------------------

    async def _deliver(self, kind: str, payload: dict[str, Any], retry_num: int | None) -> Delivery:
        if self.events_url is not None:
            if kind == "events_api":
                body, content_type = json.dumps(payload), "application/json"
            elif kind == "slash_commands":
                body, content_type = urlencode(payload), "application/x-www-form-urlencoded"
            else:
                body = urlencode({"payload": json.dumps(payload)})
                content_type = "application/x-www-form-urlencoded"
            return await self.post(body, content_type, retry_num=retry_num)
        return await self._envelope(kind, payload, retry_num or 0)

    async def post(
        self,
        body: str,
        content_type: str = "application/json",
        *,
        secret: str = SIGNING_SECRET,
        timestamp: int | None = None,
        retry_num: int | None = None,
    ) -> Delivery:
        """POST `body` to the bot's events URL as Slack does, signed with `secret`."""
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        base = f"v0:{stamp}:{body}".encode()
        signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature,
        }
        if retry_num:
            headers.update({"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "timeout"})
        assert self.events_url is not None, "set events_url for HTTP mode"
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as session,
            session.post(self.events_url, data=body.encode(), headers=headers) as response,
        ):
            text = await response.text()
            return Delivery(response.status, time.monotonic(), text)

    async def _envelope(self, kind: str, payload: dict[str, Any], retry: int) -> Delivery:
        """Send one Socket Mode envelope and wait for the bot's ack."""
        await asyncio.wait_for(self.connected.wait(), 15)
        envelope_id = str(uuid.uuid4())
        acked = asyncio.get_running_loop().create_future()
        self._acks[envelope_id] = acked
        await self._sockets[-1].send_json(
            {
                "envelope_id": envelope_id,
                "type": kind,
                "payload": payload,
                "accepts_response_payload": kind != "events_api",
                "retry_attempt": retry,
                "retry_reason": "timeout" if retry else "",
            }
        )
        return await asyncio.wait_for(acked, 15)

    async def _link(self, request: web.Request) -> web.WebSocketResponse:
        """The Socket Mode WebSocket the `apps.connections.open` URL points at."""
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_json(
            {
                "type": "hello",
                "num_connections": len(self._sockets),
                "connection_info": {"app_id": APP},
                "debug_info": {"host": "fake"},
            }
        )
        self.connected.set()
        try:
            async for frame in socket:
                if frame.type != WSMsgType.TEXT:
                    continue
                ack = json.loads(frame.data)
                waiting = self._acks.pop(ack.get("envelope_id", ""), None)
                if waiting is not None and not waiting.done():
                    waiting.set_result(Delivery(200, time.monotonic(), ack.get("payload")))
        finally:
            self._sockets.remove(socket)
            if not self._sockets:
                self.connected.clear()
        return socket

    # --- the Web API --------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await request_params(request)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        token = token or params.get("token", "")
        if (fault := await self.take_fault(method, params)) is not None:
            return _fault(fault)
        if method == "apps.connections.open":
            if token != APP_TOKEN:
                return _error("not_allowed_token_type" if token == BOT_TOKEN else "invalid_auth")
            self.record(method, params)
            return _ok(url=f"ws://127.0.0.1:{self.port}/link/?ticket={uuid.uuid4().hex}")
        if token != BOT_TOKEN:
            return _error("invalid_auth")
        self.record(method, params)
        if method == "auth.test":
            return _ok(
                url="https://county.slack.com/",
                team="시험군청",
                user="sotong",
                team_id=TEAM,
                user_id=BOT_USER,
                bot_id="B0SOTONG",
            )
        if method == "chat.postMessage":
            return self._post_message(params)
        if method == "users.info":
            user = params["user"]
            if user not in self.names:
                return _error("user_not_found")
            profile = {"display_name": self.names[user], "real_name": self.names[user]}
            return _ok(user={"id": user, "name": user.lower(), "profile": profile})
        if method == "conversations.info":
            channel = params["channel"]
            if channel not in self.members:
                return _error("channel_not_found")
            return _ok(channel={"id": channel, "num_members": self.members[channel]})
        return _error("unknown_method")

    def _post_message(self, params: dict[str, Any]) -> web.Response:
        blocks = json_field(params.get("blocks")) or []
        buttons = tuple(
            element["value"]
            for block in blocks
            if block["type"] == "actions"
            for element in block["elements"]
        )
        ts = self._ts()
        self.posted.append(
            Posted(
                channel=params["channel"],
                text=params["text"],
                ts=ts,
                thread_ts=params.get("thread_ts"),
                buttons=buttons,
                at=time.monotonic(),
            )
        )
        message = {"type": "message", "user": BOT_USER, "text": params["text"], "ts": ts}
        return _ok(channel=params["channel"], ts=ts, message=message)


def _ok(**body: Any) -> web.Response:
    return web.json_response({"ok": True, **body})


def _error(error: str, status: int = 200, **headers: str) -> web.Response:
    return web.json_response({"ok": False, "error": error}, status=status, headers=headers)


def _fault(fault: Fault) -> web.Response:
    if fault.status == 429:
        return _error("ratelimited", 429, **{"Retry-After": str(fault.retry_after or 1)})
    if fault.status:
        return _error("internal_error", fault.status)
    return _error("request_timeout", 504)
