"""`make eval` reads conversations as a listen room does, Slack threads included."""

from __future__ import annotations

import importlib
from types import ModuleType

import pytest

from tests.faq.conftest import ROOT

REPORT = "새터마을 입구 가로등이 사흘째 꺼져 있어요 고쳐주세요"


@pytest.fixture
def measure(monkeypatch) -> ModuleType:
    """scripts/eval.py, as `make eval` runs it."""
    monkeypatch.syspath_prepend(str(ROOT / "scripts"))
    return importlib.import_module("eval")


def test_a_late_me_too_in_the_thread_of_a_report_joins_it_but_not_outside(county, measure):
    talk = [
        {"conversation": "c1", "user": "a", "minute": 0, "line": 1, "text": REPORT},
        {
            "conversation": "c1",
            "user": "b",
            "minute": 120,
            "line": 2,
            "thread": 1,
            "text": "저도요",
        },
        {"conversation": "c1", "user": "c", "minute": 121, "line": 3, "text": "저도요"},
    ]
    reported, in_thread, outside = (
        understood for _, understood in measure._in_a_room(county, talk, turns=True)
    )
    assert reported.intent == "inconvenience" and reported.confident
    assert in_thread.echoes  # two hours on, the thread is still about the streetlight
    assert not outside.echoes  # the room moved on


def test_the_reporter_asking_days_later_in_their_thread_asks_how_it_stands(county, measure):
    talk = [
        {"conversation": "c1", "user": "a", "minute": 0, "line": 1, "text": REPORT},
        {
            "conversation": "c1",
            "user": "a",
            "minute": 3 * 24 * 60,
            "line": 2,
            "thread": 1,
            "text": "언제 고쳐주시는지 답좀 주세요",
        },
    ]
    _, pressed = (understood for _, understood in measure._in_a_room(county, talk, turns=True))
    assert pressed.presses and pressed.confident


def test_messages_read_one_by_one_need_no_minutes(county, measure):
    alone = [{"text": REPORT, "intent": "inconvenience"}, {"text": "저도요", "intent": "chatter"}]
    reported, me_too = (u for _, u in measure._in_a_room(county, alone, turns=False))
    assert reported.confident and not me_too.echoes
