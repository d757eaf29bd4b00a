"""A county IT officer edits config.yaml by hand: every mistake is named by file, line and key."""

from __future__ import annotations

import os
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


# --- whatever is written, one line naming file, line and key; never a traceback ---------------

TELEGRAM = "  telegram:\n    token: ${TELEGRAM_TOKEN}\n"
WEBHOOK = (
    "  telegram:\n    token: x\n    mode: webhook\n    webhook_url: https://bot.example.go.kr/tg\n"
)
ROOM = GOOD[GOOD.index("  - key: parenting") : GOOD.index("platforms:")]
UNKNOWN = "unknown platform 'telgram' (did you mean telegram?)"
DATABASES = "sqlite:///var/sotong.db or postgresql+psycopg://user@host/sotong"
NO_OFFICER_ROOM = "review_answers needs an officer_room: held answers wait there"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # YAML the settings cannot hold
        ("county: 예시군", "county:", "1: county: this key has no value"),
        ("county: 예시군", "county: !foo bar", "1: county: unknown YAML tag !foo"),
        (
            "county: 예시군",
            "county: !!binary aGVsbG8=",
            "1: county: binary values (!!binary) are not supported: write text",
        ),
        ("", "x: !!set {a, b}\n", "16: x: the YAML tag !!set is not supported here"),
        (
            "",
            "office: {closures: [2026-02-30]}\n",
            "16: office.closures.0: not a real date: 2026-02-30 (day is out of range for month)",
        ),
        ("", "? [a, b]\n: 1\n", "16: a key must be a plain name, not a list or mapping"),
        (
            "",
            "tickets:\n  ? {a: 1}\n  : 1\n",
            "17: tickets: a key must be a plain name, not a list or mapping",
        ),
        (
            "",
            "tickets: " + "[" * 60 + "]" * 60 + "\n",
            "16: tickets.0: nested more than 50 levels deep",
        ),
        ("", "tickets: " + "[" * 5000 + "]" * 5000 + "\n", "16: nested more than 50 levels deep"),
        ("", "x: &loop [*loop]\n", "16: x.0: nested more than 50 levels deep"),
        ("", "feeds:\n  -\n", "17: feeds.0: this item is empty"),
        # a key given twice
        ("", "county: 다른군\n", "16: county: given twice (first on line 1)"),
        (
            ROOM,
            "  - {key: parenting, key: youth2, name: 청년, platform: telegram, chat_id: -1}\n",
            "7: rooms.0.key: given twice (first on line 7)",
        ),
        # what `run` could not use
        (
            TELEGRAM,
            "  slack: {bot_token: x, app_token: y, events_path: slack/events}\n",
            "14: platforms.slack.events_path: a route on the bot's web server starts with /, not "
            "'slack/events'",
        ),
        (
            TELEGRAM,
            WEBHOOK.replace("https://bot.example.go.kr", "") + "    webhook_secret: s\n",
            "17: platforms.telegram.webhook_url: the public https URL Telegram posts to, e.g. "
            "https://bot.example.go.kr/telegram/webhook, not '/tg'",
        ),
        (
            TELEGRAM,
            "  webchat: {port: -1}\n",
            "14: platforms.webchat.port: a port is 0 to 65535 (0: any free one), not -1",
        ),
        (
            TELEGRAM,
            "  webchat: {port: 99999}\n",
            "14: platforms.webchat.port: a port is 0 to 65535 (0: any free one), not 99999",
        ),
        ("platform: telegram", "platform: telgram", f"9: rooms.0.platform: {UNKNOWN}"),
        (
            "platform: telegram",
            "platform: kakao",
            "9: rooms.0.platform: unknown platform 'kakao' (use webchat, telegram, slack)",
        ),
        (
            "",
            "officer_room: {platform: telgram, chat_id: '-1'}\n",
            f"16: officer_room.platform: {UNKNOWN}",
        ),
        (
            "{telegram: 1234}",
            "{telegarm: 1234}",
            "5: officers.0.ids.telegarm: unknown platform 'telegarm' (did you mean telegram?)",
        ),
        (
            "  telegram:\n",
            "  telegarm:\n",
            "14: platforms.telegarm: unknown platform (did you mean telegram?)",
        ),
        (
            TELEGRAM,
            WEBHOOK,
            "14: platforms.telegram.webhook_secret: webhook mode needs this key, e.g. "
            "webhook_secret: ${TELEGRAM_WEBHOOK_SECRET}",
        ),
        (
            TELEGRAM,
            WEBHOOK + "    webhook_secret: 'not allowed!'\n",
            "18: platforms.telegram.webhook_secret: Telegram allows only A-Z, a-z, 0-9, _ and - "
            "in the secret, 1 to 256 of them",
        ),
        (
            TELEGRAM,
            "  slack: {bot_token: xoxb-1, mode: http}\n",
            "14: platforms.slack.signing_secret: http mode needs this key, e.g. "
            "signing_secret: ${SLACK_SIGNING_SECRET}",
        ),
        # the line and key of what is wrong, not of the whole file
        (
            ROOM,
            ROOM + ROOM.replace("-100123", "-100999"),
            "13: rooms.1.key: room key 'parenting' is used twice (first on line 7)",
        ),
        (
            ROOM,
            ROOM + ROOM.replace("key: parenting", "key: youth"),
            "16: rooms.1.chat_id: telegram chat '-100123' is listed as two rooms "
            "(first on line 10)",
        ),
        (
            "",
            "notices:\n  - {name: a, cron: '0 9 * * MON', groups: [육아, 청년], text: t}\n",
            "17: notices.0.groups.1: unknown group '청년' (rooms have: all, 육아, 전체)",
        ),
        ("", "review_answers: true\n", f"16: review_answers: {NO_OFFICER_ROOM}"),
        (
            "    mode: listen\n",
            "    mode: listen\n    review_answers: 0.5\n",
            f"13: rooms.0.review_answers: {NO_OFFICER_ROOM}",
        ),
        (
            "county: 예시군",
            "county: ${NOPE_UNSET}",
            "1: county: the environment variable NOPE_UNSET is not set",
        ),
        ("faq: ", "# faq: ", "1: faq: this key is required"),
        (
            "county: 예시군",
            "county: ${1BAD}",
            "1: county: ${1BAD} is not an environment variable: a name is letters, digits and _, "
            "and does not start with a digit",
        ),
        ("county: 예시군", "county: 예시${COUNTY", "1: county: ${COUNTY has no closing }"),
        # a database the bot cannot open
        ("", "database: notaurl\n", f"16: database: not a database URL (write e.g. {DATABASES})"),
        (
            "",
            "database: mysql://sotong:secret@db/sotong\n",
            f"16: database: unsupported database mysql://…: use {DATABASES}",
        ),
        (
            "",
            "database: postgresql://sotong@db/sotong\n",
            "16: database: write postgresql+psycopg://… (the driver the bot installs), not "
            "postgresql://…",
        ),
    ],
)
def test_a_broken_config_is_one_line_naming_file_line_and_key(tmp_path, old, new, expected):
    assert old == "" or old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1) if old else GOOD + new)
    assert error_of(path) == f"{path}:{expected}"


