"""Does a new report say the same as an open ticket?

Residents of one room share their villages, so two reports about the same place are not the
same problem: "성전면 달빛마을 단수됐어요" and "성전면 달빛마을 국도에 고라니가…" differ. A report
is read as its *gist* — the places it names and the nouns saying what is wrong (kiwi's
morphemes, so particles, endings and spacing do not matter) — and two reports match when their
places do not conflict and their problem words agree: half rapidfuzz's token-set score (100
when one report's words are all in the other's), half the share of words they have in common.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise

from rapidfuzz import fuzz

from storage.models import Ticket

NOUNS = frozenset({"NNG", "NNP", "SL", "SH", "XR"})
PLACE_MARKERS = frozenset({"면", "읍", "리", "동", "마을", "골"})
"""A word before one of these names a place (작천 면, 솔밭 마을)."""
LOCATORS = frozenset(
    {"동네", "회관", "입구", "앞", "뒤", "옆", "근처", "쪽", "건너편", "사거리", "삼거리", "우리"}
)
"""Words that say where, not what."""
FILLERS = frozenset(
    {
        "사흘",
        "이틀",
        "며칠",
        "오늘",
        "어제",
        "아침",
        "밤",
        "낮",
        "저녁",
        "새벽",
        "매일",
        "계속",
        "지금",
    }
    | {"고장", "문제", "불편", "민원", "신고", "요청", "건의", "부탁", "확인", "처리", "빨리", "좀"}
)
"""When and how-urgent words, and generic complaint words: they say nothing about the topic."""


@dataclass(frozen=True)
class Gist:
    places: frozenset[str]
    problem: str
    """The words saying what is wrong, space-separated."""


@cache
def _kiwi():
    from kiwipiepy import Kiwi

    return Kiwi()


@lru_cache(maxsize=4096)
def gist(text: str) -> Gist:
    nouns = [(t.form, t.tag) for t in _kiwi().tokenize(text) if t.tag in NOUNS]
    places = {form for form, tag in nouns if tag == "NNP"}
    places |= {form for (form, _), (after, _) in pairwise(nouns) if after in PLACE_MARKERS}
    skip = places | PLACE_MARKERS | LOCATORS | FILLERS
    return Gist(frozenset(places), " ".join(form for form, _ in nouns if form not in skip))


def similarity(first: str, second: str) -> float:
    """0-100: how much two reports are about the same problem in the same place."""
    a, b = gist(first), gist(second)
    if a.places and b.places and not a.places & b.places:
        return 0.0
    if not a.problem or not b.problem:
        return fuzz.ratio("".join(first.split()), "".join(second.split()))
    # token-set forgives a report that says more; the word overlap (Dice) keeps one shared
    # word among many ("축제" in a long proposal about a festival bus) from passing alone.
    words_a, words_b = a.problem.split(), b.problem.split()
    shared = sum(min(words_a.count(w), words_b.count(w)) for w in set(words_a))
    dice = 200 * shared / (len(words_a) + len(words_b))
    return (fuzz.token_set_ratio(a.problem, b.problem) + dice) / 2


def most_alike(text: str, tickets: Sequence[Ticket], threshold: float) -> Ticket | None:
    """The ticket most like `text`, if it scores at least `threshold`."""
    scored = [(similarity(text, ticket.text), ticket) for ticket in tickets]
    best = max(scored, key=lambda pair: pair[0], default=None)
    return best[1] if best is not None and best[0] >= threshold else None
