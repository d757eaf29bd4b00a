"""The FAQ index: finds the entry a message asks about, with a score in [0, 1].

Each entry is reduced to concepts (lemmas mapped through the civic lexicon) from its question
and variants (the core) and from its answer and tags (weaker evidence). A message scores
against an entry by how much of what it says the entry covers and how much of one of the
entry's phrasings it covers, rare words weighing more than common ones (rare in this FAQ, and
in Korean at large: bot/faq/rarity.py). The bot answers only when the best entry scores high,
is clearly ahead of the others, and leaves no weighty word of the message uncovered (what
residents ask about beyond the FAQ is usually named by a word the FAQ never uses: 팩스,
입장료).
"""

from __future__ import annotations

import itertools
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from bot.faq.concepts import Concepts, default_concepts
from bot.faq.entries import FaqEntry, load_entries
from bot.faq.fuzzy import Speller
from bot.faq.rarity import preload, specificity
from bot.faq.text import NOUN_TAGS, Analysis, analyse

# Thresholds chosen on half of the development data and checked on the other half and on a
# second FAQ of another department (tests/faq/data): a wrong answer is worse than none.
ANSWER_AT = 0.45
SURE_AT = 0.6  # answers scoring this were right 87–100 %, below it 78–80 % held out (make eval)
OFFER_AT = 0.3
MARGIN = 0.04  # the best entry must lead the runner-up by this much to be answered
ALONE_AT = 0.3  # ... or this much, when the runner-up scores at most ALONE_RATIO of it
ALONE_RATIO = 0.75
ALONE_GAP = 0.2  # and no word carrying this share of the message is left out
SLIGHT = 0.25  # an entry covering less of what a message says is neither answered alone nor offered
GAP = 0.45  # not answered when the entry misses a word carrying this share of the message
BEYOND = 0.55  # ... nor when words no entry uses carry this share (chosen on the read sets)
EXTRA_WEIGHT = 0.5  # answer and tag words count half as much as question words
EXTRA_DF = 0.3  # an answer mentioning a word makes it less rare, but less than a question
UNKNOWN_NOUN = 1.2  # weight of a specific noun no entry uses, relative to the rarest FAQ word
KNOWN_SHARE = 0.85  # a noun the FAQ uses keeps this share of its weight however everyday it is
UNKNOWN_VERB = 0.4
LIGHT = 0.3  # people, times, vague places
PREAMBLE = 0.5  # words outside the sentence that asks
BACKGROUND = 0.7  # words of a clause giving a reason (고장나서, 더우니까)
CONTRAST = 0.3  # words set aside by 말고 (월세 말고 전세): named to say what is not asked
ADJUNCT = 0.6  # a noun marked as place, time or recipient (민원실에서, 월요일에) is context
BROAD = 0.6  # 장롱 asked, 가구 in the entry: related, but looser than a synonym
SIBLING = BROAD * BROAD  # 농민수당 asked, 아동수당 in the entry: two kinds of one thing
UNNAMED = 0.9  # a rival whose defining word the message never names counts at this share
COVERAGE = 0.65  # the score mixes message coverage and phrasing coverage
OFFER_MAX = 3
SHORTLIST = 40
PHRASE_FLOOR = 1.0  # a phrasing weighs at least this many rarest words
NARROWER_RATIO = 0.85  # a runner-up this close is preferred when the best is narrower
AFFIX_MAX = 3  # a word that is part of more FAQ compounds than this says too little
EVIDENCE = 0.6  # question words worth less than this (in rarest-word units) weaken the score
TOPIC = 0.5  # an unknown word weighing this (rarest-word units) says what is asked: not a verb
# Asking how much (얼마씩 나오나요, 몇 프로) wants an amount; an entry whose answer names none
# and says nothing of one (지원사업에는 … 등이 있습니다; not 금액은 … 따라 다릅니다) does not
# answer it, however well it fits the rest. Not 얼마나, nor 얼마 안 됐다 or 얼마 전: a while.
_HOW_MUCH = re.compile(
    r"얼마(?!나|\s*(?:안|않|못|전|동안|후|뒤|지나|간))|몇\s*(?:원|프로|퍼센트|만\s*원|천\s*원)"
)
_AMOUNT = re.compile(
    r"\d|[십백천만억]\s*원|무료|퍼센트|전액|절반|반값|금액|액수|요금|단가|비율|금리"
)
_POINTING = frozenset({"이거", "그거", "저거", "이것", "그것", "저것", "이게", "그게"})
_POINTING_MM = frozenset({"이런", "그런", "저런"})
_HANGUL = re.compile(r"[가-힣]+")
_NONE: frozenset[str] = frozenset()
_BACKGROUND = re.compile(r"(?:서|니까|니깐|지만)[,.]?$")
_CONTRAST = re.compile(r"^(.*?)(?:말고|말구|말곤)[,.]?$")
# Sentence ends: punctuation, new lines, or a 요/다 word followed later by the question asked
# (but not by a quoting 하다: 벌금 나왔다 하니 … is one sentence).
_SENTENCES = re.compile(r"(?<=[.!?。])\s+|\n+|(?<=[요다])[.,]?\s+(?=(?!하)\S{2,}.*[?？]$)")


