"""Measure the understanding on labelled messages through the contract CLI (DESIGN §3).

`make eval` runs `python -m bot triage --faq … --jsonl` on the development cases and chatter and
prints the figures issue 3 sets targets for. `--half a|b` keeps a deterministic half of the
messages, so one half can be used for tuning and the other checked as held out. By default it
then measures the FAQs and messages written for tests/faq/data (how blind each still is:
tests/faq/data/README.md).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from train_intents import TRAINING

if TYPE_CHECKING:
    from bot.faq import FaqIndex, Understanding

INTENTS = ("question", "inconvenience", "suggestion", "chatter")
ROOT = Path(__file__).resolve().parent.parent
OWN = ROOT / "tests" / "faq" / "data"
# Messages and FAQs written for the tests: a check of generalisation (how blind each still
# is, and what was tuned on it: tests/faq/data/README.md).
HELD_OUT = [
    ("county FAQ, other messages", None, ["cases-county-extra", "cases-triage-extra"]),
    # small talk about county things, and civic messages written like small talk
    ("county FAQ, triage stress set", None, ["cases-triage-stress"]),
    ("county FAQ, second triage stress set", None, ["cases-triage-stress2"]),
    ("county FAQ, third triage stress set", None, ["cases-triage-stress3"]),
    ("health FAQ (보건소)", "faq-health", ["cases-health"]),
    ("farm FAQ (농업기술센터)", "faq-farm", ["cases-farm"]),
    ("culture FAQ (문화관광과)", "faq-culture", ["cases-culture"]),
    ("welfare, tax and environment FAQ", "faq-welfare", ["cases-welfare"]),
    ("economy and jobs FAQ", "faq-economy", ["cases-economy"]),
    ("roads, building and transport FAQ", "faq-urban", ["cases-urban"]),
    ("family and education FAQ", "faq-family", ["cases-family"]),
    ("water, forest, animals, safety FAQ", "faq-safety", ["cases-safety"]),
    ("fisheries and ports FAQ", "faq-sea", ["cases-sea"]),
    ("housing, energy, community FAQ", "faq-housing", ["cases-housing"]),
    ("livestock and animal disease FAQ", "faq-livestock", ["cases-livestock"]),
    ("environment and hygiene FAQ", "faq-env", ["cases-env"]),
    ("civil records, veterans, funerals FAQ", "faq-civil", ["cases-civil"]),
    ("population and youth FAQ", "faq-youth", ["cases-youth"]),
    ("agricultural policy FAQ", "faq-agri", ["cases-agri"]),
    ("local tax FAQ", "faq-tax", ["cases-tax"]),
    ("land information FAQ", "faq-land", ["cases-land"]),
    ("transport and parking FAQ", "faq-transport", ["cases-transport"]),
    ("water and sewage FAQ", "faq-water", ["cases-water"]),
    ("forests and parks FAQ", "faq-forest", ["cases-forest"]),
    ("sports and leisure facilities FAQ", "faq-leisure", ["cases-leisure"]),
    ("childcare FAQ", "faq-childcare", ["cases-childcare"]),
    ("social welfare and emergency aid FAQ", "faq-welfare2", ["cases-welfare2"]),
    ("rural development and villages FAQ", "faq-village", ["cases-village"]),
    ("senior and disability welfare FAQ", "faq-senior", ["cases-senior"]),
    ("building and permits FAQ", "faq-permit", ["cases-permit"]),
    ("culture, arts and heritage FAQ", "faq-heritage", ["cases-heritage"]),
    ("jobs and employment FAQ", "faq-jobs", ["cases-jobs"]),
    # the same FAQs, asked in residents' own words (few words shared with the FAQ): a stress test
    ("economy FAQ, paraphrased", "faq-economy", ["cases-economy-paraphrased"]),
    ("roads FAQ, paraphrased", "faq-urban", ["cases-urban-paraphrased"]),
    ("family FAQ, paraphrased", "faq-family", ["cases-family-paraphrased"]),
    # departments written blind in residents' own words (one or two words shared with an entry)
    ("tourism and festivals FAQ", "faq-tourism", ["cases-tourism"]),
    ("libraries and lifelong learning FAQ", "faq-library", ["cases-library"]),
    ("companion animals FAQ", "faq-animals", ["cases-animals"]),
    ("roads, rivers and construction FAQ", "faq-roads", ["cases-roads"]),
    # departments asked twice, by different residents in different words (for TAUGHT below)
    ("disaster safety FAQ, first residents", "faq-disaster", ["cases-disaster-first"]),
    ("disaster safety FAQ, second residents", "faq-disaster", ["cases-disaster-second"]),
    ("education support FAQ, first residents", "faq-education", ["cases-education-first"]),
    ("education support FAQ, second residents", "faq-education", ["cases-education-second"]),
    # the last departments and stress set, written blind when the intent model came (unread)
    ("civil defence and military service FAQ", "faq-defence", ["cases-defence"]),
    ("farm infrastructure and irrigation FAQ", "faq-farmbase", ["cases-farmbase"]),
    ("county FAQ, fourth triage stress set", None, ["cases-triage-stress4"]),
    # harder small talk (asking the room, relayed texts, jokes), written blind; its errors
    # were read in the twelfth session, as were those of the sixth, measured blind first
    ("county FAQ, fifth triage stress set", None, ["cases-triage-stress5"]),
    ("county FAQ, sixth triage stress set", None, ["cases-triage-stress6"]),
    # two more departments written blind in the fourteenth session; the second was then read
    ("dementia, mental health and health promotion FAQ", "faq-mind", ["cases-mind"]),
    ("digital services, kiosks and broadcasts FAQ", "faq-digital", ["cases-digital"]),
]
# Held-out sets whose errors were read, though the intent model does not learn from them:
# reported, marked (read), but not pooled with the unread ones.
READ_ONLY = {"cases-triage-stress5", "cases-triage-stress6", "cases-digital"}
# Small talk the intent model handles worst, on the sample county FAQ, for the triage only (no
# FAQ labels, so not pooled above): guards, read or written after the model (tests/faq/data).
GUARDS = [
    ("hard small talk (errors read)", ["cases-triage-hard"]),
    ("neighbours replying, trading, warning", ["cases-triage-neighbours"]),
    ("thanks, errands, experiences, opinions", ["cases-triage-everyday"]),
    ("wishes to neighbours beside proposals in the same forms", ["cases-triage-wishes"]),
]
# Whole conversations in rooms, labelled per message, for what the order tells
# (bot/handlers/turns.py), on the county FAQ: the intent model learns from the first (read
# while building the turns); the fifth was measured blind, then read for neighbours'
# answers; the others were written and measured blind (unread). The seventh replies in Slack
# threads, and was read after its blind measure; the eighth too, unread; the ninth marks who
# backs a neighbour's proposal, and was read after its blind measure.
CONVERSATIONS = [
    ("conversations, first (trained on)", "cases-triage-conversations"),
    ("conversations, second", "cases-triage-conversations2"),
    ("conversations, third", "cases-triage-conversations3"),
    ("conversations, fourth", "cases-triage-conversations4"),
    ("conversations, fifth (read)", "cases-triage-conversations5"),
    ("conversations, sixth", "cases-triage-conversations6"),
    ("conversations, seventh (Slack threads, read)", "cases-triage-conversations7"),
    ("conversations, eighth (Slack threads)", "cases-triage-conversations8"),
    ("conversations, ninth (proposals and who backs them, read)", "cases-triage-conversations9"),
]
# The sets the intent model learns from (scripts/train_intents.py): their intent figures are
# training figures, marked * in the summary.
TRAINED = {name for _, names in TRAINING for name in names}
# Officers answering passed-on questions with `/faq` teach the FAQ those residents' words: a
# set measured again after the questions the bot did not answer in another set on the same FAQ
# were taught (other residents, other words).
TAUGHT = [
    ("economy, paraphrased, taught", "faq-economy", "cases-economy", "cases-economy-paraphrased"),
    ("economy, taught paraphrased", "faq-economy", "cases-economy-paraphrased", "cases-economy"),
    ("roads, paraphrased, taught", "faq-urban", "cases-urban", "cases-urban-paraphrased"),
    ("roads, taught paraphrased", "faq-urban", "cases-urban-paraphrased", "cases-urban"),
    ("family, paraphrased, taught", "faq-family", "cases-family", "cases-family-paraphrased"),
    ("family, taught paraphrased", "faq-family", "cases-family-paraphrased", "cases-family"),
    (
        "disaster, second, taught first",
        "faq-disaster",
        "cases-disaster-first",
        "cases-disaster-second",
    ),
    (
        "disaster, first, taught second",
        "faq-disaster",
        "cases-disaster-second",
        "cases-disaster-first",
    ),
    (
        "education, second, taught first",
        "faq-education",
        "cases-education-first",
        "cases-education-second",
    ),
    (
        "education, first, taught second",
        "faq-education",
        "cases-education-second",
        "cases-education-first",
    ),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--faq", type=Path, help="FAQ file (default: DATA/faq-county.yaml)")
    parser.add_argument(
        "--cases",
        type=Path,
        nargs="+",
        help="labelled JSONL files (default: DATA/cases-dev.jsonl DATA/chatter-dev.jsonl)",
    )
    parser.add_argument("--half", choices=("a", "b"), help="keep one deterministic half")
    parser.add_argument("--errors", action="store_true", help="list every miss")
    parser.add_argument(
        "--dev-only",
        action="store_true",
        help="skip the held-out FAQs and messages of tests/faq/data (measured by default)",
    )
    args = parser.parse_args()
    faq = args.faq or args.data / "faq-county.yaml"
    files = args.cases or [args.data / "cases-dev.jsonl", args.data / "chatter-dev.jsonl"]
    cases = _cases(files)
    if args.half:
        cases = [case for case in cases if _half(case["text"]) == args.half]
    results = _triage(faq, [case["text"] for case in cases])
    summary = [("development data", report(cases, results, show_errors=args.errors))]
    answered = {"development data": _answered(cases, results), "held out": []}
    messages = {"development data": len(cases), "held out": 0}
    if not (args.dev_only or args.faq or args.cases or args.half):
        passed_on: dict[str, list[dict]] = {}  # set → its answerable questions not answered
        held: dict[str, list[dict]] = {}  # set → those answered below REVIEWED (review_answers)
        # (FAQ, cases, results) of the sets nothing was read or learned from
        unread: list[tuple[Path, list[dict], list[dict]]] = []
        for title, own_faq, own_files in HELD_OUT:
            print(f"\n== held out: {title}")
            paths = [OWN / f"{name}.jsonl" for name in own_files]
            own = _cases(paths)
            own_path = OWN / f"{own_faq}.yaml" if own_faq else faq
            own_results = _triage(own_path, [case["text"] for case in own])
            mark = " *" if TRAINED & set(own_files) else ""
            mark = " (read)" if READ_ONLY & set(own_files) else mark
            summary.append((title + mark, report(own, own_results, show_errors=args.errors)))
            if not mark:
                unread.append((own_path, own, own_results))
            answered["held out"] += _answered(own, own_results)
            messages["held out"] += len(own)
            passed_on[" ".join(own_files)] = [
                c for c, r in zip(own, own_results, strict=True) if c.get("faq") and not r["faq"]
            ]
            held[" ".join(own_files)] = [
                c
                for c, r in zip(own, own_results, strict=True)
                if c.get("faq") and r["faq"] and r["score"] < REVIEWED
            ]
        print("\n== held out, pooled: every set above neither read nor trained on")
        pooled_cases = [case for _, own, _ in unread for case in own]
        pooled = [result for _, _, own_results in unread for result in own_results]
        summary.append(("unread sets, pooled", report(pooled_cases, pooled, show_errors=False)))
        answered["unread, pooled"] = _answered(pooled_cases, pooled)
        messages["unread, pooled"] = len(pooled_cases)
        _listen_room("unread sets, pooled", [(own_path, own) for own_path, own, _ in unread])
        for title, names in GUARDS:
            _listen_room(title, [(faq, _cases([OWN / f"{name}.jsonl" for name in names]))])
        for title, name in CONVERSATIONS:
            talk = [(faq, _cases([OWN / f"{name}.jsonl"]))]
            _listen_room(f"{title}, each message alone", talk)
            _listen_room(f"{title}, in order (what was just said)", talk, turns=True)
        _summary(summary)
        print("* the intent model is trained on this set (scripts/train_intents.py)")
        _reliability(answered)
        _review(answered, messages)
        taught = [
            _taught(title, faq_name, passed_on[lessons], measured)
            for title, faq_name, lessons, measured in TAUGHT
        ]
        print("\nafter officers taught the passed-on questions of the other set (/faq N 항목)")
        _summary(taught)
        reviewed = [
            _taught(f"{title}, reviewed", faq_name, passed_on[lessons] + held[lessons], measured)
            for title, faq_name, lessons, measured in TAUGHT
        ]
        print(
            f"\nafter review_answers: {REVIEWED} on the other set: officers taught its passed-on "
            "questions and the answers held for them (sent as picked or corrected, /faq N 항목)"
        )
        _summary(reviewed)
    return 0


def _taught(title: str, faq: str, lessons: list[dict], measured: str) -> tuple[str, dict[str, str]]:
    """Teach `lessons` (labelled messages), then measure the set `measured`."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8") as file:
        file.writelines(json.dumps(case, ensure_ascii=False) + "\n" for case in lessons)
        file.flush()
        cases = _cases([OWN / f"{measured}.jsonl"])
        print(f"\n== {title}: {len(lessons)} questions taught, then {measured}")
        results = _triage(OWN / f"{faq}.yaml", [c["text"] for c in cases], learned=Path(file.name))
    return title, report(cases, results, show_errors=False)


