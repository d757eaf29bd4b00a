"""The command line: the triage contract (DESIGN §3), `faq check` and `faq ask`."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys

from bot.cli import main
from bot.faq.intents import IntentModelError
from tests.faq.conftest import COUNTY_FAQ, FAMILY_FAQ, ROOT


def test_triage_contract_one_json_object_per_line_in_order():
    lines = [
        "음식물 쓰레기 봉투 어디서 사요?",
        "○○마을 입구 가로등이 사흘째 꺼져 있어요",
        "",
        "감사합니다!!",
        "👍👍👍",
        "정화조 청소는 어디에 신청해요?",
    ]
    done = subprocess.run(
        [sys.executable, "-m", "bot", "triage", "--faq", str(COUNTY_FAQ), "--jsonl"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["text"] for r in records] == lines
    for record in records:
        assert list(record) == ["text", "intent", "faq", "score"]
        assert isinstance(record["score"], float)
    assert records[0]["intent"] == "question" and records[0]["faq"] == "food-waste"
    assert records[1]["intent"] == "inconvenience" and records[1]["faq"] is None
    assert [r["intent"] for r in records[2:5]] == ["chatter"] * 3
    assert all(r["faq"] is None for r in records[1:])


def test_triage_keeps_step_with_binary_ish_input():
    feed = "첫째 줄\n".encode() + b"\xff\xfe\x00bad\r\n" + "셋째\r줄\n".encode() + b"\n"
    done = subprocess.run(
        [sys.executable, "-m", "bot", "triage", "--faq", str(COUNTY_FAQ), "--jsonl"],
        input=feed,
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    records = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert [r["text"] for r in records] == ["첫째 줄", "\ufffd\ufffd\x00bad", "셋째\r줄", ""]


def test_triage_reads_a_line_longer_than_one_read_and_a_last_line_without_newline():
    long = "가로등 " * 40_000  # 280,000 characters: stdin is read 64 KiB at a time
    done = subprocess.run(
        [sys.executable, "-m", "bot", "triage", "--faq", str(COUNTY_FAQ), "--jsonl"],
        input=f"{long}\n감사합니다\n도서관 몇 시에 열어요?".encode(),
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    records = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert [r["text"] for r in records] == [long, "감사합니다", "도서관 몇 시에 열어요?"]


def test_triage_answers_each_line_as_it_arrives():
    """A tool that writes one message and waits for its answer is not kept waiting for the
    rest of the input."""
    triage = subprocess.Popen(
        [sys.executable, "-m", "bot", "triage", "--faq", str(COUNTY_FAQ), "--jsonl"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},  # as piped
    )
    try:
        for question, entry in [
            ("음식물 쓰레기 봉투 어디서 사요?", "food-waste"),
            ("감사합니다", None),
        ]:
            triage.stdin.write(question.encode() + b"\n")
            triage.stdin.flush()
            record = json.loads(_line_within(triage.stdout, seconds=60))
            assert (record["text"], record["faq"]) == (question, entry)
        triage.stdin.close()
        assert triage.wait(timeout=60) == 0
    finally:
        triage.kill()


def _line_within(stream, *, seconds: float) -> bytes:
    ready, _, _ = select.select([stream], [], [], seconds)
    assert ready, f"no answer within {seconds} s"
    return stream.readline()


def test_triage_refuses_a_malformed_faq(write_faq, capsys):
    path = write_faq("- id: x\n  question: q\n")
    assert main(["triage", "--faq", str(path)]) == 2
    assert "missing field 'answer'" in capsys.readouterr().err


def test_a_broken_intent_model_stops_the_tools_with_one_clear_line(monkeypatch, capsys):
    def broken():
        raise IntentModelError("bot/faq/intents.json: not an intent model; run `make train`")

    monkeypatch.setattr("bot.faq.intents.default_model", broken)
    assert main(["triage", "--faq", str(COUNTY_FAQ)]) == 2
    assert "intent model error: bot/faq/intents.json" in capsys.readouterr().err
    assert main(["check", "--config", str(ROOT / "config.yaml")]) == 2
    assert "intent model error:" in capsys.readouterr().err


def test_faq_check_lists_entries_the_matcher_confuses(write_faq, capsys):
    path = write_faq(
        "- id: pool-fee\n  question: 수영장 요금은 얼마인가요?\n  variants: [수영장 이용 안내]\n"
        "  answer: a\n"
        "- id: pool-hours\n  question: 수영장 운영 시간은 언제예요?\n"
        "  variants: [수영장 이용 안내]\n  answer: b\n"
        "- id: passport\n  question: 여권은 어디서 발급하나요?\n  answer: c\n"
    )
    assert main(["faq", "check", "--faq", str(path)]) == 0
    out = capsys.readouterr().out
    assert "3 entries" in out
    assert '[pool-fee] "수영장 이용 안내"' in out and "[pool-hours]" in out
    assert "passport" not in out


def test_faq_check_lists_lessons_that_contradict_each_other(tmp_path, capsys):
    """Two officers taught near-identical words as two different entries."""
    past = tmp_path / "learned.jsonl"
    lessons = [
        {"text": "우리 동네 아이 키우면 한 달에 얼마씩 주나요?", "faq": "childcare-allowance"},
        {"text": "애 키우면 한 달에 얼마씩 주나요?", "faq": "birth-grant"},
    ]
    past.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lessons))
    assert main(["faq", "check", "--faq", str(COUNTY_FAQ), "--learned", str(past)]) == 0
    out = capsys.readouterr().out
    assert "1 phrasing(s)" in out
    assert '[birth-grant] learned "애 키우면 한 달에 얼마씩 주나요?"' in out
    assert "[childcare-allowance]" in out and "/unlearn N" in out


def test_faq_check_of_the_sample_faq_is_clean(capsys):
    assert main(["faq", "check", "--faq", str(COUNTY_FAQ)]) == 0
    assert "0 phrasing(s)" in capsys.readouterr().out


def test_faq_ask_explains_the_decision(capsys):
    assert (
        main(["faq", "ask", "군청 민원실에서 팩스 보내 주는 것도 돼?", "--faq", str(COUNTY_FAQ)])
        == 0
    )
    out = capsys.readouterr().out
    assert "intent:   question" in out
    assert "model:    question 0." in out  # the likeliest intent first
    assert "weighed:  cue:" in out  # the cues that made it a question
    assert "office-hours" in out and "missing 팩스" in out
    assert "outcome: unknown" in out and "팩스" in out.split("outcome:")[1]
    weighs = out.split("weighs:")[1].split("\n")[0]
    assert weighs.strip().startswith("팩스 ")  # the heaviest word: what is asked


def test_faq_ask_says_when_a_message_is_mostly_about_words_the_faq_never_uses(write_faq, capsys):
    path = write_faq(
        "- {id: scholarship, question: 장학금, answer: 2월에 신청합니다.}\n"
        "- {id: pool-fee, question: 수영장 요금, answer: 3천 원입니다.}\n"
    )
    assert main(["faq", "ask", "장학금 기부하면 영수증 나와요?", "--faq", str(path)]) == 0
    outcome = capsys.readouterr().out.split("outcome:")[1]
    assert outcome.startswith(" unknown") and "no entry uses" in outcome


def test_faq_ask_when_addressed_shows_the_answer(capsys):
    assert main(["faq", "ask", "도서관 몇 시에 열어요", "--faq", str(COUNTY_FAQ), "--mention"]) == 0
    out = capsys.readouterr().out
    assert "outcome: answer" in out and "library-hours" in out


def test_faq_ask_says_when_an_answer_names_its_question_and_when_someone_is_in_danger(capsys):
    assert main(["faq", "ask", "여권 사진 몇 장 가져가야 돼?", "--faq", str(COUNTY_FAQ)]) == 0
    assert "the reply starts with the question it answers" in capsys.readouterr().out
    danger = "남편이 술 마시면 때려요. 한국말 잘 못해요. 어디 전화해요? 베트남 말로 할 수 있어요?"
    assert main(["faq", "ask", danger, "--faq", str(FAMILY_FAQ)]) == 0
    out = capsys.readouterr().out
    assert "urgent:" in out and "outcome: unknown — the best entry is not about the danger" in out


def test_faq_ask_with_phrasings_taught_from_past_messages(tmp_path, capsys):
    """An officer checks what teaching residents' words would do, before doing it."""
    past = tmp_path / "past.jsonl"
    past.write_text(
        json.dumps(
            {"text": "우리 동네 아이 키우면 한 달에 얼마씩 주나요?", "faq": "childcare-allowance"},
            ensure_ascii=False,
        )
        + "\n\n"
        + json.dumps({"text": "안녕하세요", "intent": "chatter", "faq": None})
        + "\n",
        encoding="utf-8",
    )
    asked = ["faq", "ask", "우리 마을에서 애 키우면 한 달에 얼마씩 줘요?", "--faq", str(COUNTY_FAQ)]
    assert main(asked) == 0
    assert "outcome: unknown" in capsys.readouterr().out
    assert main([*asked, "--learned", str(past)]) == 0
    assert "outcome: answer" in (out := capsys.readouterr().out) and "childcare-allowance" in out

    past.write_text('{"text": "a", "faq": "x"}\n[1, 2]\n', encoding="utf-8")
    assert main([*asked, "--learned", str(past)]) == 2
    assert f"{past}: line 2: not a JSON object" in capsys.readouterr().err
