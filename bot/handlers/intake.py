"""What residents write: answer it from the FAQ, offer choices (bot/handlers/offers.py), or put
it in the queue.

In a `listen` room the bot reads everything but only acts when it is confident, and never
answers small talk; a resident saying they have the problem a neighbour just reported joins
that report, what a reporter adds just after is kept on theirs, a reporter asking how theirs
stands is told, a neighbour backing a proposal just made is counted on it, and a neighbour's
answer to a question just asked is left to them (bot/handlers/turns.py).
When addressed (mention, reply, 1:1) it always answers something.

Where the county reviews answers first (`review_answers`: all of them, or those scoring below a
cut), an answer waits for an officer as a question ticket naming the entry the bot picked; the
officer sends it, or a better one, with `/faq` (bot/handlers/teaching.py).
"""

from __future__ import annotations

from bot import privacy
from bot.context import Context
from bot.faq import Decision, FaqSource, understand
from bot.handlers import answers, offers, turns
from bot.handlers.help import resident_help
from bot.handlers.queue import TicketQueue
from bot.messages import Message
from bot.router import Router

router = Router("intake")


@router.message()
async def on_message(ctx: Context, message: Message, faq: FaqSource, queue: TicketQueue) -> None:
    addressed = message.addressed or ctx.mode == "direct"
    if privacy.RRN_PLACEHOLDER in message.text:
        # the number was cut out before the message was stored; tell them not to post it
        ctx.reply(ctx.texts("pii.rrn_removed"))
    if offers.settle(ctx, faq.index, queue):  # "2", or "none of these": a reply to choices
        return
    said = turns.followed_up(ctx) if addressed else turns.just_said(ctx)
    result = understand(
        faq.index,
        message.text,
        listen=not addressed,
        to_member=message.to_member,
        after_report=said.neighbours is not None,
        after_own_report=said.mine is not None,
        in_own_case=said.own_case is not None,
        after_question=said.asked,
        after_proposal=said.proposal is not None,
    )
    if result.urgent:  # someone may be in danger: the emergency numbers come first
        ctx.reply(ctx.texts("safety.urgent"))
    if result.presses and (case := said.mine or said.own_case):  # "언제 고쳐 주시나요?"
        queue.tell_status(ctx, case)
        return
    if result.echoes and said.neighbours:  # "저희 동네도 그래요": one more resident waiting
        queue.follow(ctx, said.neighbours)
        return
    if result.supports and said.proposal:  # "찬성이요": one more resident who wants it
        queue.support(ctx, said.proposal, told=addressed)
        return
    if result.adds and said.mine:  # "벌써 일주일째예요": more of their own report
        queue.add_detail(ctx, said.mine)
        return
    if result.intent == "chatter":
        if addressed:  # called by name or 1:1: greet back and say what the bot can do
            ctx.reply(resident_help(ctx))
        return
    # someone in danger always reaches an officer, as the emergency reply promises
    taken = addressed or result.confident or result.urgent
    if result.intent == "question":
        if ctx.mode != "direct":  # neighbours may answer it: their answer is no question
            turns.asked(ctx)
        decision = result.decision
        if decision.outcome == "answer" and decision.entry is not None:
            below = ctx.settings.review_below(ctx.room)
            if decision.entry.review_answers or decision.score < below:  # an officer sends it
                _take_in(ctx, queue, "question", "faq.held", urgent=result.urgent, held=decision)
                return
            key = "faq.answer" if decision.sure else "faq.answer_about"
            reply = ctx.texts(key, answer=decision.entry.answer, question=decision.entry.question)
            answers.record(ctx, decision.entry.id, score=decision.score)
            if result.urgent:  # answered, and an officer still hears of it at once
                ctx.reply(reply)
                _take_in(ctx, queue, "question", "ticket.received", urgent=True)
            else:  # ... or the resident says it is not what they asked
                ctx.reply(reply, quick_replies=(ctx.texts("faq.not_it"),))
                offers.remember(ctx, (decision.entry,), answered=True, score=decision.score)
        elif decision.outcome == "offer" and addressed and not result.urgent:
            titles = [entry.question for entry in decision.choices]
            listing = "\n".join(f"{i}. {title}" for i, title in enumerate(titles, 1))
            none = ctx.texts("faq.offer_none")
            offer = (
                ctx.texts("faq.offer_one", question=titles[0], none=none)
                if len(titles) == 1  # "is it this?" rather than a list of one
                else ctx.texts("faq.offer", choices=listing, none=none)
            )
            ctx.reply(offer, quick_replies=(*titles, none))
            offers.remember(ctx, decision.choices)
        elif taken:
            _take_in(ctx, queue, "question", "faq.unknown", urgent=result.urgent)
        return
    if taken:
        _take_in(ctx, queue, result.intent, "ticket.received", urgent=result.urgent)


def _take_in(
    ctx: Context,
    queue: TicketQueue,
    category: str,
    receipt_key: str,
    *,
    urgent: bool = False,
    held: Decision | None = None,
) -> None:
    """Open a ticket (with the answer `held` for an officer), unless the room already has an
    open one saying the same: then the resident follows that one and hears its outcome too.
    An urgent one is announced to officers as urgent; one joining an open case makes it so."""
    same = queue.duplicate_of(ctx, category)
    if same is None:
        entry = held.entry if held else None
        ticket = queue.open(ctx, category, confirmation=receipt_key, held=entry, urgent=urgent)
        if held is not None and entry is not None:  # the officer's answer tells if it was right
            answers.record(ctx, entry.id, reviewed=True, score=held.score).ticket_id = ticket.id
        return
    queue.follow(ctx, same)
    if urgent:
        same.urgent = True
        ctx.session.add(same)
        ctx.to_officers(ctx.texts("officer.urgent", receipt=same.receipt_no))
