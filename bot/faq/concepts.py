"""Maps analysed terms to concept ids using the civic lexicon.

Lexicon words are written by people (빌려주다, 쓰레기봉투); the analyser may split them
differently in different sentences. Each word is therefore registered both as written and as
the analyser spells it, so both spellings reach the same concept. Analysing thousands of
lexicon words takes most of a second, so the result is kept in a cache file, rebuilt whenever
the lexicon, this code or the analyser changes.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from bot.faq import lexicon, text
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
    """The packaged lexicon's concepts, built once per process (or read from the cache)."""
    cache = _cache_file()
    try:
        return _from_json(json.loads(cache.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        pass  # no cache yet, or one this version cannot read: build it
    concepts = build_concepts(default_lexicon())
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=cache.parent, delete=False) as out:
            json.dump(_to_json(concepts), out, ensure_ascii=False)
        os.replace(out.name, cache)
        for old in cache.parent.glob("concepts-*.json"):
            if old != cache:
                old.unlink(missing_ok=True)  # built for an older lexicon
    except OSError:
        pass  # a read-only home only costs the time to build
    return concepts


def _cache_file() -> Path:
    """The cache for this lexicon, this code and this analyser, in SOTONG_CACHE or the user's
    cache folder."""
    digest = hashlib.sha256()
    sources = [*sorted(lexicon.LEXICON_DIR.glob("*.yaml")), Path(__file__), Path(text.__file__)]
    for path in sources:
        digest.update(path.read_bytes())
    for package in ("kiwipiepy", "kiwipiepy_model"):
        digest.update(metadata.version(package).encode())
    root = os.environ.get("SOTONG_CACHE") or Path(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "sotong"
    )
    return Path(root) / f"concepts-{digest.hexdigest()[:16]}.json"


def _to_json(concepts: Concepts) -> dict[str, object]:
    return {
        "table": {key: sorted(found) for key, found in concepts.table.items()},
        "broader": {key: sorted(found) for key, found in concepts.broader.items()},
        "stopwords": sorted(concepts.stopwords),
        "light": sorted(concepts.light),
    }


def _from_json(data: dict) -> Concepts:
    return Concepts(
        table={key: frozenset(found) for key, found in data["table"].items()},
        broader={key: frozenset(found) for key, found in data["broader"].items()},
        stopwords=frozenset(data["stopwords"]),
        light=frozenset(data["light"]),
    )


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
