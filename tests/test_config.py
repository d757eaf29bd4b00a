"""A county IT officer edits config.yaml by hand: every mistake is named by file, line and key."""

from __future__ import annotations

import subprocess
import sys
from datetime import time
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from tests.conftest import ROOT, SAMPLE_FAQ

GOOD = f"""\
county: 예시군
faq: {SAMPLE_FAQ}
officers:
  - name: 김주무관
    ids: {{telegram: 1234}}
rooms:
  - key: parenting
    name: 육아 소통방
    platform: telegram
    chat_id: -100123
    groups: [육아]
    mode: listen
platforms:
  telegram:
    token: ${{TELEGRAM_TOKEN}}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path, environ: dict[str, str] | None = None) -> str:
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ=environ or {})
    return str(caught.value)


def test_a_good_config_is_read_with_env_secrets(tmp_path):
    settings = load_settings(write(tmp_path, GOOD), environ={"TELEGRAM_TOKEN": "123:abc"})
    assert settings.platforms.telegram.token == "123:abc"
    assert settings.rooms[0].chat_id == "-100123"
    assert settings.officers[0].ids == {"telegram": "1234"}
    assert settings.rooms_in(["육아"]) == settings.rooms


def test_an_unset_secret_turns_the_setting_off_instead_of_failing(tmp_path):
    settings = load_settings(write(tmp_path, GOOD), environ={})
    assert settings.platforms.telegram.token is None


def test_a_misspelt_key_names_file_line_and_key(tmp_path):
    path = write(tmp_path, GOOD.replace("    mode: listen", "    mdoe: listen"))
    assert error_of(path) == f"{path}:12: rooms.0.mdoe: unknown key (check the spelling)"


def test_a_bad_value_names_the_reason(tmp_path):
    path = write(tmp_path, GOOD.replace("mode: listen", "mode: loud"))
    message = error_of(path)
    assert message.startswith(f"{path}:12: rooms.0.mode: ")
    assert "'mention' or 'listen'" in message


def test_a_missing_key_is_reported(tmp_path):
    path = write(tmp_path, GOOD.replace("    name: 육아 소통방\n", ""))
    assert error_of(path) == f"{path}:7: rooms.0.name: this key is required"


def test_broken_yaml_names_the_line(tmp_path):
    path = write(tmp_path, GOOD.replace("groups: [육아]", "groups: [육아"))
    assert error_of(path).startswith(f"{path}:")
    assert "not valid YAML" in error_of(path)


def test_a_variable_inside_text_must_be_set(tmp_path):
    path = write(tmp_path, GOOD.replace("${TELEGRAM_TOKEN}", "bot-${TELEGRAM_TOKEN}"))
    assert error_of(path) == (
        f"{path}:15: platforms.telegram.token: environment variable TELEGRAM_TOKEN is not set"
    )


def test_two_rooms_with_one_key_are_refused(tmp_path):
    room = GOOD[GOOD.index("  - key: parenting") : GOOD.index("platforms:")]
    path = write(tmp_path, GOOD.replace(room, room + room.replace("-100123", "-100999")))
    assert "room key 'parenting' is used twice" in error_of(path)


def test_an_unknown_time_zone_is_refused(tmp_path):
    path = write(tmp_path, "timezone: Asia/Sel\n" + GOOD)
    assert error_of(path).startswith(f"{path}:1: timezone: unknown time zone")


def test_sotong_check_prints_what_will_run_or_one_clear_error_line(tmp_path):
    path = write(tmp_path, GOOD)
    ok = subprocess.run(
        [sys.executable, "-m", "bot", "check", "--config", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert "parenting" in ok.stdout and "45 entries" in ok.stdout
    assert (
        "office:    09:00-18:00 (breaks 12:00-13:00) · periods (days): question 7, suggestion 14, "
        "inconvenience 7 · closures: -"
    ) in ok.stdout
    assert "tickets:   no digest · reminders 24 h before a deadline, in office hours" in ok.stdout

    write(tmp_path, GOOD.replace("mode: listen", "mode: loud"))
    bad = subprocess.run(
        [sys.executable, "-m", "bot", "check", "--config", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1
    assert bad.stderr.startswith(f"config error: {path}:12: rooms.0.mode:")


def test_the_shipped_config_is_valid():
    settings = load_settings(ROOT / "config.yaml", environ={})
    assert settings.platforms.webchat.port == 8080
    assert settings.database.startswith("sqlite:///")


def test_a_time_of_day_written_without_quotes_is_the_time_meant(tmp_path):
    """YAML 1.1 reads 18:00 as the base-60 number 1080, which pydantic took for 00:18 UTC."""
    settings = load_settings(write(tmp_path, GOOD + "tickets: {digest_at: 18:00}\n"), environ={})
    assert settings.tickets.digest_at == time(18)


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("9", 'write a time of day as "09:00", not 9'),
        ("'09:00+09:00'", 'times are in the county\'s timezone: write "09:00", no offset'),
    ],
)
def test_a_time_of_day_is_hours_and_minutes_in_county_time(tmp_path, written, reason):
    path = write(tmp_path, GOOD + f"tickets: {{digest_at: {written}}}\n")
    assert error_of(path) == f"{path}:16: tickets.digest_at: {reason}"
