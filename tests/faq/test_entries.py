"""FAQ files: a malformed file is refused naming the entry and the reason; CSV imports."""

from __future__ import annotations

import pytest

from bot.faq import FaqError, FaqIndex, load_entries

GOOD = """
- id: office-hours
  question: 민원실 운영 시간이 어떻게 되나요?
  variants: [민원실 몇 시까지 해요]
  answer: 평일 9시부터 6시까지입니다.
  tags: [민원]
"""


def test_a_good_file_loads(write_faq):
    [entry] = load_entries(write_faq(GOOD))
    assert entry.id == "office-hours"
    assert entry.variants == ("민원실 몇 시까지 해요",)
    assert entry.tags == ("민원",)


@pytest.mark.parametrize(
    ("text", "where", "reason"),
    [
        (
            GOOD + "- id: second\n  question: 질문\n",
            "entry 2 (id 'second')",
            "missing field 'answer'",
        ),
        ("- id: Bad_Id\n  question: q\n  answer: a\n", "entry 1 (id 'Bad_Id')", "bad id format"),
        (GOOD + GOOD, "entry 2 (id 'office-hours')", "duplicate id"),
        (
            "- id: x\n  question: q\n  answer: a\n  variants: 하나\n",
            "entry 1 (id 'x')",
            "wrong type for 'variants'",
        ),
        (
            "- id: x\n  question: [q]\n  answer: a\n",
            "entry 1 (id 'x')",
            "wrong type for 'question'",
        ),
        ("- just a string\n", "entry 1", "expected a mapping"),
        (
            GOOD.replace("variants:", "variant:"),
            "entry 1 (id 'office-hours')",
            "unknown field 'variant': did you mean 'variants'?",
        ),
        (
            GOOD.replace("tags:", "Tags:"),
            "entry 1 (id 'office-hours')",
            "unknown field 'Tags': did you mean 'tags'?",
        ),
        (
            '- id: "a\\n"\n  question: q\n  answer: a\n',
            "entry 1 (id 'a\\n')",
            "bad id format",
        ),
        (
            GOOD + "  answer: 평일 9시부터 5시까지입니다.\n",
            "entry 1 (id 'office-hours')",
            "field 'answer' is given twice (lines 5 and 7); keep one",
        ),
        (
            GOOD + "- id: second\n  question: q\n  id: third\n  answer: a\n",
            "entry 2 (id 'second')",
            "field 'id' is given twice (lines 7 and 9); keep one",
        ),
        (
            "- id: x\n  question: q\n  answer: a\n  tags: " + "[" * 3000 + "a" + "]" * 3000,
            "entry 1 (id 'x')",
            "field 'tags' nests more than 8 levels deep (line 4): "
            "every field of an entry is text or a list of text",
        ),
        (
            "- id: x\n  question: q\n  answer: a\n  tags: [[민원]]\n",
            "entry 1 (id 'x')",
            "wrong type in 'tags': every item must be text",
        ),
        ("[" * 3000 + "]" * 3000, "entry 1", "the YAML nests more than 8 levels deep (line 1)"),
        ("- id: x\n  question: 'unclosed\n", "line", "YAML syntax error"),
        ("id: x\nquestion: q\n", "", "must be a YAML list"),
        ("", "", "no entries"),
    ],
)
def test_a_malformed_file_is_refused_with_the_entry_and_the_reason(write_faq, text, where, reason):
    path = write_faq(text)
    with pytest.raises(FaqError) as raised:
        FaqIndex.load(path)
    message = str(raised.value)
    assert str(path) in message and where in message and reason in message
    assert raised.value.file == str(path) and reason in raised.value.reason
    if where.startswith("entry"):
        assert raised.value.entry == where


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(FaqError, match="cannot read"):
        load_entries(tmp_path / "nowhere.yaml")


