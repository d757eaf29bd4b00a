"""The FAQ index: the three outcomes, and answers that generalise to another department."""

from __future__ import annotations

import pytest

from bot.faq import FaqIndex

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


def test_a_word_the_entry_does_not_cover_blocks_the_answer(county):
    # 팩스 is what is asked; the office-hours entry only shares the place
    assert county.decide("군청 민원실에서 팩스 보내 주는 것도 돼?").outcome != "answer"


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("음식물 쓰레기 봉투 어디서 사요?", "food-waste"),
        ("헌 침대 매트리스 버릴려면 어떻게 해야되요?", "bulky-waste"),
        ("전입신고정부24로해도돼요", "move-in-report"),
        ("물세 고지서 나왔는디 은행 가서 내믄 되제?", "water-bill"),
        ("강아지는 몇 개월부터 등록해야 하나요?", "pet-registration"),
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
