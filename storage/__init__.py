"""Storage: tables, sessions and migrations. The only package that knows the database."""

from storage.db import make_engine, session_scope
from storage.migrate import upgrade

__all__ = ["make_engine", "session_scope", "upgrade"]