def test_a_file_that_is_not_utf8_names_its_line(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_bytes(GOOD.encode("utf-8") + "notices: []  # café\n".encode("latin-1"))
    assert error_of(path) == f"{path}:16: not UTF-8 (byte 0xe9): save the file as UTF-8"


def test_aliases_that_expand_without_end_are_refused(tmp_path):
    aliases = "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
    for name, previous in zip("bcdef", "abcde", strict=True):
        aliases += f"{name}: &{name} [{', '.join([f'*{previous}'] * 10)}]\n"
    message = error_of(write(tmp_path, GOOD + aliases))
    assert message.endswith(": more than 100000 values (aliases of aliases?)")


def test_an_empty_section_is_its_default(tmp_path):
    """`feeds:` uncommented with its example entry still commented out: no feeds."""
    text = (
        GOOD + "feeds:\n#  - {url: https://example.go.kr/rss, groups: [all]}\ntickets:\noffice:\n"
    )
    settings = load_settings(write(tmp_path, text), environ={})
    assert settings.feeds == [] and settings.tickets.digest_at is None
    assert settings.office.opens == time(9)


def test_the_database_from_the_environment_is_checked_too(tmp_path):
    path = write(tmp_path, GOOD)
    assert error_of(path, {"SOTONG_DATABASE_URL": "mysql://db/sotong"}) == (
        f"{path}:1: database (SOTONG_DATABASE_URL): unsupported database mysql://…: use {DATABASES}"
    )


def test_a_sqlite_file_in_a_directory_the_bot_makes_is_fine(tmp_path):
    """storage.make_engine makes the directory (as `make run` does var/)."""
    text = GOOD + "database: sqlite:///var/not-yet/sotong.db\n"
    settings = load_settings(write(tmp_path, text), environ={})
    assert settings.database == f"sqlite:///{tmp_path / 'var' / 'not-yet' / 'sotong.db'}"


def test_a_secret_whose_variable_is_unset_turns_its_platform_off(tmp_path):
    """As an unset token does: the adapter stays off with a log line, the config loads."""
    text = GOOD.replace(TELEGRAM, WEBHOOK + "    webhook_secret: ${TELEGRAM_WEBHOOK_SECRET}\n")
    text += "  slack: {bot_token: xoxb-1, mode: http, signing_secret: '${SLACK_SIGNING}'}\n"
    settings = load_settings(write(tmp_path, text), environ={})
    assert settings.platforms_off() == {
        "telegram": "needs platforms.telegram.webhook_secret (TELEGRAM_WEBHOOK_SECRET is not set)",
        "slack": "needs platforms.slack.signing_secret (SLACK_SIGNING is not set)",
    }
    everything = {"TELEGRAM_WEBHOOK_SECRET": "a-b_C9", "SLACK_SIGNING": "s"}
    assert load_settings(write(tmp_path, text), environ=everything).platforms_off() == {}


def check(path: Path, *options: str, **environ: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SOTONG_", "TELEGRAM_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", "check", "--config", str(path), *options],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        env={**clean, **environ},
    )


def test_sotong_check_says_which_platform_will_be_off_and_why(tmp_path):
    text = GOOD.replace(TELEGRAM, WEBHOOK + "    webhook_secret: ${TELEGRAM_WEBHOOK_SECRET}\n")
    ok = check(write(tmp_path, text + "officer_room: {platform: chat, chat_id: officers}\n"))
    assert ok.returncode == 0, ok.stderr
    assert (
        "telegram:  webhook — off: needs platforms.telegram.webhook_secret "
        "(TELEGRAM_WEBHOOK_SECRET is not set)\n"
    ) in ok.stdout
    assert "warning:   room parenting on telegram will hear nothing: telegram is off\n" in ok.stdout
    assert (
        "warning:   the officer room on chat: only `sotong replay` and the tests reach it\n"
    ) in ok.stdout
    running = check(write(tmp_path, text), TELEGRAM_WEBHOOK_SECRET="a-long-secret")
    assert "telegram:  webhook\n" in running.stdout and "warning" not in running.stdout


def test_sotong_check_refuses_a_bad_database_option(tmp_path):
    bad = check(write(tmp_path, GOOD), "--database", "notaurl")
    assert bad.returncode == 2
    assert bad.stderr == f"config error: --database: not a database URL (write e.g. {DATABASES})\n"
