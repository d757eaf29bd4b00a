"""Triage and the whole understanding: intents, listen-room strictness, and bad input."""

from __future__ import annotations

import pytest

from bot.faq import Decision, FaqIndex, Understanding, understand
from bot.faq.triage import default_cues
from tests.faq.conftest import DATA, FAMILY_FAQ


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("음식물 쓰레기 봉투 어디서 사요?", "question"),
        ("아동수당복지로에서신청가능해요", "question"),  # a question written as a statement
        ("길에 구멍 난 데를 보면 어디다 알려야 돼요?", "question"),  # how to report: a question
        ("○○마을 입구 가로등이 사흘째 꺼져 있어요", "inconvenience"),
        ("가로등 언제 고쳐줘요?", "inconvenience"),  # a problem phrased as a question
        ("공원 미끄럼틀 깨져서 위험해요. 언제 고쳐주나요?", "inconvenience"),  # … even with -나요
        ("주차선이 다 지워져서 엉망이에요 정리좀 해주세요", "inconvenience"),  # 정리 좀 해
        ("임도 입구에 낙석이 떨어져서 차가 못 올라가요", "inconvenience"),  # 올라가요 tells
        ("강아지 등록은 동물병원 가서 하면 되는 거예요?", "question"),  # 하면 되는 거예요? asks
        ("개울 둑이 무너져서 또 비 오면 논 다 잠길 거 같아요", "inconvenience"),  # a fear, no wish
        ("쓰레기 안 가져가요 병영면 감나무골", "inconvenience"),
        ("도로파임신고합니다작천면솔밭마을다리건너자마자", "inconvenience"),
        ("읍내에 공공자전거 도입을 건의합니다.", "suggestion"),
        ("강진읍에 반려견 놀이터 하나 만들어 주세요", "suggestion"),
        ("마을회관에 공공 와이파이 깔아 주면 좋겠다", "suggestion"),
        ("좋은 아침입니다~ 오늘도 힘내세요", "chatter"),
        ("감사합니다!!", "chatter"),
        ("썸남이랑 영화 뭐 보지", "chatter"),
        ("회식 했으면 좋겠다.", "chatter"),  # a wish, but not for the county
        ("퇴근길 엄청 막히네", "chatter"),  # a complaint, but not the county's business
        ("치과 치료 받아야 할까", "chatter"),  # wondering aloud
        ("놀이터 화장실 너무 더러워요 청소는 언제 해요?", "inconvenience"),  # pressing: when
        ("강변공원 벤치가 부러져서 못 앉아요", "inconvenience"),  # 강변공원 is a 공원
        ("어르신들 한글 배우는 교실 같은 게 있나요?", "question"),  # does a service exist
        ("마을 행사 사진 찍어 주실 분을 모실 수 있을까요?", "question"),  # asking a favour
        ("어제 장터 구경 갔다 왔어? 사람 많더라ㅋㅋ", "chatter"),  # ㅋ survives normalisation
        ("형님 내일 체육관 가실랍니까? 제가 태워 갈게요", "chatter"),  # talking to a neighbour
        ("[사진] 장터에서 산 수박이에요 엄청 크죠", "chatter"),  # seeking agreement, not asking
        ("어제 공원 앞에 단풍 예쁘게 들었던데 다들 봤어요?", "chatter"),  # asking the room
        ("음식물 쓰레기는 전용 봉투에 담으면 되죠?", "question"),  # 죠? confirms: asks
        ("빈 창고 앞에 누가 냉장고를 버려 놨어요. 두 달째 그대로예요.", "inconvenience"),
        ("아랫마을 하수구에서 시커먼 물이 개울로 흘러요", "inconvenience"),  # told, not asked
        ("아이 아빠가 다쳐서 일을 못하는데 도움받을 데 있을까요?", "question"),
        # county business named only in the lexicon's words (대출, 하우스; 트럭 이전), casually
        ("작년에 내려와서 하우스 짓는데 대출 받을 수 있는 거 있어?", "question"),
        # whether one may apply is a question, whatever problem is told before it
        ("지붕에서 비가 새는데 혼자 사는 노인도 집 고쳐 주는 거 신청할 수 있능가", "question"),
        ("우리 작은 마을도 경로당 사업에 좀 끼워 줬으면", "suggestion"),  # 줬으면: a wish
        # a proposal with its reason told as a problem, asking for no fix
        ("빈 점포가 방치돼서 지저분해요. 청년 가게로 빌려주는 사업을 하면 좋겠어요", "suggestion"),
        ("들개가 밤마다 와서 닭을 물어 죽였어요. 어떻게 좀 해 주세요", "inconvenience"),  # a plea
        ("횡단보도 선이 다 지워졌어요. 다시 칠해 주시기 바랍니다", "inconvenience"),  # repainting
        ("면사무소 무인발급기 누르면 계속 오류나요", "inconvenience"),  # 나요 here is 나다 + 요
        ("자동이체 걸어 놨는데 이번 재산세가 통장에서 두 번 빠져나갔어요", "inconvenience"),
        ("군민 노래자랑 일년에 한 번 말고 좀 더 자주 해 주세요", "suggestion"),  # more often
        # a long story of a lasting problem, then politely: is there help for it?
        ("10년째 가게를 하는데 간판이 다 녹슬었어요. 고칠 때 지원받을 수 있는 건가요?", "question"),
        # a wish for the county to hand something out, named in lexicon words only
        ("벌 키우는 집에 말벌 잡는 통을 무료로 나눠 줬으면 좋겠어요", "suggestion"),
        ("올해는 고추 농사가 잘 됐으면 좋겠네요", "chatter"),  # a wish, asking no one for anything
        ("빈집 목록을 열람할 수 있는 곳이 있는지 알려 주시기 바랍니다", "question"),  # 알려 주시기
        # telling the room how an errand went: -네요 never asks, and 안 아프다 is good news
        ("면사무소에서 등본 떼 왔는데 직원분이 친절하시네요", "chatter"),
        ("어제 보건소에서 독감 주사 맞고 왔는데 하나도 안 아프네요", "chatter"),
        # a past clause (다툼이 났는데) is background; what is asked is asked now
        ("이웃이랑 땅 문제로 다툼이 났는데 중간에서 법률 상담해 주는 데 있어요", "question"),
        ("이웃한테 트럭 사기로 했는데 내 이름으로 돌리려면 뭐 챙겨 가요?", "question"),
        # asking whether someone would help, even about a friend: a question, not small talk
        ("친구 문제로 너무 힘들어요 누구한테 털어놓을 데 있나요", "question"),
        ("점심 맛있는 데 있어요? ㅋㅋ", "chatter"),
        ("보건소 진료 토요일에도 해 주세요", "suggestion"),  # also at another time
        ("민원 신청 앱으로 되게 해주면 좋겟어요", "suggestion"),  # 겟 typed for 겠
        ("정류장 의자 부서진 지 몇일째인데 아직 그대로예요", "inconvenience"),  # 몇일: 며칠
        ("체육관 화장실 물 넘쳐서 복도까지 흥건함", "inconvenience"),  # -ㅁ tells, it does not ask
        ("군 홈페이지에 민원 처리 현황 좀 넣어 줘라", "suggestion"),
        # a wish, then saying one is asking: a question
        (
            "남편이 요즘 쉬는데 노인 일자리라도 했으면 해서요. 신청할 수 있는지 궁금해요.",
            "question",
        ),
        # what a service does (지원해 주는 거) is asked about, not asked for
        ("가게에 불이 나서 막막한데 급하게 돈 지원해 주는 거 있나요", "question"),
        ("산후도우미가 집으로 와주는 서비스 신청하려면 몇 주부터 해야 돼요?", "question"),
        # a problem already fixed, and a way asked for: a question
        (
            "수도관이 새서 수도요금이 세 배 나왔어요. "
            "배관은 고쳤는데 요금을 좀 깎아 주는 방법이 있을까요?",
            "question",
        ),
        # 몇 주째 counts how long; it asks nothing
        ("몇 주째 농로 옆에 폐타이어가 잔뜩 버려져 있어요", "inconvenience"),
        ("내일 누구 장터 가면 나 좀 태워 줘~", "chatter"),  # a ride asked of a neighbour
        # asking whether it is being fixed presses for the fix
        (
            "군 누리집 지도가 며칠째 안 뜨는데 고치고 있는 건가요? 지번 넣으면 빈 화면만 나와요",
            "inconvenience",
        ),
        ("단수 된 지 하루 지났는데 아직 복구 중인 거예요?", "inconvenience"),
        ("정류장에 사람이 서 있는데 버스가 그냥 지나가 버렸어요", "inconvenience"),
        ("어제 장터에 사람이 겁나 많았당께", "chatter"),  # 전라도 -당께 (다니까) insists
        ("주정차 과태료 이의신청 어떡게 해요", "question"),  # 어떡게: 어떻게 misspelt
        ("ㅋㅋ 나 오늘 버스 정류장 앞에서 넘어짐 창피해", "chatter"),  # laughing at oneself
        ("뒷산 단풍 든 거 보셨어요? 벌써 가을이네요", "chatter"),  # asking the room, remarking
        # … 바뀐 지가 언젠데: "it changed ages ago", told to friends
        ("ㅋㅋ 버스 시간표 바뀐 지가 언젠데 울 아빠는 아직도 옛날 시간으로 나가", "chatter"),
        ("우리 집 개가 목줄 풀고 나가서 안 들어와 ㅠㅠ 어디서 찾아봐야 돼?", "question"),
        ("장날인디 공영주차장 문을 안 열어서 차 세울 데가 없소", "inconvenience"),  # -소 tells
        # "how do you run it?" after a problem reproaches; it asks nothing
        (
            "비 오는 날 마을회관 대피소에 갔는데 문이 잠겨 있었어요. 관리를 어떻게 하시는 겁니까",
            "inconvenience",
        ),
        ("아침마다 수돗물이 뿌옇게 나오는데 와 그렇노", "question"),  # 경상도 -노 asks
        ("수돗물값은 어뜨케 매기는 건지 모르겄어", "question"),  # 어뜨케: 어떻게
        ("산골 마을에도 상수도 좀 연결해 주세요", "suggestion"),  # connecting is new
        (
            "가로수 뿌리 때문에 인도가 들떠서 어르신들이 자꾸 넘어지십니다. 정비해 주시기 바랍니다",
            "inconvenience",
        ),
        ("가을마다 냄새가 심하니 읍내 가로수를 다른 나무로 바꾸는 걸 검토해 주세요", "suggestion"),
        # -니까 after an open syllable gives a reason (사니까); only -ㅂ니까 asks
        ("ㅋㅋ 우리 집 수도 요금 이번 달 엄청 적게 나옴 혼자 사니까", "chatter"),
        # whether the county does something, or whether a thing is allowed: asked
        (
            "태풍에 뒷산 소나무가 집 쪽으로 기울었어요. "
            "이런 나무도 군에서 베어 주는지 알고 싶어요.",
            "question",
        ),
        ("남의 밭둑에서 쑥 캐는 것도 불법인가요? 다들 캐던데", "question"),
        ("감나무 잎이 누렇게 말라 죽어 가는데 군에서 나무 병을 진단해 주기도 하나요?", "question"),
        ("도암면봉황리산입구에누가폐가전을버려놨어요", "inconvenience"),  # a run-on address
        # the words of a proposal (도입) make a wish the county's
        (
            "산불 감시에 드론을 도입하면 사람이 못 가는 골짜기도 살필 수 있을 것 같습니다. "
            "검토 부탁드립니다.",
            "suggestion",
        ),
        # asking the room for anyone who did or would do something
        ("어제 축제 다녀오신 분? 사진 있으면 좀 올려주세요 ㅎㅎ", "chatter"),
        ("우리 집 강아지가 새끼를 여섯 마리 낳았어요 ㅎㅎ 한 마리 키울 사람 있어요?", "chatter"),
        ("여기도 비 많이 왔어요? 우리 동네는 새벽부터 퍼붓네요", "chatter"),  # the weather
        ("경로당 대청소 같이 해 주신 분들 수고 많으셨어요~ 덕분에 반짝반짝해요", "chatter"),
        ("새 버스 타 보니 미끄러지듯 잘 가네요 ㅎㅎ", "chatter"),  # a likeness, no sliding
        # laughing while reporting is still reporting
        ("ㅋㅋ 우리 동네 가로등 또 나갔어요 작천면 솔밭마을 입구요", "inconvenience"),
        ("새로 깐 마을 길이 벌써 쩍쩍 갈라졌어요 병영면 감나무골", "inconvenience"),
        ("장 끝난 지 이틀인데 시장 앞에 천막이 그대로 있어요", "inconvenience"),
        ("산책로 데크가 몇 군데 썩었어요 손 좀 봐 주실 수 있나요?", "inconvenience"),
        ("면사무소 민원 문자로도 받아 주면 안 되나 전화가 안 돼서", "suggestion"),
        # the question comes first, a remark or an emoticon after it
        ("보건소 독감 주사 우리 애도 맞을 수 있는 건가요~ 병원은 멀어서요 ^^", "question"),
        ("보건소 금연 패치 공짜로 주는가 우리 영감 또 끊는다네 ㅋㅋ", "question"),
        ("운동장 조명이 싹 다 나가 부렀어 밤에 깜깜혀", "inconvenience"),
        ("돌봄교실 대기가 너무 길어요 선생님을 더 뽑아 주세요", "suggestion"),  # more of it
        ("수영장 탈의실 커튼 찢어진 지 한참 됐는데 언제 바꿔 줘요?", "inconvenience"),
        (
            "군에서 주말에 여는 소아과를 유치해 주시면 애 키우는 집들이 든든할 것 같아요",
            "suggestion",
        ),
        # "is there anyone at all?" reproaches; "can't it be done by phone?" asks
        ("밤에 야영장 관리하는 사람이 있긴 한 건가요? 전화를 아무도 안 받아요", "inconvenience"),
        ("야영장 예약 전화로는 안 돼? 아빠가 인터넷을 못 하셔서", "question"),
        ("ㅋㅋ 이장님 또 회관 불 안 끄고 가셨네", "chatter"),  # laughing at a neighbour's slip
        ("어제면사무소갔는데민원실직원분이너무친절하시더라고요", "chatter"),  # telling the room
        ("우리 이장님 아들 군청 들어갔대요 참 잘됐어요", "chatter"),  # good news, shared
        ("마을회관 방송 스피커가 우리 집까지 안 들려서요 따로 신청할 수 잇나요?", "question"),
        # a lasting trouble of one's own, then a plain question
        (
            "작년에 넘어져서 허리를 다쳐 아직도 오래 못 서 있어요. "
            "장애인 등록은 어떤 절차로 하는지 알고 싶어요",
            "question",
        ),
        # thanks for what someone did is told to the room; thanks signing off a report is not
        ("밤새 눈 치워 주신 면사무소 직원분들 덕분에 장에 잘 다녀왔습니다. 고맙습니다", "chatter"),
        ("보건소 선생님들 덕분에 우리 엄마 혈압약 잘 챙겨 드시네요 감사해요", "chatter"),
        ("가로등이 또 나갔어요. 빨리 고쳐 주세요. 감사합니다", "inconvenience"),
        ("버스정류장 의자 고쳐주셔서 감사한데 지붕도 새요", "inconvenience"),
        # pressing for something to be refilled or emptied reports it
        ("마을 입구 제설함에 모래가 하나도 없던데 언제 채워 주시나요?", "inconvenience"),
        ("체육공원 소화기 언제 채워 놓을 거예요?", "inconvenience"),
        ("면사무소 앞 헌옷수거함 꽉 찼어요 좀 비워 주세요", "inconvenience"),
        # "wouldn't it be good if …?" proposes
        ("읍내 버스 정류장마다 온열 의자 놓으면 어르신들 겨울에 좋지 않겠습니까", "suggestion"),
        ("마을회관 옥상에 태양광 올리면 전기세도 줄고 좋지 않나?", "suggestion"),
        # "what if …?" proposes, whatever trouble is told as its reason
        (
            "경로당 어르신들이 병원 가기가 힘들어 고생하세요. "
            "한 달에 한 번 보건소 선생님이 돌아가며 오시면 어떠세요?",
            "suggestion",
        ),
        # supposing (안 하면) asks about the rule; it reports nothing
        ("전입신고안하믄과태료나와요", "question"),
    ],
)
def test_triage_tells_the_four_intents_apart(county, text, intent):
    assert understand(county, text, listen=True).intent == intent