def _listen_room(title: str, sets: list[tuple[Path, list[dict]]], *, turns: bool = False) -> None:
    """What a listen room does with these messages: the CLI gives the intent, and the room
    acts only when the triage is confident as well (bot/faq/understand.py). With `turns`,
    messages of one conversation are read in order, as the room does (bot/handlers/turns.py)."""
    from bot.faq import FaqIndex

    chatter = escalated = acted = answered = civic = right = 0
    for faq, cases in sets:
        for case, result in _in_a_room(FaqIndex.load(faq), cases, turns=turns):
            if case["intent"] == "chatter":
                chatter += 1
                escalated += result.intent != "chatter"
                acted += result.intent != "chatter" and result.confident
                answered += result.decision.outcome == "answer"
            else:
                civic += 1
                right += result.intent == case["intent"] and result.confident
    print(
        f"{title}: small talk escalated {_share(escalated, chatter)}, acted on in a listen room "
        f"{_share(acted, chatter)}, answered {_share(answered, chatter)}; civic messages acted "
        f"on there with the right intent {_share(right, civic)}"
    )


_Said = dict[str, list[tuple[int | None, int, str, float]]]


def _in_a_room(
    index: FaqIndex, cases: list[dict], *, turns: bool
) -> Iterator[tuple[dict, Understanding]]:
    """Each message understood as a listen room would; with `turns`, a message counts as
    following a report when it came at most JUST_NOW after one the room took in, in the same
    conversation and thread (or outside threads, as it is), its writer's own or another's, or
    when it replies in the thread such a report opened within THREAD_KEPT, or its writer's own
    case of any kind opened, however long ago; and as following a question when another
    resident asked one there as shortly before (bot/handlers/turns.py).
    Cases carry `conversation`, `user`, `minute`, and in threaded sets `line` and `thread`."""
    from bot.faq import understand
    from bot.handlers.turns import JUST_NOW, THREAD_KEPT

    just_now, kept = (window.total_seconds() / 60 for window in (JUST_NOW, THREAD_KEPT))
    # conversation → (thread, line, writer, minute) of the reports the room took in, or questions
    reported: _Said = {}
    asked: _Said = {}
    opened: _Said = {}  # every case the room took in, of any kind

    def recent(said: _Said, case: dict) -> set[str]:
        thread, minute = case.get("thread"), case["minute"]
        return {
            user
            for in_thread, line, user, at in said.get(case.get("conversation", ""), [])
            if (in_thread == thread and minute - at <= just_now)
            or (thread is not None and in_thread is None and line == thread and minute - at <= kept)
        }

    def opened_thread(case: dict) -> bool:
        """Whether the writer's own case, however old, opened the thread they write in."""
        return any(
            in_thread is None and line == case.get("thread") and user == case.get("user", "")
            for in_thread, line, user, _ in opened.get(case.get("conversation", ""), [])
        )

    for number, case in enumerate(cases):
        user = case.get("user", "")
        here = (case.get("thread"), case.get("line", number), user, case.get("minute", 0))
        reporters = recent(reported, case) if turns else set()
        result = understand(
            index,
            case["text"],
            listen=True,
            after_report=bool(reporters - {user}),
            after_own_report=user in reporters,
            in_own_case=turns and opened_thread(case),
            after_question=turns and bool(recent(asked, case) - {user}),
        )
        conversation = case.get("conversation", "")
        if turns and result.intent == "question":
            asked.setdefault(conversation, []).append(here)
        joined = result.echoes or result.adds or result.presses
        taken = result.intent != "chatter" and result.confident and not joined
        if turns and taken and result.decision.outcome != "answer":
            opened.setdefault(conversation, []).append(here)
        if turns and taken and result.intent == "inconvenience":
            reported.setdefault(conversation, []).append(here)
        yield case, result


