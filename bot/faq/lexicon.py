"""The Korean civic lexicon (lexicon/*.yaml): synonyms, dialect spellings and stop words.

Kept as data so officers can teach the bot a word residents use without touching code: one
file for everyday and dialect Korean (core.yaml), one per group of county departments. This
module only turns the files into fast lookups; the files together act as one lexicon.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

LEXICON_DIR = Path(__file__).with_name("lexicon")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml reads the files 10× faster
_WORD = re.compile(r"[가-힣]+")


@dataclass(frozen=True)
class Lexicon:
    """Lookups built from the lexicon files, with words as officers wrote them."""

    concepts: dict[str, frozenset[str]]  # word → concept ids of its synonym groups
    broader: dict[str, frozenset[str]]  # word → broader concept ids (장롱 → 가구, 대형폐기물)
    endings: dict[str, str]  # dialect or chat word ending → standard ending
    words: dict[str, str]  # dialect or chat word → standard word
    misspellings: dict[str, str]  # a misspelling anywhere in a word → the spelling (몇일 → 며칠)
    phrases: tuple[tuple[re.Pattern[str], str], ...]  # dialect told by its context → standard
    stopwords: frozenset[str]  # words that say nothing about a topic
    light: frozenset[str]  # words that say little (people, times), counted lightly

    def rewrite(self, text: str) -> str:
        """Standard spellings for misspellings, dialect and chat words and word endings."""
        for pattern, standard in self.phrases:
            text = pattern.sub(standard, text)
        if self.misspellings:
            text = self._misspelt.sub(lambda found: self.misspellings[found.group(0)], text)
        return _WORD.sub(self._rewrite_word, text)

    @functools.cached_property
    def _misspelt(self) -> re.Pattern[str]:
        return re.compile(
            "|".join(map(re.escape, sorted(self.misspellings, key=len, reverse=True)))
        )

    @functools.cached_property
    def _ending(self) -> re.Pattern[str]:
        alternatives = "|".join(re.escape(ending) for ending in self.endings)
        # … and the same ending made polite (되는디요 like 되는디)
        return re.compile(f"(?<=[가-힣])({alternatives})(요?)$")

    def _rewrite_word(self, match: re.Match[str]) -> str:
        word = match.group(0)
        if word in self.words:
            return self.words[word]
        found = self._ending.search(word) if self.endings else None
        if found is None:
            return word
        standard = self.endings[found.group(1)]
        polite = found.group(2) if not standard.endswith("요") else ""
        return word[: found.start()] + standard + polite


@functools.cache
def default_lexicon() -> Lexicon:
    """The packaged lexicon, read once per process."""
    return load_lexicon(*sorted(LEXICON_DIR.glob("*.yaml")))


def load_lexicon(*paths: Path) -> Lexicon:
    """One lexicon from several files: their sections are read as one (a synonym group whose
    first word heads a group of another file joins that concept)."""
    data: dict[str, Any] = {}
    for path in paths:
        text = path.read_text(encoding="utf-8")
        for section, value in (yaml.load(text, Loader=_LOADER) or {}).items():
            if isinstance(value, dict):
                merged = data.setdefault(section, {})
                for key, items in value.items():  # broader: the same word in two files adds up
                    if isinstance(items, list):
                        items = [*merged.get(key, []), *items]
                    merged[key] = items
            else:
                data.setdefault(section, []).extend(value or [])
    concepts: dict[str, set[str]] = {}
    for group in data.get("synonyms") or []:
        head = _term(group[0])
        for word in group:
            concepts.setdefault(_term(word), set()).add(head)
    # One way: a narrower word also stands for its broader concepts, transitively.
    parents: dict[str, set[str]] = {}
    for broad, words in (data.get("broader") or {}).items():
        for word in words:
            for concept in concepts.get(_term(word)) or {_term(word)}:
                parents.setdefault(concept, set()).update(
                    concepts.get(_term(broad)) or {_term(broad)}
                )
    broader: dict[str, frozenset[str]] = {}
    for word in {*concepts, *parents}:
        own = concepts.get(word) or {word}
        found: set[str] = set()
        frontier = [parent for concept in own for parent in parents.get(concept, ())]
        while frontier:
            concept = frontier.pop()
            if concept not in found and concept not in own:
                found.add(concept)
                frontier.extend(parents.get(concept, ()))
        if found:
            broader[word] = frozenset(found)
    endings = {str(k): str(v or "") for k, v in (data.get("dialect_endings") or {}).items()}
    return Lexicon(
        concepts={word: frozenset(found) for word, found in concepts.items()},
        broader=broader,
        endings=endings,
        words={str(k): str(v or "") for k, v in (data.get("dialect_words") or {}).items()},
        misspellings={str(k): str(v) for k, v in (data.get("misspellings") or {}).items()},
        phrases=tuple(
            (re.compile(str(k)), str(v)) for k, v in (data.get("dialect_phrases") or {}).items()
        ),
        stopwords=frozenset(_term(word) for word in data.get("stopwords") or []),
        light=frozenset(_term(word) for word in data.get("light") or []),
    )


def _term(word: object) -> str:
    return str(word).replace(" ", "").lower()
