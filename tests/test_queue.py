"""The complaint queue as residents live it: receipts, deadlines, duplicates, `/status`,
masking — through the real pipeline."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from sqlmodel import Session, select

from bot.handlers.duplicates import similarity
from bot.messages import parse_text
from storage.models import (
    AuditEntry,
    InboxItem,
    Person,
    Ticket,
    TicketEvent,
    TicketFollower,
)
from tests.conversation import KST, MONDAY

STREETLIGHT = "○○마을 입구 가로등이 사흘째 꺼져 있어요"
SWING = "놀이터 그네가 고장 나서 위험해요"


def receipt_in(text: str) -> str:
    return re.search(r"\d{4}-\d{4}", text).group(0)


async def report(bot, user: str, text: str = STREETLIGHT, **where) -> str:
    """`user` reports a problem, addressing the bot; returns the receipt number it gave.

    (Whether the bot would also pick the report up unaddressed in a `listen` room is the
    matcher's business, tested with it; here the queue is under test.)"""
    where.setdefault("mention", True)
    asked = await bot.say(user, text, **where)
    [confirmation] = [m for m in bot.sent if m.reply_to == asked and "접수번호" in m.text]
    bot.sent.clear()
    return receipt_in(confirmation.text)


async def test_officers_see_each_new_ticket_with_its_legal_deadline(bot):
    await bot.say("mom-1", STREETLIGHT, at=MONDAY, mention=True)
    [receipt] = bot.in_room("parenting")
    assert receipt.text == "접수되었습니다 (접수번호 2026-0001). 담당 부서에 전달했습니다."
    [announcement] = bot.to_officers()
    # 생활 불편: 7 days, the day of receipt counted as day 1, the weekend not counted.
    assert "2026-0001" in announcement.text and "생활 불편" in announcement.text
    assert "육아 소통방" in announcement.text and "2026-12-01" in announcement.text
    assert "/ticket 2026-0001" in announcement.text


async def test_a_ticket_received_on_the_friday_before_seollal_skips_the_holidays(bot):
    friday = datetime(2026, 2, 13, 15, 0, tzinfo=KST)  # 설날 is Mon 16 – Wed 18 February
    receipt = await report(bot, "mom-1", at=friday)
    suggestion = await report(bot, "mom-2", "마을 도서관을 주말에도 열었으면 좋겠어요 건의합니다")
    await bot.say("mom-1", f"/status {receipt}", room=None)
    # day 1 Fri 13 · 19, 20 · 23, 24, 25 · day 7 Thu 26 February
    assert "2026-02-26" in bot.pop_text()
    await bot.say("officer-kim", f"/ticket {suggestion}", room=None)
    # 정책 건의: 14 days; 3·1절 falls on a Sunday, so Mon 2 March is a substitute holiday.
    card = bot.pop_text()
    assert "정책 건의" in card and "2026-03-10" in card


async def test_the_same_problem_in_the_same_room_adds_a_follower_not_a_ticket(bot):
    first = await report(bot, "mom-1", at=MONDAY)
    await bot.say("mom-2", "마을 입구 가로등이 아직도 꺼져 있어요", mention=True)
    [told] = bot.in_room("parenting")
    assert told.text.startswith("같은 내용이 이미 접수되어 처리 중입니다")
    assert first in told.text
    [note] = bot.to_officers()
    assert first in note.text and "1명" in note.text
    # a different problem, or the same one in another room, is a new ticket
    other = await report(bot, "mom-3", SWING)
    elsewhere = await report(bot, "head-1", STREETLIGHT, room="heads", mention=True)
    assert len({first, other, elsewhere}) == 3
    with Session(bot.app.engine) as session:
        [follower] = session.exec(select(TicketFollower)).all()
        assert follower.user_id == "mom-2"
        assert len(session.exec(select(Ticket)).all()) == 3


async def test_followers_hear_the_outcome_in_their_own_room(bot):
    first = await report(bot, "mom-1", at=MONDAY)
    second = await report(bot, "head-1", STREETLIGHT, room="heads", mention=True)
    await bot.say(
        "mom-2", "마을 입구 가로등이 꺼져서 밤에 무서워요", mention=True
    )  # follows the first
    bot.sent.clear()

    await bot.say("officer-kim", f"/merge {second} {first}", room=None)
    [merged] = bot.in_room("heads")
    assert second in merged.text and first in merged.text
    assert "병합" in bot.pop_text()

    await bot.say("officer-kim", f"/resolve {first} 가로등을 교체했습니다.", room=None)
    [parenting] = bot.in_room("parenting")  # once per room, as a reply to the first report
    [heads] = bot.in_room("heads")
    for message in (parenting, heads):
        assert "가로등을 교체했습니다." in message.text
    with Session(bot.app.engine) as session:
        statuses = {t.receipt_no: t.status for t in session.exec(select(Ticket))}
        assert statuses == {first: "resolved", second: "resolved"}


async def test_residents_check_their_own_or_the_rooms_public_tickets(bot):
    public = await report(bot, "mom-1", at=MONDAY)
    private = await report(bot, "mom-2", "우리 집 앞 가로등이 꺼져 있어요", room=None)

    await bot.say("mom-1", f"/status {public}", mention=True)
    assert bot.pop_text() == f"[접수번호 {public}] 현재 상태: 접수 · 처리 기한 2026-12-01 18:00"
    await bot.say("mom-3", f"/status {public}", mention=True)  # same room, public: fine
    assert "현재 상태: 접수" in bot.pop_text()
    await bot.say("head-1", f"/status {public}", room="heads", mention=True)
    assert bot.pop_text() == "본인이 접수한 민원이나 이 방의 공개 민원만 확인할 수 있습니다."
    await bot.say("mom-3", f"/status {private}", mention=True)
    assert "본인이 접수한" in bot.pop_text()
    await bot.say("mom-2", f"/status {private}", room=None)
    assert "현재 상태: 접수" in bot.pop_text()
    await bot.say("mom-2", "/status 2026-0999", room=None)
    assert "2026-0999인 민원을 찾을 수 없습니다" in bot.pop_text()

    await bot.say("officer-kim", f"/reply {public} 내일 오전에 교체합니다", room=None)
    bot.sent.clear()
    await bot.say("mom-1", f"/status {public}", mention=True)
    assert bot.pop_text().endswith(
        "처리중 · 처리 기한 2026-12-01 18:00\n최근 담당자 답변: 내일 오전에 교체합니다"
    )


async def test_contact_details_reach_officers_only(bot):
    text = "가로등이 꺼져 있어요. 연락은 010-1234-5678 로 주세요"
    receipt = await report(bot, "mom-1", text, at=MONDAY)
    with Session(bot.app.engine) as session:
        ticket = session.exec(select(Ticket)).one()
        assert "010-1234-5678" not in ticket.text
        person = session.exec(select(Person).where(Person.name == "mom-1")).one()
        assert "010-1234-5678" in person.contact

    await bot.say("officer-kim", f"/ticket {receipt}", room="parenting")
    refused = bot.pop_text()
    assert "담당자 방이나 1:1" in refused and "1234" not in refused
    await bot.say("officer-kim", f"/ticket {receipt}", room=None)
    assert "010-1234-5678" in bot.pop_text()

    await bot.say("officer-kim", f"/reply {receipt} 010-1234-5678 번호로 연락드렸습니다", room=None)
    [answer] = bot.in_room("parenting")
    assert "5678" in answer.text and "010-1234-5678" not in answer.text
    with Session(bot.app.engine) as session:  # the audit trail is a log: masked too
        details = [a.detail for a in session.exec(select(AuditEntry))]
    assert any(f"/reply {receipt} 010-****-5678" in d for d in details)
    assert not any("1234-5678" in d for d in details)


async def test_a_registration_number_is_never_kept_anywhere(bot):
    await bot.say(
        "mom-1", "가로등이 꺼져 있어요 제 주민번호는 900101-1234567 입니다", at=MONDAY, mention=True
    )
    with Session(bot.app.engine) as session:
        stored = [t.text for t in session.exec(select(Ticket))]
        stored += [e.text or "" for e in session.exec(select(TicketEvent))]
        stored += [i.payload for i in session.exec(select(InboxItem))]
    assert stored and not any("1234567" in text for text in stored)
    assert not any("1234567" in m.text for m in bot.sent)


async def test_a_private_ticket_is_answered_one_to_one(bot):
    receipt = await report(bot, "mom-2", "우리 집 앞 가로등이 꺼져 있어요", room=None, at=MONDAY)
    await bot.say("officer-kim", f"/reply {receipt} 내일 점검하겠습니다", room=None)
    assert "보냈습니다" in bot.in_room("dm-officer-kim")[0].text
    [answer] = bot.in_room("dm-mom-2")
    assert answer.to_user == "mom-2" and "내일 점검하겠습니다" in answer.text


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        (STREETLIGHT, "마을 입구 가로등이 아직도 꺼져 있어요", True),
        (STREETLIGHT, "우리동네가로등이꺼졌어요ㅠㅠ", True),
        ("가로등 나갔어요 새터마을 입구", "가로등이 안켜져요 군동면 새터마을 다리앞이에여", True),
        (STREETLIGHT, "○○마을 입구 도로에 포트홀이 생겼어요", False),
        ("성전면 달빛마을 단수됐어요", "성전면 달빛마을 국도에 고라니가 죽어 있어요", False),
        ("작천면 솔밭마을 가로등이 깜빡여요", "칠량면 바람재마을 가로등이 깜빡여요", False),
        ("청자축제 때 플리마켓 구역을 만들어 주세요", "마을 축제를 열었으면 좋겠어요", False),
    ],
)
def test_reports_are_the_same_when_problem_and_place_agree(first, second, same):
    assert (similarity(first, second) >= 80) is same