def _cases(paths: list[Path]) -> list[dict]:
    return [
        json.loads(line) for path in paths for line in path.open(encoding="utf-8") if line.strip()
    ]


def _answered(cases: list[dict], results: list[dict]) -> list[tuple[float, bool]]:
    """(score, right) of every message the bot would answer."""
    return [
        (r["score"], r["faq"] == c.get("faq"))
        for c, r in zip(cases, results, strict=True)
        if r["faq"]
    ]


SCORE_BINS = (0.3, 0.45, 0.6, 0.75, 1.01)


def _reliability(answered: dict[str, list[tuple[float, bool]]]) -> None:
    """How often an answer is right at each score: what the score means to an officer."""
    print("\nanswers right, by score (is the score calibrated?)")
    print(f"{'':<20}" + "".join(f"{f'{lo:.2f}-{min(hi, 1):.2f}':>16}" for lo, hi in _bins()))
    for title, pairs in answered.items():
        cells = []
        for lo, hi in _bins():
            inside = [right for score, right in pairs if lo <= score < hi]
            cells.append(_share(sum(inside), len(inside)) if inside else "-")
        print(f"{title:<20}" + "".join(f"{cell:>16}" for cell in cells))


REVIEW_CUTS = (0.6, 0.7, 0.75, 0.8, 0.9)
REVIEWED = 0.75  # the score the README suggests for review_answers


