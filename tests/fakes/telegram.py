"""A fake Telegram Bot API on 127.0.0.1, enough for python-telegram-bot to run unchanged.

It keeps the server's side of the protocol: updates wait until a `getUpdates` with a higher
`offset` confirms them (or are posted to the webhook once one is set), message ids count per
chat, and a bot message keeps its buttons and the message it replied to. Tests make people
write (`say`, `press`, `join`), read what the bot sent (`sent`), and make it misbehave
(`fail`, `hang`, `duplicate=True`, `unconfirm_all`).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from tests.fakes.base import FakeServer, Fault, json_field, request_params

TOKEN = "123456:TEST-TOKEN"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass(frozen=True)
class Sent:
    """A message the bot sent, as the fake received it."""

    chat_id: str
    text: str
    message_id: int
    reply_to: int | None
    buttons: tuple[str, ...]
    thread_id: int | None
    at: float
    allow_without_reply: bool = False
    entities: tuple[dict[str, Any], ...] = ()


@dataclass
class WebhookDelivery:
    update_id: int
    status: int = 0
    done: asyncio.Event = field(default_factory=asyncio.Event)


class FakeTelegram(FakeServer):
    def __init__(self, *, token: str = TOKEN, username: str = "sotong_bot") -> None:
        super().__init__()
        self.token = token
        self.me = {
            "id": int(token.split(":")[0]),
            "is_bot": True,
            "first_name": "소통봇",
            "username": username,
        }
        self.updates: list[dict[str, Any]] = []
        self.confirmed = 0
        """Updates up to this id were confirmed by an offset and are gone."""
        self.sent: list[Sent] = []
        self.commands: dict[str, list[str]] = {}
        """Command menus by scope: "default" or "chat:<id>"."""
        self.members: dict[str, int] = {}
        self.kicked: set[str] = set()
        """Chats the bot was removed from: sending there is forbidden."""
        self.webhook: dict[str, Any] | None = None
        self.deliveries: list[WebhookDelivery] = []
        self.answered_callbacks: list[str] = []
        self._update_ids = itertools.count(1000)
        self._message_ids: defaultdict[str, itertools.count[int]] = defaultdict(
            lambda: itertools.count(1)
        )
        self._messages: dict[tuple[str, int], dict[str, Any]] = {}
        self._new_update = asyncio.Event()
        self._polls = 0
        self.app.router.add_route("*", "/bot{token}/{method}", self._api)

    def section(self, **overrides: Any) -> dict[str, Any]:
        """`platforms.telegram` pointing at this fake, the token from the environment.

        Telegram's 1 message a second per chat is scaled down to one per 0.2 s, so tests with
        several answers in one chat stay quick; the limit still applies (the burst test
        checks the group limit with its own windows)."""
        return {
            "token": "${TELEGRAM_BOT_TOKEN}",
            "base_url": self.url,
            "per_chat": {"count": 1, "seconds": 0.2},
            **overrides,
        }

    # --- people do things ---------------------------------------------------------------------

    def say(
        self,
        chat_id: int,
        user_id: int,
        name: str,
        text: str,
        *,
        reply_to: int | None = None,
        duplicate: bool = False,
    ) -> int:
        """`name` writes `text` in a group (negative id) or to the bot (their own id)."""
        message = self._message(chat_id, self._user(user_id, name), text=text, reply_to=reply_to)
        if entities := _entities(text):
            message["entities"] = entities
        self._push({"message": message}, copies=2 if duplicate else 1)
        return message["message_id"]

    def press(self, sent: Sent, user_id: int, name: str, choice: str) -> None:
        """`name` presses the quick-reply button labelled `choice` under a bot message."""
        shown = self._messages[(sent.chat_id, sent.message_id)]
        rows = shown["reply_markup"]["inline_keyboard"]
        data = next(b["callback_data"] for row in rows for b in row if b["text"] == choice)
        query = {
            "id": uuid.uuid4().hex,
            "from": self._user(user_id, name),
            "message": shown,
            "chat_instance": "1",
            "data": data,
        }
        self._push({"callback_query": query})

    def join(self, chat_id: int, user_id: int, name: str) -> None:
        user = self._user(user_id, name)
        self._push({"message": self._message(chat_id, user, new_chat_members=[user])})

    def leave(self, chat_id: int, user_id: int, name: str) -> None:
        user = self._user(user_id, name)
        self._push({"message": self._message(chat_id, user, left_chat_member=user)})

    def unconfirm_all(self) -> None:
        """Forget every confirmation, as if the bot had died before confirming its updates."""
        self.confirmed = 0
        self._new_update.set()

    def to(self, chat_id: int | str) -> list[Sent]:
        return [s for s in self.sent if s.chat_id == str(chat_id)]

    async def wait_sent(self, count: int, chat_id: int | str | None = None, timeout: float = 15.0):
        """Wait until the bot has sent `count` messages (to `chat_id`); return them."""

        def enough() -> list[Sent] | None:
            found = self.sent if chat_id is None else self.to(chat_id)
            return list(found) if len(found) >= count else None

        return await self.wait_until(enough, timeout, f"{count} messages to {chat_id}")

    def _push(self, body: dict[str, Any], copies: int = 1) -> None:
        update = {"update_id": next(self._update_ids), **body}
        if self.webhook is not None:
            delivery = WebhookDelivery(update["update_id"])
            self.deliveries.append(delivery)
            asyncio.get_running_loop().create_task(self._post_webhook(update, delivery, copies))
            return
        self.updates.extend([update] * copies)
        self._new_update.set()

    async def _post_webhook(self, update: dict[str, Any], delivery: WebhookDelivery, copies: int):
        """Telegram posting an update, with the secret it was given (again for a duplicate)."""
        headers = {}
        if secret := self.webhook.get("secret_token"):
            headers[SECRET_HEADER] = secret
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as session:
            for _ in range(copies):
                async with session.post(self.webhook["url"], json=update, headers=headers) as r:
                    delivery.status = r.status
        delivery.done.set()

    # --- the Bot API --------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await request_params(request)
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        if (fault := await self.take_fault(method, params)) is not None:
            return _fault(fault)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return _error(400, f"Bad Request: the fake does not implement {method}")
        self.record(method, params)
        result = await handler(params)
        if isinstance(result, web.Response):
            return result
        return web.json_response({"ok": True, "result": result})

    async def _api_getMe(self, params: dict[str, Any]) -> Any:
        return self.me

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = None
        return True

    async def _api_setWebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = {"url": params["url"], "secret_token": params.get("secret_token")}
        return True

    async def _api_getUpdates(self, params: dict[str, Any]) -> Any:
        if self.webhook is not None:
            return _error(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = int(params.get("offset") or 0)
        if offset > 0:
            self.confirmed = max(self.confirmed, offset - 1)
        self._polls += 1
        poll = self._polls  # a newer getUpdates ends this one, as on Telegram
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        while True:
            pending = [u for u in self.updates if u["update_id"] > self.confirmed]
            left = deadline - time.monotonic()
            if pending or left <= 0 or poll != self._polls or self.closing.is_set():
                return pending[: int(params.get("limit") or 100)]
            self._new_update.clear()
            waiting = asyncio.ensure_future(self._new_update.wait())
            closing = asyncio.ensure_future(self.closing.wait())
            await asyncio.wait([waiting, closing], timeout=left, return_when="FIRST_COMPLETED")
            waiting.cancel()
            closing.cancel()

    async def _api_sendMessage(self, params: dict[str, Any]) -> Any:
        chat_id = str(params["chat_id"])
        if chat_id in self.kicked:
            return _error(403, "Forbidden: bot was kicked from the group chat")
        reply = json_field(params.get("reply_parameters")) or {}
        markup = json_field(params.get("reply_markup"))
        thread = params.get("message_thread_id")
        message = self._message(
            int(chat_id), self.me, text=params["text"], reply_to=reply.get("message_id")
        )
        if markup:
            message["reply_markup"] = markup
        buttons = tuple(b["text"] for row in (markup or {}).get("inline_keyboard", []) for b in row)
        self.sent.append(
            Sent(
                chat_id=chat_id,
                text=params["text"],
                message_id=message["message_id"],
                reply_to=reply.get("message_id"),
                buttons=buttons,
                thread_id=int(thread) if thread else None,
                at=time.monotonic(),
                allow_without_reply=bool(reply.get("allow_sending_without_reply")),
                entities=tuple(json_field(params.get("entities")) or ()),
            )
        )
        return message

    async def _api_setMyCommands(self, params: dict[str, Any]) -> Any:
        scope = json_field(params.get("scope")) or {"type": "default"}
        key = f"chat:{scope['chat_id']}" if scope["type"] == "chat" else scope["type"]
        self.commands[key] = [c["command"] for c in json_field(params["commands"])]
        return True

    async def _api_getChatMemberCount(self, params: dict[str, Any]) -> Any:
        count = self.members.get(str(params["chat_id"]))
        return _error(400, "Bad Request: chat not found") if count is None else count

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> Any:
        self.answered_callbacks.append(params["callback_query_id"])
        return True

    # --- Telegram's objects -------------------------------------------------------------------

    def _user(self, user_id: int, name: str) -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": name}

    def _message(
        self, chat_id: int, sender: dict[str, Any], *, reply_to: int | None = None, **body: Any
    ) -> dict[str, Any]:
        """A message as Telegram shows it, numbered in its chat and kept for later replies."""
        if chat_id < 0:
            chat = {"id": chat_id, "type": "supergroup", "title": f"그룹 {chat_id}"}
        else:
            chat = {"id": chat_id, "type": "private", "first_name": sender["first_name"]}
        message = {
            "message_id": next(self._message_ids[str(chat_id)]),
            "date": int(time.time()),
            "chat": chat,
            "from": sender,
            **body,
        }
        replied = self._messages.get((str(chat_id), reply_to)) if reply_to else None
        if replied is not None:
            message["reply_to_message"] = replied
        self._messages[(str(chat_id), message["message_id"])] = message
        return message


def _entities(text: str) -> list[dict[str, Any]]:
    """Commands and @mentions, with offsets in UTF-16 units as Telegram counts them."""

    def units(s: str) -> int:
        return len(s.encode("utf-16-le")) // 2

    found = []
    for match in re.finditer(r"(?:^/[A-Za-z]\w*(?:@\w+)?)|@\w+", text):
        kind = "bot_command" if match[0].startswith("/") else "mention"
        found.append(
            {"type": kind, "offset": units(text[: match.start()]), "length": units(match[0])}
        )
    return found


def _error(status: int, description: str, **parameters: Any) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.Response(status=status, text=json.dumps(body), content_type="application/json")


def _fault(fault: Fault) -> web.Response:
    if fault.status == 429:
        return _error(
            429,
            f"Too Many Requests: retry after {fault.retry_after}",
            retry_after=fault.retry_after,
        )
    if fault.status:
        return _error(fault.status, "Internal Server Error")
    return _error(504, "Gateway Timeout")
