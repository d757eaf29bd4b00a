"""Plain-language reports for officers: which entries the matcher confuses, and why a
message was understood the way it was."""

from __future__ import annotations

from dataclasses import dataclass

from bot.faq.index import (
    ALONE_GAP,
    ANSWER_AT,
    BEYOND,
    GAP,
    MARGIN,
    OFFER_AT,
    SLIGHT,
    SURE_AT,
    Candidate,
    FaqIndex,
)
from bot.faq.intents import default_model, features
from bot.faq.text import analyse, clean
from bot.faq.triage import triage
from bot.faq.understand import Understanding, understand


@dataclass(frozen=True)
class Confusion:
    """One phrasing of an entry that the bot would not answer with that entry."""

    phrasing: str
    entry: str
    own_score: float
    other: str | None
    other_score: float
    learned: bool = False  # a resident's words an officer taught with `/faq`

    def describe(self) -> str:
        said = f'learned "{self.phrasing}"' if self.learned else f'"{self.phrasing}"'
        if self.other is None:
            return (
                f"- [{self.entry}] {said} is too weak to be answered "
                f"(score {self.own_score:.2f}): add words residents use to its variants"
            )
        verdict = "goes to" if self.other_score >= self.own_score else "is too close to"
        return (
            f"- [{self.entry}] {said} {verdict} [{self.other}] "
            f"({self.own_score:.2f} vs {self.other_score:.2f})"
        )


def confusions(index: FaqIndex) -> list[Confusion]:
    """Every question, variant and learned phrasing asked of the whole index: listed when the
    bot would not answer it with its own entry (another entry wins, comes too close, or it
    scores too low). A learned one listed is a lesson that did not take, or that another
    entry's lessons or phrasings contradict."""
    found = []
    for entry in index.entries:
        phrasings = [(p, False) for p in (entry.question, *entry.variants)]
        for phrasing, learned in phrasings + [(p, True) for p in entry.learned]:
            decision = index.decide(phrasing)
            if decision.outcome == "answer" and decision.entry == entry:
                continue
            ranked = index.rank(phrasing, limit=3)
            own = next((c.score for c in ranked if c.entry.id == entry.id), 0.0)
            rival = next((c for c in ranked if c.entry.id != entry.id), None)
            close = rival is not None and rival.score >= own - MARGIN
            found.append(
                Confusion(
                    phrasing,
                    entry.id,
                    own,
                    rival.entry.id if close and rival else None,
                    rival.score if close and rival else 0.0,
                    learned,
                )
            )
    return found


def explain(index: FaqIndex, text: str, *, listen: bool) -> str:
    """What the bot makes of a message, step by step."""
    result = understand(index, text, listen=listen)
    cleaned = clean(text)
    analysis = analyse(cleaned)
    ranked = index.rank(cleaned, limit=5)
    signals = triage(analysis, index.decide(cleaned).score if cleaned else 0.0).signals
    found, model = features(analysis, signals), default_model()
    odds = sorted(model.probabilities(found).items(), key=lambda item: -item[1])
    weighed = model.reasons(found, result.intent) if analysis.terms else []
    room = "in a listen room (acts only when sure)" if listen else "when addressed (mention, 1:1)"
    lines = [
        f"message:  {cleaned}",
        f"read as:  {' '.join(analysis.terms) or '(no content words)'}",
        "weighs:   "
        + (", ".join(f"{term} {weight:.2f}" for term, weight in index.weights(cleaned)) or "-")
        + "  (1.00: a word one entry uses; a word no entry uses weighs by how rare it is)",
        f"intent:   {result.intent} (confidence {result.confidence:.2f}, "
        f"{'confident' if result.confident else 'not confident'})",
        "cues:     " + ", ".join(f"{name} {value:.2f}" for name, value in signals.items()),
        f"model:    {', '.join(f'{intent} {p:.2f}' for intent, p in odds)}"
        if analysis.terms
        else "model:    (no content words: small talk without weighing)",
        f"weighed:  {', '.join(weighed) or '-'}",
        "entries:",
    ]
    for c in ranked:
        kinds = (
            f"; another kind of {', '.join(c.other_kinds)} than its own" if c.other_kinds else ""
        )
        lines.append(
            f"  {c.score:.2f}  {c.entry.id:<28} covers {c.coverage:.0%} of the message, "
            f"{c.phrase:.0%} of a phrasing; matched {', '.join(c.matched) or '-'}; "
            f"missing {', '.join(c.missed) or '-'}{kinds}"
        )
    if not ranked:
        lines.append("  (no entry shares a word with the message)")
    lines.append(f"as seen {room}:")
    if result.urgent:
        lines.append("  urgent:  someone may be in danger: emergency numbers, officers alerted")
    blocked = result.urgent and index.decide(cleaned).outcome == "answer"
    why = _why(result, ranked, blocked=blocked, beyond=index.beyond(cleaned))
    lines.append(f"  outcome: {result.decision.outcome} — {why}")
    if result.decision.outcome == "answer" and not result.decision.sure:
        lines.append(f"  (below {SURE_AT}: the reply starts with the question it answers)")
    return "\n".join(lines)


def _why(result: Understanding, ranked: list[Candidate], *, blocked: bool, beyond: float) -> str:
    decision = result.decision
    if result.intent != "question":
        return f"not a question ({result.intent}), so no FAQ answer"
    if blocked and decision.outcome == "unknown":
        return "the best entry is not about the danger the message names: passed to officers"
    if decision.outcome == "answer" and decision.entry is not None:
        chosen = decision.entry.id
        if ranked and ranked[0].entry.id != chosen:
            return (
                f"answers with [{chosen}]: every phrasing of [{ranked[0].entry.id}] names a "
                f"word the message does not, and [{chosen}] is clearly ahead of the rest"
            )
        if decision.score < ANSWER_AT or (
            len(ranked) > 1 and ranked[0].score - ranked[1].score < MARGIN
        ):
            return (
                f"answers with [{chosen}]: no other entry comes close, it covers "
                f"{SLIGHT:.0%} or more of the message, and no word it leaves out "
                f"carries {ALONE_GAP:.0%} of it"
            )
        return (
            f"answers with [{chosen}]: score ≥ {ANSWER_AT}, ahead of the next entry "
            f"by ≥ {MARGIN}, and no weighty word of the message left uncovered"
        )
    if decision.outcome == "offer" and ranked and ranked[0].unnamed and len(ranked) > 1:
        ids = ", ".join(entry.id for entry in decision.choices)
        return (
            f"offers {ids} as choices: every phrasing of [{ranked[0].entry.id}] names a word "
            f"the message does not, and [{ranked[1].entry.id}] is close"
        )
    if decision.outcome == "offer":
        ids = ", ".join(entry.id for entry in decision.choices)
        return f"offers {ids} as choices: related, but none is clearly the answer"
    if not ranked or ranked[0].score < OFFER_AT:
        return f"no entry scores {OFFER_AT} or more: passed to officers as a question"
    if beyond >= BEYOND:
        return (
            f"{beyond:.0%} of what the message says is in words no entry uses: it asks "
            "about something beyond the FAQ, so it is passed to officers"
        )
    if ranked[0].gap >= GAP:
        return (
            f"the best entry does not cover '{ranked[0].missed[0]}', which carries much of "
            "the message: passed to officers rather than risk a wrong answer"
        )
    return "no entry is clearly the answer (and a listen room offers no choices)"
