"""Choices the bot listed for a resident, and the resident's answer to them.

When two or three FAQ entries fit a question about equally, the bot lists them (texts
"faq.offer"). The resident's next message may pick one by its number or its title, and gets
that entry's answer; or it may say none fits, and the question then goes to officers as one
the FAQ could not answer. Anything else drops the choices: the resident has moved on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta

from sqlmodel import col, delete, select

from bot.context import Context
from bot.faq import FaqEntry, FaqIndex
from bot.handlers.queue import TicketQueue
from storage.models import FaqOffer

PICK_WITHIN = timedelta(minutes=30)  # later, a bare "2" is no longer read as a pick
_NUMBER = re.compile(r"^\s*([1-9])\s*(?:번)?\s*(?:이요|이에요|입니다|요)?\s*[.!)]?\s*$")
# what residents write when no choice fits, besides tapping the "none" button
_NONE = re.compile(
    r"^\s*(?:다\s*)?(?:없(?:어요|어유|음|습니다|다|네요|는데요?)|아니(?:요|오|에요|예요|야)"
    r"|해당\s*없(?:음|어요)|none|no)\s*[.!~ㅠ]*\s*$",
    re.IGNORECASE,
)


def remember(ctx: Context, choices: Sequence[FaqEntry]) -> None:
    """Keep the choices just listed, so the resident's next message can answer them; older
    choices (this resident's, and everyone's past PICK_WITHIN) are dropped."""
    event = ctx.event
    ctx.session.exec(
        delete(FaqOffer).where(
            (col(FaqOffer.at) < ctx.now - PICK_WITHIN)
            | (
                (col(FaqOffer.platform) == event.platform)
                & (col(FaqOffer.chat_id) == event.chat_id)
                & (col(FaqOffer.user_id) == event.user_id)
            )
        )
    )
    ctx.session.add(
        FaqOffer(
            platform=event.platform,
            chat_id=event.chat_id,
            user_id=event.user_id,
            entry_ids="\n".join(entry.id for entry in choices),
            text=event.text,
            message_id=event.message_id,
            thread_id=event.thread_id,
            at=ctx.now,
        )
    )


def settle(ctx: Context, index: FaqIndex, queue: TicketQueue) -> bool:
    """Answer the choices this resident was given, if this message answers them: the picked
    entry's answer, or the question passed on. Returns whether the message was handled."""
    offer = _pending(ctx)
    if offer is None:
        return False
    text = ctx.event.text.strip()
    offered = [entry for i in offer.entry_ids.split("\n") if (entry := index.entry(i))]
    number = _NUMBER.match(text) if offered else None  # (the FAQ may have dropped them)
    if number and not 1 <= int(number.group(1)) <= len(offered):  # 4 of three choices
        ctx.reply(
            ctx.texts("faq.offer_range", count=len(offered), none=ctx.texts("faq.offer_none"))
        )
        return True
    ctx.session.delete(offer)  # the next message settles the choices, whatever it says
    picked = offered[int(number.group(1)) - 1] if number else _titled(text, offered)
    if picked is not None:
        ctx.reply(ctx.texts("faq.answer", answer=picked.answer))
        return True
    if _NONE.match(text) or text == ctx.texts("faq.offer_none"):
        asked = replace(
            ctx.event, text=offer.text, message_id=offer.message_id, thread_id=offer.thread_id
        )
        queue.open(ctx, "question", confirmation="faq.unknown", asked=asked)
        return True
    return False


def _pending(ctx: Context) -> FaqOffer | None:
    event = ctx.event
    return ctx.session.exec(
        select(FaqOffer).where(
            FaqOffer.platform == event.platform,
            FaqOffer.chat_id == event.chat_id,
            FaqOffer.user_id == event.user_id,
            col(FaqOffer.at) >= ctx.now - PICK_WITHIN,
        )
    ).first()


def _titled(text: str, offered: list[FaqEntry]) -> FaqEntry | None:
    """The entry whose title the reply is (a tapped button)."""
    return next((entry for entry in offered if entry.question == text), None)
