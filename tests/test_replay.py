"""`sotong replay`: a scripted conversation in, the bot's messages out, one JSON line each."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

CONVERSATION = [
    {
        "platform": "chat",
        "room": "parenting",
        "user": "mom-1",
        "name": "지은맘",
        "text": "음식물 쓰레기 봉투 어디서 사요?",
        "at": "2026-11-23T10:00:00+09:00",
    },
    {
        "platform": "chat",
        "room": "parenting",
        "user": "mom-2",
        "name": "서준맘",
        "text": "○○마을 입구 가로등이 사흘째 꺼져 있어요",
        "at": "2026-11-23T10:05:00+09:00",
    },
    {
        "platform": "chat",
        "room": "parenting",
        "user": "mom-1",
        "name": "지은맘",
        "text": "오늘 날씨 좋네요",
        "at": "2026-11-23T10:06:00+09:00",
    },
    {
        "platform": "chat",
        "room": "dm-kim",
        "user": "officer-kim",
        "name": "김주무관",
        "text": "/resolve 2026-0001 가로등을 교체했습니다.",
        "at": "2026-11-24T15:00:00+09:00",
    },
]


def run_replay(config_path, lines: list[str], *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "replay", "--config", str(config_path), *extra],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_a_short_conversation_prints_the_bots_replies_as_specified(config_path):
    result = run_replay(config_path, [json.dumps(e, ensure_ascii=False) for e in CONVERSATION])
    assert result.returncode == 0, result.stderr
    printed = [json.loads(line) for line in result.stdout.splitlines()]
    answer, receipt, officers, outcome, confirmation = printed
    assert answer["room"] == "parenting" and answer["reply_to"] == 0 and "봉투" in answer["text"]
    assert answer["platform"] == "chat" and answer["to_user"] is None
    assert receipt == {
        "platform": "chat",
        "room": "parenting",
        "reply_to": 1,
        "to_user": None,
        "text": "접수되었습니다 (접수번호 2026-0001). 담당 부서에 전달했습니다.",
    }
    assert officers["room"] == "room-officers" and "2026-0001" in officers["text"]
    assert outcome["room"] == "parenting" and outcome["reply_to"] == 1
    assert "가로등을 교체했습니다." in outcome["text"]
    assert confirmation == {
        "platform": "chat",
        "room": "dm-kim",
        "reply_to": 3,
        "to_user": "officer-kim",
        "text": "2026-0001: 해결로 바꿨습니다.",
    }


def test_state_builds_up_across_replays_in_the_configured_database(config_path):
    first = run_replay(config_path, [json.dumps(CONVERSATION[1], ensure_ascii=False)])
    assert "2026-0001" in first.stdout
    later = dict(CONVERSATION[3], text="/ticket 2026-0001")
    second = run_replay(config_path, [json.dumps(later, ensure_ascii=False)])
    [shown] = [json.loads(line) for line in second.stdout.splitlines()]
    assert "가로등" in shown["text"] and shown["to_user"] == "officer-kim"


def test_a_bad_line_is_a_clear_error(config_path):
    result = run_replay(config_path, ['{"platform": "chat", "room": "parenting"}'])
    assert result.returncode == 2
    assert result.stderr.strip() == "replay error: line 1: `user` is required and must be text"


def test_what_an_officer_teaches_answers_the_next_resident_in_the_same_replay(config_path):
    """The rebuild that `/faq` starts is waited for, so a replay prints the same each run."""
    said = [
        ("parenting", "mom-1", "우리 동네 아이 키우면 한 달에 얼마씩 주나요?"),
        ("dm-kim", "officer-kim", "/faq 2026-0001 childcare-allowance"),
        ("parenting", "dad-2", "우리 마을에서 애 키우면 한 달에 얼마씩 줘요?"),
    ]
    lines = [
        json.dumps(
            {
                "platform": "chat",
                "room": room,
                "user": user,
                "text": text,
                "at": f"2026-11-23T1{n}:00:00+09:00",
            },
            ensure_ascii=False,
        )
        for n, (room, user, text) in enumerate(said)
    ]
    result = run_replay(config_path, lines)
    assert result.returncode == 0, result.stderr
    printed = [json.loads(line) for line in result.stdout.splitlines()]
    [answered] = [p for p in printed if p["reply_to"] == 2]
    assert answered["room"] == "parenting" and "매월 25일에 지급됩니다" in answered["text"]
