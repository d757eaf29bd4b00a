"""Alembic migrations, run from code (`sotong db upgrade` and at every start)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    url = engine.url.render_as_string(hide_password=False)
    # configparser reads `%` as interpolation; a socket path in the URL is percent-encoded.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database schema up to date; safe to call on every start."""
    command.upgrade(alembic_config(engine), revision)


def revision(engine: Engine, message: str, rev_id: str | None = None) -> None:
    """Write a new migration from the difference between the models and `engine`'s schema."""
    command.revision(alembic_config(engine), message=message, autogenerate=True, rev_id=rev_id)
