"""Triage and the whole understanding: intents, listen-room strictness, and bad input."""

from __future__ import annotations

import json
import math

import pytest

from bot.faq import Decision, FaqIndex, Understanding, understand
from bot.faq.intents import IntentModel
from bot.faq.triage import default_cues
from tests.faq.conftest import DATA, FAMILY_FAQ

# One example of each thing a message can do (its "why"), on the sample county FAQ. The intent
# model is trained on them too (scripts/train_intents.py): held out, it got 113 of the 119.
EXAMPLES = [
    json.loads(line)
    for line in (DATA / "cases-triage-examples.jsonl").read_text(encoding="utf-8").splitlines()
]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e["text"][:30])
def test_triage_tells_the_four_intents_apart(county, example):
    assert understand(county, example["text"], listen=True).intent == example["intent"]


def test_a_problem_told_politely_is_reported_even_when_the_faq_knows_its_topic():
    welfare = FaqIndex.load(DATA / "faq-welfare2.yaml")
    text = "집 고치기 사업으로 수리받은 지붕에서 또 비가 샙니다. 점검 부탁드립니다."
    assert understand(welfare, text, listen=True).intent == "inconvenience"


@pytest.mark.parametrize(
    "proposed",
    [
        "막차 시간 좀 늦춰 주세요",
        "버스 배차 간격 좀 줄여 주세요",
        "주차 요금 좀 낮춰 주세요",
        "과속방지턱 좀 높여 주세요",
        "군청 홈페이지 글씨 좀 크게 해 주세요",
        "버스 막차 시간을 좀 늦춰 주셨으면 합니다",
    ],
)
def test_asking_that_a_service_run_otherwise_proposes_it(county, proposed):
    result = understand(county, proposed, listen=True)
    assert result.intent == "suggestion" and result.confident


@pytest.mark.parametrize(
    "said",
    [
        "소리 좀 줄여 주세요 ㅋㅋ 형님",
        "살 좀 빼야 하는데 밥 양을 줄여야겠어요",
        "짐 좀 옮겨 주실 분 계세요?",
    ],
)
def test_the_same_verbs_between_neighbours_are_small_talk(county, said):
    assert understand(county, said, listen=True).intent == "chatter"


def test_a_listen_room_needs_more_certainty_to_act_on_a_message_with_small_talk_in_it(
    county, monkeypatch
):
    """With the intent model 70 % sure of every message, only the one without small-talk cues
    (형님), said to the room rather than as a reply to another member, is acted on."""
    odds = {"chatter": 1.0, "inconvenience": 7.0, "question": 1.0, "suggestion": 1.0}
    seventy = IntentModel(tuple(odds), tuple(math.log(o) for o in odds.values()), {})
    monkeypatch.setattr("bot.faq.triage.default_model", lambda: seventy)
    told_a_neighbour = understand(county, "형님 면사무소 앞 가로등 또 나갔던데요", listen=True)
    told_the_room = understand(county, "면사무소 앞 가로등 또 나갔어요 새터마을 입구", listen=True)
    assert told_a_neighbour.intent == told_the_room.intent == "inconvenience"
    assert told_a_neighbour.confidence == pytest.approx(0.7) == told_the_room.confidence
    assert told_the_room.confident and not told_a_neighbour.confident
    replying = understand(
        county, "면사무소 앞 가로등 또 나갔어요 새터마을 입구", listen=True, to_member=True
    )
    assert replying.confidence == pytest.approx(0.7) and not replying.confident


@pytest.mark.parametrize(
    "text",
    [
        "저희 골목도 그래요 밤에 너무 깜깜해요",
        "덕림리도 똑같소",
        "맞아요 저도 어제 봤어요",
        "저두요",
        "우리 아파트 놀이터에도 와 있어요",  # in that place too
        "윗마을 회관 앞에서도 봤어요",
    ],
)
def test_saying_one_has_a_neighbours_problem_too_is_a_report_of_it_just_after_theirs(county, text):
    alone = understand(county, text, listen=True)
    after = understand(county, text, listen=True, after_report=True)
    assert not alone.echoes and alone.intent == "chatter"
    assert after.echoes and after.intent == "inconvenience" and after.confident


