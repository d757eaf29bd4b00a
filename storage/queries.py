"""Lookups more than one part of the bot needs."""

from __future__ import annotations

from sqlmodel import Session, select

from storage.models import Identity


def find_identity(session: Session, platform: str, user_id: str) -> Identity | None:
    return session.exec(
        select(Identity).where(Identity.platform == platform, Identity.user_id == user_id)
    ).first()
