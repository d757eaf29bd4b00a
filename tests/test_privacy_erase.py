"""`sotong privacy erase` removes a resident's personal data and keeps the anonymous counts;
`sotong officer add|remove|list` manage roles from the server. Both through the real CLI."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys

import pytest
from sqlmodel import Session, select

from storage.models import (
    AuditEntry,
    Identity,
    InboxItem,
    OutboxItem,
    Person,
    Ticket,
    TicketEvent,
    TicketFollower,
)
from tests.conftest import ROOT
from tests.conversation import MONDAY
from tests.test_queue import STREETLIGHT, SWING, report

PHONE = "010-2222-3333"


def sotong(config_path, *args: str) -> subprocess.CompletedProcess[str]:
    """`sotong ARGS --config PATH` in this process (the same parser and code as the installed
    command, without a second interpreter's start-up)."""
    from bot.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*args, "--config", str(config_path)])
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def sotong_process(config_path, *args: str) -> subprocess.CompletedProcess[str]:
    """The installed command in its own process, as an operator runs it."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args, "--config", str(config_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


async def test_erase_removes_personal_data_and_keeps_the_counts(bot, config_path):
    mine = await report(bot, "mom-1", f"가로등이 꺼져 있어요 연락처 {PHONE}", at=MONDAY)
    await bot.say("mom-1", "/resolve 1 제가 고쳤어요", room=None)  # refused, audited
    theirs = await report(bot, "mom-2", SWING)
    await bot.say("mom-1", "놀이터 그네가 아직도 고장이에요", mention=True)  # follows mom-2's
    note = f"/note {mine} 민원인과 {PHONE.replace('-', '')}로 통화함"
    await bot.say("officer-kim", note, room=None)
    await bot.say("officer-kim", f"/resolve {mine} 교체했습니다", room=None)
    await bot.stop()

    result = sotong_process(config_path, "privacy", "erase", "chat:mom-1", "--reason", "본인 요청")
    assert result.returncode == 0, result.stderr
    assert "erased" in result.stdout

    with Session(bot.app.engine) as session:
        assert session.exec(select(Identity).where(Identity.user_id == "mom-1")).all() == []
        erased = session.exec(select(Person).where(Person.erased_at.is_not(None))).one()
        assert erased.contact is None and erased.name == "(삭제된 이용자)"
        tickets = {t.receipt_no: t for t in session.exec(select(Ticket))}
        assert tickets[mine].status == "resolved" and tickets[mine].category == "inconvenience"
        assert tickets[mine].text == "(개인정보 삭제 요청으로 지운 내용)"
        assert tickets[theirs].text == SWING
        [follower] = session.exec(select(TicketFollower)).all()
        assert follower.user_id is None
        remaining = [i.payload for i in session.exec(select(InboxItem))]
        remaining += [o.payload for o in session.exec(select(OutboxItem))]
        remaining += [e.text or "" for e in session.exec(select(TicketEvent))]
        remaining += [a.detail or "" for a in session.exec(select(AuditEntry))]
        remaining += [a.user_id or "" for a in session.exec(select(AuditEntry))]
        for text in remaining:
            assert "mom-1" not in text and "가로등이 꺼져" not in text
            assert "2222" not in text  # masked traces (010-****-3333) may stay; the number not
        assert any(SWING in text for text in remaining)  # others' data stays
        assert "민원인과 [삭제된 번호]로 통화함" in remaining  # the officer's note, number gone
        [audit] = session.exec(select(AuditEntry).where(AuditEntry.action == "privacy.erase"))
        assert f"person {erased.id}" in audit.detail and "본인 요청" in audit.detail
        assert audit.user_id.startswith("cli:")


async def test_erase_by_person_id_and_unknown_people(bot, config_path):
    await report(bot, "mom-1", STREETLIGHT, at=MONDAY)
    await bot.stop()
    with Session(bot.app.engine) as session:
        person = session.exec(
            select(Person).join(Identity).where(Identity.user_id == "mom-1")
        ).one()
    assert sotong(config_path, "privacy", "erase", str(person.id)).returncode == 0
    missing = sotong(config_path, "privacy", "erase", "chat:nobody")
    assert missing.returncode == 1 and "no such person" in missing.stderr


def test_officers_are_added_listed_and_removed_from_the_command_line(config_path):
    added = sotong(config_path, "officer", "add", "chat:lee", "--name", "이주무관")
    assert added.returncode == 0, added.stderr
    assert "이주무관" in added.stdout and "officer" in added.stdout
    admin = sotong(config_path, "officer", "add", "chat:lee", "--role", "admin")
    assert admin.returncode == 0 and "admin" in admin.stdout

    listing = sotong(config_path, "officer", "list").stdout
    assert "이주무관" in listing and "chat:lee" in listing and "database" in listing
    assert "김주무관" in listing and "config" in listing

    refused = sotong(config_path, "officer", "remove", "chat:officer-kim")
    assert refused.returncode == 1 and "config" in refused.stderr
    removed = sotong(config_path, "officer", "remove", "chat:lee")
    assert removed.returncode == 0
    assert "이주무관" not in sotong(config_path, "officer", "list").stdout

    unknown = sotong(config_path, "officer", "add", "chat:new")
    assert unknown.returncode == 1 and "--name" in unknown.stderr


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (
            ("telegarm:123", "--name", "이주무관"),
            "unknown platform 'telegarm': did you mean 'telegram'? "
            "(platforms: chat, console, slack, telegram, webchat)",
        ),
        (
            ("a:b:c", "--name", "이주무관"),
            "unknown platform 'a' (platforms: chat, console, slack, telegram, webchat)",
        ),
        (
            (":123", "--name", "이주무관"),
            "':123' names no platform: write platform:user_id, e.g. telegram:123456",
        ),
        (
            ("telegram:", "--name", "이주무관"),
            "'telegram:' names no user id: write platform:user_id, e.g. telegram:123456",
        ),
        (
            ("telegram:" + "1" * 100_000, "--name", "이주무관"),
            "the user id is too long (100,000 characters; at most 64)",
        ),
        (
            ("slack:U01\x00ABC", "--name", "이주무관"),
            "the user id 'U01\\x00ABC' may not hold a space, a control character or ':'",
        ),
        (
            ("telegram:telegram:123", "--name", "이주무관"),
            "the user id 'telegram:123' may not hold a space, a control character or ':'",
        ),
        (("chat:lee", "--name", "   "), "--name is blank: give the officer's name"),
        (
            ("chat:lee", "--name", "이\x1b[2J주무관"),
            "--name '이\\x1b[2J주무관' holds a control character",
        ),
    ],
)
def test_an_account_no_platform_would_send_is_refused(config_path, args, error):
    """A slip in the account would make an officer the bot never hears from; refused with
    one line and exit code 2, as argparse refuses, and nothing is stored."""
    refused = sotong(config_path, "officer", "add", *args)
    assert (refused.returncode, refused.stderr, refused.stdout) == (2, error + "\n", "")
    assert "이주무관" not in sotong(config_path, "officer", "list").stdout


def test_a_name_is_not_blanked_and_is_kept_without_its_spaces(config_path):
    assert sotong(config_path, "officer", "add", "chat:lee", "--name", " 이주무관 ").returncode == 0
    blank = sotong(config_path, "officer", "add", "chat:lee", "--name", "   ")
    assert (blank.returncode, blank.stderr) == (2, "--name is blank: give the officer's name\n")
    listing = sotong(config_path, "officer", "list").stdout
    assert " 이주무관  chat:lee" in listing


@pytest.mark.parametrize("who", ["99999999999999999999999", "1" * 5000, "0"])
def test_a_person_id_no_one_has_is_no_such_person(config_path, who):
    for command in (("officer", "add", who, "--name", "이주무관"), ("officer", "remove", who)):
        missing = sotong(config_path, *command)
        assert missing.returncode == 1
        assert missing.stderr == f"no such person: {who} (give a person id or platform:user_id)\n"
    erase = sotong(config_path, "privacy", "erase", who)
    assert (erase.returncode, erase.stderr) == (1, missing.stderr)


def test_a_digit_python_reads_is_not_a_person_id(config_path):
    missing = sotong(config_path, "officer", "remove", "²")  # int("²") would raise
    assert (missing.returncode, missing.stderr) == (
        1,
        "no such person: ² (give a person id or platform:user_id)\n",
    )


def test_removing_an_officer_twice_says_they_were_not_one(config_path):
    assert sotong(config_path, "officer", "add", "chat:lee", "--name", "이주무관").returncode == 0
    first = sotong(config_path, "officer", "remove", "chat:lee")
    assert first.returncode == 0 and first.stdout.endswith("is a resident again\n")
    again = sotong(config_path, "officer", "remove", "chat:lee")
    assert again.returncode == 1 and again.stdout == ""
    assert again.stderr.startswith("이주무관 (person ") and again.stderr.endswith(
        ") is not an officer\n"
    )


async def test_an_erased_officer_is_an_officer_no_more(bot, config_path):
    """Erasure removes their accounts, so no one can act as them: their role goes too."""
    assert sotong(config_path, "officer", "add", "chat:lee", "--name", "이주무관").returncode == 0
    await bot.say("lee", "/tickets", room=None)
    assert "담당 공무원만" not in bot.pop_text()  # an officer's command, answered
    await bot.stop()

    erased = sotong(config_path, "privacy", "erase", "chat:lee")
    assert erased.returncode == 0, erased.stderr
    assert erased.stdout.endswith("; no longer officer\n")
    listing = sotong(config_path, "officer", "list").stdout
    assert "이주무관" not in listing and "삭제된 이용자" not in listing
    with Session(bot.app.engine) as session:
        person = session.exec(select(Person).where(Person.erased_at.is_not(None))).one()
        assert person.role == "resident"
        [change] = session.exec(
            select(AuditEntry).where(AuditEntry.detail == f"person {person.id}: officer → resident")
        ).all()
        assert change.user_id.startswith("cli:")
    again = sotong(config_path, "privacy", "erase", str(person.id))
    assert again.returncode == 1 and "no such person" in again.stderr  # no one any more
    assert sotong(config_path, "officer", "add", str(person.id)).returncode == 1


async def test_an_officer_erased_before_the_role_was_dropped_is_not_listed(bot, config_path):
    assert sotong(config_path, "officer", "add", "chat:lee", "--name", "이주무관").returncode == 0
    await bot.stop()
    with Session(bot.app.engine) as session:  # as an erasure left it before this fix
        person = session.exec(select(Person).where(Person.name == "이주무관")).one()
        for identity in session.exec(select(Identity).where(Identity.person_id == person.id)):
            session.delete(identity)
        person.name, person.erased_at = "(삭제된 이용자)", MONDAY
        session.add(person)
        session.commit()
    assert "삭제된 이용자" not in sotong(config_path, "officer", "list").stdout