@pytest.mark.parametrize(
    "text", ["헉 큰일이네요 조심하세요", "저도 감사해요", "ㅋㅋㅋ 저도요", "저희 동네도 그래요?"]
)
def test_sympathy_thanks_jokes_and_questions_after_a_report_are_no_report(county, text):
    assert not understand(county, text, listen=True, after_report=True).echoes


@pytest.mark.parametrize(
    "text",
    [
        "네 면사무소에서 출생신고하면서 같이 해달라고 하면 돼요",
        "보건소 모자보건실에 물어보면 돼요~ 소득 기준 있어요",
        "장롱은 면사무소서 스티커 사다 붙여야 되지라",
    ],
)
def test_a_neighbours_answer_just_after_a_question_is_theirs_to_give(county, text):
    alone = understand(county, text, listen=True)
    assert alone.intent == "question"  # read alone, the county's words make it one
    after = understand(county, text, listen=True, after_question=True)
    assert after.intent == "chatter" and not after.confident
    assert after.decision.outcome == "unknown"


def test_a_question_of_ones_own_just_after_a_neighbours_is_still_a_question(county):
    text = "저도 궁금한데 출산장려금은 어디서 신청해요?"
    after = understand(county, text, listen=True, after_question=True)
    assert after.intent == "question" and after.decision.entry.id == "birth-grant"
    report = "새터마을 입구 가로등이 사흘째 꺼져 있어요 고쳐주세요"
    assert understand(county, report, listen=True, after_question=True).intent == "inconvenience"


@pytest.mark.parametrize("text", ["진짜요? 얼마예요?", "얼마래요?", "언제까지요?"])
def test_asking_only_how_much_or_when_of_something_said_before_gets_no_entry(county, text):
    in_a_room = understand(county, text, listen=True)
    assert in_a_room.intent == "chatter"  # for whoever said it
    assert in_a_room.decision.outcome == "unknown"
    addressed = understand(county, text, listen=False)
    assert addressed.decision.outcome == "unknown"  # "I don't know", never a guess
    assert understand(county, "주차장 요금 얼마예요?", listen=True).decision.outcome == "answer"


def test_a_reporter_telling_more_just_after_adds_to_their_report_but_thanks_do_not(county):
    more = understand(county, "벌써 일주일째예요ㅠㅠ", listen=True, after_own_report=True)
    assert more.adds and more.intent == "inconvenience" and more.confident
    assert not understand(county, "벌써 일주일째예요ㅠㅠ", listen=True).adds
    for text in ("네 감사합니다", "언제쯤 고쳐질까요?", "저는 이제 애 데리러 가야겠어요"):
        assert not understand(county, text, listen=True, after_own_report=True).adds

    result = understand(county, "출산장려금 받으려면 어디로 가야 하나요?", listen=True)
    assert result.intent == "question" and result.confident
    assert result.decision.outcome == "answer"
    assert result.decision.entry.id == "birth-grant"


@pytest.mark.parametrize(
    "asked", ["언제 고쳐주시는지 답좀 주세요", "신고한 거 어떻게 됐나요?", "아직 소식이 없네요"]
)
def test_a_reporter_asking_how_their_report_stands_presses_for_it(county, asked):
    assert understand(county, asked, listen=True, after_own_report=True).presses
    assert understand(county, asked, listen=True, in_own_case=True).presses
    assert not understand(county, asked, listen=True, after_report=True).presses  # a neighbour


def test_thanks_and_more_detail_from_the_reporter_press_for_nothing(county):
    for text in ("고쳐주셔서 감사합니다", "벌써 일주일째예요ㅠㅠ", "쓰레기봉투 어디서 사요?"):
        assert not understand(county, text, listen=True, in_own_case=True).presses


@pytest.mark.parametrize(
    "backed",
    [
        "찬성이요",
        "완전 공감이요",
        "ㅋㅋㅋ 인정 완전 동의",
        "그 말 맞소",
        "오 그거 좋다 ㅋㅋ",
        "222",
        "맞어 나도 그 생각 했어",
        "저도 한 표요",
        "그게 맞죠 찬성해요",  # 죠 seeks agreement; it asks nothing
        "늦게 봤는데 저도 찬성이에요",  # 는데 telling when, not a reservation
        "완전 공감 꼭 됐으면 좋겠어요",
    ],
)
def test_a_neighbour_agreeing_just_after_a_proposal_backs_it(county, backed):
    result = understand(county, backed, listen=True, after_proposal=True)
    assert result.supports and result.decision.outcome == "unknown"
    assert not understand(county, backed, listen=True).supports  # nothing proposed before


