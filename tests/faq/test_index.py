"""The FAQ index: the three outcomes, and answers that generalise to another department."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.faq import FaqIndex
from bot.faq.index import BEYOND, Candidate, Decision
from bot.faq.rarity import EVERYDAY, specificity
from tests.faq.conftest import COUNTY_FAQ, DATA

POOL = """
- id: pool-fee
  question: 군민 수영장 이용 요금은 얼마인가요?
  answer: 어른 3,000원, 어린이 1,500원입니다.
- id: pool-hours
  question: 군민 수영장 이용 시간은 언제인가요?
  answer: 평일 오전 6시부터 오후 9시까지입니다.
- id: passport
  question: 여권은 어디서 발급하나요?
  variants: [여권 신청 준비물]
  answer: 군청 민원실 여권 창구에서 신청합니다.
"""


@pytest.fixture
def pool(write_faq) -> FaqIndex:
    return FaqIndex.load(write_faq(POOL))


def test_a_clear_question_is_answered(pool):
    decision = pool.decide("여권 만들려면 어디로 가야 돼요?")
    assert decision.outcome == "answer"
    assert decision.entry is not None and decision.entry.id == "passport"
    assert 0.0 < decision.score <= 1.0


def test_two_close_entries_are_offered_as_choices(pool):
    decision = pool.decide("군민 수영장 이용 문의")
    assert decision.outcome == "offer"
    assert decision.entry is None
    assert {entry.id for entry in decision.choices} == {"pool-fee", "pool-hours"}


def test_a_question_no_entry_answers_is_unknown(pool):
    decision = pool.decide("정화조 청소는 어디에 신청해요?")
    assert decision.outcome == "unknown"
    assert decision.entry is None and decision.choices == ()


def test_an_entry_sharing_only_a_generic_word_is_neither_answered_nor_offered(county):
    # 공사 and 언제 are in the water-outage entry, but the hall's remodelling is not
    decision = county.decide("우리 마을 회관 리모델링 공사는 언제 끝나요?")
    assert decision.outcome == "unknown" and decision.choices == ()


def test_a_word_the_entry_does_not_cover_blocks_the_answer(county):
    # 팩스 is what is asked; the office-hours entry only shares the place
    assert county.decide("군청 민원실에서 팩스 보내 주는 것도 돼?").outcome != "answer"


def test_an_everyday_word_the_faq_never_uses_weighs_less_than_a_specific_one(county):
    # neither is in the county FAQ; 나이 is in every conversation, 영수증 says what is asked
    weights = {u.term: u.weight for u in county._units("나이 들어서 기부금 영수증 받을 수 있어요?")}
    assert weights["나이"] < weights["영수증"] / 3
    assert weights["기부금"] == weights["영수증"]


SHORT = """
- {id: scholarship, question: 장학금, answer: 매년 2월 군 장학재단 누리집에서 신청합니다.}
- {id: library-hours, question: 도서관 운영 시간, answer: 평일 오후 10시까지 엽니다.}
- {id: pool-fee, question: 수영장 요금, answer: 1회 3천 원입니다.}
"""


def test_a_message_mostly_about_words_the_faq_never_uses_is_not_answered(write_faq):
    index = FaqIndex.load(write_faq(SHORT))
    assert index.decide("장학금 신청은 언제 해요?").outcome == "answer"
    donating = "장학금 기부하면 영수증 나와요?"  # the entry fits its one word, not the question
    assert index.beyond(donating) >= BEYOND
    assert index.decide(donating).outcome != "answer"


ALLOWANCES = """
- id: child-allowance
  question: 아동수당은 언제 들어와요?
  variants: [양육수당 지급일]
  answer: 매월 25일에 아이 명의 통장으로 들어옵니다.
- id: fences
  question: 야생동물 피해 예방 울타리 지원
  answer: 전기울타리 설치비의 60%를 지원합니다.
