"""Choices the bot listed for a resident, and the resident's answer to them.

When two or three FAQ entries fit a question about equally, the bot lists them (texts
"faq.offer"). The resident's next message may pick one by its number or its title, and gets
that entry's answer; or it may say none fits, and the question then goes to officers as one
the FAQ could not answer. Anything else drops the choices: the resident has moved on.

An answer is a choice made for the resident, and may be wrong: under it a button says it is
not what they asked ("faq.not_it"). Tapping it, or saying so to the bot (아니요, 그거 말고 …),
passes the question on the same way, and tells officers which entry missed, so they can point
the FAQ at the right one (`/faq`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta

from sqlmodel import col, delete, select

from bot.context import Context
from bot.faq import FaqEntry, FaqIndex
from bot.handlers import answers
from bot.handlers.queue import TicketQueue
from bot.messages import Event
from storage.models import FaqOffer

PICK_WITHIN = timedelta(minutes=30)  # later, a bare "2" is no longer read as a pick
_NUMBER = re.compile(r"^\s*([1-9])\s*(?:번)?\s*(?:이요|이에요|입니다|요)?\s*[.!)]?\s*$")
# what residents write when no choice fits, besides tapping the "none" button
_NONE = re.compile(
    r"^\s*(?:다\s*)?(?:없(?:어요|어유|음|습니다|다|네요|는데요?)|아니(?:요|오|에요|예요|야)"
    r"|해당\s*없(?:음|어요)|none|no)\s*[.!~ㅠ]*\s*$",
    re.IGNORECASE,
)
# ... and when an answer is not what they asked, often saying what they did ask (but not the
# 아니 that opens any remark: 아니 근데 진짜 좋네요)
_NOT_IT = re.compile(
    r"^\s*(?:아니(?:요|오|에요|예요)|아뇨|그게\s*아니|그건\s*아니|(?:그거|이거|그런\s*거)\s*말고)"
)
# said in a room without calling the bot, only words about "that" answer turn it down: a bare
# 아니요 may be for a neighbour
_NOT_THAT = re.compile(r"(?:그거|이거|그건|그게|그런\s*거)\s*(?:말고|아니)")
NOT_IT_WITHIN = timedelta(minutes=10)
"""How long after an answer its resident's 그거 말고 … in the room is about it."""


def remember(
    ctx: Context,
    choices: Sequence[FaqEntry],
    *,
    answered: bool = False,
    score: float | None = None,
) -> None:
    """Keep the choices just listed (or the entry just `answered` with, at `score`), so the
    resident's next message can answer them; older choices (this resident's, and everyone's
    past PICK_WITHIN) are dropped."""
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
            answered=answered,
            score=score,
        )
    )


def settle(ctx: Context, index: FaqIndex, queue: TicketQueue) -> bool:
    """Answer the choices this resident was given, if this message answers them: the picked
    entry's answer, or the question passed on. Returns whether the message was handled."""
    offer = _pending(ctx)
    if offer is None:
        return False
    if offer.answered:
        return _turned_down(ctx, offer, index, queue)
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
        answers.record(ctx, picked.id)
        return True
    if _NONE.match(text) or text == ctx.texts("faq.offer_none"):
        queue.open(ctx, "question", confirmation="faq.unknown", asked=_asked(ctx, offer))
        return True
    return False


def _turned_down(ctx: Context, offer: FaqOffer, index: FaqIndex, queue: TicketQueue) -> bool:
    """Whether the resident's next message turns the answer down (said to the bot, or in the
    room just after it in words about that answer: 아니요 그거 말고 …); then their question
    goes to officers with what they added (그거 말고 주말에도 하냐고요). Whatever it says, the
    answer is settled: talk between neighbours goes on as usual."""
    ctx.session.delete(offer)
    event = ctx.event
    text = event.text.strip()
    bare = text == ctx.texts("faq.not_it") or bool(_NONE.match(text))  # the button, 아니요
    to_bot = event.addressed or ctx.mode == "direct"
    said_in_room = (
        not event.to_member
        and ctx.now - offer.at <= NOT_IT_WITHIN
        and bool(_NOT_IT.match(text) and _NOT_THAT.search(text))
    )
    if not ((to_bot and (bare or _NOT_IT.match(text))) or said_in_room):
        return False
    use = answers.record(ctx, offer.entry_ids, turned_down=True, score=offer.score)
    entry = index.entry(offer.entry_ids)
    ticket = queue.open(
        ctx,
        "question",
        confirmation="faq.unknown",
        asked=_asked(ctx, offer, "" if bare else text),
        missed=entry.question if entry else offer.entry_ids,
        missed_times=answers.misses_this_month(ctx, offer.entry_ids),
    )
    use.ticket_id = ticket.id  # /answers names it: there officers read what was asked
    return True


def _asked(ctx: Context, offer: FaqOffer, added: str = "") -> Event:
    """The resident's question as first asked, with what they `added` since."""
    text = f"{offer.text}\n{added}" if added else offer.text
    return replace(ctx.event, text=text, message_id=offer.message_id, thread_id=offer.thread_id)


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
