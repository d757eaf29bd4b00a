"""Residents in a listen room just after a report: neighbours saying they have the problem
too, and the reporter telling more of it; just after a proposal: neighbours backing it; and
just after a question: neighbours answering it."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from bot.handlers.erase import erase_person
from bot.handlers.turns import JUST_NOW, THREAD_KEPT
from bot.texts import Texts
from storage.models import Identity, Person, RecentQuestion, Ticket, TicketEvent, TicketFollower
from tests.conversation import MONDAY
from tests.faq.conftest import DATA

STREETLIGHT = "새터마을 입구 가로등이 사흘째 꺼져 있어요 고쳐주세요"
ASKED = "출산장려금 받으려면 어디로 가야 하나요?"
ANSWERED = "네 면사무소에서 출생신고하면서 같이 해달라고 하면 돼요"
PROPOSED = "공원에 그늘막 좀 설치해 주면 좋겠어요 여름에 애들 데리고 가면 너무 뜨거워요"


def _tickets(bot) -> list[Ticket]:
    with Session(bot.app.engine) as session:
        return list(session.exec(select(Ticket)).all())


async def _reported(bot) -> str:
    """mom-1 reports the streetlight; returns its receipt number."""
    await bot.say("mom-1", STREETLIGHT)
    [receipt] = bot.in_room("parenting")
    bot.to_officers()
    [ticket] = _tickets(bot)
    assert ticket.receipt_no in receipt.text
    return ticket.receipt_no


def _officers_told(bot, receipt: str, *words: str) -> None:
    """The officer room heard of the case, in the resident's words."""
    [notice] = bot.to_officers()
    assert receipt in notice.text and all(word in notice.text for word in words)


async def _history_shows(bot, receipt: str, action: str) -> None:
    """The officer's /ticket card lists what happened to the case."""
    await bot.say("officer-kim", f"/ticket {receipt}", room=None)
    assert action in bot.pop_text()


async def test_a_neighbour_saying_they_have_it_too_joins_the_report(bot):
    receipt = await _reported(bot)
    told = await bot.say("mom-2", "저희 골목도 그래요 밤에 너무 깜깜해요")
    [reply] = bot.in_room("parenting")
    assert reply.reply_to == told and receipt in reply.text and "함께 알려" in reply.text
    _officers_told(bot, receipt, "저희 골목도")
    assert len(_tickets(bot)) == 1  # one problem, two residents waiting for it


@pytest.mark.parametrize("agreed", ["저도요", "맞아요 거기 몇달째 그래요"])
async def test_me_too_in_the_thread_of_a_report_joins_it(bot, agreed):
    receipt = await _reported(bot)
    [ticket] = _tickets(bot)
    await bot.say("mom-2", agreed, thread=ticket.message_id, to_member=True)
    [reply] = bot.in_room("parenting")
    assert receipt in reply.text and reply.thread_id == ticket.message_id


async def test_what_the_reporter_adds_just_after_is_kept_on_their_report(bot):
    receipt = await _reported(bot)
    told = await bot.say("mom-1", "벌써 일주일째예요ㅠㅠ")
    [reply] = bot.in_room("parenting")
    assert reply.reply_to == told and receipt in reply.text and "덧붙여" in reply.text
    _officers_told(bot, receipt, "일주일째")
    assert len(_tickets(bot)) == 1  # still one ticket, with the detail in its history
    await _history_shows(bot, receipt, "내용 추가")


async def test_the_reporter_asking_days_later_in_their_thread_is_told_where_it_stands(bot):
    receipt = await _reported(bot)
    [ticket] = _tickets(bot)
    await bot.say("officer-kim", f"/reply {receipt} 이번 주 안에 교체하겠습니다", room=None)
    bot.in_room("parenting")
    bot.pop()  # the officer hears it was sent
    later = bot.clock.now() + timedelta(days=3)
    await bot.say("mom-1", "언제 고쳐주시는지 답좀 주세요", thread=ticket.message_id, at=later)
    [reply] = bot.in_room("parenting")
    assert reply.thread_id == ticket.message_id
    assert receipt in reply.text and "처리중" in reply.text
    assert "이번 주 안에 교체하겠습니다" in reply.text  # the officer's last answer, again
    _officers_told(bot, receipt, "처리 상황을 물었습니다")
    assert len(_tickets(bot)) == 1  # asking after it is no second report
    await _history_shows(bot, receipt, "처리 상황 문의")