@pytest.mark.parametrize(
    "said",
    [
        "좋긴 한데 물건 들어오는 차들이 문제겠네요",  # a reservation
        "해 주면 좋은데 선생님 구하기가 어렵대요",
        "근데 관리는 누가 함?ㅋㅋ",  # a doubt, asked
        "저는 반대예요",
        "다음 주 금요일 청년회관에서 보드게임 모임 할 사람~",  # the room moved on
        "그늘막 있는 공원이 어디예요?",  # a question of its own
    ],
)
def test_doubts_questions_and_other_talk_after_a_proposal_back_nothing(county, said):
    assert not understand(county, said, listen=True, after_proposal=True).supports


def test_a_listen_room_never_offers_choices_but_an_addressed_bot_may(write_faq):
    from bot.faq import FaqIndex

    index = FaqIndex.load(
        write_faq(
            "- id: pool-fee\n  question: 군민 수영장 이용 요금은 얼마인가요?\n  answer: 3000원\n"
            "- id: pool-hours\n  question: 군민 수영장 이용 시간은 언제인가요?\n  answer: 9시\n"
        )
    )
    addressed = understand(index, "군민 수영장 이용 문의합니다?", listen=False)
    listening = understand(index, "군민 수영장 이용 문의합니다?", listen=True)
    assert addressed.decision.outcome == "offer"
    assert listening.decision.outcome == "unknown"


def test_an_addressed_bot_takes_a_real_question_as_a_question(county):
    assert understand(county, "점심 맛있는 데 어디야?", listen=True).intent == "chatter"
    assert understand(county, "점심 맛있는 데 어디야?", listen=False).intent == "question"
    assert understand(county, "감사합니다!!", listen=False).intent == "chatter"


def test_small_talk_is_never_answered_even_when_it_shares_words(county):
    result = understand(county, "약 먹고 푹 쉬어야겠다", listen=True)
    assert result.intent == "chatter"
    assert result.decision.outcome == "unknown"


BAD_INPUT = [
    "",
    " \n\t ",
    "가" * 10_000,
    "쓰레기 " * 2_000,
    "👍👍👍🙏🎉",
    "\x00\x01\x02\x7f\x1b[31m",
    "\ud800\udfff",
    "ﾟ･✿ヾ╲(｡◕‿◕｡)╱✿･ﾟ",
    "%s %d {0} ${HOME} <script>",
    "\u200b\u200b\u200b",
]


@pytest.mark.parametrize("text", BAD_INPUT)
@pytest.mark.parametrize("listen", [True, False])
def test_any_string_gives_a_decision_never_an_exception(county, text, listen, caplog):
    result = understand(county, text, listen=listen)
    assert not caplog.records  # understood, not rescued by the last-resort catch
    assert isinstance(result, Understanding) and isinstance(result.decision, Decision)
    assert result.intent in ("question", "inconvenience", "suggestion", "chatter")
    assert 0.0 <= result.confidence <= 1.0
    assert result.decision.outcome in ("answer", "offer", "unknown")


def test_a_failure_inside_the_understanding_is_logged_without_the_message(
    county, monkeypatch, caplog
):
    def broken(text: str) -> Decision:
        raise RuntimeError("index damaged")

    monkeypatch.setattr(county, "decide", broken)
    result = understand(county, "제 전화번호는 010-1234-5678이에요", listen=True)
    assert result.intent == "chatter" and result.decision.outcome == "unknown"
    assert "could not understand" in caplog.text and "index damaged" in caplog.text
    assert "010-1234-5678" not in caplog.text


def test_emoji_only_and_empty_messages_are_chatter(county):
    assert understand(county, "👍👍👍", listen=True).intent == "chatter"
    assert understand(county, "", listen=False).intent == "chatter"


@pytest.fixture(scope="module")
def family() -> FaqIndex:
    return FaqIndex.load(FAMILY_FAQ)


