"""Personal data in residents' messages: what is removed, what is masked, what is left alone,
and logs that never carry a phone number or a registration number."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot.privacy import (
    RRN_PLACEHOLDER,
    Finding,
    PiiLogFilter,
    contains_rrn,
    extract_contacts,
    mask,
    strip_rrn,
)

# --- registration numbers: removed whole ------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "900101-1234567",  # citizen born in the 1900s
        "050315-4123456",  # citizen born in the 2000s
        "9001011234567",  # no hyphen
        "900101 1234567",  # a space
        "900101 - 2234567",  # spaced hyphen
        "850720-5123456",  # foreigner registration number
        "011231-8123456",
    ],
)
def test_registration_numbers_are_removed_whole(number: str) -> None:
    text = f"제 주민번호는 {number}입니다"
    masked = mask(text)
    assert masked.text == f"제 주민번호는 {RRN_PLACEHOLDER}입니다"
    assert masked.found == [Finding("rrn", (8, 8 + len(number)))]
    assert contains_rrn(text)
    assert number not in masked.text


def test_strip_rrn_counts_and_takes_the_callers_wording() -> None:
    text, removed = strip_rrn("900101-1234567 그리고 9912312345678", placeholder="(삭제)")
    assert (text, removed) == ("(삭제) 그리고 (삭제)", 2)
    assert strip_rrn("가로등이 꺼졌어요") == ("가로등이 꺼졌어요", 0)
    assert mask("900101-1234567", rrn_placeholder="(삭제)").text == "(삭제)"


@pytest.mark.parametrize(
    "text",
    [
        "901301-1234567",  # no 13th month
        "900132-1234567",  # no 32nd day
        "900101-9234567",  # 7th digit out of range
        "900101-123456",  # one digit short
        "1900101-1234567",  # part of a longer number
        "chat -1001234567890",  # a Telegram group id
    ],
)
def test_look_alikes_are_not_registration_numbers(text: str) -> None:
    assert not contains_rrn(text)


# --- phone numbers: masked, visible to officers -----------------------------------------------


@pytest.mark.parametrize(
    ("written", "shown", "contact"),
    [
        ("010-1234-5678", "010-****-5678", "010-1234-5678"),
        ("01012345678", "010-****-5678", "010-1234-5678"),
        ("010 1234 5678", "010-****-5678", "010-1234-5678"),
        ("010.1234.5678", "010-****-5678", "010-1234-5678"),
        ("011-123-4567", "011-***-4567", "011-123-4567"),
        ("02-123-4567", "02-***-4567", "02-123-4567"),
        ("02-1234-5678", "02-****-5678", "02-1234-5678"),
        ("043-830-1234", "043-***-1234", "043-830-1234"),
        ("070-1234-5678", "070-****-5678", "070-1234-5678"),
    ],
)
def test_phone_numbers_are_masked(written: str, shown: str, contact: str) -> None:
    text = f"연락처는 {written}로 주세요"
    masked = mask(text)
    assert masked.text == f"연락처는 {shown}로 주세요"
    assert [f.kind for f in masked.found] == ["phone"]
    assert text[slice(*masked.found[0].span)] == written
    assert extract_contacts(text) == [contact]


def test_public_numbers_can_be_kept() -> None:
    text = "환경과 043-830-1234, 담당자 010-1234-5678"
    assert mask(text, keep=["0438301234"]).text == "환경과 043-830-1234, 담당자 010-****-5678"


# --- accounts: only next to a bank word -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("농협 302-0123-4567-81 로 입금했어요", "농협 ***-****-**67-81 로 입금했어요"),
        ("신한은행 110123456789", "신한은행 ********6789"),
        ("카카오뱅크 3333-01-1234567 예금주 홍길동", "카카오뱅크 ****-**-***4567 예금주 홍길동"),
        ("1002-123-456789 (우리은행)", "****-***-**6789 (우리은행)"),
        ("환급 계좌: 123-456789-01-234", "환급 계좌: ***-******-*1-234"),
    ],
)
def test_account_numbers_next_to_a_bank_are_masked(text: str, shown: str) -> None:
    masked = mask(text)
    assert masked.text == shown
    assert [f.kind for f in masked.found] == ["account"]
    assert extract_contacts(text) == []


def test_a_long_number_without_a_bank_word_is_left_alone() -> None:
    assert mask("주문번호 110-123-456789 확인 부탁").found == []


# --- e-mail -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("hong.gildong@naver.com", "h***@naver.com"),
        ("a+tag@county.go.kr", "a***@county.go.kr"),
    ],
)
def test_email_addresses_are_masked(written: str, shown: str) -> None:
    text = f"메일은{written}으로 보내 주세요."
    assert mask(text).text == f"메일은{shown}으로 보내 주세요."
    assert extract_contacts(text) == [written]


def test_contacts_come_once_each_in_order() -> None:
    text = "01012345678 또는 010-1234-5678, 메일 kim@daum.net, 집 02-123-4567"
    assert extract_contacts(text) == ["010-1234-5678", "kim@daum.net", "02-123-4567"]


# --- what is not personal data ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-25에 방문하겠습니다",
        "2026.11.25 14:30 계좌이체 완료",
        "2026-11-25 14:30에 입금했어요",
        "접수번호 2026-0042 처리 상황이 궁금해요",
        "지원금 1,000,000원이 계좌로 들어왔나요",
        "오전 09:00부터 12:00까지",
        "고객센터 1588-1234, 콜센터 1599-0903",
        "국번 없이 120",
        "사업자등록번호 123-45-67890",
        "면적 1,234.5㎡, 지번 산12-3",
    ],
)
def test_dates_receipts_amounts_times_and_service_numbers_are_left_alone(text: str) -> None:
    masked = mask(text)
    assert masked.text == text
    assert masked.found == []


def test_masking_is_idempotent_and_covers_everything_in_one_message() -> None:
    text = "900101-1234567, 010-1234-5678, 신한 110-123-456789, kim@daum.net"
    once = mask(text)
    assert once.text == (f"{RRN_PLACEHOLDER}, 010-****-5678, 신한 ***-***-**6789, k***@daum.net")
    assert [f.kind for f in once.found] == ["rrn", "phone", "account", "email"]
    assert mask(once.text).text == once.text


# --- logs -------------------------------------------------------------------------------------


class Captured(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def captured() -> Iterator[Captured]:
    handler = Captured()
    handler.addFilter(PiiLogFilter())
    logger = logging.getLogger("sotong.test.privacy")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield handler
    logger.removeHandler(handler)


def test_log_messages_and_their_arguments_are_masked(captured: Captured) -> None:
    log = logging.getLogger("sotong.test.privacy")
    log.info("message from %s: %s", "010-1234-5678", "주민번호 900101-1234567")
    log.warning("ticket %d contact %s", 42, {"email": "kim@daum.net"})
    assert captured.lines == [
        f"message from 010-****-5678: 주민번호 {RRN_PLACEHOLDER}",
        "ticket 42 contact {'email': 'k***@daum.net'}",
    ]


def test_records_from_child_loggers_are_masked_too(captured: Captured) -> None:
    logging.getLogger("sotong.test.privacy.child").info("call 01012345678")
    assert captured.lines == ["call 010-****-5678"]


def test_tracebacks_are_masked(captured: Captured) -> None:
    log = logging.getLogger("sotong.test.privacy")
    try:
        raise ValueError("bad contact 010-1234-5678")
    except ValueError:
        log.exception("failed for %s", "kim@daum.net")
    (line,) = captured.lines
    assert "failed for k***@daum.net" in line
    assert "ValueError: bad contact 010-****-5678" in line
    assert "010-1234-5678" not in line


def test_percent_signs_survive_masking(captured: Captured) -> None:
    logging.getLogger("sotong.test.privacy").info("%d%% done for %s", 50, "010-1234-5678")
    assert captured.lines == ["50% done for 010-****-5678"]


def test_erasing_removes_one_persons_numbers_however_they_were_written():
    from bot.privacy import remove_contacts

    text = "민원인 01022223333, 010-2222-3333, jieun@example.com / 이웃 010-9999-8888"
    assert remove_contacts(text, ["010-2222-3333", "Jieun@example.com"], "[삭제]") == (
        "민원인 [삭제], [삭제], [삭제] / 이웃 010-9999-8888"
    )