@dataclass(frozen=True)
class Decision:
    """What the bot would do with a question: answer, offer choices, or say it does not know."""

    outcome: Literal["answer", "offer", "unknown"]
    entry: FaqEntry | None
    choices: tuple[FaqEntry, ...]
    score: float

    @property
    def sure(self) -> bool:
        """Whether the score is one at which answers are almost always right; below it the
        bot says which question it is answering, so a near miss shows itself."""
        return self.score >= SURE_AT


@dataclass(frozen=True, slots=True)
class Candidate:
    """One entry's score for a message, with the parts that explain it."""

    entry: FaqEntry
    score: float
    coverage: float  # share of the message's weight the entry covers
    phrase: float  # best share of one of the entry's phrasings the message covers
    gap: float  # share of the message's weight in its weightiest word the entry misses
    strength: float  # weight the entry's question covers, in units of the rarest word
    matched: tuple[str, ...]  # the message's words the entry's question covers
    missed: tuple[str, ...]  # the message's weightiest words the entry does not cover
    unnamed: bool = False  # the message names none of the words every phrasing names
    other_kinds: tuple[str, ...] = ()  # words naming another kind than the entry's (농민수당)


Learned = Mapping[str, Sequence[str]]  # entry id → residents' phrasings officers taught
Named = dict[str, float]  # concept → how closely a text names it (1.0, or BROAD for a kind)


@dataclass(frozen=True, slots=True)
class _Keys:
    core: Named  # of the question and variants
    extra: Named  # of the answer and tags, not already in the core
    phrases: tuple[tuple[Named, ...], ...]  # per phrasing, the concepts of each of its words
    defining: frozenset[str]  # concepts every phrasing names: what the entry is about
    heads: frozenset[str]  # concepts its phrasings name only after another noun (아동수당's 수당)


@dataclass(frozen=True, slots=True)
class _Phrasing:
    words: tuple[tuple[float, tuple[tuple[str, float], ...]], ...]  # weight, (concept, closeness)
    total: float  # what all its words weigh, at least PHRASE_FLOOR rarest words
    concepts: frozenset[str]  # every concept of its words


@dataclass(frozen=True, slots=True)
class _Unit:
    term: str
    exact: frozenset[str]
    broad: frozenset[str]
    weight: float
    aside: bool = False  # named only where 말고 sets it aside: not what the message asks for
    qualifier: frozenset[str] = frozenset()  # concepts of the noun before it (농민 of 농민수당)

    @property
    def named(self) -> Named:
        return _named(self.exact, self.broad)


