"""A resident given choices picks one, or says none fits and reaches an officer; a resident
given an answer that is not what they asked says so and reaches an officer too."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from bot.config import load_settings
from bot.handlers.erase import erase_person
from bot.texts import Texts
from storage.models import FaqOffer, Identity, Person, Ticket
from tests.conftest import write_config
from tests.conversation import MONDAY, Conversation
from tests.running import web_county
from tests.test_webchat import enter

# Two entries fit "몇 시까지 해요?" equally: the bot lists both rather than guess.
POOL_FAQ = """
- id: pool-weekday
  question: 수영장 평일 이용 시간
  answer: 군민 수영장은 평일 오전 6시부터 오후 9시까지 엽니다.
- id: pool-weekend
  question: 수영장 주말 이용 시간
  answer: 군민 수영장은 주말에 오전 9시부터 오후 6시까지 엽니다.
- id: food-waste-bags
  question: 음식물 쓰레기 봉투는 어디서 사나요?
  answer: 음식물 쓰레기 봉투는 읍내 마트와 편의점에서 팝니다.
"""
ASKED = "수영장 몇 시까지 해요?"
BAGS = "음식물 쓰레기 봉투는 어디서 사나요?"  # one entry answers it
NOT_IT = "찾는 답이 아니에요"
ANSWERS = {
    "수영장 평일 이용 시간": "군민 수영장은 평일 오전 6시부터 오후 9시까지 엽니다.",
    "수영장 주말 이용 시간": "군민 수영장은 주말에 오전 9시부터 오후 6시까지 엽니다.",
}


@pytest.fixture
async def bot(tmp_path, database_url):
    faq = tmp_path / "faq.yaml"
    faq.write_text(POOL_FAQ, encoding="utf-8")
    path = write_config(tmp_path, database_url, faq=faq)
    conversation = Conversation(load_settings(path, environ={}))
    await conversation.start()
    yield conversation
    await conversation.stop()


async def offered(bot: Conversation, user: str, **where) -> tuple[str, list[str]]:
    """`user` asks the pool question; returns its message id and the titles the bot listed."""
    asked = await bot.say(user, ASKED, **where)
    offer = bot.pop()
    assert "찾으시는 것이 있나요" in offer.text and "'없음' 버튼" in offer.text
    titles = [line.split(". ", 1)[1] for line in offer.text.splitlines()[1:]]
    assert sorted(titles) == sorted(ANSWERS)
    assert offer.quick_replies == (*titles, "없음")
    return asked, titles


async def test_a_resident_picks_a_choice_by_its_number(bot):
    _, titles = await offered(bot, "mom-1", room=None)
    await bot.say("mom-1", "2번이요", room=None)
    assert bot.pop_text() == ANSWERS[titles[1]]
    bot.assert_silent()


async def test_a_number_beyond_the_choices_is_asked_again(bot):
    _, titles = await offered(bot, "mom-6", room=None)
    await bot.say("mom-6", "3", room=None)
    assert bot.pop_text().startswith("1부터 2까지의 번호 중에서 골라 주세요.")
    await bot.say("mom-6", "1", room=None)
    assert bot.pop_text() == ANSWERS[titles[0]]


async def test_a_resident_taps_a_title_in_a_group_room(bot):
    _, titles = await offered(bot, "head-1", room="heads", mention=True)
    picked = await bot.say("head-1", titles[0], room="heads", mention=True)
    [answer] = bot.in_room("heads")
    assert answer.text == ANSWERS[titles[0]] and answer.reply_to == picked


async def test_none_of_the_choices_passes_the_question_on_as_asked(bot):
    asked, _ = await offered(bot, "mom-2", room=None)
    await bot.say("mom-2", "없음", room=None)
    receipt = bot.in_room("dm-mom-2")[0].text
    assert "담당자에게 전달했습니다" in receipt
    [to_officers] = bot.to_officers()
    assert ASKED in to_officers.text
    with Session(bot.app.engine) as session:
        ticket = session.exec(select(Ticket)).one()
        assert (ticket.category, ticket.text) == ("question", ASKED)
        assert ticket.message_id == asked  # the officer's answer will reply to the question
        assert session.exec(select(FaqOffer)).all() == []  # settled


@pytest.mark.parametrize("reply", ["없어요", "다 아니에요", "해당 없음"])
async def test_residents_say_none_fits_in_their_own_words(bot, reply):
    await offered(bot, "mom-3", room=None)
    await bot.say("mom-3", reply, room=None)
    assert "접수번호" in bot.pop_text()


async def test_choices_lapse_when_the_resident_moves_on_or_comes_back_later(bot):
    await offered(bot, "mom-4", room=None, at=MONDAY)
    await bot.say("mom-4", "음식물 쓰레기 봉투는 어디서 사나요?", room=None)
    assert "편의점" in bot.pop_text()
    await bot.say("mom-4", "2", room=None)  # the choices were dropped: "2" picks nothing
    assert "수영장" not in bot.pop_text()

    await offered(bot, "mom-4", room=None)
    await bot.say("mom-4", "1", room=None, at=MONDAY + timedelta(minutes=31))
    assert "수영장" not in bot.pop_text()


async def test_another_residents_number_picks_nothing(bot):
    await offered(bot, "head-2", room="heads", mention=True)
    await bot.say("head-3", "2", room="heads", mention=True)
    assert all("수영장" not in m.text for m in bot.in_room("heads"))


async def answered(bot: Conversation, user: str, **where) -> str:
    """`user` asks where to buy food-waste bags and is answered; returns the question's id."""
    asked = await bot.say(user, BAGS, **where)
    answer = bot.pop()
    assert "편의점" in answer.text and answer.reply_to == asked
    assert answer.quick_replies == (NOT_IT,)
    return asked


