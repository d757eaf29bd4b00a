"""A crash between receipt and reply loses nothing, and nothing is sent twice."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlmodel import Session, select

from bot.adapter import SendError
from bot.adapters.memory import MemoryAdapter
from bot.assemble import build_app
from bot.clock import Clock
from bot.messages import Outgoing, parse_text
from storage.models import InboxItem, OutboxItem


def question(delivery: str = "d1"):
    return parse_text(
        platform="chat",
        chat_id="room-parenting",
        user_id="mom-1",
        user_name="지은맘",
        delivery_id=delivery,
        at=Clock().now(),
        text="음식물 쓰레기 봉투 어디서 사요?",
        message_id="m1",
    )


async def until(condition, timeout: float = 10.0) -> None:
    async def poll():
        while not condition():
            await asyncio.sleep(0.02)

    await asyncio.wait_for(poll(), timeout)


async def test_an_event_received_before_a_crash_is_answered_once_after_restart(settings):
    first = build_app(settings, adapters=[MemoryAdapter("chat")])
    await first.start(workers=False)
    await first.receive(question())
    first.engine.dispose()  # the process dies here: stored, never handled

    adapter = MemoryAdapter("chat")
    second = build_app(settings, adapters=[adapter])
    await second.start()
    try:
        await until(lambda: adapter.sent)
        await asyncio.sleep(0.3)
        assert len(adapter.sent) == 1 and "봉투" in adapter.sent[0].text
        await second.receive(question())  # the platform redelivers after the restart
        await asyncio.sleep(0.3)
        assert len(adapter.sent) == 1
    finally:
        await second.stop()


class DownAdapter(MemoryAdapter):
    """A platform that is unreachable: every send fails like a network error."""

    async def send(self, out: Outgoing) -> str:
        raise SendError("connection refused")


async def test_a_reply_queued_before_a_crash_is_delivered_once_after_restart(settings):
    first = build_app(settings, adapters=[DownAdapter("chat")])
    await first.start(workers=False)
    await first.receive(question())
    await first.drain()
    with Session(first.engine) as session:
        [item] = session.exec(select(OutboxItem)).all()
        assert item.status == "pending" and item.attempts == 1
        assert item.last_error == "SendError: connection refused"
    first.engine.dispose()  # the process dies with the reply still queued

    adapter = MemoryAdapter("chat")
    second = build_app(settings, adapters=[adapter])
    second.clock.set(second.clock.now() + timedelta(minutes=1))  # past the retry backoff
    await second.start(workers=False)
    try:
        await second.drain()
        await second.drain()
        assert len(adapter.sent) == 1 and "봉투" in adapter.sent[0].text
        with Session(second.engine) as session:
            assert session.exec(select(OutboxItem.status)).all() == ["sent"]
            assert session.exec(select(InboxItem.status)).all() == ["handled"]
    finally:
        await second.stop()


class FlakyAdapter(MemoryAdapter):
    """Fails twice (once with a rate limit), then delivers."""

    def __init__(self) -> None:
        super().__init__("chat")
        self.failures = [SendError("429", retry_after=0.2), SendError("502 bad gateway")]

    async def send(self, out: Outgoing) -> str:
        if self.failures:
            raise self.failures.pop(0)
        return await super().send(out)


async def test_a_failed_send_is_retried_with_backoff_never_dropped(settings):
    adapter = FlakyAdapter()
    app = build_app(settings, adapters=[adapter])
    await app.start()
    try:
        await app.receive(question())
        await until(lambda: adapter.sent, timeout=15)
        with Session(app.engine) as session:
            [item] = session.exec(select(OutboxItem)).all()
            assert (item.status, item.attempts) == ("sent", 3)
    finally:
        await app.stop()


class GoneAdapter(MemoryAdapter):
    async def send(self, out: Outgoing) -> str:
        raise SendError("chat not found", permanent=True)


async def test_a_refused_send_is_recorded_as_failed(settings):
    app = build_app(settings, adapters=[GoneAdapter("chat")])
    await app.start(workers=False)
    try:
        await app.receive(question())
        await app.drain()
        with Session(app.engine) as session:
            [item] = session.exec(select(OutboxItem)).all()
            assert item.status == "failed" and "chat not found" in item.last_error
    finally:
        await app.stop()
