"""Officer commands, each status path, argument errors and permission checks, as officers and
residents type them."""

from __future__ import annotations

import itertools
import json
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from bot.handlers.erase import erase_person
from bot.messages import parse_text
from bot.texts import Texts
from storage.models import AuditEntry, Person, Ticket, TicketEvent
from tests.conversation import MONDAY
from tests.test_privacy_erase import sotong
from tests.test_queue import STREETLIGHT, SWING, report
from tests.test_turns import PROPOSED

OFFICER = "officer-kim"
_ids = itertools.count(1)


async def in_officer_room(bot, user: str, text: str) -> None:
    """`user` writes in the officer room (it is no resident room, so it has no room key)."""
    number = next(_ids)
    await bot.app.receive(
        parse_text(
            platform="chat",
            chat_id="room-officers",
            user_id=user,
            user_name=user,
            delivery_id=f"staff-{number}",
            at=bot.clock.now(),
            text=text,
            message_id=f"staff-{number}",
        )
    )
    await bot.app.drain()


async def officer(bot, text: str) -> str:
    """An officer's command in their 1:1 chat; returns the bot's answer to them."""
    await bot.say(OFFICER, text, room=None)
    [answer] = bot.in_room(f"dm-{OFFICER}")
    return answer.text


def history(bot, receipt: str) -> list[tuple[str, str | None, str | None]]:
    with Session(bot.app.engine) as session:
        ticket = session.exec(select(Ticket).where(Ticket.receipt_no == receipt)).one()
        events = session.exec(
            select(TicketEvent).where(TicketEvent.ticket_id == ticket.id).order_by(TicketEvent.id)
        )
        return [(e.action, e.from_status, e.to_status) for e in events]


@pytest.fixture
async def ticket(bot) -> str:
    return await report(bot, "mom-1", at=MONDAY)


async def test_tickets_lists_open_ones_by_default_and_filters_by_status(bot, ticket):
    other = await report(bot, "mom-2", SWING)
    await officer(bot, f"/resolve {other} 고쳤습니다")
    bot.sent.clear()

    await in_officer_room(bot, OFFICER, "/tickets")
    [listing] = bot.to_officers()
    assert ticket in listing.text and other not in listing.text
    assert "[접수] 생활 불편 · 기한 2026-12-01 18:00" in listing.text
    assert other in await officer(bot, "/tickets 해결")
    assert other in await officer(bot, "/tickets resolved")
    everything = await officer(bot, "/tickets 전체")
    assert ticket in everything and other in everything
    assert await officer(bot, "/tickets 불가") == "해당하는 민원이 없습니다."
    wrong = await officer(bot, "/tickets 끝남")
    assert "알 수 없는 상태 '끝남'" in wrong and "장기 추진" in wrong
    assert "사용법: /tickets" in wrong


async def test_open_tickets_are_listed_by_what_falls_due_first(bot):
    """A proposal has 14 days, a broken swing 7: the swing reported a day later comes first."""
    proposal = await report(bot, "mom-1", PROPOSED, at=MONDAY)
    swing = await report(bot, "mom-2", SWING, at=MONDAY + timedelta(days=1))
    listing = await officer(bot, "/tickets")
    assert listing.index(swing) < listing.index(proposal)
    assert "정책 건의" in listing.splitlines()[1]
    everything = await officer(bot, "/tickets 전체")  # all cases, as they came in
    assert everything.index(proposal) < everything.index(swing)


async def test_ticket_shows_the_card_with_its_history(bot, ticket):
    await officer(bot, f"/note {ticket} 도로과에 확인 요청")
    card = await officer(bot, f"/ticket {ticket}")
    assert card.startswith(f"{ticket} [접수] 생활 불편 · 육아 소통방")
    assert STREETLIGHT in card and "처리 기한 2026-12-01 18:00" in card
    assert "민원인 mom-1" in card
    assert "처리 이력:" in card and "메모: 도로과에 확인 요청" in card


async def test_assign_files_the_ticket_with_an_officer_and_a_department(bot, ticket):
    answer = await officer(bot, f"/assign {ticket} @김주무관 도로과")
    assert answer == f"{ticket}: 담당 김주무관 · 부서 도로과"
    assert history(bot, ticket)[-1] == ("assign", "received", "in_progress")
    assert "담당 김주무관 · 부서 도로과" in await officer(bot, f"/ticket {ticket}")
    assert "담당자를 찾을 수 없습니다" in await officer(bot, f"/assign {ticket} @mom-1")
    assert "담당자(@이름)나 부서" in await officer(bot, f"/assign {ticket}")


