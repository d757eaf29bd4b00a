"""Typo tolerance: a misspelt word (트랙타, 일짜리) is read as the FAQ word it is closest to.

Words are compared letter by letter (jamo), so one wrong consonant or vowel costs little,
and only words the analyser could not place are looked up, so correct text costs nothing.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections.abc import Collection

from rapidfuzz import fuzz, process

from bot.faq.text import Analysis

CUTOFF = 84.0  # jamo similarity (0–100); one letter wrong in a three-syllable word passes
MIN_SYLLABLES = 3
_WORD = re.compile(r"[가-힣]+")


def jamo(text: str) -> str:
    """Hangul syllables decomposed into letters (가 → ᄀ ᅡ)."""
    return unicodedata.normalize("NFD", text)


# Vowels residents confuse because they sound alike (ㅔ/ㅐ, ㅖ/ㅒ, ㅚ/ㅙ/ㅞ).
_SAME_SOUND = str.maketrans("\u1166\u1168\u1170\u116c", "\u1162\u1164\u116b\u116b")
# The jamo of modern syllables moved to one-byte code points: compared faster.
_ONE_BYTE = {code: code - 0x1100 + 0x20 for code in range(0x1100, 0x11C3)}
# A word with none of these (좀, 너무, 그래서: adverbs, conjunctions, particles) has no content
# word to misspell, so it is not looked up.
_CONTENT = ("NN", "NP", "VV", "VA", "XR", "SL")


def _sound(word: str) -> str:
    return jamo(word).translate(_SAME_SOUND)


def _letters(word: str) -> str:
    return jamo(word).translate(_ONE_BYTE)


class Speller:
    """Finds the known word a misspelt word stands for."""

    def __init__(self, vocabulary: Collection[str]) -> None:
        self._known = frozenset(vocabulary)
        words = [w for w in self._known if len(w) >= MIN_SYLLABLES and _WORD.fullmatch(w)]
        spelt = sorted((len(_letters(w)), w) for w in words)  # by length: a close word is
        self._words = [w for _, w in spelt]  # about as long, so only a slice is compared
        self._spelt = [_letters(w) for w in self._words]
        self._lengths = [length for length, _ in spelt]
        self._sounds = {_sound(w): w for w in sorted(self._known) if _WORD.fullmatch(w)}

    def corrections(self, analysis: Analysis) -> list[str]:
        """Known words for the misspelt words of a text (an unknown word keeps its own
        reading; only close look-alikes of known words are added). A word the analyser read
        as a verb or adjective form (데려다 = 데리- + -어다) is taken as spelt right."""
        found = []
        for (token, inflected), content in zip(analysis.words, _contentful(analysis), strict=True):
            word = "".join(_WORD.findall(token))
            stems = [word[:end] for end in range(len(word), 1, -1)]
            if not content or inflected or len(word) < 2:
                continue
            if any(stem in self._known for stem in stems):
                continue
            alike = next((self._sounds[s] for s in map(_sound, stems) if s in self._sounds), None)
            if alike is not None:  # 예메 → 예매: vowels that sound the same
                found.append(alike)
                continue
            best = None
            for stem in stems[:3]:
                if len(stem) < MIN_SYLLABLES:
                    break
                match = self._closest(_letters(stem))
                if match and (best is None or match[1] > best[1]):
                    best = match
            if best is not None:
                found.append(best[0])
        return found

    def _closest(self, letters: str) -> tuple[str, float] | None:
        """The vocabulary word most like these letters, if it passes the cutoff. Similarity
        2·common/(a+b) ≥ CUTOFF bounds the length of a passing word on either side."""
        share = CUTOFF / 200
        low = bisect.bisect_left(self._lengths, math.ceil(len(letters) * share / (1 - share)))
        high = bisect.bisect_right(self._lengths, math.floor(len(letters) * (1 - share) / share))
        match = process.extractOne(
            letters, self._spelt[low:high], scorer=fuzz.ratio, score_cutoff=CUTOFF
        )
        return (self._words[low + match[2]], match[1]) if match else None


def _contentful(analysis: Analysis) -> list[bool]:
    """For each word, whether the analyser found a content morpheme in it."""
    found = [False] * len(analysis.words)
    for (_, tag), at in zip(analysis.morphs, analysis.morph_starts, strict=True):
        number = bisect.bisect_right(analysis.word_starts, at) - 1
        if number >= 0 and tag.startswith(_CONTENT):
            found[number] = True
    return found
