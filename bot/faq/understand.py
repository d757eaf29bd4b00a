"""One call that tells the handler what a message is and what the bot would do with it."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.faq.index import Decision, FaqIndex
from bot.faq.text import analyse, clean
from bot.faq.triage import (
    Intent,
    about_harm,
    adds_to,
    asks_only,
    asks_the_listener,
    echoes,
    presses,
    supports,
    triage,
)

# The intent model's probability a listen room needs before it acts, and more when the message
# carries small-talk cues (형님, ㅋㅋ, 다녀오신 분?, news passed on: … 준다네) or replies to
# another member: acting on small talk is the worst failure after a wrong answer. Chosen
# leave-one-set-out on the training sets (scripts/train_intents.py): small talk acted on 6 → 1
# of 186, civic messages acted on rightly 1,250 → 1,226 of 1,285.
CONFIDENT = 0.6
CONFIDENT_CHATTY = 0.8
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Understanding:
    """The intent of a message and the FAQ decision for it."""

    intent: Intent
    confidence: float
    confident: bool
    decision: Decision
    urgent: bool = False  # someone may be in danger: emergency numbers, and an officer now
    echoes: bool = False  # just after a neighbour's report: the writer has that trouble too
    adds: bool = False  # just after the writer's own report: more of that problem
    presses: bool = False  # … or asking how it stands: the reporter wants its status
    supports: bool = False  # just after a neighbour's proposal: the writer backs it


_NOTHING = Decision("unknown", None, (), 0.0)


def understand(
    index: FaqIndex,
    text: str,
    *,
    listen: bool,
    to_member: bool = False,
    after_report: bool = False,
    after_own_report: bool = False,
    in_own_case: bool = False,
    after_question: bool = False,
    after_proposal: bool = False,
) -> Understanding:
    """Classify the message and match it against the FAQ; never raises.

    In a listen room (`listen=True`) only a confident answer is given: offers are dropped,
    and a question the FAQ cannot answer is passed on only when the triage is sure, surer
    still when the message carries small-talk cues or replies to another member
    (`to_member`: neighbours talking). When the bot is addressed, a message that asks
    something is taken as a question even if its topic is not the county's (the resident
    wants an answer, or to be told there is none). `after_report`: another member reported a
    problem just before; a message the bot would let pass that says the writer has it too
    (저도 봤어요, 우리 마을도 그래요) is one more report of it (`echoes`). `after_own_report`:
    the writer reported a problem just before; such a message telling more of a problem
    (벌써 일주일째예요) adds to that report (`adds`). Then, or following up their own case
    however long after (`in_own_case`: in its thread, or replying to it), one asking how it
    stands (언제 고쳐 주시는지 답 좀 주세요) asks for its status (`presses`). `after_question`:
    another member asked something just before; a message that asks nothing is their answer
    (면사무소 가서 신청하면 돼요), however much it reads like a question of the county's business.
    `after_proposal`: another member proposed something just before; a message the bot would
    let pass that backs it (찬성이요, 좋은 생각이네요) is one more resident wanting it
    (`supports`).
    """
    try:
        cleaned = clean(text)
        decision = index.decide(cleaned) if cleaned else _NOTHING
        analysis = analyse(cleaned)
        found = triage(analysis, decision.score)
    except Exception:  # understanding must never take the bot down, nor fail unseen
        # the message itself is not logged: residents write personal details
        log.exception("could not understand a message of %d characters", len(str(text)))
        return Understanding("chatter", 0.0, False, _NOTHING)
    intent, confidence, signals = found.intent, found.confidence, found.signals
    urgent = bool(signals["danger"])
    if urgent and decision.entry is not None and not about_harm(analyse(decision.entry.text)):
        decision = Decision("unknown", None, (), decision.score)  # 한국어 교실 is no answer
    # 진짜요? 얼마예요?, 언제까지요?: of something just said, which no entry knows; in a listen
    # room it is for whoever said it
    of_what = asks_only(analysis) and not urgent
    if of_what and listen:
        return Understanding("chatter", confidence, False, _NOTHING)
    if of_what:
        decision = Decision("unknown", None, (), decision.score)
    own = after_own_report or in_own_case
    if own and not urgent and not signals["thanked"] and presses(analysis):
        return Understanding("inconvenience", confidence, True, _NOTHING, presses=True)
    if not listen and intent == "chatter" and _asks_the_bot(signals, decision):
        intent = "question"  # addressed: a real question is not small talk, whatever its topic
    # 스티커 받으셨어요?, 같이 갈 사람 있능가: asked of neighbours, about what they did or will
    # do; an answer is theirs to give
    of_them = bool(asks_the_listener(analysis) or signals["room"]) and not urgent
    if listen and (intent != "question" or decision.outcome == "offer" or of_them):
        decision = Decision("unknown", None, (), decision.score)
    cued = signals["chatter"] or signals["laughter"] or signals["relayed"]
    chatty = not urgent and bool(cued or to_member or of_them)  # (of_them: the room cue too)
    confident = confidence >= (CONFIDENT_CHATTY if chatty else CONFIDENT)
    taken = intent != "chatter" and confident
    asks = intent == "question"  # (both checks below also rule out one marked as asking)
    if after_question and asks and not urgent and not signals["asked"]:
        return Understanding("chatter", confidence, False, _NOTHING)  # a neighbour answering
    if not (asks or taken or urgent):
        if after_report and echoes(analysis, signals):
            return Understanding("inconvenience", confidence, True, decision, echoes=True)
        if after_own_report and adds_to(analysis, signals):
            return Understanding("inconvenience", confidence, True, decision, adds=True)
        if after_proposal and supports(analysis, signals):
            return Understanding("suggestion", confidence, True, _NOTHING, supports=True)
    return Understanding(intent, confidence, confident, decision, urgent)


def _asks_the_bot(signals: dict[str, float], decision: Decision) -> bool:
    """When addressed, asking where/when/how much, or matching the FAQ, is a question."""
    return bool(signals["asked"]) and (bool(signals["asking"]) or decision.outcome != "unknown")