async def test_reply_reaches_the_resident_where_they_asked(bot):
    asked = await bot.say("mom-1", STREETLIGHT, at=MONDAY, mention=True)
    receipt = bot.in_room("parenting")[0].text.split("접수번호 ")[1][:9]
    bot.sent.clear()
    assert await officer(bot, f"/reply {receipt} 내일 오전에 점검합니다") == (
        f"{receipt}: 민원인에게 답변을 보냈습니다."
    )
    [answer] = bot.in_room("parenting")
    assert answer.text == f"[접수번호 {receipt}] 담당자 답변입니다.\n내일 오전에 점검합니다"
    assert answer.reply_to == asked
    assert history(bot, receipt)[-1] == ("reply", "received", "in_progress")
    with Session(bot.app.engine) as session:
        event = session.exec(select(TicketEvent).where(TicketEvent.action == "reply")).one()
        assert event.public is True


async def test_a_note_stays_internal(bot, ticket):
    assert (
        await officer(bot, f"/note {ticket} 예산 확인 필요") == f"{ticket}: 내부 메모를 남겼습니다."
    )
    bot.assert_silent()
    with Session(bot.app.engine) as session:
        note = session.exec(select(TicketEvent).where(TicketEvent.action == "note")).one()
        assert note.public is False and note.text == "예산 확인 필요"


async def test_a_refusal_needs_a_reason_and_the_resident_reads_it(bot, ticket):
    missing = await officer(bot, f"/reject {ticket}")
    assert missing == "불가 사유를 꼭 적어 주세요.\n사용법: /reject 접수번호 불가 사유"
    assert await officer(bot, f"/reject {ticket} 사유지라 군에서 손댈 수 없습니다") == (
        f"{ticket}: 불가로 바꿨습니다."
    )
    [told] = bot.in_room("parenting")
    assert "처리가 어렵습니다" in told.text and "사유: 사유지라 군에서" in told.text


async def test_long_term_then_reopen_then_resolve(bot, ticket):
    await officer(bot, f"/longterm {ticket} 내년 예산에 반영하겠습니다")
    assert "장기 과제" in bot.in_room("parenting")[0].text
    assert await officer(bot, f"/reopen {ticket}") == f"{ticket}: 처리중으로 바꿨습니다."
    assert bot.in_room("parenting")[0].text == f"[접수번호 {ticket}] 다시 처리하겠습니다."
    await officer(bot, f"/resolve {ticket} 교체했습니다")
    twice = await officer(bot, f"/resolve {ticket} 또 교체")
    assert twice == f"{ticket}: 이미 해결 상태입니다."  # the reason alone: no usage line
    assert [step[0] for step in history(bot, ticket)] == [
        "received",
        "long_term",
        "reopen",
        "resolved",
    ]


async def test_only_a_closed_ticket_can_be_reopened(bot, ticket):
    refused = await officer(bot, f"/reopen {ticket}")
    assert refused.startswith(f"{ticket}은 아직 처리 중인 민원입니다.")
    assert "사용법" not in refused  # the command was right; the ticket is not closed
    await officer(bot, f"/reject {ticket} 예산이 없습니다")
    bot.sent.clear()
    assert (
        await officer(bot, f"/reopen {ticket} 추경 예산 확보")
        == f"{ticket}: 처리중으로 바꿨습니다."
    )
    assert history(bot, ticket)[-1] == ("reopen", "rejected", "in_progress")


@pytest.mark.parametrize(
    ("command", "status", "told"),
    [
        ("/resolve", "resolved", "처리가 완료되었습니다."),
        ("/reject", "rejected", "사유: "),
        ("/longterm", "long_term", "장기 과제로 검토하여"),
    ],
)
async def test_a_case_in_progress_closes_every_way(bot, ticket, command, status, told):
    await officer(bot, f"/assign {ticket} 도로과")
    answer = await officer(bot, f"{command} {ticket} 현장 확인 결과입니다")
    assert answer.startswith(f"{ticket}: ")
    [message] = bot.in_room("parenting")
    assert message.text.startswith(f"[접수번호 {ticket}]") and told in message.text
    assert history(bot, ticket)[-2:] == [
        ("assign", "received", "in_progress"),
        (status, "in_progress", status),
    ]
    with Session(bot.app.engine) as session:
        row = session.exec(select(Ticket).where(Ticket.receipt_no == ticket)).one()
        assert row.status == status and row.closed_at is not None


