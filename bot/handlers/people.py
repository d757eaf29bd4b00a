"""Finding people and changing their roles, for chat commands and the CLI alike.

A role is granted to a person found by a platform account (`platform:user_id`), a person id or,
for officers only, their name; a display name alone never grants rights.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from bot.context import ROLES
from storage.models import AuditEntry, Identity, Person
from storage.queries import find_identity

STAFF = ("officer", "admin")
MAX_ID = 2**63 - 1
"""The largest id a database row can have (SQLite's and PostgreSQL's 64-bit integers): a
larger number names no one, and SQLite would refuse to compare it."""


def find_person(
    session: Session, spec: str, *, platform: str | None = None, officers_only: bool = False
) -> Person | None:
    """The person `spec` names: `42` (person id), `platform:user_id`, or `@user_id` on
    `platform`. Looking for an officer, their name or display name is accepted as well. An
    erased person is no one any more: their accounts are gone, and their id names no one."""
    spec = spec.strip().removeprefix("@")
    if not spec or "\x00" in spec:  # no account holds one: PostgreSQL refuses to compare it
        return None
    person = _by_account(session, spec, platform)
    if person is None and officers_only:
        person = _officer_by_name(session, spec)
    if person is None or person.erased_at is not None:
        return None
    if officers_only and person.role not in STAFF:
        return None
    return person


def is_person_id(spec: str) -> bool:
    """`spec` is written as a person id (ASCII digits: `²` and `٣` are digits to Python)."""
    return spec.isascii() and spec.isdigit()


def _person_id(spec: str) -> int | None:
    """The id `spec` writes, if one a row can have (checked as text first: Python refuses to
    read a number of thousands of digits)."""
    if not is_person_id(spec) or len(spec.lstrip("0")) > len(str(MAX_ID)):
        return None
    number = int(spec)
    return number if 0 < number <= MAX_ID else None


def _by_account(session: Session, spec: str, platform: str | None) -> Person | None:
    number = _person_id(spec)
    if number is not None and (person := session.get(Person, number)) is not None:
        return person
    account, sep, user_id = spec.partition(":")
    identity = find_identity(session, account, user_id) if sep else None
    if identity is None and platform is not None:
        identity = find_identity(session, platform, spec)
    return session.get(Person, identity.person_id) if identity else None


def _officer_by_name(session: Session, name: str) -> Person | None:
    staff = Person.role.in_(STAFF)
    person = session.exec(select(Person).where(staff, Person.name == name)).first()
    if person is not None:
        return person
    return session.exec(
        select(Person)
        .join(Identity, Identity.person_id == Person.id)
        .where(staff, Identity.display_name == name)
    ).first()


def set_role(
    session: Session,
    person: Person,
    role: str,
    *,
    now: datetime,
    actor_id: int | None,
    platform: str | None,
    user_id: str | None,
) -> str:
    """Give `person` the role `role` and write who did it to the audit trail; return the old
    role."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    previous, person.role = person.role, role
    session.add(person)
    session.add(
        AuditEntry(
            at=now,
            actor_id=actor_id,
            platform=platform,
            user_id=user_id,
            action="role.change",
            detail=f"person {person.id}: {previous} → {role}",
        )
    )
    return previous


def staff(session: Session) -> list[Person]:
    """Officers and admins known to the database (config ones are mirrored at start); an
    erased person is none (erasure takes the role away; older erasures may have kept it)."""
    query = select(Person).where(Person.role.in_(STAFF), Person.erased_at.is_(None))
    return list(session.exec(query.order_by(Person.id)).all())
