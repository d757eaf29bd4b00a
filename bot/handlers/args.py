"""Reading the arguments of ticket commands (`/resolve 2026-0042 교체했습니다`)."""

from __future__ import annotations

from bot.context import Context
from bot.messages import Command
from bot.router import UsageError


def receipt_and_text(ctx: Context, command: Command, *, missing: str = "") -> tuple[str, str]:
    """`N text…` → (N, text). With `missing` (a texts key naming what is lacking) the text is
    required."""
    receipt, _, text = command.args.partition(" ")
    if not receipt:
        raise UsageError(ctx.texts(missing or "usage.need_receipt"))
    if missing and not text.strip():
        raise UsageError(ctx.texts(missing))
    return receipt, text.strip()