def test_someone_in_danger_is_never_small_talk_nor_given_an_unrelated_answer(family):
    # in a listen room; the Korean-class entry shares 한국말, and must not be the answer
    result = understand(
        family, "남편이 술 마시면 때려요. 한국말 잘 못해요. 어디 전화해요?", listen=True
    )
    assert result.urgent and result.confident and result.intent != "chatter"
    assert result.decision.outcome == "unknown"
    # the entry about the danger itself is still the answer
    result = understand(
        family, "남편이 술만 먹으면 저를 때려요. 가정폭력 상담 어디서 받아요?", listen=True
    )
    assert result.urgent
    assert result.decision.entry is not None
    assert result.decision.entry.id == "domestic-violence-counseling"


@pytest.mark.parametrize(
    "text",
    [
        "어제 야구 보는데 타자가 공을 세게 때리더라",  # hitting a ball, not a person
        "아 진짜 죽고 싶을 만큼 배고프다 ㅋㅋ",  # laughed off
        "혼자 해야 돼",  # 자해 only as letters across two words
        "학교폭력 예방 교육은 언제 해요?",  # asking about a programme, nobody harmed
    ],
)
def test_words_that_only_sound_dangerous_raise_no_alarm(family, text):
    assert not understand(family, text, listen=True).urgent


def test_asking_plainly_whether_the_county_gives_something_is_a_question_on_any_faq(health):
    # nothing in the health FAQ is about moving in; the question is passed on, not ignored
    assert understand(health, "이사 오면 주는 거 있어?", listen=True).intent == "question"
    assert understand(health, "주말에 뭐 하면 좋을까?", listen=True).intent == "chatter"


@pytest.mark.parametrize("noun", ["병영면도룡리산", "도암면새터마을앞반사경", "군동면솔밭마을정자"])
def test_a_township_and_village_run_together_name_a_place(noun):
    """Run-on text can leave an address glued to what is there (the analyser reads one noun)."""
    assert default_cues().address.search(noun)


def test_다들_addresses_the_room_only_as_a_word(health):
    # 갔다 들어오는: 다 ends one word and 들 begins the next
    assert understand(health, "읍내 갔다 들어오는 막차가 몇 시에 있당가?", listen=True).intent == (
        "question"
    )
    assert understand(health, "다들 잘 들어가셨어요?", listen=True).intent == "chatter"


@pytest.mark.parametrize(
    "text",
    [
        "읍내 안과 두 군데 중에 어디가 더 잘 봐요?",
        "미용실 커트 잘하는 데가 어디예요?",
        "피아노 학원 어느 쪽이 나아요?",
        "한의원 어디가 침 잘 놔요?",
    ],
)
def test_asking_neighbours_which_clinic_or_shop_is_better_is_not_acted_on(county, text):
    result = understand(county, text, listen=True)
    assert result.intent == "chatter" or not result.confident


def test_asking_where_a_county_service_is_still_is_a_question(county):
    result = understand(county, "보건소 치과 진료는 어디서 받아요?", listen=True)
    assert result.intent == "question" and result.confident


def test_news_passed_on_to_neighbours_is_not_acted_on_but_a_problem_told_with_it_is(county):
    relayed = understand(
        county, "군청 문자 왔는데 다음 주부터 경로당 난방비 지원한대요", listen=True
    )
    assert relayed.intent == "chatter" or not relayed.confident
    told = "방송에서 내일 단수한대요 근데 우리 마을은 벌써 물이 안 나와요 빨리 고쳐 주세요"
    problem = understand(county, told, listen=True)
    assert problem.intent == "inconvenience" and problem.confident


def test_asking_neighbours_what_they_did_is_left_to_them_in_a_listen_room(county):
    asked = "지역상품권 가맹점 스티커 새로 나온거 받으셨어요?"
    among_neighbours = understand(county, asked, listen=True)
    assert among_neighbours.decision.outcome == "unknown" and not among_neighbours.confident
    addressed = understand(county, asked, listen=False)
    assert addressed.decision.entry is not None  # asked of the bot, it still answers
    assert understand(county, "지역상품권 가맹점 스티커 받을 수 있나요?", listen=True).confident
    # asking the room for company: the flu jab is theirs to talk over, not the bot's to explain
    for asked in ("내일 보건소 독감주사 맞으러 같이 갈 사람?", "축제 가려는데 같이 갈 분?"):
        company = understand(county, asked, listen=True)
        assert company.decision.outcome == "unknown"
