"""The county's work: answering, the complaint queue, officer commands, help.

Handlers never import a platform SDK; they read neutral events and write neutral replies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.router import Router


def build_router() -> Router:
    """Commands first, then the catch-all intake of residents' messages.

    Imported here, not at the top, so `bot.handlers.commands` (the CLI) loads nothing heavy.
    """
    from bot.handlers import admin, answers, intake, notices, officer, report, status, teaching
    from bot.handlers import help as help_commands
    from bot.router import Router

    root = Router("sotong")
    root.include(
        help_commands.router,
        officer.router,
        teaching.router,
        report.router,
        answers.router,
        status.router,
        admin.router,
        notices.router,
        intake.router,
    )
    return root
