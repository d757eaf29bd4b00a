"""Officers teach the FAQ residents' own words: a question the bot passed on is answered with
an FAQ entry, and the next resident asking it in their own words gets the answer at once."""

from __future__ import annotations

import json

from sqlmodel import Session, select

from bot.handlers.erase import erase_person
from bot.texts import Texts
from storage.models import LearnedPhrasing, Person, Ticket
from tests.test_officer import history, officer
from tests.test_privacy_erase import sotong
from tests.test_queue import receipt_in

# Neither says 육아수당 or 아동수당: the bot cannot tell the birth grant from the allowance.
FIRST_ASKED = "우리 동네 아이 키우면 한 달에 얼마씩 주나요?"
ASKED_AGAIN = "우리 마을에서 애 키우면 한 달에 얼마씩 줘요?"


async def ask_unanswered(bot, user: str, text: str = FIRST_ASKED) -> str:
    """`user` asks in the parenting room (a listen room); the bot passes it on."""
    asked = await bot.say(user, text)
    [passed_on] = bot.in_room("parenting")
    assert passed_on.reply_to == asked and "담당자에게 전달했습니다" in passed_on.text
    bot.sent.clear()
    return receipt_in(passed_on.text)


def faq_ready(bot) -> None:
    """The background rebuild that teaching starts is done."""
    bot.app.services["faq"].wait(timeout=60)


async def test_an_officer_answers_with_an_entry_and_the_next_resident_is_answered(bot):
    receipt = await ask_unanswered(bot, "mom-1")

    choices = await officer(bot, f"/faq {receipt}")
    assert f"{receipt}에 가까운 FAQ 항목입니다" in choices
    [listed] = [line for line in choices.splitlines() if "childcare-allowance" in line]
    number, _, rest = listed.partition(". ")
    assert rest.startswith("childcare-allowance — 육아수당이나 아동수당은 어떻게 받나요?")
    assert f"/faq {receipt} 1 " in choices

    await bot.say("officer-kim", f"/faq {receipt} {number}", room=None)
    [to_officer] = bot.in_room("dm-officer-kim")
    assert "childcare-allowance" in to_officer.text and "해결로 바꿨습니다" in to_officer.text
    assert "배운 표현 1개" in to_officer.text
    [answer] = bot.in_room("parenting")
    assert answer.text.startswith(f"[접수번호 {receipt}] 문의하신 '육아수당이나 아동수당은")
    assert "아동수당" in answer.text and "매월 25일에 지급됩니다" in answer.text
    assert history(bot, receipt)[-1] == ("faq", "received", "resolved")
    faq_ready(bot)

    asked = await bot.say("dad-2", ASKED_AGAIN)
    [reply] = bot.in_room("parenting")
    assert reply.reply_to == asked and "매월 25일에 지급됩니다" in reply.text
    with Session(bot.app.engine) as session:
        assert len(session.exec(select(Ticket)).all()) == 1  # no second ticket


async def test_a_wrong_lesson_is_taken_back(bot):
    receipt = await ask_unanswered(bot, "mom-1")
    await officer(bot, f"/faq {receipt} childcare-allowance")
    bot.sent.clear()
    faq_ready(bot)

    assert "지웠습니다" in await officer(bot, f"/unlearn {receipt}")
    faq_ready(bot)
    assert history(bot, receipt)[-1] == ("unlearn", None, None)
    assert await ask_unanswered(bot, "dad-2", ASKED_AGAIN)  # passed on again, not answered
    assert "배운 표현이 없습니다" in await officer(bot, f"/unlearn {receipt}")