async def test_the_reporter_saying_a_resolved_case_is_not_fixed_has_officers_look_again(bot):
    receipt = await _reported(bot)
    [ticket] = _tickets(bot)
    await bot.say("officer-kim", f"/resolve {receipt} 전구 교체했습니다", room=None)
    bot.in_room("parenting")  # the resident hears it was resolved
    bot.sent.clear()
    later = bot.clock.now() + timedelta(days=2)
    await bot.say("mom-1", "아직도 안 고쳐졌어요 언제 와요", thread=ticket.message_id, at=later)
    [reply] = bot.in_room("parenting")
    assert receipt in reply.text and "다시 확인" in reply.text
    _officers_told(bot, receipt, f"/reopen {receipt}", "아직도 안 고쳐졌어요")
    [ticket] = _tickets(bot)
    assert ticket.status == "resolved"  # reopening stays the officer's call


async def test_the_reporter_replying_to_their_report_days_later_is_told_where_it_stands(bot):
    receipt = await _reported(bot)
    [ticket] = _tickets(bot)
    later = bot.clock.now() + timedelta(days=4)
    await bot.say("mom-1", "아직 소식이 없네요", reply_to=ticket.message_id, at=later)
    [reply] = bot.in_room("parenting")
    assert receipt in reply.text and "현재 상태: 접수" in reply.text
    _officers_told(bot, receipt, "처리 상황을 물었습니다")
    await bot.say("mom-2", "아직 소식이 없네요", reply_to=ticket.message_id)  # not hers
    bot.assert_silent()


async def test_the_reporter_asking_just_after_is_told_it_is_received(bot):
    receipt = await _reported(bot)
    await bot.say("mom-1", "처리 언제 되나요")
    [reply] = bot.in_room("parenting")
    assert receipt in reply.text and "접수" in reply.text and "답변" not in reply.text
    assert len(_tickets(bot)) == 1


async def test_a_neighbour_asking_when_it_is_fixed_is_not_told_the_reporters_case(bot):
    await _reported(bot)
    await bot.say("mom-2", "처리 언제 되나요")
    assert all("현재 상태" not in m.text for m in bot.in_room("parenting"))


async def test_the_reporters_thanks_and_goodbyes_are_not_details(bot):
    await _reported(bot)
    await bot.say("mom-1", "네 감사합니다")
    await bot.say("mom-1", "저는 이제 애 데리러 가야겠어요")
    bot.assert_silent()


async def test_the_same_words_with_no_report_before_are_small_talk(bot):
    await bot.say("mom-2", "저희 골목도 그래요 밤에 너무 깜깜해요")
    bot.assert_silent()


async def test_sympathy_for_a_neighbours_report_stays_between_them(bot):
    await _reported(bot)
    await bot.say("mom-2", "헉 큰일이네요 조심하세요")
    await bot.say("mom-1", "저도요")  # the reporter is no neighbour of their own report
    bot.assert_silent()


async def test_me_too_hours_later_in_the_thread_of_a_report_still_joins_it(bot):
    receipt = await _reported(bot)
    [ticket] = _tickets(bot)
    later = bot.clock.now() + timedelta(hours=5)
    thread = ticket.message_id
    await bot.say("mom-2", "저희 집 앞도 그래요", thread=thread, to_member=True, at=later)
    [reply] = bot.in_room("parenting")
    assert receipt in reply.text and reply.thread_id == ticket.message_id


async def test_me_too_hours_later_in_reply_to_a_report_still_joins_it(bot):
    receipt = await _reported(bot)
    [ticket] = _tickets(bot)
    later = bot.clock.now() + timedelta(hours=5)
    await bot.say(
        "mom-2", "저희 집 앞도 그래요", reply_to=ticket.message_id, to_member=True, at=later
    )
    [reply] = bot.in_room("parenting")
    assert receipt in reply.text and "함께 알려" in reply.text
    _officers_told(bot, receipt, "저희 집 앞도")
    assert len(_tickets(bot)) == 1


async def test_me_too_long_after_a_report_is_not_taken_for_it(bot):
    await _reported(bot)
    await bot.say("mom-2", "저도요", at=bot.clock.now() + JUST_NOW + timedelta(minutes=1))
    bot.assert_silent()


async def test_me_too_in_another_room_is_not_taken_for_it(bot):
    await _reported(bot)
    await bot.say("mom-2", "저도요", room="heads")
    bot.assert_silent()


async def _proposed(bot) -> Ticket:
    """mom-1 proposes shade in the park; returns the proposal."""
    await bot.say("mom-1", PROPOSED)
    [receipt] = bot.in_room("parenting")
    bot.to_officers()
    [ticket] = _tickets(bot)
    assert ticket.category == "suggestion" and ticket.receipt_no in receipt.text
    return ticket


@pytest.mark.parametrize("backed", ["찬성이요", "완전 공감이요", "좋은 생각이네요 ^^", "222"])
async def test_neighbours_backing_a_proposal_are_counted_on_it_quietly(bot, backed):
    proposal = await _proposed(bot)
    await bot.say("mom-2", backed)
    await bot.say("mom-3", "맞아요 나도 그거 원해요")
    bot.assert_silent()  # no reply to each neighbour agreeing, no new ticket
    assert len(_tickets(bot)) == 1
    await bot.say("officer-kim", f"/ticket {proposal.receipt_no}", room=None)
    card = bot.pop_text()
    assert "공감한 주민 2명" in card and backed in card