"""


def test_another_kind_of_what_an_entry_names_is_not_its_answer(write_faq):
    index = FaqIndex.load(write_faq(ALLOWANCES))
    assert index.decide("아동 수당 언제 들어와요?").entry.id == "child-allowance"
    assert index.decide("수당 언제 들어와요?").entry.id == "child-allowance"
    # 농민수당 is an allowance, but not the one every phrasing of the entry names
    farmers = index.decide("올해 농민수당은 언제 들어와요?")
    assert farmers.outcome != "answer"
    allowance = index.rank("올해 농민수당은 언제 들어와요?")[0]
    assert "수당" in allowance.missed and allowance.other_kinds == ("수당",)  # as faq ask says
    # 전기울타리 is the kind of fence the entry's answer speaks of
    assert index.decide("전기울타리 설치비 지원 신청은 어디에 해요?").entry.id == "fences"


RENTAL = """
- id: machine-rental
  question: 농기계 임대는 어떻게 하나요?
  answer: 농업기술센터 임대사업소에 전화로 예약하고 신분증을 가져오세요.
- id: pool-fee
  question: 군민 수영장 이용 요금은 얼마인가요?
  answer: 어른 3,000원, 어린이 1,500원입니다.
- id: birth-grant
  question: 출산장려금은 얼마인가요?
  answer: 지원 금액은 출생 순위에 따라 다르며 읍·면사무소에서 신청합니다.
"""


def test_asking_how_much_is_not_answered_by_an_entry_that_names_no_amount(write_faq, county):
    assert county.decide("트랙터 임대 하루에 얼마예요?").outcome != "answer"
    assert county.decide("트랙터 임대 어떻게 해요?").entry.id == "farm-machine-rental"
    index = FaqIndex.load(write_faq(RENTAL))
    assert index.decide("수영장 요금 얼마예요?").entry.id == "pool-fee"  # 3,000원
    assert index.decide("셋째 출산장려금 얼마 나와요?").entry.id == "birth-grant"  # 금액은 …
    # 얼마 안 됐다, 얼마 전: a while, not a price
    assert index.decide("이사 온 지 얼마 안 됐는데 농기계 임대 어떻게 해요?").outcome == "answer"


def test_specificity_runs_from_everyday_to_unlisted_words():
    assert specificity("집") == specificity("조금") == EVERYDAY
    assert EVERYDAY < specificity("나이") < specificity("박스") < 1.0
    assert specificity("영수증") == specificity("쓰레기봉투") == 1.0  # rare, or not listed


def test_money_one_is_given_is_not_a_fee():
    economy = FaqIndex.load(DATA / "faq-economy.yaml")
    # 남은 돈 is neither the voucher's price nor its discount: no entry answers a lost card
    assert economy.decide("지역화폐 카드 잃어버리면 남은 돈 돌려받을 수 있어?").outcome != "answer"
    # … while the price asked for still leads to the voucher's purchase entry
    assert economy.rank("지역화폐 살 때 얼마나 할인돼요?")[0].entry.id == "local-currency-discount"


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("음식물 쓰레기 봉투 어디서 사요?", "food-waste"),
        ("헌 침대 매트리스 버릴려면 어떻게 해야되요?", "bulky-waste"),
        ("전입신고정부24로해도돼요", "move-in-report"),
        ("물세 고지서 나왔는디 은행 가서 내믄 되제?", "water-bill"),
        ("강아지는 몇 개월부터 등록해야 하나요?", "pet-registration"),
        ("읍내 가는 버스 몇 시에 있어요?", "bus-timetable"),  # not 읍내 주차 요금
        ("길이 움푹 패였는데 어디다 신고해요?", "report-how"),  # 패이다: 도로 파손
        ("접수한 민원 끝났는지 어디서 봐요?", "complaint-status"),
        ("일요일에 쓰레기 내놓으면 가져가나요?", "waste-schedule"),  # not 음식물
    ],
)
def test_county_questions_in_many_styles(county, text, entry):
    decision = county.decide(text)
    assert decision.outcome == "answer" and decision.entry.id == entry


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("임신했는데 엽산 어디서 받을 수 있어요?", "prenatal-support"),
        ("보건증 발급 받을라믄 돈 얼마 드는가요", "health-certificate"),
        ("폐의약품수거함어디있어요", "medicine-disposal"),
        ("담배 끊으려고 하는데 보건소에서 도와주나요?", "smoking-cessation"),
        ("우리 엄마가 요즘 자꾸 깜빡깜빡하시는데 검사 어디서 받아요?", "dementia-screening"),
    ],
)
def test_a_second_department_faq_is_matched_without_tuning(health, text, entry):
    decision = health.decide(text)
    assert decision.outcome == "answer" and decision.entry.id == entry


def test_ranking_explains_itself(county):
    best = county.rank("출산장려금 받으려면 어디로 가야 하나요?")[0]
    assert best.entry.id == "birth-grant"
    assert "출산" in best.matched or "출산장려금" in "".join(best.matched)
    assert 0.0 <= best.coverage <= 1.0 and 0.0 <= best.phrase <= 1.0


COMPOUNDS = """
- id: crop-insurance
  question: 농작물 재해 보험은 어떻게 가입하나요?
  answer: 지역 농협에서 가입합니다.