class FaqIndex:
    """All entries of one FAQ, ready to match messages against."""

    def __init__(self, entries: list[FaqEntry], concepts: Concepts | None = None) -> None:
        self.entries = entries
        self.concepts = concepts or default_concepts()
        self._terms: set[str] = set()
        self._keys = [self._entry_keys(entry) for entry in entries]
        df: dict[str, float] = defaultdict(float)
        # concept → [(entry number, how closely its question / its answer names the concept)]
        self._core: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self._extra: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for number, keys in enumerate(self._keys):
            for concept, closeness in keys.core.items():
                df[concept] += 1.0
                self._core[concept].append((number, closeness))
            for concept, closeness in keys.extra.items():
                df[concept] += EXTRA_DF
                self._extra[concept].append((number, closeness))
        count = len(entries)
        # A word only answers mention is rare, but no rarer than a word one question uses.
        self._idf = {concept: math.log(1 + count / max(n, 1.0)) for concept, n in df.items()}
        self._speller = Speller(self._vocabulary())
        preload()  # the word list, now rather than at the first message
        self._affixes = self._affix_table()
        self._rarest = math.log(1 + count)  # a word only one question uses
        self._phrases = [tuple(map(self._phrasing, keys.phrases)) for keys in self._keys]

    @classmethod
    def load(cls, path: str | Path, learned: Learned | None = None) -> FaqIndex:
        """Read and index a FAQ file, with the phrasings officers taught (entry id → texts;
        those of entries no longer in the file are left out); raises FaqError naming the
        entry and the reason."""
        entries = load_entries(path)
        if learned:
            entries = [
                replace(entry, learned=tuple(learned[entry.id])) if learned.get(entry.id) else entry
                for entry in entries
            ]
        return cls(entries)

    def entry(self, entry_id: str) -> FaqEntry | None:
        """The entry with this id, if the FAQ has it."""
        return next((entry for entry in self.entries if entry.id == entry_id), None)

    def _vocabulary(self) -> set[str]:
        """Words a misspelling may be corrected to: those standing for a concept of this FAQ."""
        words = set(self._terms)
        words.update(
            word for word, concepts in self.concepts.table.items() if concepts & self._idf.keys()
        )
        return words

    def _affix_table(self) -> dict[str, frozenset[str]]:
        """The FAQ's compound words by their first and last parts (셔틀 → 셔틀버스,
        해설사 → 관광해설사), for words a message uses only as part of one."""
        table: dict[str, set[str]] = defaultdict(set)
        for term in self._terms:
            if not _HANGUL.fullmatch(term):
                continue
            for cut in range(2, len(term) - 1):  # both parts words: 운동장 is not 운동 + 장
                table[term[:cut]].add(term)
                table[term[cut:]].add(term)
        return {part: frozenset(terms) for part, terms in table.items() if len(terms) <= AFFIX_MAX}

    def _text_words(self, text: str) -> tuple[Named, ...]:
        """The concepts of each word of an entry's text, its broader concepts more loosely
        (취득세 names 세금 as a kind); the words also become the spelling vocabulary."""
        words = []
        for term in self.concepts.in_text(analyse(text)):
            self._terms.add(term)
            words.append(_named(self.concepts.of(term), self.concepts.broad(term)))
        return tuple(words)

    def _entry_keys(self, entry: FaqEntry) -> _Keys:
        phrases = tuple(self._text_words(p) for p in (entry.question, *entry.variants))
        core = _closest(word for phrase in phrases for word in phrase)
        # Residents' words are phrasings to match, but weaker evidence of what the entry is
        # about than the officers' own: they also say 돈, 군, 아기 (measured in make eval).
        taught = tuple(self._text_words(p) for p in entry.learned)
        extra = _closest(
            [word for text in (entry.answer, *entry.tags) for word in self._text_words(text)]
            + [word for phrase in taught for word in phrase]
        )
        named = [
            frozenset(c for word in p for c, closeness in word.items() if closeness == 1.0)
            for p in phrases
        ]
        defining = frozenset.intersection(*named) if len(named) > 1 else frozenset()
        return _Keys(
            core=core,
            extra={c: closeness for c, closeness in extra.items() if c not in core},
            phrases=phrases + taught,
            defining=defining,
            heads=self._heads((entry.question, *entry.variants)),
        )

    def _heads(self, phrasings: Iterable[str]) -> frozenset[str]:
        """The concepts an entry's phrasings name only as the last part of a compound."""
        alone: set[str] = set()
        heads: set[str] = set()
        for phrasing in phrasings:
            for term, qualifier in self._qualifiers(analyse(phrasing)).items():
                (heads if qualifier else alone).update(self.concepts.of(term))
        return frozenset(heads - alone)

    def _qualifiers(self, analysis: Analysis, joined: bool = False) -> dict[str, frozenset[str]]:
        """Each noun of a text with the concepts of the noun right before it (농민 for the 수당
        of 농민수당; with `joined`, only when written together), and of the two as one word,
        which another text may hold as one (산악자전거). A noun that stands alone somewhere,
        or after a light word (올해 수당), has none."""
        found: dict[str, frozenset[str]] = {}
        before = None
        last = 0
        for (form, tag), at in zip(analysis.morphs, analysis.morph_starts, strict=True):
            if joined and " " in analysis.text[last:at]:
                before = None
            last = at
            if tag not in ("NNG", "NNP"):
                before = None
                continue
            term = form.lower()
            qualifier = _NONE
            if (
                before is not None
                and len(term) > 1  # 학용품비: 비 is a suffix, not a kind of expense
                and before not in self.concepts.light
                and before not in self.concepts.stopwords
            ):
                qualifier = self.concepts.of(before) | self.concepts.of(before + term)
            if term in found and not (found[term] and qualifier):
                found[term] = _NONE
            else:
                found[term] = found.get(term, _NONE) | qualifier
            before = term
        return found

    def _units(self, text: str) -> list[_Unit]:
        """The message's content words with weights; words outside the asking sentence, context
        words and light words weigh less, words no entry knows weigh by their kind."""
        whole = analyse(text)
        sentences = _sentences(whole.text)
        asking = _asking(whole.text, sentences)
        parts: list[tuple[int, int, float]] = []
        for number, span in enumerate(sentences):
            if number in asking:
                parts += _clauses(whole, *span)
            elif number + 1 in asking and _refers_back(whole.section(*sentences[number + 1])):
                parts.append((*span, BACKGROUND))  # 벌금이 나왔어요. 이거 안 내는 방법은?
            else:
                parts.append((*span, PREAMBLE))
        units: dict[frozenset[str], _Unit] = {}
        for start, end, factor in parts:
            analysis = whole if (start, end) == (0, len(whole.text)) else whole.section(start, end)
            nouns = {form.lower() for form, tag in analysis.morphs if tag in NOUN_TAGS}
            # a noun carrying a particle (열이, 문을) is a noun, never a verb stem
            marked = {
                form.lower()
                for (form, tag), (_, after) in itertools.pairwise(analysis.morphs)
                if tag in NOUN_TAGS and after.startswith("J")
            }
            adjuncts = _adjuncts(analysis.morphs)
            qualified = self._qualifiers(analysis, joined=True)
            joined = set(analysis.compounds) - set(analysis.terms)
            known_joins = {term for term in joined if self.concepts.of(term) & self._idf.keys()}
            terms = self.concepts.in_text(analysis)
            for term in (*self._split(terms, nouns), *self._speller.corrections(analysis)):
                term = self._as_verb(term, nouns - marked)
                exact = self.concepts.of(term)
                broad = self.concepts.broad(term)
                known = [self._idf[c] for c in exact if c in self._idf]
                # a word the FAQ knows only by its broader concept (토요일 → 요일) is known
                known = known or [self._idf[c] for c in broad if c in self._idf]
                if not known and term in joined:
                    continue  # a compound this FAQ never uses: its parts speak for it
                if not known and any(term in join for join in known_joins):
                    continue  # ... and a compound it uses speaks for its parts (소귀표: 소귀 + 표)
                if not known and term in nouns and len(term) > 1:
                    # part of a compound the FAQ uses: related, more loosely than the word
                    broad = self._part_of(term)
                    known = [self._idf[c] for c in broad]
                if known and term in nouns:  # 학교 is rare in a library FAQ, not in Korean
                    weight = max(known) * (KNOWN_SHARE + (1 - KNOWN_SHARE) * specificity(term))
                elif known:
                    weight = max(known)
                elif term in nouns and len(term) > 1:
                    weight = UNKNOWN_NOUN * self._rarest * specificity(term)
                else:
                    weight = UNKNOWN_VERB * self._rarest
                if term in self.concepts.light:
                    weight *= LIGHT
                if any(term.endswith(noun) for noun in adjuncts):
                    weight *= ADJUNCT
                weight *= factor
                if exact not in units or units[exact].weight < weight:
                    units[exact] = _Unit(
                        term, exact, broad, weight, factor == CONTRAST, qualified.get(term, _NONE)
                    )
        return list(units.values())

    def _part_of(self, term: str) -> frozenset[str]:
        found: set[str] = set()
        for word in self._affixes.get(term, ()):
            found |= (self.concepts.of(word) | self.concepts.broad(word)) & self._idf.keys()
        return frozenset(found)

    def _knows(self, term: str) -> bool:
        """Whether this FAQ uses the term, or a synonym or broader word of it."""
        return bool((self.concepts.of(term) | self.concepts.broad(term)) & self._idf.keys())

    def _split(self, terms: list[str], nouns: set[str]) -> list[str]:
        """A compound noun this FAQ does not know (재해보험, 시골집) is read as its parts
        when both parts are words of the FAQ (the analyser splits the same compound
        differently in different sentences)."""
        found: list[str] = []
        for term in terms:
            parts = None
            if (
                term in nouns
                and len(term) >= 3
                and _HANGUL.fullmatch(term)
                and not self._knows(term)
            ):
                parts = self._parts(term)
            if parts:
                nouns.update(parts)
                found.extend(parts)
            else:
                found.append(term)
        return found

    def _parts(self, term: str) -> list[str] | None:
        for cut in range(len(term) - 1, 1, -1):  # the longest known first part first
            left, right = term[:cut], term[cut:]
            if not self._knows(left):
                continue
            if self._knows(right):
                return [left, right]
        return None

    def _as_verb(self, term: str, nouns: set[str]) -> str:
        """A verb stem the analyser took for a noun (허물 때, 지을 때) is read as the verb
        when only the verb is known to this FAQ."""
        if term in nouns and term not in self.concepts.table and term not in self._idf:
            verb = term + "다"
            if self.concepts.of(verb) & self._idf.keys():
                return verb
        return term

    def weights(self, text: str) -> list[tuple[str, float]]:
        """The message's words as the matcher weighs them, in units of the rarest FAQ word,
        heaviest first (`sotong faq ask` shows them)."""
        units = sorted(self._units(text), key=lambda unit: -unit.weight)
        return [(unit.term, unit.weight / self._rarest) for unit in units]

    def rank(self, text: str, limit: int = 5) -> list[Candidate]:
        """Entries sharing concepts with the message, best first."""
        return self._ranked(self._units(text), limit)

    def beyond(self, text: str) -> float:
        """The share of what a message says in words no entry of this FAQ uses, nor any kind
        or part of them (충전기, 검침원, 기부금 in a FAQ that never speaks of them)."""
        return self._beyond(self._units(text))

    def _beyond(self, units: list[_Unit]) -> float:
        total = sum(unit.weight for unit in units)
        unknown = sum(unit.weight for unit in units if not self._speaks_of(unit))
        return unknown / total if total else 0.0

    def _speaks_of(self, unit: _Unit) -> bool:
        """Whether some entry uses the word, or a kind or part of it."""
        return bool((unit.exact | unit.broad) & self._idf.keys())

    def unknown_words(self, text: str) -> list[str]:
        """What a message asks about in words no entry uses (수료증, 공모전), heaviest first,
        leaving out people, times, verbs, single letters and words set aside by 말고: the
        topics of questions this FAQ could not answer, which `/answers` counts so officers
        know which entries to write."""
        units = sorted(self._units(text), key=lambda unit: -unit.weight)
        return [
            unit.term
            for unit in units
            if not unit.aside
            and len(unit.term) > 1
            and unit.weight >= TOPIC * self._rarest
            and not self._speaks_of(unit)
        ]

    def _ranked(self, units: list[_Unit], limit: int) -> list[Candidate]:
        total = sum(unit.weight for unit in units)
        if not total:
            return []
        present = _closest(unit.named for unit in units if not unit.aside)
        links = [self._links(unit) for unit in units]
        candidates = [
            self._candidate(number, units, links, total, present)
            for number in _shortlist(units, links)
        ]
        candidates.sort(key=lambda c: -c.score)
        return candidates[:limit]

    def _links(self, unit: _Unit) -> tuple[dict[int, float], dict[int, float]]:
        """How closely each entry's question, and each entry's answer, names a message word:
        a kind of what the entry names (장롱 for 가구) or the entry naming a kind of what was
        said (취득세 for 세금) loosely, two kinds of one thing (인감증명서, 등본) more loosely."""
        found: tuple[dict[int, float], dict[int, float]] = ({}, {})
        for postings, closest in ((self._core, found[0]), (self._extra, found[1])):
            for concept, said in unit.named.items():
                for number, named in postings.get(concept, ()):
                    if closest.get(number, 0.0) < said * named:
                        closest[number] = said * named
        return found

    def _candidate(
        self,
        number: int,
        units: list[_Unit],
        links: list[tuple[dict[int, float], dict[int, float]]],
        total: float,
        present: Named,
    ) -> Candidate:
        keys = self._keys[number]
        covered = core = 0.0
        matched: list[str] = []
        missed: list[_Unit] = []
        others: list[_Unit] = []  # words naming another kind of what the entry names
        for unit, (question, answer) in zip(units, links, strict=True):
            closeness = question.get(number, 0.0)
            if (
                closeness
                and unit.qualifier
                and unit.exact & keys.heads
                and not unit.qualifier & (keys.core.keys() | keys.extra.keys())
            ):
                # 농민수당 asked, only 아동수당 in the entry: another kind of allowance
                closeness = min(closeness, SIBLING)
                others.append(unit)
            credit = closeness or EXTRA_WEIGHT * (closeness := answer.get(number, 0.0))
            covered += credit * unit.weight
            if credit >= BROAD:
                core += credit * unit.weight
                matched.append(unit.term)
            if closeness < BROAD:  # another kind of the same thing is still left out
                missed.append(unit)
        coverage = covered / total
        if others:
            kinds = {c for unit in others for c in unit.exact}
            present = {c: min(v, SIBLING) if c in kinds else v for c, v in present.items()}
        phrase = max(self._phrase_share(p, present) for p in self._phrases[number])
        strength = core / self._rarest
        missed.sort(key=lambda unit: -unit.weight)
        return Candidate(
            entry=self.entries[number],
            score=(COVERAGE * coverage + (1 - COVERAGE) * phrase) * min(1.0, strength / EVIDENCE),
            coverage=coverage,
            phrase=phrase,
            gap=missed[0].weight / total if missed else 0.0,
            strength=strength,
            matched=tuple(matched),
            missed=tuple(unit.term for unit in missed[:3]),
            unnamed=bool(keys.defining) and not keys.defining & present.keys(),
            other_kinds=tuple(unit.term for unit in others),
        )

    def _word_weight(self, word: Named) -> float:
        """What a word of a phrasing weighs: its rarest own concept, a light one lightly."""
        return max(
            self._idf[c] * (LIGHT if c in self.concepts.light else 1.0)
            for c, closeness in word.items()
            if closeness == 1.0
        )

    def _phrasing(self, words: tuple[Named, ...]) -> _Phrasing:
        """A phrasing ready to be scored: a phrasing of one or two common words (민원실,
        신고) cannot be covered in full by them."""
        weighed = tuple((self._word_weight(word), tuple(word.items())) for word in words)
        total = 0.0
        for weight, _ in weighed:
            total += weight
        return _Phrasing(
            weighed,
            max(total, PHRASE_FLOOR * self._rarest),
            frozenset(c for word in words for c in word),
        )

    @staticmethod
    def _phrase_share(phrasing: _Phrasing, present: Named) -> float:
        """Weighted share of a phrasing's words the message names, a kind of one loosely."""
        if phrasing.concepts.isdisjoint(present):  # most phrasings of a FAQ share no word
            return 0.0
        hit = 0.0
        for weight, word in phrasing.words:
            best = 0.0
            for concept, closeness in word:
                said = present.get(concept)
                if said is not None and said * closeness > best:
                    best = said * closeness
            hit += weight * best
        return hit / phrasing.total

    def decide(self, text: str) -> Decision:
        """Answer, offer the close entries, or admit not knowing."""
        units = self._units(text)
        ranked = self._ranked(units, OFFER_MAX + 1)
        if not ranked or ranked[0].score < OFFER_AT:
            return Decision("unknown", None, (), ranked[0].score if ranked else 0.0)
        best = ranked[0]
        runner = ranked[1].score if len(ranked) > 1 else 0.0
        # a rival about a word the message never names (음식물 when 쓰레기 is asked) is less
        # of a rival to an entry the message does name
        rival = max(
            (c.score * (UNNAMED if c.unnamed and not best.unnamed else 1.0) for c in ranked[1:]),
            default=0.0,
        )
        confident = _clear(best, rival)
        # A lower score still answers when one entry stands alone and the message names
        # nothing weighty that the entry leaves out (indirect, long-winded questions).
        alone = (
            best.score >= ALONE_AT
            and runner <= ALONE_RATIO * best.score
            and best.gap < ALONE_GAP
            and best.coverage >= SLIGHT
        )
        # Two close entries, and only the best is about a word the message never names
        # (음식물 쓰레기 asked as 쓰레기): the other is likelier the one meant; offer both.
        narrower = (
            len(ranked) > 1
            and best.unnamed
            and not ranked[1].unnamed
            and ranked[1].gap <= best.gap  # ... and leaves out nothing the best covers
            and ranked[1].score >= NARROWER_RATIO * best.score
        )
        # Most of what the message says is in words the FAQ never uses: it asks about
        # something beyond the FAQ (충전기 at the car park), however well an entry fits the rest.
        beyond = self._beyond(units) >= BEYOND or _wants_an_amount(text, best.entry)
        if (confident or alone) and not narrower and not beyond:
            return Decision("answer", best.entry, (), best.score)
        # ... and when that other entry is clearly ahead of the rest, it is the answer.
        if (
            narrower
            and not beyond
            and _clear(ranked[1], ranked[2].score if len(ranked) > 2 else 0.0)
        ):
            return Decision("answer", ranked[1].entry, (), ranked[1].score)
        # an entry covering little of what the message says is no choice worth offering
        choices = tuple(
            c.entry for c in ranked[:OFFER_MAX] if c.score >= OFFER_AT and c.coverage >= SLIGHT
        )
        if not choices:
            return Decision("unknown", None, (), best.score)
        return Decision("offer", None, choices, best.score)


