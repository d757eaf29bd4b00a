"""Normalisation: spacing, typos, particles and dialect endings reduce to the same terms."""

from __future__ import annotations

import pytest

from bot.faq.lexicon import default_lexicon
from bot.faq.text import analyse, clean, read_ahead


def content(text: str) -> set[str]:
    analysis = analyse(text)
    return set(analysis.terms) | set(analysis.compounds)


def test_missing_spaces_give_the_same_content_words():
    spaced = content("명절 당일에도 쓰레기 수거하나요")
    run_on = content("명절당일에도쓰레기수거하나요")
    assert {"명절", "당일", "쓰레기", "수거"} <= run_on
    assert {"명절", "당일", "쓰레기", "수거"} <= spaced


def test_written_apart_or_together_a_compound_meets_itself():
    assert "쓰레기봉투" in content("쓰레기 봉투 어디서 사요")
    assert "쓰레기봉투" in content("쓰레기봉투 어디서 사요")


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("도서관은 몇 시에 열어요?", "도서관"),
        ("도서관에서 책 빌려요", "도서관"),
        ("도서관이랑", "도서관"),
    ],
)
def test_particles_are_not_part_of_the_word(text, word):
    assert word in analyse(text).terms


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("군청서 소리 재러 나와 주남?", "군청"),
        ("병영면서 읍내 나가는 첫차", "면"),
        ("마을회관서 모여요", "회관"),
        ("서울서 왔어요", "서울"),
    ],
)
def test_spoken_seo_after_a_place_is_a_particle_not_a_word(text, place):
    terms = analyse(text).terms
    assert place in terms
    assert "서" not in terms
    assert "서다" not in terms


def test_a_word_ending_in_seo_keeps_it():
    assert "경찰서" in analyse("경찰서 어디예요").terms


@pytest.mark.parametrize(
    ("dialect", "standard"),
    [
        ("면사무소 가믄 등본 띠어 주요", "가면"),  # 전라도 -믄
        ("버릴라는디 어디다 말해야", "버릴라는데"),  # 전라도 -는디
        ("누가 치워야 한당께", "한다니까"),  # 전라도 -당께
        ("이거 어디서 하능교", "하나요"),  # 경상도 -능교
        ("신청은 면사무소에서 허면 되는감", "하면"),
        ("정신이 오락가락허는디", "오락가락하는데"),  # 전라도 허- for 하-
        ("나가기 힘든디", "힘든데"),
        ("버스 몇 시에 있어유?", "있어요"),  # 충청도 -유
        ("여권 만들라면 뭐 가져가야 되나유", "되나요"),
        ("쓰레기는 언제 내놓는겨?", "내놓는거야"),  # 충청도 -겨
        ("신고는 워디서 혀유", "어디서 해요"),
        ("그거 워찌 신청혀", "어찌 신청해"),  # 전라도 혀 after a noun: 하다
        ("축하금 준다 카던데 우예 받아요", "준다 하던데 어떻게"),  # 경상도 quoting 카다
        ("입학한다꼬 돈 주는 거 있어예?", "입학한다고 돈 주는 거 있어요"),  # 경상도 -꼬, -예
        ("전문가헌티 물어볼 데 있소", "전문가한테"),  # 전라도 -헌티
        ("카드는 워디서 맹글어 준당가", "만들어"),  # 전라도 맹글다
        ("한국말 갈쳐 주는 선생 있당가", "가르쳐"),
        ("애기 땜시 못 나가요", "때문에"),
        ("이거 우째 하믄 되는디요", "되는데요"),  # a dialect ending made polite
        ("체육관 아무나 가서 써도 되는규", "되는거예요"),  # 충청도 -는규
        ("난방비 올해도 나오는감유", "나오는가요"),
        ("쓰레기를 다 가져가부렀어", "가져가버렸어"),  # 전라도 -부렀 for -버렸
        ("방이 따숩게 됐어요", "따뜻하게"),
        ("길 좀 고쳐 주소", "고쳐 주세요"),  # 전라도 -주소 after a verb …
        ("빨리 치워주이소", "치워 주세요"),  # … 경상도 -주이소
        ("우리 마을도 좀 챙기주이소", "챙기 주세요"),  # … after a 경상도 -기 (챙겨) as well
        ("수급자 신청은 어디서 해야 쓰까", "해야 할까요"),  # 전라도 해야 쓰까 asks
        ("누가 좀 치워야 쓰겄소", "치워야 하겠소"),
    ],
)
def test_dialect_endings_are_rewritten_to_standard_korean(dialect, standard):
    assert standard in default_lexicon().rewrite(dialect)


