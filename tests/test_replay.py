"""`sotong replay`: a scripted conversation in, the bot's messages out, one JSON line each."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from bot import replay as replay_module
from bot.replay import ReplayError, read_lines, replay
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


def event(**fields: object) -> str:
    """The second line of the conversation (a report), with `fields` changed."""
    return json.dumps({**CONVERSATION[1], **fields}, ensure_ascii=False)


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"name": {"a": 1}}, '`name` must be text, not {"a": 1}'),
        ({"name": ["가" * 100]}, '`name` must be text, not ["' + "가" * 37 + "…"),
        ({"mention": "no"}, '`mention` must be true or false, not "no"'),
        ({"mention": 1}, "`mention` must be true or false, not 1"),
        ({"at": "0001-01-01T00:00:00+09:00"}, "`at` must fall in the years 2000 to 2099, not 1"),
        ({"at": "9999-12-31T23:00:00+00:00"}, "`at` must fall in the years 2000 to 2099, not 9999"),
        ({"at": 20261123}, "`at` is not an ISO-8601 time"),
        ({"user": "  "}, "`user` is required and must be text"),
        ({"room": ""}, "`room` is required and must be text"),
    ],
)
def test_a_field_of_the_wrong_kind_is_refused_naming_the_line(config_path, fields, error):
    result = run_replay(config_path, [event(), event(**fields)])
    assert result.returncode == 2
    assert result.stderr.strip() == f"replay error: line 2: {error}"
    assert result.stdout == ""  # refused before anything ran


def test_mention_is_a_json_boolean(config_path):
    """In a mention room the bot takes a report only when mentioned: `"mention": false` is
    not mentioned, `true` is."""
    heads = {"room": "heads", "text": "○○마을 입구 가로등이 사흘째 꺼져 있어요"}
    quiet = run_replay(config_path, [event(**heads, mention=False)])
    assert quiet.returncode == 0, quiet.stderr
    assert "접수되었습니다" not in quiet.stdout
    heard = run_replay(config_path, [event(**heads, mention=True)])
    assert heard.returncode == 0, heard.stderr
    assert "접수되었습니다" in heard.stdout


def test_the_events_file_is_read_as_utf8_or_refused(tmp_path):
    good = tmp_path / "events.jsonl"
    good.write_bytes(b"\xef\xbb\xbf" + (event() + "\r\n" + event(user="mom-3")).encode())
    assert [json.loads(line)["user"] for line in read_lines(str(good))] == ["mom-2", "mom-3"]
    assert read_lines(None, io.BytesIO(event().encode())) == [event()]

    latin = tmp_path / "latin.jsonl"
    latin.write_bytes((event() + "\n").encode() + event().encode("cp949"))
    with pytest.raises(ReplayError) as raised:
        read_lines(str(latin))
    assert str(raised.value) == "line 2: not UTF-8 text (save the file as UTF-8)"
    missing = tmp_path / "nowhere.jsonl"
    with pytest.raises(ReplayError) as raised:
        read_lines(str(missing))
    assert str(raised.value) == f"cannot read {missing} (No such file or directory)"


def test_a_file_that_cannot_be_read_is_one_clear_line(config_path, tmp_path):
    missing = tmp_path / "nowhere.jsonl"
    result = run_replay(config_path, [], str(missing))
    assert (result.returncode, result.stderr) == (
        2,
        f"replay error: cannot read {missing} (No such file or directory)\n",
    )
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(event().encode("cp949"))
    result = run_replay(config_path, [], str(latin))
    assert (result.returncode, result.stderr) == (
        2,
        "replay error: line 1: not UTF-8 text (save the file as UTF-8)\n",
    )


async def test_an_event_the_bot_fails_on_ends_the_replay_naming_its_line(settings, monkeypatch):
    """Whatever gets past the checks (here a display name no database column holds): a
    pipeline that failed is not a replay that went well."""
    real = replay_module.parse_text
    monkeypatch.setattr(
        replay_module, "parse_text", lambda **fields: real(**{**fields, "user_name": {"a": 1}})
    )
    with pytest.raises(ReplayError, match=r"^line 3: the bot failed to handle this event \("):
        await replay(settings, ["", "", event()], io.StringIO())


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
