"""The router and middleware on their own: nesting, injection by parameter name, roles,
usage errors, the onion order of middleware, and the flood limit in a conversation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.config import Settings, load_settings
from bot.context import Context
from bot.messages import Command, parse_text
from bot.middleware import chain
from bot.router import Router, UsageError
from bot.texts import Texts
from tests.conftest import write_config


@pytest.fixture
def county(tmp_path) -> Settings:
    """The test county; these tests never touch its database."""
    return load_settings(write_config(tmp_path, "sqlite://"), environ={})


def context(settings: Settings, text: str, *, role: str = "resident", **services) -> Context:
    """A context for `text` written 1:1, without a database (these handlers need none)."""
    event = parse_text(
        platform="chat",
        chat_id="dm-someone",
        user_id="someone",
        user_name="someone",
        delivery_id="d1",
        message_id="m1",
        at=datetime(2026, 11, 25, 9, tzinfo=UTC),
        text=text,
        is_direct=True,
        addressed=True,
    )
    ctx = Context(
        event=event,
        session=None,  # type: ignore[arg-type]
        settings=settings,
        texts=Texts("ko"),
        now=event.at,
        services=services,
        role=role,
    )
    ctx.audit = lambda action, detail="": ctx.data.setdefault("audited", []).append(action)  # type: ignore[method-assign]
    return ctx


def county_router() -> tuple[Router, list[str]]:
    calls: list[str] = []
    root, queue_work, deeper = Router("root"), Router("queue"), Router("deeper")

    @deeper.command("resolve", role="officer", usage="/resolve 접수번호 내용")
    async def resolve(command: Command, greeting: str) -> None:
        if not command.args:
            raise UsageError("접수번호가 없습니다")
        calls.append(f"{greeting} resolve {command.args}")

    @root.message()
    async def anything(ctx: Context) -> None:
        calls.append(f"message {ctx.event.text}")

    queue_work.include(deeper)
    root.include(queue_work)
    return root, calls


async def test_a_command_in_a_nested_router_gets_its_parameters_by_name(county):
    router, calls = county_router()
    ctx = context(
        county, "/resolve@sotong_bot 2026-0001 고쳤습니다", role="officer", greeting="안녕"
    )
    assert await router.dispatch(ctx)
    assert calls == ["안녕 resolve 2026-0001 고쳤습니다"]
    assert ctx.outgoing == []


async def test_a_resident_is_refused_an_officer_command_and_the_attempt_is_audited(county):
    router, calls = county_router()
    ctx = context(county, "/resolve 2026-0001 고쳤습니다", greeting="안녕")
    await router.dispatch(ctx)
    assert calls == []
    assert "/resolve" in ctx.outgoing[0].text
    assert ctx.data["audited"] == ["command.refused"]


async def test_wrong_arguments_get_the_reason_and_the_usage_line(county):
    router, _ = county_router()
    ctx = context(county, "/resolve", role="officer", greeting="안녕")
    await router.dispatch(ctx)
    [answer] = ctx.outgoing
    assert "접수번호가 없습니다" in answer.text and "/resolve 접수번호 내용" in answer.text


async def test_an_unknown_command_is_answered_and_plain_text_reaches_the_message_handler(county):
    router, calls = county_router()
    unknown = context(county, "/frobnicate")
    await router.dispatch(unknown)
    assert "/frobnicate" in unknown.outgoing[0].text
    await router.dispatch(context(county, "안녕하세요"))
    assert calls == ["message 안녕하세요"]


async def test_a_handler_asking_for_something_nobody_provides_fails_loudly(county):
    router = Router()

    @router.message()
    async def needs(unknown_service: object) -> None:  # pragma: no cover - never called
        raise AssertionError

    with pytest.raises(LookupError, match="unknown_service"):
        await router.dispatch(context(county, "hi"))


async def test_middleware_wraps_the_handler_like_an_onion(county):
    order: list[str] = []

    def layer(name: str):
        async def middleware(ctx: Context, call_next) -> None:
            order.append(f"{name} in")
            await call_next()
            order.append(f"{name} out")

        return middleware

    async def gate(ctx: Context, call_next) -> None:
        if "stop" not in ctx.event.text:
            await call_next()

    async def endpoint(ctx: Context) -> None:
        order.append("handler")

    pipeline = chain([layer("outer"), layer("inner"), gate], endpoint)
    await pipeline(context(county, "go"))
    assert order == ["outer in", "inner in", "handler", "inner out", "outer out"]
    order.clear()
    await pipeline(context(county, "stop"))
    assert order == ["outer in", "inner in", "inner out", "outer out"]


async def test_a_resident_flooding_a_room_is_told_once_then_ignored_for_a_minute(bot):
    limit = bot.settings.flood_limit
    for number in range(limit):
        await bot.say("chatty", f"/status 2026-{number:04d}")
    assert len(bot.in_room("parenting")) == limit

    await bot.say("chatty", "/status 2026-9998")
    [warning] = bot.in_room("parenting")
    assert warning.text == bot.app.texts("flood.limited")
    await bot.say("chatty", "/status 2026-9999")
    bot.assert_silent()

    await bot.say("officer-kim", "/tickets", room=None)  # officers are never limited
    assert bot.pop()

    await bot.say("chatty", "/status 2026-0001", at=bot.clock.now() + timedelta(minutes=2))
    assert len(bot.in_room("parenting")) == 1