async def test_a_neighbour_backing_a_proposal_in_its_thread_hears_its_outcome(bot):
    proposal = await _proposed(bot)
    later = bot.clock.now() + timedelta(hours=3)
    thread = proposal.message_id
    await bot.say("mom-2", "대찬성 ㅠㅠ", thread=thread, to_member=True, at=later)
    bot.assert_silent()
    await bot.say("officer-kim", f"/resolve {proposal.receipt_no} 다음 달에 설치합니다", room=None)
    told = bot.in_room("parenting")
    assert {m.thread_id for m in told} == {None, thread}  # the proposer, and in the thread
    assert all("그늘막" in m.text or "설치합니다" in m.text for m in told)


async def test_backing_a_proposal_said_to_the_bot_is_acknowledged(bot):
    proposal = await _proposed(bot)
    await bot.say("mom-2", "저도 찬성합니다", reply_to=proposal.message_id, mention=True)
    [reply] = bot.in_room("parenting")
    assert proposal.receipt_no in reply.text and "공감" in reply.text


@pytest.mark.parametrize(
    "not_backed",
    ["좋긴 한데 관리는 누가 해요?", "저는 반대예요 애들 더 안 가요", "오늘 날씨 좋네요"],
)
async def test_doubts_about_a_proposal_and_other_talk_are_not_counted(bot, not_backed):
    proposal = await _proposed(bot)
    await bot.say("mom-2", not_backed)
    await bot.say("mom-1", "찬성이요")  # the proposer backs their own: no second voice
    await bot.say("mom-3", "찬성이요", at=bot.clock.now() + JUST_NOW + timedelta(minutes=1))
    await bot.say("officer-kim", f"/ticket {proposal.receipt_no}", room=None)
    assert "공감한 주민" not in bot.pop_text()


async def test_a_neighbours_answer_to_a_question_is_left_between_them(bot):
    await bot.say("mom-1", ASKED)
    [answer] = bot.in_room("parenting")
    assert "출산장려금" in answer.text
    await bot.say("mom-2", ANSWERED)
    await bot.say("mom-1", "아 그렇군요 감사해요")
    bot.assert_silent()  # no second answer, no ticket for what a neighbour told
    assert _tickets(bot) == []


async def test_a_neighbours_own_question_just_after_is_still_answered(bot):
    await bot.say("mom-1", ASKED)
    bot.in_room("parenting")
    await bot.say("mom-2", "저도 궁금한데 출산장려금 얼마 나와요?")
    [answer] = bot.in_room("parenting")
    assert "출산장려금" in answer.text


async def test_the_same_words_long_after_a_question_are_read_alone(bot):
    await bot.say("mom-1", ASKED)
    bot.in_room("parenting")
    await bot.say("mom-2", ANSWERED, at=bot.clock.now() + JUST_NOW + timedelta(minutes=1))
    assert bot.in_room("parenting")  # read alone, it is a question of the county's business


async def test_a_question_in_another_room_leaves_this_one_as_it_was(bot):
    await bot.say("head-1", ASKED, room="heads")
    bot.sent.clear()
    await bot.say("mom-2", ANSWERED)
    assert bot.in_room("parenting")


async def test_the_asker_is_no_neighbour_of_their_own_question(bot):
    await bot.say("mom-1", ASKED)
    bot.in_room("parenting")
    await bot.say("mom-1", ANSWERED)
    assert bot.in_room("parenting")


async def test_erasing_a_resident_drops_their_recent_questions(bot):
    await bot.say("mom-1", ASKED)
    with Session(bot.app.engine) as session:
        assert len(session.exec(select(RecentQuestion)).all()) == 1  # who, where, when: no words
        person = session.exec(
            select(Person).join(Identity).where(Identity.user_id == "mom-1")
        ).one()
        erase_person(session, person, Texts(), now=bot.clock.now(), by="test")
        session.commit()
        assert session.exec(select(RecentQuestion)).all() == []


async def test_a_late_reply_in_the_thread_a_question_opened_answers_it(bot):
    asked = await bot.say("mom-1", ASKED)
    bot.in_room("parenting")
    later = bot.clock.now() + timedelta(hours=3)
    await bot.say("mom-2", ANSWERED, thread=asked, to_member=True, at=later)
    bot.assert_silent()
    await bot.say("mom-3", ANSWERED, at=later)  # not in that thread: read alone
    assert bot.in_room("parenting")


