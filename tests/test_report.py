"""The monthly report, checked against a constructed autumn: residents report, officers work
the cases and post information, rooms grow — then `/report` and `sotong report` must give the
county's numbers, as of each month's end.

The autumn is in 2024 so that `sotong report` (which reads the wall clock) sees it as past,
whatever day the tests run.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from sqlmodel import Session, select

from bot.handlers.report import parse_month
from storage.models import InfoPost, MemberSnapshot
from tests.conversation import KST, Conversation
from tests.test_officer import officer
from tests.test_privacy_erase import sotong
from tests.test_queue import STREETLIGHT, SWING, report

HEADER = ["구분", "접수", "정보 제공", "주요 민원: 소계", "완료: 해결", "완료: 불가"]
HEADER += ["완료: 장기 추진", "추진중"]
NOVEMBER_ROOMS = [
    ["플랫폼", "소통방", "인원"],
    ["chat", "육아 소통방", "130"],
    ["chat", "이장단 소통방", "35"],
    ["chat", "소계", "165"],
    ["웹 채팅", "웹 육아방", "48"],
    ["웹 채팅", "소계", "48"],
    ["총계", "", "213"],
]
"""The autumn's rooms table for November, in `/report` and `sotong report` alike: the latest
count taken before the end of November, by platform."""


def kst(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2024, month, day, hour, tzinfo=KST)


@pytest.fixture
async def bot(settings):
    """Rooms on two platforms whose adapters can count members."""
    conversation = Conversation(settings, platforms=("chat", "webchat"))
    await conversation.start()
    yield conversation
    await conversation.stop()


async def at(bot, when: datetime, **members: int) -> None:
    """Time passes to `when`; rooms (by chat id, `_` for `-`) have `members` by then."""
    for chat_id, count in members.items():
        room = chat_id.replace("_", "-")
        platform = "webchat" if room.startswith("web-") else "chat"
        bot.adapters[platform].members[room] = count
    bot.clock.set(when)
    await bot.app.tick()
    await bot.app.drain()


def rows(text: str) -> dict[str, list[str]]:
    """The cells of a text table, by the label in the first column."""
    return {
        cells[0]: cells[1:]
        for line in text.splitlines()
        if "|" in line
        for cells in [[cell.strip() for cell in line.split("|")]]
    }


def room_table(text: str) -> list[list[str]]:
    """The rooms table of a text report, row by row."""
    lines = text.split("소통방 인원 현황\n", 1)[1].splitlines()
    return [[cell.strip() for cell in line.split("|")] for line in lines]


@pytest.fixture
async def autumn(bot):
    """October and November 2024 as they happened; returns the receipts by name."""
    r = {}
    await at(bot, kst(10, 7), room_parenting=120, room_heads=35, web_parenting=48)
    r["o1"] = await report(bot, "mom-1", "공원 화장실 문이 고장 났어요")
    r["o2"] = await report(bot, "head-1", "경로당 보일러가 고장 나서 추워요", room="heads")
    await officer(bot, "/info 10월 독감 예방접종 일정을 육아방에 안내함")
    await at(bot, kst(10, 8))
    await officer(bot, f"/resolve {r['o1']} 문고리를 교체했습니다")

    await at(bot, kst(11, 4))
    r["a"] = await report(bot, "mom-1", STREETLIGHT)
    r["b"] = await report(bot, "mom-2", SWING)
    r["c"] = await report(bot, "mom-3", "마을 도서관을 주말에도 열었으면 좋겠어요 건의합니다")
    r["d"] = await report(bot, "head-1", "버스 정류장 의자가 파손되어 있어요", room="heads")
    r["e"] = await report(bot, "head-2", "하수구가 막혀서 냄새가 나요", room="heads")
    r["f"] = await report(bot, "head-3", STREETLIGHT, room="heads")
    await bot.say(
        "head-4", "버스 정류장 의자가 아직도 파손된 채로 있어요", room="heads", mention=True
    )
    assert r["d"] in bot.in_room("heads")[0].text  # a follower of d, not a case of its own
    await at(bot, kst(11, 11))
    await officer(bot, f"/resolve {r['o2']} 보일러를 수리했습니다")
    await officer(bot, f"/merge {r['f']} {r['a']}")
    await officer(bot, f"/resolve {r['a']} 가로등을 교체했습니다")
    await officer(bot, f"/reject {r['b']} 사유지 시설이라 군에서 손댈 수 없습니다")
    await officer(bot, f"/longterm {r['c']} 내년 예산에 반영하겠습니다")
    await officer(bot, f"/assign {r['d']} @김주무관 교통과")
    for topic in ("김장철 음식물 쓰레기 배출 안내", "겨울철 수도 동파 예방", "경로당 난방비 지원"):
        await officer(bot, f"/info {topic}")
    with Session(bot.app.engine) as session:  # a notice the scheduler posted (InfoPost row)
        session.add(InfoPost(at=kst(11, 15), kind="notice", title="소방 점검", source_key="n1"))
        session.commit()
    await at(bot, kst(11, 20), room_parenting=130)

    await at(bot, kst(12, 2), room_parenting=140)
    await officer(bot, f"/resolve {r['e']} 하수구를 준설했습니다")
    r["h"] = await report(bot, "mom-4", "하수구가 막혀서 냄새가 나요")
    await officer(bot, "/info 연말 민원실 운영 시간 안내")
    bot.sent.clear()
    return r


async def test_the_november_report_counts_each_case_as_it_stood_at_the_end_of_november(bot, autumn):
    text = await officer(bot, "/report 2024-11")
    assert text.startswith("[시험군 소통 창구 운영 현황] 2024년 11월 (2024-11-30 23:59 기준)")
    table = rows(text)
    assert table["구분"] == HEADER[1:]
    # October: o1 resolved in October, o2 in November; one officer post.
    assert table["2024. 10월"] == ["3", "1", "2", "2", "-", "-", "-"]
    # November: a resolved (f was merged into it: one case), b rejected, c long-term,
    # d in progress and e received (resolved only in December); 3 posts and 1 notice.
    assert table["2024. 11월"] == ["9", "4", "5", "1", "1", "1", "2"]
    assert table["합계"] == ["12", "5", "7", "3", "1", "1", "2"]
    assert room_table(text) == NOVEMBER_ROOMS


async def test_a_past_month_is_read_as_of_its_own_end(bot, autumn):
    table = rows(await officer(bot, "/report 2024-10"))
    assert table["2024. 10월"] == ["3", "1", "2", "1", "-", "-", "1"]
    assert "2024. 11월" not in table
    assert table["총계"] == ["", "203"]  # 120 + 35 + 48 on 7 October


async def test_the_current_month_is_the_default_and_runs_until_now(bot, autumn):
    table = rows(await officer(bot, "/report"))
    assert table["2024. 11월"] == ["9", "4", "5", "2", "1", "1", "1"]  # e is resolved now
    assert table["2024. 12월"] == ["2", "1", "1", "-", "-", "-", "1"]
    assert table["합계"] == ["14", "6", "8", "4", "1", "1", "2"]
    assert table["총계"] == ["", "223"]


async def test_report_arguments_are_checked(bot):
    await at(bot, kst(11, 4))
    wrong = await officer(bot, "/report 11월쯤")
    assert wrong == "월을 2026-11, 11월 또는 지난달처럼 적어 주세요.\n사용법: /report [YYYY-MM]"
    assert "아직 오지 않은 달" in await officer(bot, "/report 2025-01")
    empty = rows(await officer(bot, "/report 2024.11"))
    assert empty["2024. 11월"] == ["-"] * 7 and empty["총계"] == ["", "-"]


async def test_officers_name_a_month_as_they_say_it(bot):
    """On 4 November 2024, 11월 is this month, 12월 last December, 지난달 October."""
    await at(bot, kst(11, 4))
    assert (await officer(bot, "/report 11월")).startswith(
        "[시험군 소통 창구 운영 현황] 2024년 11월"
    )
    assert "2023년 12월" in (await officer(bot, "/report 12월")).splitlines()[0]
    assert "2024년 10월" in (await officer(bot, "/report 지난 달")).splitlines()[0]


def test_a_month_is_read_in_every_way_officers_write_it():
    today = (2027, 1)
    assert parse_month("2024년 3월", today) == (2024, 3)
    assert parse_month("2026/11", today) == (2026, 11)
    assert parse_month("1월", today) == (2027, 1)
    assert parse_month("12월", today) == (2026, 12)
    assert parse_month("지난달", today) == (2026, 12)
    assert parse_month("이번 달", today) == (2027, 1)
    for wrong in ("13월", "0월", "다음 달", "2026", "", "0001-01", "0000-01", "9999-12"):
        with pytest.raises(ValueError, match="not a month"):
            parse_month(wrong, today)


async def test_info_records_a_post_for_the_count_and_says_nothing_to_residents(bot):
    await at(bot, kst(11, 4))
    assert await officer(bot, "/info 독감 예방접종 안내 (문의 010-1234-5678)") == (
        "정보 제공 1건을 기록했습니다 (2024년 11월 정보 제공 1건)."
    )
    assert "11월 정보 제공 2건" in await officer(bot, "/info 김장 쓰레기 배출 안내")
    bot.assert_silent()
    assert "기록할 정보 제공 내용" in await officer(bot, "/info")
    with Session(bot.app.engine) as session:
        titles = [post.title for post in session.exec(select(InfoPost).order_by(InfoPost.id))]
    assert titles[0] == "독감 예방접종 안내 (문의 010-****-5678)"


async def test_members_are_counted_once_a_day(bot):
    await at(bot, kst(11, 4, 9), room_parenting=120)
    await at(bot, kst(11, 4, 15), room_parenting=121)  # same day: not counted again
    await at(bot, kst(11, 5, 9), room_parenting=122)
    with Session(bot.app.engine) as session:
        counts = session.exec(
            select(MemberSnapshot.count)
            .where(MemberSnapshot.room_key == "parenting")
            .order_by(MemberSnapshot.id)
        ).all()
    assert counts == [120, 122]


async def test_sotong_report_prints_the_same_numbers_as_csv_and_markdown(bot, autumn, config_path):
    await bot.stop()
    result = sotong(config_path, "report", "--month", "2024-11", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("\ufeff")  # so Excel reads the Korean
    heading, cases, rooms = result.stdout.removeprefix("\ufeff").split("\n\n")
    assert heading.startswith("[시험군 소통 창구 운영 현황] 2024년 11월")
    table = list(csv.reader(io.StringIO(cases)))
    assert table[0] == HEADER
    assert table[1:] == [
        ["2024. 10월", "3", "1", "2", "2", "0", "0", "0"],
        ["2024. 11월", "9", "4", "5", "1", "1", "1", "2"],
        ["합계", "12", "5", "7", "3", "1", "1", "2"],
    ]
    assert list(csv.reader(io.StringIO(rooms))) == NOVEMBER_ROOMS
    markdown = sotong(config_path, "report", "--month", "2024-11", "--format", "markdown")
    assert "| 2024. 11월 | 9 | 4 | 5 | 1 | 1 | 1 | 2 |" in markdown.stdout
    assert "| 총계 |  | 213 |" in markdown.stdout
    bad = sotong(config_path, "report", "--month", "november")
    assert bad.returncode == 2 and "YYYY-MM" in bad.stderr
