"""The web chat: a page at `/chat` where people pick a room and a name and talk over a
WebSocket, the way residents talk in a group. It is the embedded default channel and the one
a county can embed on its own site.

Who someone is comes from a signed cookie, never from the display name they type: residents
get a random visitor id; officers sign in with their per-officer secret from the environment.
"""

from __future__ import annotations

import hmac
import itertools
import json
import logging
import re
import secrets
import uuid
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import WSMsgType, web
from aiohttp.http_exceptions import HttpProcessingError
from itsdangerous import BadSignature, URLSafeSerializer

from bot import privacy
from bot.adapter import Adapter, Capabilities, Dispatch, SendError
from bot.config import Settings
from bot.messages import Outgoing, parse_text, well_formed
from bot.texts import Texts
from bot.web import WebServer

log = logging.getLogger(__name__)

PLATFORM = "webchat"
COOKIE = "sotong_id"
DIRECT = "dm"
HISTORY = 100
MAX_TEXT = 4000
_templates = jinja2.Environment(
    loader=jinja2.PackageLoader("bot", "templates"), autoescape=True, enable_async=False
)


@dataclass
class Visitor:
    user_id: str
    officer: bool = False


@dataclass(eq=False)
class Seat:
    """One open browser tab: a WebSocket in a room, with the name the person chose."""

    ws: web.WebSocketResponse
    visitor: Visitor
    room: str
    name: str


def load_secret(configured: str | None, state_dir: Path) -> str:
    """The cookie-signing key: from config/env, or generated once and kept under var/."""
    if configured:
        return configured
    path = state_dir / "webchat.key"
    if path.exists():
        return path.read_text().strip()
    state_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


