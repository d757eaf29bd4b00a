"""The first end-to-end path, as residents and officers live it."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.config import load_settings
from storage.models import AuditEntry, Ticket, TicketEvent
from tests.conftest import write_config
from tests.conversation import Conversation


async def test_a_question_the_faq_answers_gets_the_answer_as_a_reply(bot):
    asked = await bot.say("mom-1", "음식물 쓰레기 봉투 어디서 사요?")
    answer = bot.pop()
    assert "음식물" in answer.text and "봉투" in answer.text
    assert answer.chat_id == "room-parenting"
    assert answer.reply_to == asked
    bot.assert_silent()


async def test_a_reported_problem_becomes_a_ticket_announced_in_the_room(bot):
    year = bot.clock.now().astimezone(bot.settings.tz).year
    reported = await bot.say("mom-2", "○○마을 입구 가로등이 사흘째 꺼져 있어요")
    receipt = f"{year}-0001"
    reply = bot.in_room("parenting")
    assert [m.text for m in reply] == [
        f"접수되었습니다 (접수번호 {receipt}). 담당 부서에 전달했습니다."
    ]
    assert reply[0].reply_to == reported
    [announcement] = bot.to_officers()
    assert receipt in announcement.text and "가로등" in announcement.text


async def test_an_officer_resolves_and_the_resident_sees_the_answer_in_their_room(bot):
    reported = await bot.say("mom-2", "○○마을 입구 가로등이 사흘째 꺼져 있어요")
    receipt = bot.in_room("parenting")[0].text.split("접수번호 ")[1][:9]
    bot.to_officers()

    await bot.say("officer-kim", f"/resolve {receipt} 오늘 오후에 교체했습니다.", room=None)
    [to_resident] = bot.in_room("parenting")
    assert to_resident.text.startswith(f"[접수번호 {receipt}] 처리가 완료되었습니다.")
    assert "오늘 오후에 교체했습니다." in to_resident.text
    assert to_resident.reply_to == reported
    [to_officer] = bot.in_room("dm-officer-kim")
    assert "해결" in to_officer.text

    with Session(bot.app.engine) as session:
        ticket = session.exec(select(Ticket)).one()
        assert ticket.status == "resolved"
        history = session.exec(select(TicketEvent.action).order_by(TicketEvent.id)).all()
        assert history == ["received", "resolved"]


async def test_a_resident_cannot_use_officer_commands_and_the_attempt_is_logged(bot):
    await bot.say("mom-3", "/resolve 1 제가 해결했어요", mention=True)
    assert "담당 공무원만" in bot.pop_text()
    with Session(bot.app.engine) as session:
        [entry] = session.exec(select(AuditEntry).where(AuditEntry.action == "command.refused"))
        assert entry.user_id == "mom-3"


async def test_a_display_name_grants_no_rights(bot):
    await bot.say("mom-3", "/resolve 1 끝", name="김주무관", room=None)
    assert "담당 공무원만" in bot.pop_text()


async def test_in_a_mention_room_the_bot_waits_to_be_called(bot):
    await bot.say("head-1", "음식물 쓰레기 봉투 어디서 사요?", room="heads")
    bot.assert_silent()
    await bot.say("head-1", "음식물 쓰레기 봉투 어디서 사요?", room="heads", mention=True)
    assert "봉투" in bot.pop_text()


async def test_small_talk_in_a_listen_room_gets_no_answer(bot):
    await bot.say("mom-1", "오늘 날씨 진짜 좋네요 ㅎㅎ")
    await bot.say("mom-4", "그러게요 애들 데리고 놀이터 가야겠어요")
    bot.assert_silent()


async def test_a_reply_to_a_neighbour_needs_more_certainty_before_it_reaches_officers(bot):
    # neighbours answering each other: "me too" is said to them, not to the county
    said = "저희 집 앞 가로등도 밤마다 깜빡여요"
    await bot.say("mom-3", said, to_member=True)
    bot.assert_silent()
    told = await bot.say("mom-2", said)  # said to the room, the same words are taken in
    [reply] = bot.in_room("parenting")
    assert reply.reply_to == told and "접수번호" in reply.text
    assert bot.to_officers()


async def test_a_redelivered_event_is_handled_once(bot):
    from bot.messages import parse_text

    event = parse_text(
        platform="chat",
        chat_id="room-parenting",
        user_id="mom-1",
        user_name="mom-1",
        delivery_id="same-delivery",
        at=bot.clock.now(),
        text="음식물 쓰레기 봉투 어디서 사요?",
        message_id="x1",
    )
    assert await bot.app.receive(event) is True
    assert await bot.app.receive(event) is False
    await bot.app.drain()
    assert len(bot.sent) == 1


async def test_help_lists_officer_commands_only_to_officers(bot):
    await bot.say("mom-1", "/help", room=None)
    resident_help = bot.pop_text()
    assert "/resolve" not in resident_help
    await bot.say("officer-kim", "/help", room=None)
    assert "/resolve" in bot.pop_text()


async def test_a_greeting_one_to_one_gets_a_greeting_and_what_the_bot_can_do(bot):
    await bot.say("grandma", "안녕하세요~", room=None)
    assert "소통 창구" in bot.pop_text()
    await bot.say("grandma", "안녕하세요~ 다들 좋은 아침이에요")
    bot.assert_silent()


async def test_a_resident_in_danger_gets_the_emergency_numbers_and_an_officer_is_alerted(bot):
    year = bot.clock.now().astimezone(bot.settings.tz).year
    asked = await bot.say("mom-4", "남편이 술만 마시면 때려요. 어디에 전화해야 돼요?")
    safety, receipt = bot.in_room("parenting")
    assert "112" in safety.text and "1366" in safety.text
    assert safety.reply_to == asked
    assert receipt.text == f"담당자에게 바로 알렸습니다 (접수번호 {year}-0001)."
    [alert] = bot.to_officers()  # one message, urgent from its first word
    assert alert.text.startswith(f"[긴급 {year}-0001] 위험에 처한 주민이 있을 수 있습니다.")
    assert "남편이 술만 마시면 때려요" in alert.text
    bot.assert_silent()

    await bot.say("mom-1", "○○마을 입구 가로등이 사흘째 꺼져 있어요", mention=True)
    bot.sent.clear()
    await bot.say("officer-kim", "/tickets", room=None)
    urgent, streetlight = bot.pop_text().splitlines()[-2:]
    assert urgent.startswith(f"[긴급] {year}-0001") and "가로등" in streetlight
    await bot.say("officer-kim", f"/ticket {year}-0001", room=None)
    assert bot.pop_text().startswith(f"[긴급] {year}-0001 [접수]")


async def test_a_ball_being_hit_is_small_talk_and_the_room_stays_quiet(bot):
    await bot.say("mom-4", "어제 야구 보는데 타자가 공을 세게 때리더라")
    bot.assert_silent()


async def test_an_answer_the_bot_is_less_sure_of_says_which_question_it_answers(bot):
    # a near miss would show itself: the resident sees the question the answer is for
    await bot.say("mom-5", "여권 사진 몇 장 가져가야 돼?")
    answer = bot.pop_text()
    assert answer.startswith("'여권은 어디서 발급하나요?'에 대한 안내입니다.\n")
    bot.assert_silent()


async def test_in_a_1to1_chat_someone_in_danger_also_reaches_an_officer(bot):
    await bot.say("mom-6", "아빠가 술 먹고 저를 때려요 어디다 말해요?", room=None)
    safety, receipt = bot.in_room("dm-mom-6")
    assert "112" in safety.text and "접수번호" in receipt.text
    [alert] = bot.to_officers()
    assert "때려요" in alert.text and alert.text.startswith("[긴급 ")


DV_FAQ = """
- id: dv-counseling-day
  question: 가정폭력 상담 평일 주간 창구
  answer: 평일 낮에는 군 가정폭력상담소(061-000-1366)에서 상담합니다.
- id: dv-counseling-night
  question: 가정폭력 상담 야간 주말 창구
  answer: 밤과 주말에는 여성긴급전화 1366에서 상담합니다.
"""


async def test_someone_in_danger_is_not_offered_choices_but_passed_to_an_officer(
    tmp_path, database_url
):
    # two entries fit equally: a resident in danger is not asked to pick one
    faq = tmp_path / "faq.yaml"
    faq.write_text(DV_FAQ, encoding="utf-8")
    bot = Conversation(load_settings(write_config(tmp_path, database_url, faq=faq), environ={}))
    await bot.start()
    try:
        await bot.say("mom-7", "남편이 때려요 가정폭력 상담 받고 싶어요", room=None)
        safety, receipt = bot.in_room("dm-mom-7")
        assert "1366" in safety.text and "접수번호" in receipt.text
        assert [m.text[:4] for m in bot.to_officers()] == ["[긴급 "]
    finally:
        await bot.stop()