async def test_extend_once_with_a_reason_the_resident_receives(bot, ticket):
    assert "1부터 7 사이" in await officer(bot, f"/extend {ticket} 30 현장 확인 필요")
    assert "1부터 7 사이" in await officer(bot, f"/extend {ticket} 며칠 현장 확인 필요")
    answer = await officer(bot, f"/extend {ticket} 5일 부품 주문이 필요합니다")
    # due Tue 1 December + 5 working days = Tue 8 December
    assert answer == f"{ticket}: 처리 기한을 2026-12-08 18:00까지 연장하고 민원인에게 알렸습니다."
    [told] = bot.in_room("parenting")
    assert "2026-12-08 18:00까지 연장" in told.text and "사유: 부품 주문이 필요합니다" in told.text
    assert "한 번만" in await officer(bot, f"/extend {ticket} 2 또 늦어집니다")


async def test_an_officer_answering_in_the_residents_room_is_told_aside(bot, ticket):
    """The answer reaches the resident there; the bot's word to the officer does not."""
    await bot.say(OFFICER, f"/reply {ticket} 내일 오전에 교체하겠습니다", room="parenting")
    [answer] = bot.in_room("parenting")
    assert answer.text == f"[접수번호 {ticket}] 담당자 답변입니다.\n내일 오전에 교체하겠습니다"
    [aside] = bot.to_officers()
    assert aside.text == (
        "김주무관님이 육아 소통방에서 쓴 명령에 대한 답입니다.\n"
        f"{ticket}: 민원인에게 답변을 보냈습니다."
    )


async def test_a_misfiled_ticket_is_refiled_and_its_deadline_follows(bot, ticket):
    """The triage took a proposal for a problem: 정책 건의 has 14 days, not 7."""
    with Session(bot.app.engine) as session:
        before = session.exec(select(Ticket).where(Ticket.receipt_no == ticket)).one()
    answer = await officer(bot, f"/kind {ticket} 정책건의")
    with Session(bot.app.engine) as session:
        after = session.exec(select(Ticket).where(Ticket.receipt_no == ticket)).one()
    assert after.category == "suggestion" and after.due_at > before.due_at
    assert answer.startswith(f"{ticket}: 정책 건의로 다시 분류했습니다. 처리 기한 2026-12-")
    assert history(bot, ticket)[-1] == ("kind", None, None)
    assert bot.in_room("parenting") == []  # the resident is not told: it is internal
    assert "분류 변경: 생활 불편 → 정책 건의" in await officer(bot, f"/ticket {ticket}")

    assert "이미 정책 건의입니다" in await officer(bot, f"/kind {ticket} suggestion")
    assert "잡담은 민원 분류가 아닙니다" in await officer(bot, f"/kind {ticket} 잡담")
    assert "생활 불편으로 다시 분류" in await officer(bot, f"/kind {ticket} 불편")
    await officer(bot, f"/resolve {ticket} 교체했습니다")
    assert "해결 상태라 다시 분류할 수 없습니다" in await officer(bot, f"/kind {ticket} 질의")


async def test_refiled_messages_are_exported_as_training_data(bot, ticket, config_path):
    """What officers refile is what the triage misread: labelled lines for `make train`."""
    swing = await report(bot, "mom-2", SWING)
    await officer(bot, f"/kind {ticket} 정책 건의")
    await officer(bot, f"/kind {swing} 정책 건의")
    with Session(bot.app.engine) as session:  # the second resident asks to be forgotten
        mom = session.exec(select(Person).where(Person.name == "mom-2")).one()
        erase_person(session, mom, Texts("ko"), now=bot.clock.now(), by="test")
        session.commit()

    exported = sotong(config_path, "learned", "--intents")
    assert exported.returncode == 0, exported.stderr
    [line] = [json.loads(line) for line in exported.stdout.splitlines()]
    assert line == {"text": STREETLIGHT, "intent": "suggestion", "faq": None, "ticket": ticket}


async def test_merge_refuses_nonsense(bot, ticket):
    other = await report(bot, "mom-2", SWING)
    assert "서로 다른 두 접수번호" in await officer(bot, f"/merge {ticket} {ticket}")
    assert "서로 다른 두 접수번호" in await officer(bot, f"/merge {ticket}")
    await officer(bot, f"/merge {other} {ticket}")
    bot.sent.clear()
    assert f"{ticket}로 처리해" in await officer(bot, f"/resolve {other} 끝")
    assert "찾을 수 없습니다" in await officer(bot, "/ticket 2026-0999")
    assert "접수번호를 적어 주세요." in await officer(bot, "/ticket")


