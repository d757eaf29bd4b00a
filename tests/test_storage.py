"""Storage behaves the same on SQLite and PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import Session, SQLModel

from bot.handlers.queue import next_receipt
from storage import make_engine, session_scope, upgrade
from storage.models import InboxItem


def test_migrations_create_every_table_and_can_run_again(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"inbox", "outbox", "ticket", "ticket_event", "person", "identity", "room"} <= tables


def test_the_migrations_build_the_schema_the_models_describe(database_url):
    """A column or index added to storage/models.py needs its migration too."""
    engine = make_engine(database_url)
    upgrade(engine)
    with engine.connect() as connection:
        drift = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert drift == []


def test_receipt_numbers_are_sequential_per_year_even_when_taken_concurrently(database_url):
    engine = make_engine(database_url)
    upgrade(engine)

    def take(year: int) -> str:
        with session_scope(engine) as session:
            return next_receipt(session, year)

    with ThreadPoolExecutor(4) as pool:
        numbers = sorted(pool.map(take, [2026] * 20))
    assert numbers == [f"2026-{n:04d}" for n in range(1, 21)]
    assert take(2027) == "2027-0001"


def test_times_come_back_timezone_aware(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    seoul = datetime(2026, 11, 25, 9, 30, tzinfo=ZoneInfo("Asia/Seoul"))
    with session_scope(engine) as session:
        session.add(InboxItem(platform="chat", delivery_id="1", payload="{}", received_at=seoul))
    with Session(engine) as session:
        item = session.get(InboxItem, 1)
        assert item.received_at == seoul
        assert item.received_at.tzinfo is not None
        assert item.received_at.astimezone(UTC).hour == 0
