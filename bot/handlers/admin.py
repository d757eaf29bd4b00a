"""`/role`: an admin makes someone an officer or an admin (or a resident again) from chat.

The change and who made it go to the audit trail; officers listed in config keep the role
config gives them whatever the database says.
"""

from __future__ import annotations

from bot.context import ROLES, Context
from bot.handlers.people import find_person, set_role
from bot.messages import Command
from bot.router import Refused, Router, UsageError

router = Router("admin")


@router.command("role", role="admin", usage="usage.cmd.role")
async def role(ctx: Context, command: Command) -> None:
    choices = ", ".join(ROLES)
    if len(command.argv) != 2:
        raise UsageError(ctx.texts("usage.bad_role", choices=choices))
    who, wanted = command.argv
    if wanted not in ROLES:
        raise UsageError(ctx.texts("usage.bad_role", choices=choices))
    person = find_person(ctx.session, who, platform=ctx.event.platform)
    if person is None:
        raise Refused(ctx.texts("usage.unknown_person", who=who))
    if ctx.person is not None and person.id == ctx.person.id:
        raise Refused(ctx.texts("usage.self_role"))
    set_role(
        ctx.session,
        person,
        wanted,
        now=ctx.now,
        actor_id=ctx.person.id if ctx.person else None,
        platform=ctx.event.platform,
        user_id=ctx.event.user_id,
    )
    ctx.reply(ctx.texts("role.changed", name=person.name, role=ctx.texts(f"role.{wanted}")))