def _review(answered: dict[str, list[tuple[float, bool]]], messages: dict[str, int]) -> None:
    """With `review_answers: CUT`, answers scoring below CUT wait for an officer: how many of
    the bot's answers officers would check, and the wrong ones residents would still be sent."""
    print("\nreview_answers: CUT — answers held for an officer · wrong answers sent (all messages)")
    print(f"{'':<14}" + "".join(f"{title:>30}" for title in answered))
    for cut in REVIEW_CUTS:
        cells = []
        for title, pairs in answered.items():
            held = sum(score < cut for score, _ in pairs)
            sent_wrong = sum(score >= cut and not right for score, right in pairs)
            cells.append(f"{held}/{len(pairs)} · {_share(sent_wrong, messages[title])}")
        print(f"{f'below {cut:.2f}':<14}" + "".join(f"{cell:>30}" for cell in cells))


def _bins() -> list[tuple[float, float]]:
    return list(itertools.pairwise(SCORE_BINS))


def _summary(rows: list[tuple[str, dict[str, str]]]) -> None:
    """One line per set, as quoted in notes."""
    width = max(36, *(len(title) for title, _ in rows))
    print(f"\n{'set':<{width}} {'top-1':>16} {'wrong':>14} {'false':>12} {'F1':>6} {'chatter':>12}")
    for title, f in rows:
        print(
            f"{title:<{width}} {f['top1']:>16} {f['wrong']:>14} {f['false']:>12} {f['macro']:>6}"
            f" {f['chatter']:>12}"
        )


