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


def find_person(
    session: Session, spec: str, *, platform: str | None = None, officers_only: bool = False
) -> Person | None:
    """The person `spec` names: `42` (person id), `platform:user_id`, or `@user_id` on
    `platform`. Looking for an officer, their name or display name is accepted as well."""
    spec = spec.strip().removeprefix("@")
    if not spec:
        return None
    person = _by_account(session, spec, platform)
    if person is None and officers_only:
        person = _officer_by_name(session, spec)
    if person is None or (officers_only and person.role not in STAFF):
        return None
    return person


def _by_account(session: Session, spec: str, platform: str | None) -> Person | None:
    if spec.isdigit() and (person := session.get(Person, int(spec))) is not None:
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
    """Officers and admins known to the database (config ones are mirrored at start)."""
    return list(
        session.exec(select(Person).where(Person.role.in_(STAFF)).order_by(Person.id)).all()
    )
