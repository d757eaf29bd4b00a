"""Quality on messages and FAQs the matcher was not tuned on (written for these tests): a
guard against changes that help the development data and hurt everything else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.faq import FaqIndex, understand
from tests.faq.conftest import COUNTY_FAQ, DATA, HEALTH_FAQ


def read(cases: Path) -> list[dict]:
    return [json.loads(line) for line in cases.read_text(encoding="utf-8").splitlines() if line]


def answer(index: FaqIndex, text: str) -> tuple[str, str | None]:
    """The intent, and the entry the bot answers with in a listen room."""
    result = understand(index, text, listen=True)
    decision = result.decision
    return (
        result.intent,
        decision.entry.id if result.intent == "question" and decision.entry else None,
    )


def figures(
    faq: Path, cases: Path, learned: dict[str, list[str]] | None = None
) -> dict[str, float]:
    index = FaqIndex.load(faq, learned)
    rows = read(cases)
    answerable = right = wrong = intents = 0
    for row in rows:
        intent, answered = answer(index, row["text"])
        answerable += bool(row["faq"])
        right += bool(row["faq"]) and answered == row["faq"]
        wrong += answered is not None and answered != row["faq"]
        intents += intent == row["intent"]
    return {
        "top1": right / answerable if answerable else 1.0,
        "wrong": wrong / len(rows),
        "intent": intents / len(rows),
    }


def kept(faq: Path, cases: Path, top1: float, wrong: float, intent: float) -> None:
    """The set's figures are no worse than those it was measured at."""
    found = figures(faq, cases)
    assert found["top1"] >= top1
    assert found["wrong"] <= wrong
    assert found["intent"] >= intent


@pytest.mark.parametrize(
    ("faq", "cases"),
    [
        (HEALTH_FAQ, DATA / "cases-health.jsonl"),
        (DATA / "faq-farm.yaml", DATA / "cases-farm.jsonl"),
        (COUNTY_FAQ, DATA / "cases-county-extra.jsonl"),
        (COUNTY_FAQ, DATA / "cases-triage-extra.jsonl"),
    ],
    ids=["health", "farm", "county-extra", "triage-extra"],
)
def test_unseen_messages_and_faqs(faq, cases):
    found = figures(faq, cases)
    assert found["top1"] >= 0.85
    assert found["wrong"] <= 0.05
    assert found["intent"] >= 0.9


@pytest.mark.parametrize("department", ["culture", "welfare"])
def test_departments_written_blind_after_the_matcher_keep_their_figures(department):
    """Two FAQs of other departments, written by someone who never saw the matcher: the
    matcher answers less of them (words it has no synonyms for), but still never wrongly."""
    found = figures(DATA / f"faq-{department}.yaml", DATA / f"cases-{department}.jsonl")
    assert found["top1"] >= 0.6
    assert found["wrong"] <= 0.02
    assert found["intent"] >= 0.9


@pytest.mark.parametrize(
    ("department", "top1", "wrong", "intent"),
    [
        ("economy", 0.93, 0.04, 1.0),
        ("urban", 0.83, 0.06, 1.0),
        ("family", 0.93, 0.04, 1.0),
        ("safety", 0.71, 0.0, 1.0),
        ("sea", 0.85, 0.04, 0.96),
        ("housing", 0.85, 0.0, 1.0),
        ("livestock", 0.75, 0.0, 1.0),
        ("env", 0.82, 0.02, 0.98),
        ("civil", 0.82, 0.04, 0.96),
        ("youth", 0.5, 0.04, 0.96),
        ("agri", 0.85, 0.0, 0.98),
        ("tax", 0.6, 0.08, 1.0),
        ("land", 0.64, 0.06, 1.0),
        ("transport", 0.78, 0.02, 1.0),
        ("water", 0.89, 0.04, 1.0),
        ("forest", 0.85, 0.02, 1.0),
        ("leisure", 0.89, 0.04, 1.0),
        ("childcare", 0.82, 0.04, 1.0),
        ("welfare2", 0.67, 0.0, 1.0),
        ("village", 0.89, 0.0, 1.0),
        ("senior", 0.75, 0.02, 0.94),
        ("permit", 0.78, 0.04, 0.98),
        ("heritage", 0.64, 0.0, 0.96),
        ("jobs", 0.53, 0.04, 0.92),
        ("defence", 0.53, 0.02, 0.94),
        ("farmbase", 0.57, 0.02, 0.94),
        ("mind", 0.75, 0.06, 0.98),
        ("digital", 0.67, 0.14, 0.96),
    ],
)
def test_departments_written_blind_in_the_development_style_keep_their_figures(
    department, top1, wrong, intent
):
    """More departments, written blind in the style of the development data (their errors
    have since been read, but for those of the fisheries, environment, civil-records,
    farm-policy, senior-welfare, permit, heritage, jobs, civil-defence, farm-infrastructure and
    dementia sets). Some have wrong answers (near misses: a question beside an entry) above
    the 2 % target, so this guards the figures as measured, not the target."""
    kept(DATA / f"faq-{department}.yaml", DATA / f"cases-{department}.jsonl", top1, wrong, intent)


