"""`/help` and `/start`: what the bot does, and for officers which commands they have;
`/help 명령` shows how one command is used."""

from __future__ import annotations

from bot.context import Context
from bot.handlers import deadlines
from bot.messages import Command
from bot.router import Router

router = Router("help")


@router.command("help", usage="usage.cmd.help")
async def help_(ctx: Context, command: Command, app) -> None:
    routes = app.router.commands()
    asked = command.args.strip().removeprefix("/").lower()
    if asked in routes and ctx.has_role(routes[asked].role) and routes[asked].usage:
        ctx.reply(ctx.texts.maybe(routes[asked].usage))
        return
    text = resident_help(ctx)
    if asked and asked not in routes:  # /help 상태: say so, then what there is
        text = ctx.texts("help.unknown", command=asked) + "\n\n" + text
    if ctx.has_role("officer"):
        usages = sorted(
            ctx.texts.maybe(route.usage) or f"/{route.command}"
            for route in routes.values()
            if route.role != "resident" and ctx.has_role(route.role)
        )
        text += "\n\n" + ctx.texts("help.officer", commands="\n".join(usages))
    ctx.reply(text)


router.command("start")(help_)


def resident_help(ctx: Context) -> str:
    """What the bot does for residents, and when officers read what it passes on (the
    county's office hours), so nobody waits through a weekend for a reply."""
    hours = deadlines.Office.of(ctx.settings).hours
    return ctx.texts(
        "help.resident",
        county=ctx.settings.county,
        opens=f"{hours.start:%H:%M}",
        closes=f"{hours.end:%H:%M}",
    )
