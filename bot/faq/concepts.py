"""Maps analysed terms to concept ids using the civic lexicon.

Lexicon words are written by people (빌려주다, 쓰레기봉투); the analyser may split them
differently in different sentences. Each word is therefore registered both as written and as
the analyser spells it, so both spellings reach the same concept.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from bot.faq.lexicon import Lexicon, default_lexicon
from bot.faq.text import Analysis, analyse


@dataclass(frozen=True)
class Concepts:
    """Term → concept ids, plus the lexicon's stop and light words in analysed form."""

    table: dict[str, frozenset[str]]
    broader: dict[str, frozenset[str]]
    stopwords: frozenset[str]
    light: frozenset[str]

    def of(self, term: str) -> frozenset[str]:
        """Concept ids of a term (its synonym groups); an unknown term stands for itself."""
        return self.table.get(term) or frozenset((term,))

    def broad(self, term: str) -> frozenset[str]:
        """The broader concepts a term also stands for, more loosely."""
        return self.broader.get(term, frozenset())

    def in_text(self, analysis: Analysis) -> list[str]:
        """The content terms of a text: single terms and the compounds the lexicon knows."""
        found = [term for term in analysis.terms if term not in self.stopwords]
        return found + [term for term in analysis.compounds if term in self.table]


@functools.cache
def default_concepts() -> Concepts:
    """The packaged lexicon's concepts, built once per process."""
    return build_concepts(default_lexicon())


def build_concepts(lexicon: Lexicon) -> Concepts:
    table: dict[str, set[str]] = {}
    for word, concepts in lexicon.concepts.items():
        for key in spellings(word):
            table.setdefault(key, set()).update(concepts)
    broader: dict[str, set[str]] = {}
    for word, concepts in lexicon.broader.items():
        for key in spellings(word):
            broader.setdefault(key, set()).update(concepts)
            table.setdefault(key, {word})
    stop = {key for word in lexicon.stopwords for key in spellings(word)}
    light = {key for word in lexicon.light for key in spellings(word)}
    return Concepts(
        table={key: frozenset(found) for key, found in table.items()},
        broader={key: frozenset(found) for key, found in broader.items()},
        stopwords=frozenset(stop),
        light=frozenset(light - stop),
    )


def spellings(word: str) -> set[str]:
    """The word as written and as the analyser reads it alone."""
    keys = {word}
    analysis = analyse(word)
    if len(analysis.terms) == 1 and not analysis.compounds:
        keys.add(analysis.terms[0])
    elif analysis.compounds:
        keys.add(max(analysis.compounds, key=len))
    return keys
