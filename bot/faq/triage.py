"""Message triage: question, inconvenience, suggestion or chatter, with a confidence.

General Korean cues (cues.yaml) count whether a message names county things and places,
reports a problem, proposes something or asks, and how well the FAQ knows its topic; the
intent model (intents.py) weighs them. `sotong faq ask` shows both, so a misfiled message
can be traced to its cues.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.faq.concepts import default_concepts
from bot.faq.intents import Intent, default_model, features
from bot.faq.text import Analysis

Morphs = tuple[tuple[str, str], ...]
CUES_FILE = Path(__file__).with_name("cues.yaml")
_SPACE = re.compile(r"\s+")
_VERB_TAGS = ("VV", "VA", "VX", "XSV")
_PAST = ("었", "았", "였", "ᆻ")
_EMOTICONS = re.compile(r"(?:[\u1100-\u11ff\u3130-\u318f^;:~.!?]|\s)+$")
_DONE = frozenset({("ᆫ", "ETM"), ("은", "ETM")})
_SOMEONE = frozenset({("분", "NNB"), ("분", "NNG"), ("사람", "NNG")})
_SUPPOSING = frozenset({"면", "으면"})
_WHETHER = frozenset({("는지", "EC"), ("ᆫ지", "EC"), ("은지", "EC")})
# -ㅂ니까 asks (됩니까, 합니까); -니까 after an open syllable gives a reason (혼자 사니까)
_FORMAL_ASKING = re.compile(
    "[" + "".join(chr(0xAC00 + n) for n in range(11172) if n % 28 == 17) + "]니까[.!]*$"
)


@dataclass(frozen=True)
class Cue:
    """One kind of cue: lemmas, and patterns over the spacing-free text."""

    terms: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]

    @classmethod
    def from_data(cls, section: dict[str, Any], terms: str = "terms", patterns: str = "patterns"):
        # messages are NFKC-normalised (ㅋ becomes a leading consonant), so the cues are too
        return cls(
            terms=frozenset(_nfkc(str(term)) for term in section.get(terms) or ()),
            patterns=tuple(re.compile(_nfkc(p)) for p in section.get(patterns) or ()),
        )

    def count(self, words: frozenset[str], squeezed: str) -> int:
        found = len(words & self.terms)
        if self.patterns and self._any.search(squeezed):  # most messages match none: one pass
            found += sum(1 for p in self.patterns if p.search(squeezed))
        return found

    @functools.cached_property
    def _any(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p.pattern})" for p in self.patterns))


@dataclass(frozen=True)
class Cues:
    """All cue kinds of cues.yaml."""

    civic: Cue
    place: re.Pattern[str]
    place_words: frozenset[str]
    address: re.Pattern[str]
    problem: Cue
    lasting: Cue
    when_fixed: Cue
    fix_verbs: frozenset[str]
    bad_states: frozenset[str]
    suggestion: Cue
    new_verbs: frozenset[str]
    question: Cue
    asking_word: re.Pattern[str]
    rhetorical: dict[str, re.Pattern[str]]
    favour: Cue
    saying: Cue
    endings: frozenset[str]
    telling: frozenset[str]
    telling_words: tuple[str, ...]
    yes_no: frozenset[str]
    how: Cue
    providers: frozenset[str]
    chatter: Cue
    room: Cue
    thanked: Cue
    relayed: Cue
    listener: Cue
    self_asking: frozenset[str]
    self_words: frozenset[str]
    harm: Cue
    people: frozenset[str]
    despair: Cue
    laughter: Cue
    echo: Cue
    also: frozenset[str]
    progress: Cue
    support: Cue
    support_but: Cue


@dataclass(frozen=True)
class Triage:
    """The intent of a message, how sure the triage is, and the cue counts behind it."""

    intent: Intent
    confidence: float
    signals: dict[str, float]


@functools.cache
def default_cues() -> Cues:
    """The packaged cues, read once per process."""
    data = yaml.safe_load(CUES_FILE.read_text(encoding="utf-8"))
    civic, problem, suggestion = data["civic"], data["problem"], data["suggestion"]
    question, chatter, danger = data["question"], data["chatter"], data["danger"]
    suffixes = "|".join(map(re.escape, civic["place_suffixes"]))
    return Cues(
        civic=Cue.from_data(civic),
        place=re.compile(f"^[가-힣]{{2,}}({suffixes})$"),
        place_words=frozenset(civic["place_words"]),
        address=re.compile(civic["address"]),
        problem=Cue.from_data(problem),
        lasting=Cue.from_data(problem, terms="", patterns="lasting"),
        when_fixed=Cue.from_data(problem, terms="", patterns="when_fixed"),
        fix_verbs=frozenset(problem["fix_verbs"]),
        bad_states=frozenset(problem["bad_states"]),
        suggestion=Cue.from_data(suggestion),
        new_verbs=frozenset(suggestion["new_verbs"]),
        question=Cue.from_data(question),
        asking_word=re.compile(question["asking_word"]),
        rhetorical={word: re.compile(p) for word, p in question["rhetorical"].items()},
        favour=Cue.from_data(question, terms="", patterns="favour"),
        saying=Cue.from_data(question, terms="", patterns="saying"),
        endings=frozenset(question["endings"]),
        telling=frozenset(question["telling"]),
        telling_words=tuple(ending for ending in question["telling"] if len(ending) > 1),
        yes_no=frozenset(question["yes_no"]),
        how=Cue.from_data(question, terms="", patterns="how"),
        providers=frozenset(question["providers"]),
        chatter=Cue.from_data(chatter),
        room=Cue.from_data(chatter, terms="", patterns="room"),
        thanked=Cue.from_data(chatter, terms="", patterns="thanked"),
        relayed=Cue.from_data(chatter, terms="", patterns="relayed"),
        listener=Cue.from_data(chatter, terms="", patterns="listener"),
        self_asking=frozenset(chatter["self_asking"]),
        self_words=frozenset(chatter["self"]),
        harm=Cue.from_data(danger, terms="harm", patterns=""),
        people=frozenset(danger["people"]),
        despair=Cue.from_data(danger, terms="despair_terms", patterns="despair"),
        laughter=Cue.from_data(danger, terms="", patterns="laughter"),
        echo=Cue.from_data(data["echo"], terms=""),
        also=frozenset(data["echo"]["also"]),
        progress=Cue.from_data(data["progress"], terms=""),
        support=Cue.from_data(data["support"], terms=""),
        support_but=Cue.from_data(data["support"], terms="", patterns="but"),
    )


def triage(analysis: Analysis, faq_score: float, cues: Cues | None = None) -> Triage:
    """Classify one analysed message; `faq_score` is how well the FAQ matches it (0–1)."""
    found = signals(analysis, faq_score, cues)
    if analysis.terms:
        intent, confidence = default_model().decide(features(analysis, found))
    else:  # emoji, laughter, a greeting: nothing to act on
        intent, confidence = "chatter", 0.9
    if found["danger"] and intent == "chatter":  # someone may be hurt: act, never ignore
        intent, confidence = ("question" if found["asked"] else "inconvenience"), 0.9
    return Triage(intent, confidence, found)


def dangerous(analysis: Analysis, cues: Cues | None = None) -> bool:
    """Whether a message speaks of someone in danger: harm done to a person, or wanting to
    die, not laughed off."""
    cues = cues or default_cues()
    terms, squeezed = _danger_words(analysis)
    if cues.laughter.count(frozenset(), squeezed):
        return False
    harmed = cues.harm.count(terms, squeezed) and terms & cues.people
    return bool(harmed or cues.despair.count(terms, squeezed))


def echoes(analysis: Analysis, signals: dict[str, float], cues: Cues | None = None) -> bool:
    """Whether a message says the writer has the same trouble or saw it too (저도 봤어요,
    우리 마을도 그래요, 덕림리도 똑같소, 골대 그물도 찢어져 있어요), asking nothing."""
    cues = cues or default_cues()
    if _replies(signals) or (signals["chatter"] and not signals["problem"]):  # 저도 감사해요
        return False
    taking_do = [
        form
        for (form, tag), after in itertools.pairwise(analysis.morphs)
        if after == ("도", "JX") and tag in ("NP", "NNG", "NNP")
    ]
    # 서촌에도, 산책로에서도, 저녁에도: in that place, or at that time, too
    morphs = analysis.morphs
    where_too = any(
        morphs[n][1] in ("NP", "NNG", "NNP")
        and morphs[n + 1] in (("에", "JKB"), ("에서", "JKB"))
        and morphs[n + 2] == ("도", "JX")
        for n in range(len(morphs) - 2)
    )
    who_or_where = where_too or any(
        form in cues.also or cues.place.match(form) or form in cues.place_words
        for form in taking_do
    )
    same = cues.echo.count(frozenset(), _SPACE.sub("", analysis.text)) > 0
    return who_or_where or same or bool(taking_do and signals["problem"])


def adds_to(analysis: Analysis, signals: dict[str, float]) -> bool:
    """Whether a message tells more of a problem (what else is broken, how long it has been:
    하수구 뚜껑도 열려 있어요, 벌써 일주일째예요), asking nothing and thanking no one."""
    if _replies(signals):
        return False
    return bool(analysis.terms) and bool(signals["problem"] or signals["lasting"])


def presses(analysis: Analysis, cues: Cues | None = None) -> bool:
    """Whether a message asks how a reported problem stands (언제 고쳐 주시는지 답 좀 주세요,
    어떻게 됐나요, 아직 소식이 없네요): from its reporter, a question for their ticket."""
    cues = cues or default_cues()
    squeezed = _SPACE.sub("", analysis.text)
    return any(cue.count(frozenset(), squeezed) for cue in (cues.progress, cues.when_fixed))


def supports(analysis: Analysis, signals: dict[str, float], cues: Cues | None = None) -> bool:
    """Whether a message backs what was just proposed (찬성이요, 좋은 생각이네요, 나도 그거
    원해요), without a reservation or a question of its own (but 그게 근본 대책이죠 찬성해요
    asks nothing)."""
    cues = cues or default_cues()
    squeezed = _SPACE.sub("", analysis.text)
    if signals["asking"] or signals["danger"] or cues.support_but.count(frozenset(), squeezed):
        return False
    return cues.support.count(frozenset(), squeezed) > 0


def asks_the_listener(analysis: Analysis, cues: Cues | None = None) -> bool:
    """Whether a message asks its reader what they did (받으셨어요?, 다들 보셨나요?)."""
    cues = cues or default_cues()
    return cues.listener.count(frozenset(), _SPACE.sub("", analysis.text)) > 0


def _replies(signals: dict[str, float]) -> bool:
    """Asking, thanking or laughing: a turn of its own, not more of a report."""
    return bool(signals["asked"] or signals["thanked"] or signals["laughter"])


def asks_only(analysis: Analysis, cues: Cues | None = None) -> bool:
    """Whether a message names nothing but what it asks (얼마예요?, 언제까지요?): it asks
    about something said before, which no FAQ entry can know."""
    cues = cues or default_cues()
    return bool(analysis.terms) and set(analysis.terms) <= cues.question.terms


def about_harm(analysis: Analysis, cues: Cues | None = None) -> bool:
    """Whether a text (an FAQ entry) is about violence, abuse or self-harm at all."""
    cues = cues or default_cues()
    terms, squeezed = _danger_words(analysis)
    return bool(cues.harm.count(terms, squeezed) or cues.despair.count(terms, squeezed))


def _danger_words(analysis: Analysis) -> tuple[frozenset[str], str]:
    pronouns = (form for form, tag in analysis.morphs if tag == "NP")  # 저, 나: the writer
    return frozenset((*analysis.terms, *pronouns)), _SPACE.sub("", analysis.text)


def signals(analysis: Analysis, faq_score: float, cues: Cues | None = None) -> dict[str, float]:
    """The cue counts of a message: what it names, tells, asks and proposes (the features
    the intent model weighs)."""
    cues = cues or default_cues()
    morphs = analysis.morphs
    squeezed = _SPACE.sub("", analysis.text)
    words = frozenset(
        (
            *analysis.terms,
            *analysis.compounds,
            *(form + "다" for form, tag in morphs if tag.startswith("VX")),
            # adverbs, pronouns, determiners, interjections and numerals (몇 월에: 몇 is NR)
            *(form for form, tag in morphs if tag in ("MAG", "NP", "MM", "IC", "NR")),
        )
    )
    endings = [form for form, tag in morphs if tag == "EF"]
    final = endings[-1] if endings else ""
    requested = _requested(morphs, cues.providers)
    # 어디, 언제, 얼마: asking, even without a "?" (but not 몇 달째)
    rhetorical = {word for word, use in cues.rhetorical.items() if use.search(squeezed)}
    asking = len(words & cues.question.terms - rhetorical)
    marked = squeezed.rstrip(".!~").endswith("?")
    # 엄청 크죠 (an adjective and 죠, no "?") seeks agreement; 신청하면 되죠? asks
    agreeing = final == "죠" and not marked and _before_ending(morphs).startswith("VA")
    formal = _FORMAL_ASKING.search(squeezed) is not None
    # … or a sentence before the last one ends asking (토욜에도 여나요 등본 떼야 되는데 …)
    earlier = any(form in cues.endings for form in endings[:-1]) or any(
        cues.asking_word.search(word) for word, _ in analysis.words[:-1]
    )
    asked = bool(asking) or marked or (final in cues.endings and not agreeing) or formal or earlier
    # …멀어서요 ^^, …헤엄쳐요 ㅠ: the ending is read before any emoticon after it
    ending = _EMOTICONS.sub("", squeezed).rstrip("?.!~ ")
    polite = formal or ending.endswith(("요", "니다", "세요"))
    wondering = final in cues.self_asking and not polite
    laughter = cues.laughter.count(frozenset(), squeezed) > 0
    return {
        "topic": float(cues.civic.count(words | _heads(words, cues.civic.terms), squeezed)),
        "place": float(min(2, _places(morphs, cues))),
        # a favour asked (나 좀 태워 줘: a ride, not a fire) or a likeness (미끄러지듯 가네요:
        # as smoothly as sliding) is not a problem told
        "problem": float(
            cues.problem.count(words - (requested - cues.fix_verbs) - _likened(morphs), squeezed)
            + _negated(morphs, cues)
        ),
        # 가져가 주나? asks whether the county does it; 언제 고쳐 주나요? still presses for it
        "fix": float(
            (0 if final in cues.yes_no else len(requested & cues.fix_verbs))
            + cues.when_fixed.count(frozenset(), squeezed)
        ),
        "lasting": float(cues.lasting.count(words, squeezed) > 0),
        "suggestion": float(
            cues.suggestion.count(words, squeezed)
            + (0 if asked else len(requested & cues.new_verbs))
        ),
        "asked": float(
            asked or (cues.question.count(frozenset(), squeezed) > 0 and not _occurs(morphs))
        ),
        "asking": float(asking),
        "how": float(
            cues.how.count(frozenset(), squeezed) + _conditional(morphs) + _exists(morphs, cues)
        ),
        "polite": float(polite),
        # 친절하시더라고요 (the analyser may not mark 더라고요 as one ending)
        "telling": float(final in cues.telling or ending.endswith(cues.telling_words)),
        "favour": float(cues.favour.count(frozenset(), squeezed)),
        "requested": float(bool(requested)),
        "proposed": float(bool(words & cues.suggestion.terms)),  # 도입, 건의: the county's words
        "saying": float(cues.saying.count(frozenset(), squeezed)),
        "past": float(_past(morphs)),
        "chatter": float(cues.chatter.count(words, squeezed)),
        "room": float(cues.room.count(frozenset(), squeezed) + _anyone_who(morphs)),
        "thanked": float(cues.thanked.count(frozenset(), squeezed) > 0),
        "relayed": float(cues.relayed.count(frozenset(), squeezed)),
        # laughing about oneself (ㅋㅋ 나 또 …): one's own mishap, told to friends
        "laughing": float(laughter and bool(words & cues.self_words)),
        "laughter": float(laughter),
        "wondering": float(wondering),
        "faq": faq_score,
        "known": float(_known(analysis)),
        "danger": float(dangerous(analysis, cues)),
    }


def _anyone_who(morphs: Morphs) -> bool:
    """타 본 분 계세요?, 맞고 온 사람 있어요?: asking the room whether anyone has done
    something (a past relative clause, then someone, then whether they exist), which asks
    neighbours, not the county (받을 수 있는 분이 누구 is present, and asks who qualifies)."""
    for number, (form, tag) in enumerate(morphs[:-2]):
        if (form, tag) not in _DONE or morphs[number + 1] not in _SOMEONE:
            continue
        rest = morphs[number + 2 :]
        for (after, tag), (_, following) in zip(rest, (*rest[1:], ("", "")), strict=True):
            if after.startswith(("있", "계")) and tag in ("VA", "VV", "NNG"):
                return True
            # another verb first (받은 분도 신청해야 하나요), or something else that exists
            # (귀농한 사람 지원 있어요?: support for them); a place on the way is fine (이 방에)
            if tag.startswith(_VERB_TAGS) or tag in ("EF", "SF"):
                break
            if tag.startswith("NN") and following != "JKB":
                break
    return False


def _past(morphs: Morphs) -> bool:
    """Whether the last clause tells of the past (갔다 왔어요); a past clause before it
    (싸움 났는데 … 있어요) is background to what is said now."""
    for form, tag in reversed(morphs):
        if tag in ("EC", "ETM"):
            return False
        if tag == "EP" and form in _PAST:
            return True
    return False


def _occurs(morphs: Morphs) -> bool:
    """오류 나요, 냄새가 나요: 나다 told in the present, which only looks like the asking -나요."""
    last = _last_two(morphs)
    return last[:1] == (("나", "VV"),) and last[1:] in ((("어요", "EF"),), (("아요", "EF"),))


def _before_ending(morphs: Morphs) -> str:
    """The tag of the word the last sentence ending is attached to."""
    last = _last_two(morphs)
    return last[0][1] if len(last) == 2 and last[1][1] == "EF" else ""


def _last_two(morphs: Morphs) -> Morphs:
    """The last two morphemes but for punctuation and symbols."""
    return tuple((form, tag) for form, tag in morphs if not tag.startswith("S"))[-2:]


def _known(analysis: Analysis) -> int:
    """Words the civic lexicon knows (not light or stop words): county business named in
    the residents' own words, beyond the cue list."""
    table, quiet = _lexicon_words()
    return len({term for term in (*analysis.terms, *analysis.compounds) if term in table} - quiet)