async def test_merging_cases_from_two_rooms_or_kinds_says_so(bot, ticket):
    """The same streetlight reported in two rooms is one case; the officer is shown what
    differs, should the number be a slip."""
    other = await report(
        bot, "head-1", "마을회관 앞 가로등을 더 밝게 바꿔 주세요 건의합니다", room="heads"
    )
    merged = await officer(bot, f"/merge {other} {ticket}")
    assert merged.splitlines()[1:] == [
        "참고: 두 민원은 접수된 방이 다릅니다 (이장단 소통방 / 육아 소통방).",
        "참고: 두 민원은 분류가 다릅니다 (정책 건의 / 생활 불편).",
    ]


async def test_a_closed_case_is_not_assigned_without_reopening_it(bot, ticket):
    await officer(bot, f"/resolve {ticket} 교체했습니다")
    refused = await officer(bot, f"/assign {ticket} @김주무관")
    assert (
        refused == f"{ticket}은 이미 해결 처리된 민원입니다. 다시 맡으려면 먼저 /reopen {ticket}."
    )


@pytest.mark.parametrize(
    "command",
    ["/tickets", "/ticket 1", "/assign 1 @x", "/reply 1 a", "/note 1 a", "/resolve 1 a",
     "/reject 1 a", "/longterm 1 a", "/reopen 1", "/merge 1 2", "/extend 1 3 a", "/kind 1 불편",
     "/role x officer", "/report", "/report 2026-11", "/info 공지"],
)  # fmt: skip
async def test_residents_are_refused_every_officer_command_and_it_is_logged(bot, command):
    await bot.say("mom-1", command, room=None, at=MONDAY)
    assert "담당 공무원만" in bot.pop_text()
    with Session(bot.app.engine) as session:
        [entry] = session.exec(select(AuditEntry).where(AuditEntry.action == "command.refused"))
        assert entry.detail == command


async def test_only_an_admin_changes_roles_in_chat_and_it_is_audited(bot):
    await bot.say("helper-lee", "안녕하세요", room=None, at=MONDAY)  # the bot now knows them
    bot.sent.clear()
    await bot.say(OFFICER, "/role @helper-lee officer", room=None)
    assert "담당 공무원만" in bot.pop_text()

    await bot.say("admin-park", "/role @helper-lee officer", room=None)
    assert bot.pop_text() == "helper-lee: 담당자로 바꿨습니다."
    await bot.say("helper-lee", "/tickets", room=None)
    assert bot.pop_text() == "해당하는 민원이 없습니다."
    await bot.say("admin-park", "/role @helper-lee boss", room=None)
    assert bot.pop_text().startswith("역할은 resident, officer, admin 중 하나로")
    await bot.say("admin-park", "/role @nobody officer", room=None)
    assert "nobody 이용자를 찾을 수 없습니다" in bot.pop_text()
    with Session(bot.app.engine) as session:
        [change] = session.exec(select(AuditEntry).where(AuditEntry.action == "role.change"))
        lee = session.exec(select(Person).where(Person.name == "helper-lee")).one()
        assert change.detail == f"person {lee.id}: resident → officer"
        assert change.user_id == "admin-park"


async def test_help_lists_the_officer_commands(bot):
    await bot.say(OFFICER, "/help", room=None)
    text = bot.pop_text()
    for command in ("/assign", "/note", "/merge", "/extend", "/reopen", "/tickets", "/report"):
        assert command in text
    assert "/role" not in text  # admins only
    await bot.say(OFFICER, "/help extend", room=None)
    assert bot.pop_text() == "/extend 접수번호 일수 사유"
    await bot.say("mom-1", "/help extend", room=None)
    assert "/extend" not in bot.pop_text()  # residents get their own help
    await bot.say(OFFICER, "/help 상태", room=None)
    assert bot.pop_text().startswith("/상태: 그런 명령은 없습니다.")
    assert "사유를 꼭 적어 주세요" in await officer(bot, "/extend 1 3")
    kind = await officer(bot, "/kind 1")
    assert kind.count("/kind") == 1  # the usage line once, not also as the reason


async def test_an_unknown_command_points_to_help(bot):
    await bot.say(OFFICER, "/resolv 1 끝", room=None)
    assert (
        bot.pop_text() == "/resolv: 알 수 없는 명령입니다. 쓸 수 있는 명령은 /help에서 확인하세요."
    )
    await bot.say("mom-1", "/상태 1", room=None)  # a command in Korean is a command too
    assert bot.pop_text().startswith("/상태: 알 수 없는 명령입니다.")


def test_every_sentence_exists_in_both_locales_with_the_same_blanks():
    from string import Formatter

    from bot.texts import EN, KO

    def blanks(text: str) -> set[str]:
        return {name for _, name, _, _ in Formatter().parse(text) if name}

    assert set(KO) == set(EN)
    assert {k: blanks(v) for k, v in KO.items()} == {k: blanks(v) for k, v in EN.items()}
