"""Typo tolerance: a misspelt word (트랙타, 일짜리) is read as the FAQ word it is closest to.

Words are compared letter by letter (jamo), so one wrong consonant or vowel costs little,
and only words the analyser could not place are looked up, so correct text costs nothing.
"""

from __future__ import annotations

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


def _sound(word: str) -> str:
    return jamo(word).translate(_SAME_SOUND)


class Speller:
    """Finds the known word a misspelt word stands for."""

    def __init__(self, vocabulary: Collection[str]) -> None:
        self._known = frozenset(vocabulary)
        self._words = sorted(
            w for w in self._known if len(w) >= MIN_SYLLABLES and _WORD.fullmatch(w)
        )
        self._letters = [jamo(word) for word in self._words]
        self._sounds = {_sound(w): w for w in sorted(self._known) if _WORD.fullmatch(w)}

    def corrections(self, analysis: Analysis) -> list[str]:
        """Known words for the misspelt words of a text (an unknown word keeps its own
        reading; only close look-alikes of known words are added). A word the analyser read
        as a verb or adjective form (데려다 = 데리- + -어다) is taken as spelt right."""
        found = []
        for token, inflected in analysis.words:
            word = "".join(_WORD.findall(token))
            stems = [word[:end] for end in range(len(word), 1, -1)]
            if inflected or len(word) < 2 or any(stem in self._known for stem in stems):
                continue
            alike = next((self._sounds[s] for s in map(_sound, stems) if s in self._sounds), None)
            if alike is not None:  # 예메 → 예매: vowels that sound the same
                found.append(alike)
                continue
            if len(word) < MIN_SYLLABLES or not self._words:
                continue
            best = None
            for stem in stems[:3]:
                if len(stem) < MIN_SYLLABLES:
                    break
                match = process.extractOne(
                    jamo(stem), self._letters, scorer=fuzz.ratio, score_cutoff=CUTOFF
                )
                if match and (best is None or match[1] > best[1]):
                    best = match
            if best is not None:
                found.append(self._words[best[2]])
        return found