def _wants_an_amount(text: str, entry: FaqEntry) -> bool:
    """Whether the message asks how much and the entry's answer names no amount."""
    return bool(_HOW_MUCH.search(text)) and not _AMOUNT.search(entry.answer)


def _shortlist(
    units: list[_Unit], links: list[tuple[dict[int, float], dict[int, float]]]
) -> list[int]:
    """The entries worth scoring in full: those covering most of the message's weight
    (bounded, so a FAQ of thousands of entries stays fast)."""
    covered: dict[int, float] = defaultdict(float)
    for unit, (question, answer) in zip(units, links, strict=True):
        for number in question.keys() | answer.keys():
            credit = max(question.get(number, 0.0), EXTRA_WEIGHT * answer.get(number, 0.0))
            covered[number] += credit * unit.weight
    return sorted(covered, key=covered.__getitem__, reverse=True)[:SHORTLIST]


def _named(exact: Iterable[str], broad: Iterable[str]) -> Named:
    """A word's own concepts closely, its broader ones loosely."""
    return {**dict.fromkeys(broad, BROAD), **dict.fromkeys(exact, 1.0)}


def _closest(texts: Iterable[Named]) -> Named:
    """The concepts of several texts, each as closely as any of them names it."""
    found: Named = {}
    for concepts in texts:
        for concept, closeness in concepts.items():
            if found.get(concept, 0.0) < closeness:
                found[concept] = closeness
    return found