async def test_questions_past_a_day_are_dropped_as_new_ones_come(bot):
    await bot.say("mom-1", ASKED)
    await bot.say("mom-2", ASKED, at=bot.clock.now() + THREAD_KEPT + timedelta(minutes=1))
    with Session(bot.app.engine) as session:
        [kept] = session.exec(select(RecentQuestion)).all()
        assert kept.user_id == "mom-2"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # a measure, not storage
@pytest.mark.parametrize(
    ("name", "small_talk_acted", "civic_acted"),
    [
        ("cases-triage-conversations", 3, 175),
        ("cases-triage-conversations2", 7, 162),
        ("cases-triage-conversations3", 7, 120),
        ("cases-triage-conversations4", 17, 181),
        ("cases-triage-conversations5", 9, 169),
        ("cases-triage-conversations6", 10, 131),
        ("cases-triage-conversations7", 9, 169),
        ("cases-triage-conversations8", 8, 168),
        ("cases-triage-conversations9", 24, 167),
    ],
    ids=[
        "first (trained on)",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth (proposals)",
    ],
)
async def test_whole_conversations_in_a_listen_room(bot, name, small_talk_acted, civic_acted):
    """Conversations residents had in a room (labelled per message, tests/faq/data), replayed
    in order through the whole bot: it acts on a message when it replies to it (an answer, a
    receipt, or "the same is already in hand"). A line with a `thread` is a reply in the thread
    of that line, as on Slack. Floors as measured; before the turns and before the intent
    model learned from the first set, the first four gave 11, 10, 12 and 19 small-talk lines
    acted on (of 233, 230, 208, 274) and 157, 138, 108 and 161 civic messages (of 176, 184,
    156, 210); before neighbours' answers were told from questions, the fifth and sixth gave
    21 and 12 (of 266, 242) and 165 and 128 (of 187, 165); the seventh, blind, 11 of 248 and
    160 of 185 (14 and 157 without its threads); the eighth, blind, 8 of 243 and 167 of 190
    before the seventh was read (12 and 167 without its threads); the ninth, blind, 24 of 256
    and 167 of 183: tests/faq/data/README.md. Where lines are marked as backing a neighbour's
    proposal (`backs`, the ninth), no other line may be counted on a proposal, and at least
    BACKED of them must be (blind: 52 of 99)."""
    rows = [json.loads(line) for line in (DATA / f"{name}.jsonl").read_text("utf-8").splitlines()]
    acted = {"chatter": 0, "civic": 0}
    backing = {True: 0, False: 0}  # lines counted on a proposal: marked as backing it, or not
    for start, conversation in _one_after_another(rows):
        said: dict[int, tuple[str, str]] = {}  # line → (message id, writer)
        for number, row in enumerate(conversation, 1):
            user = f"{row['conversation']}-{row['user']}"
            root, opener = said.get(row.get("thread", 0), (None, None))
            message = await bot.say(
                user,
                row["text"],
                at=start + timedelta(minutes=row["minute"]),
                thread=root,
                to_member=opener not in (None, user),
            )
            said[row.get("line", number)] = (message, user)
            replied = any(out.reply_to == message for out in bot.sent)
            bot.sent.clear()
            acted["chatter" if row["intent"] == "chatter" else "civic"] += replied
            if "backs" in row:
                backing[row["backs"]] += _backed(bot, message)
    assert acted["chatter"] <= small_talk_acted
    assert acted["civic"] >= civic_acted
    assert backing[False] == 0  # no one else is counted on a proposal
    assert backing[True] >= (BACKED if "backs" in rows[0] else 0)


BACKED = 70  # of the ninth set's 99 lines backing a proposal (52 blind, before it was read)


def _backed(bot, message: str) -> bool:
    """Whether the message was counted as backing a proposal: its writer follows the proposal
    from it, and the proposal's history says they backed it."""
    with Session(bot.app.engine) as session:
        return (
            session.exec(
                select(TicketFollower.id)
                .join(
                    TicketEvent,
                    (col(TicketEvent.ticket_id) == TicketFollower.ticket_id)
                    & (col(TicketEvent.actor_id) == TicketFollower.person_id),
                )
                .where(TicketFollower.message_id == message, TicketEvent.action == "supporter")
            ).first()
            is not None
        )


def _one_after_another(rows: list[dict]) -> list[tuple[datetime, list[dict]]]:
    """The conversations of a set, each starting 3 hours after the one before, or an hour
    after its last line when it ran longer (a thread answered the next morning)."""
    conversations: dict[str, list[dict]] = {}
    for row in rows:
        conversations.setdefault(row["conversation"], []).append(row)
    start, timed = MONDAY, []
    for conversation in conversations.values():
        timed.append((start, conversation))
        start += max(timedelta(hours=3), timedelta(minutes=conversation[-1]["minute"] + 60))
    return timed