def _ticket(bot: Conversation) -> Ticket:
    with Session(bot.app.engine) as session:
        return session.exec(select(Ticket)).one()


async def test_an_answer_that_is_not_what_was_asked_passes_the_question_on(bot):
    asked = await answered(bot, "mom-7", room=None)
    await bot.say("mom-7", NOT_IT, room=None)  # the button under the answer
    assert "담당자에게 전달했습니다" in bot.pop_text()
    [notice] = bot.to_officers()
    assert BAGS in notice.text
    assert f"'{BAGS}' 항목으로 답했지만 주민이 찾던 답이 아니라고" in notice.text
    ticket = _ticket(bot)
    assert (ticket.category, ticket.text, ticket.message_id) == ("question", BAGS, asked)
    await bot.say("officer-kim", f"/ticket {ticket.receipt_no}", room=None)
    assert f"봇 답변이 찾던 내용이 아님: {BAGS}" in bot.pop_text()


async def test_a_resident_says_what_they_did_ask_in_a_group_room(bot):
    await answered(bot, "head-4", room="heads", mention=True)
    turned_down = "아니요 그거 말고 음식물 쓰레기통은 어디서 받아요?"
    await bot.say("head-4", turned_down, room="heads", mention=True)
    [receipt] = bot.in_room("heads")
    assert "접수번호" in receipt.text
    assert _ticket(bot).text == f"{BAGS}\n{turned_down}"


async def test_in_a_listen_room_that_answer_turned_down_is_passed_on_not_given_again(bot):
    """Without calling the bot, just after its answer: 아니요 그거 말고 … is about it."""
    await answered(bot, "mom-9")  # in a listen room, unaddressed
    turned_down = "아니요 그거 말고 음식물 쓰레기통은 어디서 받아요?"
    await bot.say("mom-9", turned_down)
    [receipt] = bot.in_room("parenting")
    assert "담당자에게 전달했습니다" in receipt.text and "편의점" not in receipt.text
    assert _ticket(bot).text == f"{BAGS}\n{turned_down}"


async def test_a_bare_no_in_a_listen_room_may_be_for_a_neighbour(bot):
    await answered(bot, "mom-9")
    await bot.say("mom-9", "아니요 괜찮아요")
    with Session(bot.app.engine) as session:
        assert session.exec(select(Ticket)).all() == []


@pytest.mark.parametrize("reply", ["아니 근데 진짜 가깝네요 고마워요", "감사합니다"])
async def test_thanks_for_an_answer_passes_nothing_on(bot, reply):
    await answered(bot, "head-5", room="heads", mention=True)
    await bot.say("head-5", reply, room="heads", mention=True)
    with Session(bot.app.engine) as session:
        assert session.exec(select(Ticket)).all() == []