- id: night-pharmacy
  question: 밤에 문 여는 약국은 어디인가요?
  answer: 응급의료포털에서 확인하세요.
- id: passport
  question: 여권은 어디서 발급하나요?
  answer: 군청 민원실에서 발급합니다.
"""


@pytest.fixture
def compounds(write_faq) -> FaqIndex:
    return FaqIndex.load(write_faq(COMPOUNDS))


def test_an_unknown_compound_noun_is_read_as_the_parts_the_faq_knows(compounds):
    # the analyser may keep 재해보험 whole in one sentence and split it in another
    assert compounds._split(["재해보험"], {"재해보험"}) == ["재해", "보험"]
    assert compounds._split(["여권"], {"여권"}) == ["여권"]  # a known word stays whole
    assert compounds._split(["고양이집"], {"고양이집"}) == ["고양이집"]  # parts unknown


PARTS = """
- id: monorail
  question: 관광 모노레일 요금은 얼마인가요?
  answer: 어른 8천 원입니다.
- id: sports-ground
  question: 공설운동장 사용 신청은 어떻게 하나요?
  answer: 군청 체육팀에 신청하세요.
"""


def test_a_word_the_faq_uses_only_inside_a_compound_is_related_to_it(write_faq):
    index = FaqIndex.load(write_faq(PARTS))
    (rail,) = [unit for unit in index._units("레일 타는 거 얼마예요?") if unit.term == "레일"]
    assert "모노레일" in rail.broad  # 모노레일 = 모노 + 레일
    # 운동장 is not 운동 + 장: exercising is not the sports ground
    (exercise,) = [unit for unit in index._units("운동 좋아해요") if unit.term == "운동"]
    assert not exercise.broad


def test_a_noun_with_a_particle_is_not_read_as_a_verb_stem(compounds):
    terms = {unit.term for unit in compounds._units("밤에 아이가 열이 나요")}
    assert "열다" not in terms  # 열이 (fever) is not 열다 (to open)


WASTE = """
- id: food-waste
  question: 음식물쓰레기는 어떻게 버리나요?
  variants: [음식물 쓰레기 봉투, 음식물 수거 용기]
  answer: 음식물 전용 봉투에 담아 생활쓰레기와 같은 요일에 내놓으세요.
- id: waste-schedule
  question: 생활쓰레기 배출 요일과 시간이 어떻게 되나요?
  variants: [일반쓰레기 버리는 날, 종량제 봉투 내놓는 시간]
  answer: 일요일부터 목요일 저녁에 내놓으시면 수거합니다.
- id: passport
  question: 여권은 어디서 발급하나요?
  answer: 군청 민원실에서 발급합니다.