@pytest.mark.parametrize(
    ("department", "top1", "wrong", "intent"),
    [
        ("tourism", 0.25, 0.06, 0.9),
        ("library", 0.42, 0.1, 1.0),
        ("animals", 0.32, 0.02, 0.92),
        ("roads", 0.35, 0.06, 1.0),
    ],
)
def test_departments_asked_in_residents_own_words_keep_their_figures(
    department, top1, wrong, intent
):
    """Four departments written blind with questions that share at most a word or two with
    the entry they ask about (불 들어오는 기둥 for 가로등). Far below the targets: this guards
    the figures as measured (tourism and animals unread; tests/faq/data/README.md), so a
    change cannot make the hardest unseen questions worse unnoticed."""
    kept(DATA / f"faq-{department}.yaml", DATA / f"cases-{department}.jsonl", top1, wrong, intent)


@pytest.mark.parametrize(
    ("cases", "top1", "wrong", "intent"),
    [
        ("disaster-first", 0.5, 0.06, 0.9),
        ("disaster-second", 0.5, 0.08, 0.9),
        ("education-first", 0.6, 0.08, 0.98),
        ("education-second", 0.64, 0.06, 0.98),
    ],
)
def test_departments_asked_twice_by_different_residents_keep_their_figures(
    cases, top1, wrong, intent
):
    """Two departments written blind, each asked by two sets of residents in their own ways
    (half plain, half in their own words), to measure what teaching carries from one set to
    the other (make eval). Guarded at the figures of the intent model (unread)."""
    department = cases.split("-")[0]
    kept(DATA / f"faq-{department}.yaml", DATA / f"cases-{cases}.jsonl", top1, wrong, intent)


def test_words_taught_by_officers_answer_other_residents_and_never_more_wrongly():
    """Officers answer the questions the bot passed on with `/faq`; other residents asking the
    same things in other words are then answered more often over the three departments, and
    in none of them less often or more wrongly."""
    gained = 0.0
    for department in ("economy", "urban", "family"):
        faq = DATA / f"faq-{department}.yaml"
        index = FaqIndex.load(faq)
        passed_on: dict[str, list[str]] = {}
        for row in read(DATA / f"cases-{department}-paraphrased.jsonl"):
            if row["faq"] and answer(index, row["text"])[1] is None:
                passed_on.setdefault(row["faq"], []).append(row["text"])
        before = figures(faq, DATA / f"cases-{department}.jsonl")
        after = figures(faq, DATA / f"cases-{department}.jsonl", passed_on)
        assert after["top1"] >= before["top1"], department
        assert after["wrong"] <= before["wrong"], department
        assert after["intent"] == before["intent"], department
        gained += after["top1"] - before["top1"]
    assert gained > 0


@pytest.mark.parametrize(
    ("name", "escalated", "lost", "accuracy"),
    [
        ("cases-triage-stress", 0, 1, 0.99),
        ("cases-triage-stress2", 1, 5, 0.92),
        ("cases-triage-stress3", 3, 1, 0.94),
        ("cases-triage-stress4", 1, 1, 0.96),
        ("cases-triage-stress5", 10, 0, 0.9),
        ("cases-triage-stress6", 4, 0, 0.95),
        ("cases-triage-hard", 28, 5, 0.91),
        ("cases-triage-neighbours", 37, 1, 0.9),
        ("cases-triage-everyday", 26, 8, 0.91),
        ("cases-triage-wishes", 44, 3, 0.74),
    ],
    ids=[
        *("read", "unread", "third", "fourth", "fifth", "sixth"),
        *("hard", "neighbours", "everyday", "wishes"),
    ],
)
def test_small_talk_about_county_things_stays_small_talk(name, escalated, lost, accuracy):
    """The triage stress sets: neighbours chatting about buses, festivals and taxes, and civic
    messages written like chatting. Escalating small talk is the worst failure after a wrong
    answer, so this guards how much of it is escalated, and how little civic business is lost
    (the first set trains the intent model, the hard set's errors were read, the others are
    unread; most are far from the target, neighbours answering each other farthest: see
    tests/faq/data/README.md)."""
    index = FaqIndex.load(COUNTY_FAQ)
    text = (DATA / f"{name}.jsonl").read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines()]
    found = [(row["intent"], understand(index, row["text"], listen=True).intent) for row in rows]
    chatter = [intent for gold, intent in found if gold == "chatter"]
    civic = [intent for gold, intent in found if gold != "chatter"]
    assert sum(intent != "chatter" for intent in chatter) <= escalated
    assert sum(intent == "chatter" for intent in civic) <= lost
    assert sum(gold == intent for gold, intent in found) / len(found) >= accuracy