async def test_bad_commands_say_what_to_do(bot):
    receipt = await ask_unanswered(bot, "mom-1")
    wrong = await officer(bot, f"/faq {receipt} no-such-entry")
    assert "'no-such-entry' 항목이 없습니다" in wrong and f"/faq {receipt}로 가까운" in wrong
    assert "'6' 항목이 없습니다" in await officer(bot, f"/faq {receipt} 6")  # five are listed
    await officer(bot, f"/resolve {receipt} 전화로 안내했습니다")
    assert "이미 종결된 민원" in await officer(bot, f"/faq {receipt} childcare-allowance")
    assert "찾을 수 없습니다" in await officer(bot, "/faq 9999 childcare-allowance")
    await bot.say("mom-1", f"/faq {receipt} childcare-allowance", room=None)
    [refused] = bot.in_room("dm-mom-1")
    assert "담당 공무원만" in refused.text


async def test_what_another_process_teaches_is_picked_up_at_the_next_tick(bot):
    receipt = await ask_unanswered(bot, "mom-1")
    with Session(bot.app.engine) as session:  # as `/faq` in another bot process would
        ticket = session.exec(select(Ticket).where(Ticket.receipt_no == receipt)).one()
        session.add(LearnedPhrasing(ticket_id=ticket.id, entry_id="childcare-allowance"))
        session.commit()
    await bot.app.tick()
    faq_ready(bot)

    await bot.say("dad-2", ASKED_AGAIN)
    [reply] = bot.in_room("parenting")
    assert "아동수당" in reply.text


async def test_erasing_a_resident_erases_what_was_learned_from_them(bot):
    receipt = await ask_unanswered(bot, "mom-1")
    await officer(bot, f"/faq {receipt} childcare-allowance")
    bot.sent.clear()
    with Session(bot.app.engine) as session:
        mom = session.exec(select(Person).where(Person.name == "mom-1")).one()
        erase_person(session, mom, Texts("ko"), now=bot.clock.now(), by="test", reason="본인 요청")
        session.commit()
        assert session.exec(select(LearnedPhrasing)).all() == []
    await bot.app.tick()
    faq_ready(bot)
    assert await ask_unanswered(bot, "dad-2", ASKED_AGAIN)


async def test_a_question_whose_resident_was_erased_is_answered_but_teaches_nothing(bot):
    receipt = await ask_unanswered(bot, "mom-1")
    with Session(bot.app.engine) as session:
        mom = session.exec(select(Person).where(Person.name == "mom-1")).one()
        erase_person(session, mom, Texts("ko"), now=bot.clock.now(), by="test")
        session.commit()
    assert "해결" in await officer(bot, f"/faq {receipt} childcare-allowance")
    with Session(bot.app.engine) as session:
        assert session.exec(select(LearnedPhrasing)).all() == []


async def test_an_operator_exports_the_lessons_and_checks_the_faq_with_them(
    bot, config_path, tmp_path
):
    receipt = await ask_unanswered(bot, "mom-1")
    await officer(bot, f"/faq {receipt} childcare-allowance")

    exported = sotong(config_path, "learned")
    assert exported.returncode == 0, exported.stderr
    [lesson] = [json.loads(line) for line in exported.stdout.splitlines()]
    assert lesson == {"text": FIRST_ASKED, "faq": "childcare-allowance", "ticket": receipt}
    (tmp_path / "learned.jsonl").write_text(exported.stdout, encoding="utf-8")
    asked = sotong(
        config_path, "faq", "ask", ASKED_AGAIN, "--learned", str(tmp_path / "learned.jsonl")
    )
    assert "outcome: answer" in asked.stdout and "childcare-allowance" in asked.stdout


async def test_a_reported_problem_is_not_closed_with_an_faq_answer(bot):
    """A pothole is not solved by the FAQ's 'how to report a pothole': refused, with the way
    to refile it if the bot misread a question."""
    await bot.say("mom-1", "우리 집 앞 도로에 포트홀이 생겨서 차가 덜컹거려요", mention=True)
    receipt = receipt_in(bot.in_room("parenting")[0].text)
    refused = await officer(bot, f"/faq {receipt} report-how")
    assert refused.startswith(f"{receipt}은 생활 불편 민원입니다. FAQ 답변은 단순 질의에만")
    assert f"/kind {receipt} 단순 질의" in refused
    assert history(bot, receipt)[-1] == ("received", None, "received")  # left as it was
