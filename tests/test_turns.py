"""Neighbours answering each other in a listen room, without the platform's reply button."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from bot.handlers.turns import REPLY_WITHIN
from storage.models import RoomQuestion, Ticket

ME_TOO = "저희 골목 가로등도 어제부터 깜빡깜빡해요"  # a report, or a remark to a neighbour


def _tickets(bot) -> list[Ticket]:
    with Session(bot.app.engine) as session:
        return list(session.exec(select(Ticket)).all())


async def test_a_neighbours_answer_to_a_question_stays_between_them(bot):
    await bot.say("mom-1", "출산장려금 신청서 어디서 받는지 아시는 분 계세요?")
    bot.sent.clear()  # whatever the bot said to the question itself
    await bot.say("mom-2", "군청 홈페이지에 신청서 올라와 있어요")
    await bot.say("mom-4", ME_TOO)
    bot.assert_silent()
    assert _tickets(bot) == []


async def test_the_same_words_told_to_the_room_are_taken_in(bot):
    told = await bot.say("mom-3", ME_TOO)
    [reply] = bot.in_room("parenting")
    assert reply.reply_to == told and "접수번호" in reply.text


async def test_a_resident_adding_to_their_own_question_is_not_answering_anyone(bot):
    await bot.say("mom-1", "가로등 고장나면 어디에 신고하는지 아시는 분?")
    bot.sent.clear()
    await bot.say("mom-1", ME_TOO)
    assert "접수번호" in bot.in_room("parenting")[0].text


async def test_a_question_asked_long_before_is_no_longer_being_answered(bot):
    await bot.say("mom-1", "가로등 고장나면 어디에 신고하는지 아시는 분?")
    bot.sent.clear()
    later = bot.clock.now() + REPLY_WITHIN + timedelta(minutes=1)
    await bot.say("mom-3", ME_TOO, at=later)
    assert "접수번호" in bot.in_room("parenting")[0].text


async def test_a_clear_report_after_a_neighbours_question_still_reaches_officers(bot):
    await bot.say("mom-1", "혹시 수도 요금 언제 나오는지 아시는 분?")
    bot.sent.clear()
    await bot.say("mom-2", "저희 마을도 어제부터 수돗물이 안 나와요 빨리 고쳐주세요")
    assert "접수번호" in bot.in_room("parenting")[0].text
    assert bot.to_officers()


async def test_residents_answering_an_officers_question_are_heard(bot):
    await bot.say("officer-kim", "동네에 고장 난 가로등 있으면 말씀해 주실래요?")
    bot.sent.clear()
    await bot.say("mom-3", ME_TOO)
    assert "접수번호" in bot.in_room("parenting")[0].text


async def test_only_who_asked_and_when_is_kept_and_only_for_minutes(bot):
    await bot.say("mom-1", "가로등 고장나면 어디에 신고하는지 아시는 분?")
    await bot.say("mom-2", "보건소 주말에도 여는지 아시는 분?", at=bot.clock.now() + REPLY_WITHIN)
    later = bot.clock.now() + timedelta(minutes=1)
    await bot.say("mom-3", "오늘 장날인데 누구 읍내 나가요?", at=later)
    with Session(bot.app.engine) as session:
        kept = session.exec(select(RoomQuestion)).all()
    assert sorted(row.user_id for row in kept) == ["mom-2", "mom-3"]  # mom-1's has expired
    assert {row.chat_id for row in kept} == {"room-parenting"}