def test_words_merely_ending_like_a_dialect_form_are_kept():
    assert default_lexicon().rewrite("석유 우유 이유 자유") == "석유 우유 이유 자유"
    for address in ("새 주소 집 주소", "올해 주소 바뀌었어요", "나이와 주소 적어 주세요"):
        assert default_lexicon().rewrite(address) == address
    # 전라도 혀 (해) only as a word: 막혀서, 잡혀요 are standard verbs
    assert default_lexicon().rewrite("길이 막혀서 잡혀요 아예") == "길이 막혀서 잡혀요 아예"


def test_asking_what_time_or_month_is_a_term():
    assert "몇시" in analyse("버스가 몇 시에 있어요?").terms
    assert "몇월" in analyse("재산세는 몇 월에 나와요?").terms


def test_an_adverb_the_lexicon_knows_is_a_term_and_others_are_not():
    assert "깜빡깜빡" in analyse("요새 자꾸 깜빡깜빡해요").terms
    assert "자꾸" not in analyse("요새 자꾸 깜빡깜빡해요").terms


def test_common_misspellings_are_corrected_inside_words():
    assert (
        default_lexicon().rewrite("부서진 지 몇일째인데 어떻해요")
        == "부서진 지 며칠째인데 어떡해요"
    )


def test_dialect_words_are_rewritten():
    assert "어떻게" in default_lexicon().rewrite("군에 어찌께 알리는 거여")


def test_chat_typos_in_endings_are_read_as_the_standard_ending():
    assert (
        analyse("여권 군청에서 만들수있나여?").morphs[-2:]
        == analyse("여권 군청에서 만들수있나요?").morphs[-2:]
    )


def test_typo_in_a_word_still_reaches_the_faq(county):
    # 트랙타 for 트랙터, 장농 for 장롱: the matcher still finds the entry
    assert (
        county.rank("트랙타 빌릴라믄 어디다 전화해야 된다요")[0].entry.id == "farm-machine-rental"
    )
    assert county.rank("장농 버리는 법")[0].entry.id == "bulky-waste"


@pytest.mark.parametrize(
    "text", ["", "   ", "\x00\x01\x02", "👍👍👍", "ㅋ" * 10_000, "\ud800 broken surrogate"]
)
def test_clean_never_raises_and_bounds_the_text(text):
    cleaned = clean(text)
    assert len(cleaned) <= 600
    assert "\x00" not in cleaned
    analyse(cleaned)


def test_a_clause_is_read_from_the_whole_message_analysis():
    whole = analyse("냉장고가 고장나서 버려야 되는데 어디 연락해요?")
    start = whole.text.index("버려야")
    reason, asking = whole.section(0, start), whole.section(start, len(whole.text))
    assert {"냉장고", "고장"} <= set(reason.terms)
    assert "냉장고" not in asking.terms
    # 버리 after 고장나서 may be read as an auxiliary; a clause begins with a main verb
    assert "버리다" in asking.terms
    assert asking.text.startswith("버려야")


def test_run_on_text_is_analysed_with_its_spaces_put_back():
    analysis = analyse("장보러가면차를어디다대야돼요?공짜로댈수있는데있어요?")
    assert "? " in analysis.text
    assert all(
        analysis.text[at:].startswith(word)
        for (word, _), at in zip(analysis.words, analysis.word_starts, strict=True)
    )


def test_dialect_endings_inside_run_on_text_are_read_once_it_is_spaced():
    assert "하면 되는데요" in analyse("이거우째하믄되는디요").text


def test_a_dialect_ending_the_analyser_cannot_space_off_is_still_read():
    # kiwi leaves 개등록안하믄과태료 as one word, so no word ends in -믄 to rewrite
    assert "안 하면 벌금" in analyse("전입신고안하믄벌금나와요").text


def test_crying_and_laughing_letters_are_not_words():
    assert analyse("강아지가 안 들어와 ㅠㅠ ㅋㅋ").terms == ("강아지", "들어오다")


def test_texts_read_ahead_in_a_batch_are_analysed_as_each_alone():
    texts = [
        "명절당일에도쓰레기수거하나요",  # run-on: spaced before it is read
        "가로등이 꺼졌는디 언제 고쳐준당가",  # dialect endings
        "",
        "👍👍👍",
        "\x00\xff 바이너리",
        "도서관 몇 시에 열어요? " * 800,
        "도서관 몇 시에 열어요? ",  # the same words twice in one batch
        "도서관 몇 시에 열어요? ",
    ]
    alone = []
    for text in texts:
        analyse.cache_clear()
        alone.append(analyse(clean(text)))
    analyse.cache_clear()
    ahead = [analyse(clean(text)) for text in read_ahead(texts)]
    assert ahead == alone
