"""How common a word is in Korean at large, so that a resident's everyday words (집, 나이, 조금)
weigh less than the specific ones that say what is asked (기부금, 영수증, 대관).

An FAQ of a few dozen entries knows a few hundred words; how much a word it has never seen
matters cannot be read from the FAQ. wordfreq's Korean list can tell: frequencies of about
30,000 morphemes (as MeCab splits text, so nouns without their particles) over Wikipedia,
subtitles, web text and Twitter. It is read directly, without wordfreq's tokeniser (which would
need MeCab), once per process, when the first FAQ index is built.
"""

from __future__ import annotations

import functools
import math

COMMON_AT = 5.5  # Zipf value (log10 of uses per billion words) from which a word is everyday
SPAN = 1.0  # Zipf values below COMMON_AT over which a word goes from everyday to specific
EVERYDAY = 0.25  # the weight share an everyday word keeps


def preload() -> None:
    """Read the list now (about 0.2 s with the import), so the first message does not wait."""
    _frequencies()


@functools.cache
def _frequencies() -> dict[str, float]:
    from wordfreq import get_frequency_dict

    return get_frequency_dict("ko")


@functools.lru_cache(maxsize=65536)
def specificity(word: str) -> float:
    """From EVERYDAY (a word in every conversation: 집, 조금) to 1.0 (a word used in few, or
    not listed: 영수증, 쓰레기봉투)."""
    frequency = _frequencies().get(word)
    if frequency is None:
        return 1.0
    zipf = math.log10(frequency) + 9
    return min(1.0, max(EVERYDAY, (COMMON_AT - zipf) / SPAN))