def test_a_problem_told_politely_is_reported_even_when_the_faq_knows_its_topic():
    welfare = FaqIndex.load(DATA / "faq-welfare2.yaml")
    text = "집 고치기 사업으로 수리받은 지붕에서 또 비가 샙니다. 점검 부탁드립니다."
    assert understand(welfare, text, listen=True).intent == "inconvenience"


def test_a_listen_room_needs_more_certainty_to_act_on_a_message_with_small_talk_in_it(county):
    told_a_neighbour = understand(county, "형님 면사무소 앞 가로등 또 나갔던데요", listen=True)
    told_the_room = understand(county, "면사무소 앞 가로등 또 나갔어요 새터마을 입구", listen=True)
    assert told_a_neighbour.intent == told_the_room.intent == "inconvenience"
    assert 0.7 <= told_a_neighbour.confidence < 0.8 and not told_a_neighbour.confident
    assert told_the_room.confident


def test_a_clear_question_is_answered_in_a_listen_room(county):
    result = understand(county, "출산장려금 받으려면 어디로 가야 하나요?", listen=True)
    assert result.intent == "question" and result.confident
    assert result.decision.outcome == "answer"
    assert result.decision.entry.id == "birth-grant"


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
    assert understand(county, "헌혈은 어디서 할 수 있어?", listen=True).intent == "chatter"
    assert understand(county, "헌혈은 어디서 할 수 있어?", listen=False).intent == "question"
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