"""


def test_an_entry_about_a_word_the_message_never_names_gives_way_to_a_close_one(
    write_faq, monkeypatch
):
    index = FaqIndex.load(write_faq(WASTE))
    food, schedule, passport = index.entries[:3]
    assert index._keys[0].defining == {"음식물"}  # every phrasing of food-waste names it
    ranked = {c.entry.id: c for c in index.rank("쓰레기 내놓으면 가져가요?", 3)}
    assert ranked["food-waste"].unnamed and not ranked["waste-schedule"].unnamed
    unnamed = Candidate(food, 0.7, 0.8, 0.6, 0.0, 3.0, ("쓰레기",), (), unnamed=True)
    named = Candidate(schedule, 0.65, 0.8, 0.5, 0.0, 3.0, ("쓰레기",), ())

    def ranking(*candidates: Candidate) -> None:
        monkeypatch.setattr(index, "_ranked", lambda units, limit: list(candidates))

    def decided() -> Decision:
        return index.decide("쓰레기 내놓으면 가져가요?")

    # the named runner-up, clearly ahead of the rest, is the answer
    ranking(unnamed, named)
    assert decided().outcome == "answer" and decided().entry == schedule
    # ... but when a third entry is as close, the resident chooses
    ranking(unnamed, named, Candidate(passport, 0.63, 0.7, 0.5, 0.0, 3.0, ("쓰레기",), ()))
    assert decided().outcome == "offer"
    assert [entry.id for entry in decided().choices] == ["food-waste", "waste-schedule", "passport"]
    # an entry the message names is answered as before
    ranking(replace(unnamed, unnamed=False), named)
    assert decided().entry == food
    # a runner-up that leaves out a weighty word the best covers is no better
    ranking(unnamed, replace(named, gap=0.3))
    assert decided().entry == food


def test_a_determiner_joins_the_noun_it_is_written_with():
    from bot.faq.text import analyse

    assert "첫차" in analyse("첫차 시간 알려주세요").compounds  # 첫 + 차 as the analyser splits it


YOUTH = """
- id: youth-rent
  question: 청년 월세 지원은 어떻게 신청하나요?
  variants: [청년 월세 지원 자격]
  answer: 만 19~34세 무주택 청년에게 월 20만 원까지 지원합니다.
- id: pool-lessons
  question: 수영장 강습은 언제 신청하나요?
  answer: 매월 20일부터 다음 달 강습을 접수합니다.
- id: pool-free-swim
  question: 수영장 자유수영 시간은 언제인가요?
  variants: [자유수영 이용 시간]
  answer: 평일 낮 12시부터 2시까지 자유수영을 할 수 있습니다.
"""


def test_what_말고_sets_aside_is_not_what_is_asked(write_faq):
    index = FaqIndex.load(write_faq(YOUTH))
    # the resident names the rent support only to say it is not what they mean
    decision = index.decide("청년 월세 말고 전세 대출 이자 지원해 주는 것도 있나요?")
    assert decision.outcome != "answer"
    decision = index.decide("수영장 강습말고 자유수영은 몇 시에 해요?")
    assert decision.entry is not None and decision.entry.id == "pool-free-swim"


def test_every_sentence_with_a_question_mark_is_asked(pool):
    # the first question names what is asked about; the follow-up only adds a detail
    decision = pool.decide("여권 어디서 만들어요? 사진도 가져가요?")
    assert decision.outcome != "unknown"
    assert "passport" in {entry.id for entry in (decision.entry, *decision.choices) if entry}


FINES = """
- id: parking-fine
  question: 주차 과태료 이의신청은 어떻게 하나요?
  answer: 사전통지서를 받은 날부터 20일 안에 교통과에 의견을 내시면 됩니다.
- id: plate-release
  question: 자동차세를 내면 영치된 번호판은 언제 돌려받나요?
  answer: 체납액을 내시면 당일 돌려받으실 수 있습니다.
- id: bus-fare
  question: 군내버스 요금은 얼마를 내나요?
  answer: 어른 1,000원입니다.