@functools.cache
def _lexicon_words() -> tuple[frozenset[str], frozenset[str]]:
    concepts = default_concepts()
    return frozenset(concepts.table), concepts.light | concepts.stopwords


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _heads(words: frozenset[str], terms: frozenset[str]) -> frozenset[str]:
    """The civic head of a compound (강변공원, 체육공원 → 공원): Korean compounds end in
    the thing they are."""
    return frozenset(
        term
        for word in words
        for start in range(1, len(word) - 1)
        if (term := word[start:]) in terms
    )


def _places(morphs: Morphs, cues: Cues) -> int:
    """Named places: 군동면, 마량항, 새터 마을, 병영면도룡리."""
    return sum(
        1
        for (form, tag), (following, _) in itertools.pairwise((*morphs, ("", "")))
        if tag in ("NNP", "NNG")
        and (cues.place.match(form) or following in cues.place_words or cues.address.search(form))
    )


def _requested(morphs: Morphs, providers: frozenset[str]) -> frozenset[str]:
    """Verbs the writer asks someone to do: 만들어 주세요 → 만들다, 설치해 주면 → 설치하다;
    not what a service they ask about does (집에 와 주는 서비스 있나요)."""
    found = set()
    for number, (form, tag) in enumerate(morphs):
        if form != "주" or not tag.startswith(("VX", "VV")) or number < 2:
            continue
        if morphs[number - 1][1] != "EC":
            continue
        following = morphs[number + 1 : number + 3]
        if len(following) == 2 and following[0][1] == "ETM" and following[1][0] in providers:
            continue
        if following and following[0] in _WHETHER:
            continue  # 베어 주는지 알고 싶어요: whether the county does it, asked
        done = following[1:] if following[:1] == (("시", "EP"),) else following
        if done and done[0] in _DONE:
            continue  # 청소해 주신 분들: what someone did, thanked, not asked for
        verb, verb_tag = morphs[number - 2]
        back = number - 3  # 정리 좀 해 주세요: the noun before an adverb and 하다
        while verb == "하" and back > 0 and morphs[back][1] == "MAG":
            back -= 1
        if verb == "하" and back >= 0 and morphs[back][1] in ("NNG", "XR"):
            found.add(morphs[back][0] + "하다")
        elif verb_tag.startswith(_VERB_TAGS):
            found.add(verb + "다")
    return frozenset(found)