async def test_a_ticket_received_on_the_friday_before_seollal_2027(bot):
    friday = datetime(2027, 2, 5, 16, 30, tzinfo=KST)  # 설날 6–8 Feb, substitute holiday Tue 9
    receipt = await report(bot, "mom-1", at=friday)
    assert receipt == "2027-0001"  # receipt numbers start again each year
    suggestion = await report(bot, "mom-2", "마을 도서관을 주말에도 열었으면 좋겠어요 건의합니다")
    await bot.say("mom-1", f"/status {receipt}", room=None)
    # 7 days: Fri 5 · Wed 10, Thu 11, Fri 12 · Mon 15, Tue 16, Wed 17 February
    assert bot.pop_text() == f"[접수번호 {receipt}] 현재 상태: 접수 · 처리 기한 2027-02-17 18:00"
    await bot.say("mom-2", f"/status {suggestion}", room=None)
    # 14 days: … Wed 17 (7) · Thu 18, Fri 19 · Mon 22 … Fri 26 February (14)
    assert "처리 기한 2027-02-26 18:00" in bot.pop_text()


async def test_the_resident_is_warned_when_they_post_a_registration_number(bot):
    await bot.say(
        "mom-1", "가로등이 꺼져 있어요 제 주민번호는 900101-1234567 입니다", at=MONDAY, mention=True
    )
    warning, *_ = bot.in_room("parenting")
    assert warning.text.startswith("주민등록번호는 채팅방에 남기지 마세요.")