"""


@pytest.mark.parametrize(
    "text",
    [
        # 이거 asks about what the sentence before said: that sentence is not a preamble
        "길가에 잠깐 섰는데 과태료 나왔다 하니. 이거 안 내는 방법 없나요?",
        # a quoting 하다 continues the sentence; 하던데 … does not begin a new one
        "과태료가 나왔다 하던데 이거 안 내려면 어떻게 해요?",
    ],
)
def test_a_question_about_what_was_just_said_is_about_it(write_faq, text):
    decision = FaqIndex.load(write_faq(FINES)).decide(text)
    assert decision.outcome == "answer"
    assert decision.entry is not None and decision.entry.id == "parking-fine"


SEASONS = """
- id: summer-support
  question: 경로당 하절기 운영비 지원은 언제 나오나요?
  answer: 7월과 8월에 경로당 계좌로 들어갑니다.
- id: winter-support
  question: 경로당 동절기 운영비 지원은 언제 나오나요?
  answer: 11월부터 3월까지 경로당 계좌로 들어갑니다.
"""


def test_a_season_is_one_season_however_it_is_named(write_faq):
    index = FaqIndex.load(write_faq(SEASONS))
    assert index.decide("경로당 여름 운영비는 언제 들어와요?").entry.id == "summer-support"
    assert index.decide("경로당 겨울철 운영비 언제 나와요?").entry.id == "winter-support"


EAR_TAGS = """
- id: ear-tag
  question: 송아지가 태어나면 귀표 부착과 이력제 신고는 어떻게 하나요?
  answer: 태어난 지 30일 안에 축협에 신고하고 귀표를 다세요.
- id: calf-price
  question: 송아지 가격 안정제는 어떻게 가입하나요?
  answer: 축협에서 가입합니다.
- id: vaccine
  question: 구제역 백신 접종은 언제 하나요?
  answer: 4월과 10월에 합니다.
- id: barn
  question: 축사를 새로 지으려면 허가를 받아야 하나요?
  answer: 건축 허가를 받아야 합니다.
"""


def test_a_compound_the_faq_knows_speaks_for_its_parts(write_faq):
    index = FaqIndex.load(write_faq(EAR_TAGS))
    # the analyser splits 소귀표 as 소귀 + 표; the FAQ knows 소귀표 (a 귀표), not 소귀
    assert index.decide("소귀표떨어졌는데다시어디서받아요").entry.id == "ear-tag"


def test_a_taught_phrasing_answers_its_own_words_but_its_common_words_alone_do_not(county):
    """What residents say besides the point (우리 동네, 한 달에 얼마) must not become what the
    entry is about: learned words are weaker evidence than the officers' own."""
    lesson = {"childcare-allowance": ["우리 동네 아이 키우면 한 달에 얼마씩 주나요?"]}
    taught, untaught = FaqIndex.load(COUNTY_FAQ, lesson), county
    asked = "우리 마을에서 애 키우면 한 달에 얼마씩 줘요?"
    assert untaught.decide(asked).outcome != "answer"
    assert taught.decide(asked).entry.id == "childcare-allowance"
    assert taught.decide("우리 동네 한 달에 얼마씩 주는 거 있어요?").outcome != "answer"
    assert taught.decide("우리 동네 아이 낳으면 얼마 주나요?").entry.id == "birth-grant"
    assert taught.entry("childcare-allowance").learned and not untaught.entry("nothing-here")


def test_what_a_question_asks_in_words_no_entry_uses_is_named(pool):
    """The topics of questions the FAQ cannot answer, for officers writing new entries: the
    specific words, not the people, verbs or what 말고 sets aside."""
    # heaviest first: what is asked for, then where (탈의실에)
    assert pool.unknown_words("수영장 탈의실에 사물함 있어요?") == ["사물함", "탈의실"]
    assert pool.unknown_words("우리 엄마가 여권 잃어버렸는데 어떡해요") == []
    assert pool.unknown_words("수영장 말고 헬스장 요금은요?") == ["헬스장"]
    assert pool.unknown_words("여권 신청 어디서 해요?") == []