def _exists(morphs: Morphs, cues: Cues) -> int:
    """털어놓을 데 있나요, 봐줄 사람 없어?: asking whether someone or something would help
    (but 관리하는 사람이 있긴 한 건가요 reproaches)."""
    for number, (_, tag) in enumerate(morphs[:-2]):
        if tag != "ETM" or morphs[number + 1][0] not in cues.providers:
            continue
        at = number + 2
        if morphs[at][1].startswith("J"):
            at += 1
        verb = morphs[at] if at < len(morphs) else ("", "")
        reproach = morphs[at + 1 : at + 2] == (("기", "ETN"),)
        if verb[0] in ("있", "없") and verb[1] in ("VA", "VV") and not reproach:
            return 1
    return 0


def _conditional(morphs: Morphs) -> int:
    """버리면 안 가져가요?: a hypothetical, so asking about the rule, not reporting."""
    return int(any(tag == "EC" and form in ("면", "으면") for form, tag in morphs))


def _likened(morphs: Morphs) -> frozenset[str]:
    """Verbs a likeness is drawn with (미끄러지듯, 날아갈 듯이): nothing of the kind happened."""
    return frozenset(
        form + "다"
        for (form, tag), (following, _) in itertools.pairwise(morphs)
        if tag.startswith(("VV", "VA")) and following in ("듯", "듯이")
    )


def _negated(morphs: Morphs, cues: Cues) -> int:
    """안 와요, 못 나가요: something that should happen does not (but 안 아파요 is good news,
    안 하면 only supposes it, 해 주면 안 되나 asks for something, and 전화로 예약 안 돼?
    asks whether it can be done)."""
    padded = (("", ""), *morphs, ("", ""), ("", ""))
    return sum(
        1
        for before, (form, tag), (verb, after), (ending, _), (mark, _) in zip(
            padded, padded[1:], padded[2:], padded[3:], padded[4:], strict=False
        )
        if tag == "MAG"
        and form in ("안", "못")
        and after.startswith(_VERB_TAGS)
        and verb + "다" not in cues.bad_states
        and ending not in _SUPPOSING
        and before[0] not in _SUPPOSING
        and not (verb == "되" and mark in ("?", "？"))
    )
