"""What the Slack adapter checks of an HTTP request before Bolt sees it: the signature, then
the shape of the fields its listeners read. Bolt parses a body before it verifies it and lets a
listener's KeyError become a 500, which Slack retries; here an unsigned request gets 401 and a
signed but malformed one 400, and neither reaches a listener.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal
from urllib.parse import parse_qs

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError
from slack_sdk.signature import SignatureVerifier

Ts = Annotated[str, StringConstraints(pattern=r"^\d{1,12}(\.\d{1,9})?$")]
"""Slack's message timestamp, `1733300000.000100`: also the message's id."""

_STAMP = re.compile(r"\d{1,12}")


class _Shape(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow")


class _Message(_Shape):
    type: Literal["message", "app_mention"]
    channel: str
    ts: Ts
    user: str | None = None
    text: str | None = None
    thread_ts: Ts | None = None
    parent_user_id: str | None = None
    channel_type: str | None = None
    subtype: str | None = None
    bot_id: str | None = None


class _Member(_Shape):
    type: Literal["member_joined_channel", "member_left_channel"]
    channel: str
    user: str


class _Callback(_Shape):
    type: Literal["event_callback"]
    event_id: str
    event_time: int | None = None
    event: dict[str, Any]


class _Command(_Shape):
    command: str
    channel_id: str
    user_id: str
    trigger_id: str
    text: str = ""
    user_name: str | None = None


class _Id(_Shape):
    id: str


class _Action(_Shape):
    action_id: str
    value: str = ""


class _Press(_Shape):
    type: Literal["block_actions"]
    channel: _Id
    user: _Id
    trigger_id: str
    actions: list[_Action]
    message: dict[str, Any] | None = None


EVENTS: dict[str, type[_Shape]] = {
    "message": _Message,
    "app_mention": _Message,
    "member_joined_channel": _Member,
    "member_left_channel": _Member,
}
"""The events the adapter listens to; others are Bolt's to acknowledge and ignore."""


def signed(secret: str, body: str, headers: Mapping[str, str]) -> bool:
    """Whether `body` carries a valid signature no older than five minutes."""
    stamp = headers.get("X-Slack-Request-Timestamp", "")
    signature = headers.get("X-Slack-Signature", "")
    if not _STAMP.fullmatch(stamp) or not signature.isascii():
        return False
    return SignatureVerifier(secret).is_valid(body, stamp, signature)


def malformed(body: str, content_type: str) -> str | None:
    """Why a signed request is not one the adapter can read, or None when it is."""
    try:
        if content_type.startswith("application/json"):
            payload = json.loads(body)
            if not isinstance(payload, dict):
                return "the body is not a JSON object"
            if payload.get("type") == "event_callback":
                callback = _Callback.model_validate(payload)
                shape = EVENTS.get(str(callback.event.get("type")))
                if shape is not None:
                    shape.model_validate(callback.event)
            return None
        form = {key: values[-1] for key, values in parse_qs(body, strict_parsing=False).items()}
        if "payload" in form:
            press = json.loads(form["payload"])
            if not isinstance(press, dict):
                return "the payload is not a JSON object"
            if press.get("type") == "block_actions":
                _Press.model_validate(press)
            return None
        if "command" in form:
            _Command.model_validate(form)
            return None
        return "neither an event, a command nor an interaction"
    except ValueError as exc:  # ValidationError is one
        return _reason(exc)


def _reason(exc: ValueError) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"{where}: {first['msg']}"
    return "not valid JSON"