async def test_answers_go_back_into_the_thread_the_resident_wrote_in(bot):
    bot.clock.set(MONDAY)
    await bot.app.receive(
        parse_text(
            platform="chat",
            chat_id="room-heads",
            user_id="head-1",
            user_name="이장님",
            delivery_id="thread-1",
            at=bot.clock.now(),
            text=STREETLIGHT,
            message_id="t-42",
            thread_id="t-40",
            addressed=True,
        )
    )
    await bot.app.drain()
    [received] = bot.in_room("heads")
    assert received.thread_id == "t-40" and received.reply_to == "t-42"
    receipt = receipt_in(received.text)
    bot.sent.clear()
    await bot.say("officer-kim", f"/resolve {receipt} 교체했습니다", room=None)
    [outcome] = bot.in_room("heads")
    assert outcome.thread_id == "t-40" and outcome.reply_to == "t-42"
    assert outcome.text == f"[접수번호 {receipt}] 처리가 완료되었습니다.\n교체했습니다"


async def test_phone_numbers_are_masked_for_everyone_but_officers_reading_the_card(bot):
    await bot.say(
        "mom-1", "가로등이 꺼져 있어요 010-9876-5432 으로 연락 주세요", at=MONDAY, mention=True
    )
    [announcement] = bot.to_officers()
    assert "010-****-5432" in announcement.text and "9876" not in announcement.text
    receipt = receipt_in(announcement.text)
    await bot.say("mom-2", f"/status {receipt}", mention=True)
    assert "9876" not in bot.pop_text()


async def test_a_question_the_faq_cannot_answer_becomes_a_ticket_and_gets_an_answer(bot):
    asked = await bot.say(
        "mom-1", "우리 마을 회관 리모델링 공사는 언제 끝나요?", mention=True, at=MONDAY
    )
    [told] = bot.in_room("parenting")
    assert told.text.startswith("정확한 답을 드리기 어려워 담당자에게 전달했습니다 (접수번호 ")
    receipt = receipt_in(told.text)
    [announcement] = bot.to_officers()
    assert "단순 질의" in announcement.text and "2026-12-01 18:00" in announcement.text
    await bot.say("officer-kim", f"/resolve {receipt} 12월 말에 끝납니다.", room=None)
    [answer] = bot.in_room("parenting")
    assert answer.reply_to == asked and "12월 말에 끝납니다." in answer.text