def test_csv_import_from_a_spreadsheet_export(write_faq):
    csv_text = (
        "\ufeffid,question,variants,answer,tags\n"
        'office-hours,민원실 운영 시간이 어떻게 되나요?,"민원실 몇 시까지 해요|군청 업무 시간",'
        '"평일 9시부터 6시까지입니다.","민원, 행정"\n'
        "passport,여권은 어디서 발급하나요?,,민원실 여권 창구입니다.,\n"
    )
    index = FaqIndex.load(write_faq(csv_text, name="faq.csv"))
    first, second = index.entries
    assert first.variants == ("민원실 몇 시까지 해요", "군청 업무 시간")
    assert first.tags == ("민원", "행정")
    assert second.variants == () and second.tags == ()
    assert index.decide("여권 어디서 만들어요?").entry == second


def test_an_entry_may_ask_for_every_answer_to_be_checked(write_faq):
    [checked, plain] = load_entries(
        write_faq(GOOD + "  review_answers: true\n" + GOOD.replace("office-hours", "second"))
    )
    assert checked.review_answers and not plain.review_answers
    [korean] = load_entries(write_faq(GOOD + "  review_answers: 예\n"))
    assert korean.review_answers
    csv_text = "id,question,answer,review_answers\na,질문,답,예\nb,질문,답,\nc,질문,답,yes\n"
    assert [e.review_answers for e in load_entries(write_faq(csv_text, name="faq.csv"))] == [
        True,
        False,
        True,
    ]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (GOOD + "  review_answers: 1\n", "faq.yaml"),
        ("id,question,answer,review_answers\na,q,a,maybe\n", "faq.csv"),
    ],
)
def test_a_review_that_is_not_yes_or_no_is_refused(write_faq, text, name):
    with pytest.raises(FaqError, match="wrong value for 'review_answers': write true, false or 예"):
        load_entries(write_faq(text, name=name))


def test_keys_of_the_countys_own_are_left_alone(write_faq):
    """A department's FAQ may carry fields for its own tools; only slips of ours are refused."""
    extra = "  department: 민원과\n  updated: 2026-11-02\n  reviewed: 2026-03-01\n"
    [entry] = load_entries(write_faq(GOOD + extra))
    assert entry.tags == ("민원",)


def test_a_misspelt_csv_column_is_refused(write_faq):
    with pytest.raises(FaqError, match="unknown column 'varaints': did you mean 'variants'"):
        load_entries(write_faq("id,question,varaints,answer\nx,q,v,a\n", name="faq.csv"))


def test_csv_without_required_columns_is_refused(write_faq):
    with pytest.raises(FaqError, match="lacks column"):
        load_entries(write_faq("id,question\nx,q\n", name="faq.csv"))


def test_a_merge_key_may_be_overridden_without_being_a_field_given_twice(write_faq):
    text = GOOD.replace("- id:", "- &hours\n  id:") + "- <<: *hours\n  id: second\n"
    assert [e.id for e in load_entries(write_faq(text))] == ["office-hours", "second"]


def test_a_csv_row_with_more_cells_than_columns_is_refused(write_faq):
    """An unquoted comma in an answer would cut it short, the rest dropped unseen."""
    csv_text = "id,question,answer\nok,질문,답\nwaste,쓰레기 언제 버려요?,일요일,extra,more\n"
    path = write_faq(csv_text, name="faq.csv")
    with pytest.raises(FaqError) as raised:
        load_entries(path)
    assert str(raised.value) == (
        f"{path}: row 3 (id 'waste'): 5 cells for 3 columns; quote a value that holds a comma"
    )
    quoted = 'id,question,answer\nwaste,쓰레기 언제 버려요?,"일요일, 저녁 6시 이후"\n'
    [entry] = load_entries(write_faq(quoted, name="faq.csv"))
    assert entry.answer == "일요일, 저녁 6시 이후"


def test_a_csv_column_given_twice_is_refused(write_faq):
    path = write_faq("id,question,answer,answer\nx,q,a,b\n", name="faq.csv")
    with pytest.raises(FaqError) as raised:
        load_entries(path)
    assert str(raised.value) == f"{path}: column 'answer' appears twice in the CSV header"
