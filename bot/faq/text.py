"""Korean text analysis shared by the FAQ index and the triage.

Residents write without spaces, with typos, particles and dialect endings. Dialect and chat
spellings are rewritten first (lexicon/*.yaml); run-on text gets its spaces back; everything is
then reduced to *terms* (lemmas of content morphemes) and *compounds* (adjacent parts joined,
so that 쓰레기 봉투 and 쓰레기봉투 meet). The analyser (kiwipiepy) loads on first use, once
per process, and results are cached.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.faq.lexicon import default_lexicon

if TYPE_CHECKING:
    from kiwipiepy import Kiwi, Token

MAX_CHARS = 600  # a resident's point is in the first lines; longer text only costs time
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_REPEAT = re.compile(r"(.)\1{3,}")
_URL = re.compile(r"https?://\S+")
_NON_WORD = re.compile(r"[^0-9a-z가-힣]+")
_RUN_ON = re.compile(r"[가-힣]{7,}")
_WORD_SPAN = re.compile(r"\S+")
_JAMO = re.compile(r"[\u1100-\u11ff\u3130-\u318f]+")  # letters alone (NFKC turns ㅋ into ᄏ)

NOUN_TAGS = frozenset({"NNG", "NNP", "XR", "SL", "SH"})
VERB_TAGS = frozenset({"VV", "VA", "VV-R", "VA-R", "VV-I", "VA-I"})
JOIN_TAGS = NOUN_TAGS | VERB_TAGS | {"XPN", "XSN", "VX", "VX-R", "VX-I", "MM"}

_kiwi: Kiwi | None = None
_kiwi_lock = threading.Lock()
# Texts the analyser has read ahead of use (`read_ahead`): cleaned text → (text as read, tokens)
_ready: dict[str, tuple[str, list[Token]]] = {}


def kiwi() -> Kiwi:
    """The process-wide analyser, created on first use (about a second)."""
    global _kiwi
    if _kiwi is None:
        with _kiwi_lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                # two worker threads, one per core: a single text is read on one of them, a
                # batch (`read_ahead`) on both while the caller matches
                analyser = Kiwi(num_workers=2, load_default_dict=False, load_multi_dict=False)
                analyser.tokenize("준비")  # finishes the lazy initialisation now
                _kiwi = analyser
    return _kiwi


@dataclass(frozen=True, slots=True)
class Analysis:
    """One text, analysed: what the matcher and the triage look at."""

    text: str  # cleaned, rewritten to standard spellings, run-on text spaced
    morphs: tuple[tuple[str, str], ...]  # (form, POS tag) as the analyser split them
    terms: tuple[str, ...]  # content lemmas in order (verbs end in 다)
    compounds: tuple[str, ...]  # adjacent content morphemes joined (쓰레기+봉투 → 쓰레기봉투)
    words: tuple[tuple[str, bool], ...]  # the words as spaced, and whether each is a verb form
    morph_starts: tuple[int, ...]  # where each morpheme begins in `text`
    word_starts: tuple[int, ...]  # where each word begins in `text`

    def section(self, start: int, end: int) -> Analysis:
        """The analysis of `text[start:end]` (a sentence, a clause) as read in its context:
        the analyser runs once per message, not once per part."""
        morphs = [i for i, at in enumerate(self.morph_starts) if start <= at < end]
        words = [i for i, at in enumerate(self.word_starts) if start <= at < end]
        forms = [self.morphs[i] for i in morphs]
        if forms and forms[0][1].startswith("VX"):  # a clause begins with a main verb: 버려야
            forms[0] = (forms[0][0], forms[0][1].replace("VX", "VV"))
        return _reduced(
            self.text[start:end],
            tuple(forms),
            tuple(self.words[i] for i in words),
            tuple(self.morph_starts[i] - start for i in morphs),
            tuple(self.word_starts[i] - start for i in words),
        )


def clean(text: object) -> str:
    """Printable, NFKC-normalised, bounded text; never raises."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = unicodedata.normalize("NFKC", text[: MAX_CHARS * 2])
    text = _URL.sub(" ", _CONTROL.sub(" ", text))
    return _REPEAT.sub(r"\1\1\1", text)[:MAX_CHARS].strip()


@functools.lru_cache(maxsize=8192)
def analyse(text: str) -> Analysis:
    """Analyse a text (cached: the same words come back in chats and in the FAQ)."""
    cleaned = default_lexicon().rewrite(clean(text))
    return _reduced(*_analysed(cleaned)) if cleaned else _reduced("", (), (), (), ())


def read_ahead(texts: Sequence[str]) -> Iterator[str]:
    """Each of `texts`, in order, once the analyser has read it, while its worker threads read
    the next ones: the caller's matching of one message overlaps the analysis of the next (the
    contract CLI reads stdin this way). `analyse` finds each result ready; nothing else changes."""
    done = 0
    try:
        cleaned = [default_lexicon().rewrite(clean(text)) for text in texts]
        read = [_spaced(text) if _RUN_ON.search(text) else text for text in cleaned]
        for key, spaced, tokens in zip(cleaned, read, kiwi().tokenize(read), strict=True):
            _ready[key] = (spaced, tokens)
            yield texts[done]
            done += 1
    except Exception:  # the analyser must never take the bot down: `analyse` reads the rest
        yield from texts[done:]
    finally:
        _ready.clear()  # a result `analyse` had cached already is not kept