def _clear(candidate: Candidate, runner: float) -> bool:
    """Scores high, leads the next entry, and covers the message's weightiest word."""
    return (
        candidate.score >= ANSWER_AT and candidate.score - runner >= MARGIN and candidate.gap < GAP
    )


def _adjuncts(morphs: tuple[tuple[str, str], ...]) -> set[str]:
    """Nouns followed by an adverbial case particle (에, 에서, 로, 한테)."""
    return {
        form.lower()
        for (form, tag), (_, after) in itertools.pairwise(morphs)
        if tag in NOUN_TAGS and after == "JKB"
    }


def _sentences(text: str) -> list[tuple[int, int]]:
    """Where each sentence of a text begins and ends."""
    found, start = [], 0
    for mark in (*_SENTENCES.finditer(text), None):
        end = mark.start() if mark else len(text)
        if text[start:end].strip():
            found.append((start, end))
        start = mark.end() if mark else end
    return found


def _clauses(analysis: Analysis, start: int, end: int) -> list[tuple[int, int, float]]:
    """The clauses of a sentence (`analysis.text[start:end]`) with the weight of their words.
    The question is asked in the last clause; a clause ending in a verb form that gives a
    reason or background (고장나서, 더우니까, 했지만) weighs less, and what 말고 sets aside
    (강습 말고 자유수영) less still. A 는데 clause often names the topic (냉장고 버리려는데 돈
    내요?) and is kept whole."""
    clauses: list[tuple[int, int, float]] = []
    begins = start
    for (word, inflected), at in zip(analysis.words, analysis.word_starts, strict=True):
        if not start <= at < end:
            continue
        contrast = _CONTRAST.match(word)
        if contrast:
            clauses.append((begins, at + len(contrast.group(1)), CONTRAST))
            begins = at + len(word)
        elif inflected and _BACKGROUND.search(word):
            clauses.append((begins, at + len(word), BACKGROUND))
            begins = at + len(word)
    if analysis.text[begins:end].strip():
        clauses.append((begins, end, 1.0))
    return clauses


def _refers_back(sentence: Analysis) -> bool:
    """A question that opens with 이거, 그거, 이런 … asks about what the sentence before said."""
    opening = sentence.morphs[:2]
    return any(
        (tag == "NP" and form in _POINTING) or (tag == "MM" and form in _POINTING_MM)
        for form, tag in opening
    )


def _asking(text: str, sentences: list[tuple[int, int]]) -> set[int]:
    """The sentences that ask: those with a question mark, else the last one."""
    marked = {n for n, (start, end) in enumerate(sentences) if "?" in text[start:end]}
    return marked or ({len(sentences) - 1} if sentences else set())