async def test_saying_no_to_a_neighbour_after_an_answer_passes_nothing_on(bot):
    await answered(bot, "mom-8")  # in a listen room, unaddressed
    await bot.say("mom-8", "아니요 저는 마트에서 사요", to_member=True)
    await bot.say("mom-8", NOT_IT, mention=True)  # the answer was settled by the last line
    with Session(bot.app.engine) as session:
        assert session.exec(select(Ticket)).all() == []


async def test_erasing_a_resident_drops_the_choices_holding_their_question(bot):
    await offered(bot, "mom-5", room=None)
    with Session(bot.app.engine) as session:
        person = session.exec(
            select(Person).join(Identity).where(Identity.user_id == "mom-5")
        ).one()
        erase_person(session, person, Texts(), now=bot.clock.now(), by="test")
        session.commit()
        assert session.exec(select(FaqOffer)).all() == []


@pytest.fixture
def running(tmp_path, database_url):
    faq = tmp_path / "faq.yaml"
    faq.write_text(POOL_FAQ, encoding="utf-8")
    bot = web_county(tmp_path, database_url, faq=faq)
    yield bot
    bot.stop()


@pytest.mark.browser
def test_in_the_web_chat_a_resident_taps_a_choice_none_of_them_and_not_it(running, chromium):
    page = chromium.new_context().new_page()
    enter(page, running.url, "지은맘", room="dm")

    page.fill("#text", ASKED)
    page.press("#text", "Enter")
    page.click(".quick button:has-text('수영장 주말 이용 시간')")
    page.wait_for_selector(".msg.bot:has-text('주말에 오전 9시부터 오후 6시까지')")

    page.fill("#text", ASKED)
    page.press("#text", "Enter")
    page.wait_for_selector(".quick >> nth=1")
    page.locator(".quick").last.locator("button:has-text('없음')").click()
    page.wait_for_selector(".msg.bot:has-text('담당자에게 전달했습니다')")

    page.fill("#text", BAGS)
    page.press("#text", "Enter")
    answer = page.locator(".msg.bot:has-text('편의점')")
    answer.locator(f".quick button:has-text('{NOT_IT}')").click()
    page.wait_for_selector(".msg.bot:has-text('담당자에게 전달했습니다') >> nth=1")


@pytest.mark.browser
def test_the_choices_offered_to_one_resident_are_not_buttons_for_another(running, chromium):
    """A neighbour tapping them would answer for the asker; and on a phone, a long address a
    neighbour posts wraps inside its line."""
    asker, neighbour = (chromium.new_context().new_page() for _ in range(2))
    for page, name in ((asker, "지은맘"), (neighbour, "윗집언니")):
        enter(page, running.url, name)
    asker.fill("#text", f"@소통봇 {ASKED}")
    asker.press("#text", "Enter")
    offer = asker.wait_for_selector(".msg.bot:has(.quick button)")
    seen = neighbour.wait_for_selector(f".msg.bot[data-id='{offer.get_attribute('data-id')}']")
    assert seen.query_selector(".quick") is None
    long_link = "https://county.example/" + "a" * 150
    neighbour.set_viewport_size({"width": 360, "height": 740})
    neighbour.fill("#text", f"여기 보세요 {long_link}")
    neighbour.press("#text", "Enter")
    line = neighbour.wait_for_selector(".msg.mine:has-text('여기 보세요')")
    assert line.evaluate("e => e.scrollWidth <= e.clientWidth")  # a long address wraps


async def test_one_close_entry_is_offered_as_a_question_not_a_list_of_one(tmp_path, database_url):
    """On the county's FAQ, a farm hut fits the building-permit entry best, not surely enough
    to answer it."""
    bot = Conversation(load_settings(write_config(tmp_path, database_url), environ={}))
    await bot.start()
    try:
        await bot.say("mom-1", "밭옆에농막하나지으려는데어디서상담해요", mention=True)
        offer = bot.pop()
        [title, none] = offer.quick_replies
        assert offer.text.startswith(f"혹시 '{title}'에 대한 안내를 찾으시나요?")
        assert none == "없음" and "1." not in offer.text
        await bot.say("mom-1", title, mention=True)
        assert "건축" in bot.pop_text()
    finally:
        await bot.stop()