def _reduced(
    text: str,
    morphs: tuple[tuple[str, str], ...],
    words: tuple[tuple[str, bool], ...],
    morph_starts: tuple[int, ...],
    word_starts: tuple[int, ...],
) -> Analysis:
    """The terms and compounds of analysed morphemes."""
    concepts = default_lexicon().concepts
    terms: list[str] = []
    compounds: list[str] = []
    run: list[tuple[str, str]] = []
    for number, (form, tag) in enumerate((*morphs, ("", ""))):
        if tag in JOIN_TAGS:
            run.append((form.lower(), tag))
        elif not (tag == "EC" and run and _continues(morphs, number)):
            compounds.extend(_joined(run))
            run = []
        if tag in NOUN_TAGS and _JAMO.fullmatch(form):
            continue  # ㅠㅠ, ㅋㅋ: feelings, not words (the triage reads them as cues)
        if tag in NOUN_TAGS:
            terms.append(form.lower())
        elif tag in VERB_TAGS:
            terms.append(form + "다")
        elif tag == "NNB" and number and morphs[number - 1] == ("몇", "MM"):
            terms.append("몇" + form)  # 몇 시, 몇 월: the resident asks when
        elif tag == "MAG" and form in concepts:
            terms.append(form)  # an adverb can name the topic (깜빡깜빡: forgetting)
    return Analysis(
        text=text,
        morphs=morphs,
        terms=tuple(terms),
        compounds=tuple(compounds),
        words=words,
        morph_starts=morph_starts,
        word_starts=word_starts,
    )


def _analysed(
    text: str,
) -> tuple[
    str,
    tuple[tuple[str, str], ...],
    tuple[tuple[str, bool], ...],
    tuple[int, ...],
    tuple[int, ...],
]:
    """The text as analysed (spaces put back in run-on text), its morphemes and words (is a
    word a verb or adjective form?), and where each begins."""
    try:
        if text in _ready:
            text, tokens = _ready.pop(text)
        else:
            if _RUN_ON.search(text):  # 명절당일에도쓰레기수거하나요: put the spaces back first
                text = _spaced(text)
            tokens = kiwi().tokenize(text)
    except Exception:  # the analyser must never take the bot down; fall back to words
        spans = [(m.start(), m.group().lower()) for m in _WORD_SPAN.finditer(text)]
        parts = [(at, word) for at, span in spans for word in _NON_WORD.split(span) if word]
        return (
            text,
            tuple((word, "NNG") for _, word in parts),
            tuple((word, False) for _, word in parts),
            tuple(at for at, _ in parts),
            tuple(at for at, _ in parts),
        )
    spans = [(m.start(), m.end(), m.group()) for m in _WORD_SPAN.finditer(text)]
    inflected = [False] * len(spans)
    number = 0
    morphs = tuple(
        (token.form, _tag(token, before, text))
        for before, token in zip((None, *tokens), tokens, strict=False)
    )
    for token, (_, tag) in zip(tokens, morphs, strict=True):
        while number + 1 < len(spans) and token.start >= spans[number][1]:
            number += 1
        if spans and tag.startswith(("VV", "VA", "VX")):
            inflected[number] = True
    return (
        text,
        morphs,
        tuple((word, flag) for (_, _, word), flag in zip(spans, inflected, strict=True)),
        tuple(token.start for token in tokens),
        tuple(start for start, _, _ in spans),
    )


def _spaced(text: str) -> str:
    """Run-on text with its spaces back. Spacing shows dialect endings inside the run
    (개등록안하믄과태료 → … 안하믄 …); once they read as standard (안하면), the text is
    spaced again, as the analyser spaces standard Korean better."""
    spaced = kiwi().space(text)
    standard = default_lexicon().rewrite(spaced)
    return spaced if standard == spaced else kiwi().space(standard)


def _tag(token: Token, before: Token | None, text: str) -> str:
    """The analyser's tag, except for the spoken particle 서 (for 에서) that it often takes for
    a noun or a verb when it ends a place name (군청서, 면서, 마을회관서)."""
    if (
        token.form == "서"
        and token.tag in ("NNG", "VV")
        and before is not None
        and before.tag in NOUN_TAGS
        and before.end == token.start
        and not text[token.end : token.end + 1].isalnum()
    ):
        return "JKB"
    return token.tag


def _continues(morphs: tuple[tuple[str, str], ...], number: int) -> bool:
    """A connective ending inside a verb chain (내 어 놓 → 내놓다) does not break the run."""
    following = morphs[number + 1][1] if number + 1 < len(morphs) else ""
    return following in VERB_TAGS or following.startswith("VX")


def _joined(run: list[tuple[str, str]]) -> list[str]:
    """Every contiguous join of two or three parts of a run (verbs keep their 다)."""
    return [
        _join_key(run[start:end])
        for start in range(len(run))
        for end in range(start + 2, min(start + 3, len(run)) + 1)
    ]


def _join_key(parts: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> str:
    """One spelling for morphemes written together: forms joined, 다 after a verb."""
    last = parts[-1][1]
    return "".join(form for form, _ in parts) + (
        "다" if last in VERB_TAGS or last.startswith("VX") else ""
    )
