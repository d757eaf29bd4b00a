"""`/status N`: a resident checks a case they reported or follow, or a public one of the room."""

from __future__ import annotations

from bot.context import Context
from bot.handlers.args import receipt_and_text
from bot.handlers.queue import TicketQueue
from bot.messages import Command
from bot.router import Router

router = Router("status")


@router.command("status", usage="usage.cmd.status")
async def status(ctx: Context, command: Command, queue: TicketQueue) -> None:
    receipt, _ = receipt_and_text(ctx, command)
    ticket = queue.get(ctx, receipt)
    if not queue.may_see(ctx, ticket):
        ctx.reply(ctx.texts("ticket.status_denied"))
        return
    ctx.reply(queue.status_of(ctx, ticket))
