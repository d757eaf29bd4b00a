"""Korean sentences pick the particle that fits the word before it, as a person would write."""

from __future__ import annotations

import pytest

from bot.texts import Texts, particle


@pytest.mark.parametrize(
    ("word", "kind", "expected"),
    [
        ("해결", "으로", "로"),  # ㄹ takes 로
        ("처리중", "으로", "으로"),
        ("불가", "으로", "로"),
        ("민원", "을", "을"),
        ("공지", "을", "를"),
        ("담당자", "이", "가"),
        ("접수", "은", "는"),
        ("2026-0001", "은", "은"),  # 일
        ("2026-0002", "을", "를"),  # 이
        ("2026-0007", "으로", "로"),  # 칠
        ("2026-0003", "으로", "으로"),  # 삼
        ("officer", "으로", "(으)로"),  # a Latin word: both, as printed forms do
        ("admin", "을", "을(를)"),
    ],
)
def test_particles_follow_the_last_sound(word, kind, expected):
    assert particle(word, kind) == expected


def test_sentences_use_them():
    ko = Texts("ko")
    assert ko("officer.done", receipt="2026-0001", status="해결") == "2026-0001: 해결로 바꿨습니다."
    assert ko("notice.cancelled", id=12) == "공지 #12를 취소했습니다."
    assert Texts("en")("officer.done", receipt="2026-0001", status="resolved").startswith(
        "2026-0001"
    )