class WebchatAdapter(Adapter):
    platform = PLATFORM
    capabilities = Capabilities(buttons=True, member_count=True, max_text=MAX_TEXT)

    def __init__(self, settings: Settings, server: WebServer) -> None:
        self.settings = settings
        self.texts = Texts(settings.locale)
        webchat = settings.platforms.webchat
        self.bot_name = webchat.bot_name
        secret = load_secret(webchat.secret, settings.state_dir)
        self._signer = URLSafeSerializer(secret, salt="sotong-webchat")
        self._dispatch: Dispatch | None = None
        self._seats: defaultdict[str, set[Seat]] = defaultdict(set)
        self._history_file = settings.state_dir / "webchat-history.jsonl"
        self._history = self._load_history()
        self._members_file = settings.state_dir / "webchat-members.json"
        self._members = self._load_members()
        self._ids = itertools.count(1)
        self._run = uuid.uuid4().hex[:8]
        server.app.add_routes(
            [
                web.get("/", self._home),
                web.get("/chat", self._page),
                web.get("/chat/login", self._login_page),
                web.post("/chat/login", self._login),
                web.post("/chat/logout", self._logout),
                web.get("/chat/ws", self._socket),
            ]
        )

    # --- Adapter ------------------------------------------------------------------------------

    async def start(self, dispatch: Dispatch) -> None:
        self._dispatch = dispatch

    async def stop(self) -> None:
        self._dispatch = None
        for seats in list(self._seats.values()):
            for seat in list(seats):
                await seat.ws.close()

    async def send(self, out: Outgoing) -> str:
        room = out.chat_id
        if room not in self._rooms(Visitor("", officer=True)) and not room.startswith(DIRECT):
            raise SendError(f"no web chat room {room!r}", permanent=True)
        message = self._record(
            room,
            user=None,
            name=self.bot_name,
            text=out.text,
            bot=True,
            reply_to=out.reply_to,
            quick_replies=list(out.quick_replies),
            link={"label": out.link[0], "url": out.link[1]} if out.link else None,
        )
        await self._broadcast(room, message)
        return message["id"]

    async def member_count(self, chat_id: str) -> int | None:
        """Everyone who has entered the room: a web chat has no member list, and counting
        the tabs open at the moment of the daily count gave 0 (a browser that clears its
        cookie counts again)."""
        return len(self._members.get(chat_id, ()))

    # --- pages --------------------------------------------------------------------------------

    async def _home(self, request: web.Request) -> web.Response:
        raise web.HTTPFound("/chat")

    async def _page(self, request: web.Request) -> web.Response:
        visitor, fresh = self._visitor(request)
        html = _templates.get_template("chat.html").render(
            t=self.texts,
            county=self.settings.county,
            bot_name=self.bot_name,
            rooms=self._rooms(visitor),
            officer=self._officer_name(visitor),
        )
        response = web.Response(text=html, content_type="text/html")
        if fresh:
            self._set_cookie(response, visitor)
        return response

    async def _login_page(self, request: web.Request, error: str = "") -> web.Response:
        html = _templates.get_template("login.html").render(
            t=self.texts, county=self.settings.county, error=error
        )
        return web.Response(text=html, content_type="text/html", status=401 if error else 200)

    async def _login(self, request: web.Request) -> web.Response:
        try:
            form = await request.post()
        except (ValueError, HttpProcessingError):  # broken multipart, bytes that are not UTF-8
            raise web.HTTPBadRequest(text="malformed form") from None
        officer_id, secret = str(form.get("officer", "")), str(form.get("secret", ""))
        for officer in self.settings.officers:
            expected = officer.secret or ""
            if (
                officer.ids.get(PLATFORM) == officer_id
                and expected
                and hmac.compare_digest(expected.encode(), secret.encode(errors="replace"))
            ):
                response = web.HTTPFound("/chat")
                self._set_cookie(response, Visitor(officer_id, officer=True))
                log.info("officer %s signed in to the web chat", officer.name)
                raise response
        log.warning("failed web chat sign-in for %r", officer_id)
        return await self._login_page(request, error=self.texts("web.login_failed"))

    async def _logout(self, request: web.Request) -> web.Response:
        response = web.HTTPFound("/chat")
        response.del_cookie(COOKIE)
        raise response

    # --- the WebSocket ------------------------------------------------------------------------

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        visitor, fresh = self._visitor(request)
        if fresh:
            raise web.HTTPForbidden(text="open /chat first")
        ws = web.WebSocketResponse(heartbeat=30)
        await ws.prepare(request)
        seat: Seat | None = None
        try:
            async for frame in ws:
                if frame.type != WSMsgType.TEXT:
                    continue
                try:
                    data = json.loads(frame.data)
                    if not isinstance(data, dict):
                        raise ValueError("not an object")
                except ValueError:
                    await ws.send_json({"type": "error", "error": "bad message"})
                    continue
                if data.get("type") == "join":
                    seat = await self._join(ws, visitor, data, seat)
                elif data.get("type") == "say" and seat is not None:
                    await self._say(seat, data)
        finally:
            if seat is not None:
                self._seats[seat.room].discard(seat)
        return ws

    async def _join(
        self, ws: web.WebSocketResponse, visitor: Visitor, data: dict[str, Any], old: Seat | None
    ) -> Seat | None:
        room = str(data.get("room", ""))
        name = well_formed(str(data.get("name", "")).strip()[:40]) or self.texts("web.default_name")
        if room == DIRECT:
            room = f"{DIRECT}:{visitor.user_id}"
        elif room not in self._rooms(visitor):
            await ws.send_json({"type": "error", "error": "unknown room"})
            return old
        if old is not None:
            self._seats[old.room].discard(old)
        seat = Seat(ws=ws, visitor=visitor, room=room, name=name)
        self._seats[room].add(seat)
        if room != f"{DIRECT}:{visitor.user_id}":
            self._remember_member(room, visitor.user_id)
        await ws.send_json(
            {
                "type": "joined",
                "room": room,
                "me": visitor.user_id,
                "history": list(self._history[room]),
            }
        )
        return seat

    async def _say(self, seat: Seat, data: dict[str, Any]) -> None:
        text = well_formed(str(data.get("text", "")).strip()[:MAX_TEXT])
        if not text or self._dispatch is None:
            return
        direct = seat.room.startswith(DIRECT)
        # Everyone in a group room sees this line: personal numbers are masked for them.
        shown = text if direct else privacy.mask(text).text
        message_id = self._next_id()
        replied = self._replied(seat, data.get("reply_to"))
        reply_to = replied["id"] if replied else None
        to_bot = replied is not None and replied["bot"]
        to_neighbour = (
            replied is not None and not to_bot and replied["user"] != seat.visitor.user_id
        )
        event = parse_text(
            platform=PLATFORM,
            chat_id=seat.room,
            user_id=seat.visitor.user_id,
            user_name=seat.name,
            delivery_id=f"{self._run}-{message_id}",
            at=datetime.now(UTC),
            text=self._without_mention(text),
            message_id=message_id,
            reply_to=reply_to,
            is_direct=direct,
            addressed=direct
            or to_bot
            or data.get("addressed") is True
            or f"@{self.bot_name}" in text,
            to_member=not direct and (to_neighbour or self._names_neighbour(seat, text)),
        )
        # Stored first, shown second: a line the room has seen is never lost by a crash.
        await self._dispatch(event)
        message = self._record(
            seat.room,
            user=seat.visitor.user_id,
            name=seat.name,
            text=shown,
            bot=False,
            reply_to=reply_to,
            message_id=message_id,
        )
        await self._broadcast(seat.room, message)

    def _replied(self, seat: Seat, reply_to: object) -> dict[str, Any] | None:
        """The line of this room a message answers (the page's reply button), if the room
        still shows it: a reply to the bot is said to the bot, a reply to a neighbour is
        talk between neighbours, as on Telegram. An id the room never showed is ignored."""
        if not isinstance(reply_to, str):
            return None
        return next((m for m in self._history[seat.room] if m["id"] == reply_to), None)

    # --- helpers ------------------------------------------------------------------------------

    def _without_mention(self, text: str) -> str:
        """The message as the bot reads it: `@소통봇` calls the bot, it is not part of what is
        asked (nor of the ticket officers read). The room still shows it as written."""
        plain = re.sub(rf"@{re.escape(self.bot_name)}\s*", "", text).strip()
        return plain or text

    def _names_neighbour(self, seat: Seat, text: str) -> bool:
        """Whether the text mentions (@지은맘) someone else in the room, seated now or seen
        writing there: talk between neighbours, as a reply or a mention is on Telegram."""
        me = seat.visitor.user_id
        names = {other.name for other in self._seats[seat.room] if other.visitor.user_id != me}
        names |= {
            line["name"]
            for line in self._history[seat.room]
            if not line["bot"] and line["user"] != me
        }
        return any(f"@{name}" in text for name in names - {self.bot_name, ""})

    def _rooms(self, visitor: Visitor) -> dict[str, str]:
        """Room key → name for the rooms this visitor may enter (the officer room: officers)."""
        rooms = {r.chat_id: r.name for r in self.settings.rooms if r.platform == PLATFORM}
        staff = self.settings.officer_room
        if visitor.officer and staff is not None and staff.platform == PLATFORM:
            rooms.setdefault(staff.chat_id, self.texts("web.officer_room"))
        return rooms

    def _officer_name(self, visitor: Visitor) -> str | None:
        if not visitor.officer:
            return None
        officer = self.settings.officer(PLATFORM, visitor.user_id)
        return officer.name if officer else None

    def _next_id(self) -> str:
        return f"w{self._run}-{next(self._ids)}"

    def _record(
        self,
        room: str,
        *,
        user: str | None,
        name: str,
        text: str,
        bot: bool,
        reply_to: str | None,
        quick_replies: list[str] | None = None,
        message_id: str | None = None,
        link: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        message = {
            "type": "message",
            "id": message_id or self._next_id(),
            "room": room,
            "user": user,
            "name": name,
            "text": text,
            "bot": bot,
            "reply_to": reply_to,
            "quick_replies": quick_replies or [],
            "link": link,
            "at": datetime.now(UTC).isoformat(),
        }
        self._history[room].append(message)
        with self._history_file.open("a", encoding="utf-8") as log_file:
            log_file.write(json.dumps(message, ensure_ascii=False) + "\n")
        return message

    def _load_history(self) -> defaultdict[str, deque[dict[str, Any]]]:
        """Rooms' recent messages survive restarts, so a reloaded page shows the conversation.

        The file is compacted to the last `HISTORY` messages per room on every start.
        """
        history: defaultdict[str, deque[dict[str, Any]]] = defaultdict(
            lambda: deque(maxlen=HISTORY)
        )
        self._history_file.parent.mkdir(parents=True, exist_ok=True)
        if self._history_file.exists():
            for line in self._history_file.read_text(encoding="utf-8").splitlines():
                try:
                    message = json.loads(line)
                    history[message["room"]].append(message)
                except (ValueError, KeyError, TypeError):
                    continue  # a line cut short by a crash
        kept = sorted((m for room in history.values() for m in room), key=lambda m: m["at"])
        self._history_file.write_text(
            "".join(json.dumps(m, ensure_ascii=False) + "\n" for m in kept), encoding="utf-8"
        )
        return history

    def _load_members(self) -> defaultdict[str, set[str]]:
        members: defaultdict[str, set[str]] = defaultdict(set)
        try:
            stored = json.loads(self._members_file.read_text(encoding="utf-8"))
            members.update({room: set(ids) for room, ids in stored.items()})
        except FileNotFoundError:
            pass
        except (ValueError, AttributeError, TypeError):
            log.warning("%s is unreadable; member counts start again", self._members_file)
        return members

    def _remember_member(self, room: str, user_id: str) -> None:
        if user_id in self._members[room]:
            return
        self._members[room].add(user_id)
        kept = {key: sorted(ids) for key, ids in self._members.items()}
        partial = self._members_file.with_suffix(".tmp")
        partial.write_text(json.dumps(kept), encoding="utf-8")
        partial.replace(self._members_file)  # whole or not at all, should the bot die here

    async def _broadcast(self, room: str, message: dict[str, Any]) -> None:
        for seat in list(self._seats.get(room, ())):
            try:
                await seat.ws.send_json(message)
            except ConnectionError:
                self._seats[room].discard(seat)

    def _visitor(self, request: web.Request) -> tuple[Visitor, bool]:
        raw = request.cookies.get(COOKIE)
        if raw:
            try:
                data = self._signer.loads(raw)
                visitor = Visitor(str(data["u"]), officer=bool(data.get("o")))
                if not visitor.officer or self.settings.officer(PLATFORM, visitor.user_id):
                    return visitor, False
            except (BadSignature, KeyError, TypeError):
                log.info("ignored a web chat cookie with a bad signature")
        return Visitor(f"v-{uuid.uuid4().hex[:12]}"), True

    def _set_cookie(self, response: web.StreamResponse, visitor: Visitor) -> None:
        token = self._signer.dumps({"u": visitor.user_id, "o": visitor.officer})
        response.set_cookie(COOKIE, token, httponly=True, samesite="Lax", max_age=365 * 86400)