def _half(text: str) -> str:
    return "a" if hashlib.sha1(text.encode()).digest()[0] % 2 == 0 else "b"


def _triage(faq: Path, texts: list[str], *, learned: Path | None = None) -> list[dict]:
    """Run the contract CLI once over all texts (newlines inside a message become spaces)."""
    feed = "".join(text.replace("\n", " ").replace("\r", " ") + "\n" for text in texts)
    taught = ["--learned", str(learned)] if learned else []
    done = subprocess.run(
        [sys.executable, "-m", "bot", "triage", "--faq", str(faq), *taught, "--jsonl"],
        input=feed,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    results = [json.loads(line) for line in done.stdout.splitlines()]
    if len(results) != len(texts):
        raise SystemExit(f"triage returned {len(results)} lines for {len(texts)} messages")
    return results


def report(cases: list[dict], results: list[dict], *, show_errors: bool) -> dict[str, str]:
    """Print the figures issue 3 sets targets for; return them for the summary."""
    answerable = [(c, r) for c, r in zip(cases, results, strict=True) if c.get("faq")]
    unanswerable = [
        (c, r)
        for c, r in zip(cases, results, strict=True)
        if c["intent"] == "question" and not c.get("faq")
    ]
    chatter = [(c, r) for c, r in zip(cases, results, strict=True) if c["intent"] == "chatter"]
    wrong = [
        (c, r) for c, r in zip(cases, results, strict=True) if r["faq"] and r["faq"] != c.get("faq")
    ]
    top1 = sum(r["faq"] == c["faq"] for c, r in answerable)
    false_answers = sum(bool(r["faq"]) for _, r in unanswerable)
    escalated = sum(r["intent"] != "chatter" or bool(r["faq"]) for _, r in chatter)
    print(
        f"messages: {len(cases)} (answerable {len(answerable)}, unanswerable questions "
        f"{len(unanswerable)}, chatter {len(chatter)})"
    )
    print(f"FAQ top-1 on answerable questions: {_share(top1, len(answerable))}   (target >= 0.95)")
    print(f"wrong answers over all messages:   {_share(len(wrong), len(cases))}   (target <= 0.02)")
    print(
        f"false answers, unanswerable:       {_share(false_answers, len(unanswerable))}"
        "   (target <= 0.15)"
    )
    scores = _f1(cases, results)
    for intent in INTENTS:
        p, r, f = scores[intent]
        print(f"  {intent:<14} precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}")
    macro = sum(scores[i][2] for i in INTENTS) / len(INTENTS)
    print(f"intent macro-F1:                   {macro:.3f}   (target >= 0.92)")
    print(
        f"chatter escalated:                 {_share(escalated, len(chatter))}   (target <= 0.02)"
    )
    if show_errors:
        _errors(cases, results)
    return {
        "top1": _share(top1, len(answerable)),
        "wrong": _share(len(wrong), len(cases)),
        "false": _share(false_answers, len(unanswerable)),
        "macro": f"{macro:.3f}",
        "chatter": _share(escalated, len(chatter)),
    }


def _share(count: int, total: int) -> str:
    return f"{count / total if total else 0.0:.3f} ({count}/{total})"


def _f1(cases: list[dict], results: list[dict]) -> dict[str, tuple[float, float, float]]:
    pairs = Counter((c["intent"], r["intent"]) for c, r in zip(cases, results, strict=True))
    scores = {}
    for intent in INTENTS:
        tp = pairs[(intent, intent)]
        predicted = sum(n for (_, p), n in pairs.items() if p == intent)
        actual = sum(n for (a, _), n in pairs.items() if a == intent)
        precision = tp / predicted if predicted else 0.0
        recall = tp / actual if actual else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[intent] = (precision, recall, f1)
    return scores


def _errors(cases: list[dict], results: list[dict]) -> None:
    print("\nmisses (expected -> got):")
    for case, result in zip(cases, results, strict=True):
        intent_ok = case["intent"] == result["intent"]
        faq_ok = (case.get("faq") or None) == result["faq"]
        if not (intent_ok and faq_ok):
            print(
                f"  {case['intent']}/{case.get('faq')} -> {result['intent']}/{result['faq']}"
                f" ({result['score']:.2f}): {case['text']}"
            )


if __name__ == "__main__":
    raise SystemExit(main())
