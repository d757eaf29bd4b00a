"""Scheduled notices as the county lives them: from config and from officers in chat, at county
time, to exactly the rooms of their groups, once — and what officers hear about it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from bot.config import ConfigError, Settings
from storage.models import AuditEntry, InfoPost, Notice
from tests.conftest import load_county
from tests.conversation import KST, Conversation

DEC1 = datetime(2026, 12, 1, 9, 0, tzinfo=KST)  # a Tuesday
OFFICER = "officer-kim"
ROOMS = [
    ("parenting", "육아 소통방", "chat", "room-parenting", ["육아"]),
    ("youth", "청년 소통방", "chat", "room-youth", ["청년"]),
    ("youth-web", "웹 청년방", "webchat", "web-youth", ["청년", "육아"]),
    ("business", "소상공인 소통방", "chat", "room-business", ["소상공인"]),
    ("heads", "이장단 소통방", "chat", "room-heads", ["이장단"]),
]
ALL_ROOMS = {chat for _, _, _, chat, _ in ROOMS}
VACCINE = {
    "name": "예방접종 안내",
    "cron": "0 9 * * *",
    "text": "내일 보건소 예방접종",
    "groups": ["육아"],
}


def county(
    tmp_path: Path, database_url: str, *, rooms: list[tuple] = ROOMS, **sections: Any
) -> Settings:
    """The county's config with five rooms in four groups, plus `sections` (notices, feeds …)."""
    return load_county(
        tmp_path,
        database_url,
        environ={},
        officers=[
            {"name": "김주무관", "role": "officer", "ids": {"chat": OFFICER}},
            {"name": "박팀장", "role": "admin", "ids": {"chat": "admin-park"}},
        ],
        rooms=[
            {"key": k, "name": n, "platform": p, "chat_id": c, "groups": g, "mode": "mention"}
            for k, n, p, c, g in rooms
        ],
        officer_room={"platform": "chat", "chat_id": "room-officers"},
        platforms={"webchat": {"host": "127.0.0.1", "port": 0}},
        **sections,
    )


async def started(settings: Settings) -> Conversation:
    bot = Conversation(settings, platforms=("chat", "webchat"))
    await bot.start()
    return bot


async def at(bot: Conversation, when: datetime) -> dict[str, list[str]]:
    """Time passes to `when`; the scheduler runs twice (broadcast, then its report) and the
    outbox delivers. Returns and forgets what each chat received."""
    bot.clock.set(when)
    for _ in range(2):
        await bot.app.tick()
        await bot.app.drain()
    return received(bot)


def received(bot: Conversation) -> dict[str, list[str]]:
    by_chat: dict[str, list[str]] = {}
    for out in bot.sent:
        by_chat.setdefault(out.chat_id, []).append(out.plain_text)  # as a linkless room reads it
    bot.sent.clear()
    return by_chat


def broadcasts(by_chat: dict[str, list[str]]) -> dict[str, list[str]]:
    """What residents' rooms got (the officer room's reports left out)."""
    return {chat: texts for chat, texts in by_chat.items() if chat != "room-officers"}


async def officer_says(bot: Conversation, text: str) -> list[str]:
    await bot.say(OFFICER, text, room=None)
    mine = [m.text for m in bot.sent if m.chat_id == f"dm-{OFFICER}"]
    bot.sent[:] = [m for m in bot.sent if m.chat_id != f"dm-{OFFICER}"]
    return mine


@pytest.fixture
async def bot(tmp_path, database_url) -> AsyncIterator[Conversation]:
    conversation = await started(county(tmp_path, database_url, notices=[VACCINE]))
    yield conversation
    await conversation.stop()


# --- from config ----------------------------------------------------------------------------------


async def test_a_9am_notice_reaches_exactly_its_groups_rooms_once(bot):
    assert await at(bot, DEC1.replace(hour=8, minute=59)) == {}
    sent = await at(bot, DEC1)
    text = "[공지] 내일 보건소 예방접종"
    assert broadcasts(sent) == {"room-parenting": [text], "web-youth": [text]}
    [report] = sent["room-officers"]
    assert report.startswith("[공지 발송 결과] 예방접종 안내 · 방 2곳: 발송 2 · 실패 0")
    assert "육아 소통방" in report and "웹 청년방" in report
    for later in (DEC1.replace(second=30), DEC1.replace(minute=1), DEC1.replace(hour=15)):
        assert await at(bot, later) == {}
    next_day = await at(bot, DEC1.replace(day=2))
    assert broadcasts(next_day) == {"room-parenting": [text], "web-youth": [text]}
    with Session(bot.app.engine) as session:
        posts = session.exec(select(InfoPost)).all()
    assert [(p.kind, p.title) for p in posts] == [("notice", "예방접종 안내")] * 2
    [report] = await officer_says(bot, "/report 2026-12")
    [december] = [line for line in report.splitlines() if line.startswith("2026. 12월")]
    assert december.split("|")[2].strip() == "2"  # 정보 제공: one per broadcast, not per room


async def test_a_notice_to_all_reaches_every_room_and_an_at_notice_goes_once(tmp_path):
    notices = [
        {"name": "전체 공지", "at": "2026-12-01 09:00", "text": "군청 휴무", "groups": ["all"]},
        {
            "name": "두 그룹",
            "at": "2026-12-01 10:30",
            "text": "설명회",
            "groups": ["청년", "이장단"],
        },
    ]
    bot = await started(county(tmp_path, f"sqlite:///{tmp_path}/db", notices=notices))
    try:
        sent = broadcasts(await at(bot, DEC1))
        assert set(sent) == ALL_ROOMS and all(v == ["[공지] 군청 휴무"] for v in sent.values())
        sent = broadcasts(await at(bot, DEC1.replace(hour=10, minute=30)))
        assert set(sent) == {"room-youth", "web-youth", "room-heads"}
        assert broadcasts(await at(bot, DEC1.replace(day=2))) == {}
    finally:
        await bot.stop()


async def test_the_county_timezone_is_used_not_utc(tmp_path):
    notice = {**VACCINE, "cron": "30 8 * * MON-FRI"}
    bot = await started(county(tmp_path, f"sqlite:///{tmp_path}/db", notices=[notice]))
    try:
        assert await at(bot, datetime(2026, 11, 30, 23, 29, tzinfo=ZoneInfo("UTC"))) == {}
        assert "room-parenting" in await at(
            bot, datetime(2026, 11, 30, 23, 30, tzinfo=ZoneInfo("UTC"))
        )
        # the bot ran through Wednesday to Friday (a replay jumps there): each day's goes out
        friday = broadcasts(await at(bot, datetime(2026, 12, 4, 8, 45, tzinfo=KST)))
        assert friday["room-parenting"] == ["[공지] 내일 보건소 예방접종"] * 3
        assert await at(bot, datetime(2026, 12, 6, 8, 30, tzinfo=KST)) == {}  # Sat, Sun: none
    finally:
        await bot.stop()


async def test_a_notice_due_while_the_bot_was_down_goes_out_within_its_grace(tmp_path):
    settings = county(tmp_path, f"sqlite:///{tmp_path}/db", notices=[VACCINE])
    first = await started(settings)
    await at(first, DEC1.replace(hour=8))
    await first.stop()  # down over 09:00

    second = await started(settings)
    try:
        sent = await at(second, DEC1.replace(hour=9, minute=40))
        assert broadcasts(sent) == {
            "room-parenting": ["[공지] 내일 보건소 예방접종"],
            "web-youth": ["[공지] 내일 보건소 예방접종"],
        }
    finally:
        await second.stop()


async def test_a_notice_missed_beyond_its_grace_is_reported_not_sent(tmp_path):
    notices = [VACCINE, {**VACCINE, "name": "짧은 유예", "grace": "10m", "groups": ["이장단"]}]
    settings = county(tmp_path, f"sqlite:///{tmp_path}/db", notices=notices)
    first = await started(settings)
    await at(first, DEC1.replace(hour=8))
    await first.stop()

    second = await started(settings)  # back at 09:30: the first is in grace, the second not
    try:
        sent = await at(second, DEC1.replace(minute=30))
        assert set(broadcasts(sent)) == {"room-parenting", "web-youth"}
        [missed] = [t for t in sent["room-officers"] if t.startswith("[공지 누락]")]
        assert "짧은 유예" in missed and "2026-12-01 09:00" in missed and "10m" in missed
        await second.stop()

        third = await started(settings)  # down from 09:30 on the 1st to 09:20 on the 4th
        sent = await at(third, datetime(2026, 12, 4, 9, 20, tzinfo=KST))
        second = third
        assert set(broadcasts(sent)) == {"room-parenting", "web-youth"}  # the 4th, coalesced
        reports = [t for t in sent["room-officers"] if t.startswith("[공지 누락]")]
        assert any("예방접종 안내" in r and "2026-12-02 09:00 외 1회" in r for r in reports)
        assert any("짧은 유예" in r and "외 2회" in r for r in reports)
    finally:
        await second.stop()


def test_config_notices_are_checked_when_the_config_is_loaded(tmp_path):
    url = f"sqlite:///{tmp_path}/db"
    bad = [
        ({**VACCINE, "cron": "0 9 * *"}, "five fields"),
        ({"name": "x", "at": "2026-02-30 09:00", "text": "t", "groups": ["육아"]}, "real date"),
        ({**VACCINE, "groups": ["청소년"]}, "unknown group '청소년'"),
        ({**VACCINE, "grace": "soon"}, "not a duration"),
    ]
    for notice, reason in bad:
        with pytest.raises(ConfigError, match=reason):
            county(tmp_path, url, notices=[notice])
    settings = county(tmp_path, url, notices=[{**VACCINE, "cron": None, "at": "2026-12-01 09:00"}])
    assert settings.notices[0].at == "2026-12-01 09:00"


# --- officers in chat -----------------------------------------------------------------------------


async def test_an_officer_drafts_previews_and_confirms_a_notice(bot):
    await at(bot, DEC1.replace(hour=8))  # the scheduler has read the config's notice (#1)
    [preview] = await officer_says(
        bot, "/notice at 2026-12-01 14:00 groups 청년,소상공인 창업 설명회"
    )
    assert preview.startswith(
        "공지 미리보기 (#2)\n일시: 2026-12-01 14:00\n대상: 청년, 소상공인 — 방 3곳 "
        "(청년 소통방, 웹 청년방, 소상공인 소통방)"
    )
    assert "[공지] 창업 설명회" in preview and "/notice confirm 2" in preview
    assert broadcasts(await at(bot, DEC1)) == {  # only the config's notice
        "room-parenting": ["[공지] 내일 보건소 예방접종"],
        "web-youth": ["[공지] 내일 보건소 예방접종"],
    }
    [done] = await officer_says(bot, "/notice confirm 2")
    assert done == "공지 #2를 예약했습니다. 발송: 2026-12-01 14:00"
    assert broadcasts(await at(bot, DEC1.replace(hour=13, minute=59))) == {}
    sent = await at(bot, DEC1.replace(hour=14))
    assert broadcasts(sent) == {
        chat: ["[공지] 창업 설명회"] for chat in ("room-youth", "web-youth", "room-business")
    }
    assert sent["room-officers"][0].startswith("[공지 발송 결과] 창업 설명회 · 방 3곳: 발송 3")
    [listing] = await officer_says(bot, "/notices")
    assert "#1 [예약] (설정 파일)" in listing and "#2" not in listing
    with Session(bot.app.engine) as session:
        actions = session.exec(select(AuditEntry.action)).all()
    assert {"notice.draft", "notice.confirm"} <= set(actions)


async def test_an_unconfirmed_draft_is_never_sent(bot):
    await at(bot, DEC1.replace(hour=8))
    await officer_says(bot, "/notice at 2026-12-01 10:00 groups 이장단 회의")
    assert "room-heads" not in await at(bot, DEC1.replace(hour=10))
    bot.clock.set(DEC1.replace(hour=11, minute=30))
    [late] = await officer_says(bot, "/notice confirm 2")  # 1 h 30 late: past its grace
    assert late.startswith("2026-12-01 10:00은 이미 지난 시각입니다.")
    assert "room-heads" not in await at(bot, DEC1.replace(hour=12))


async def test_the_preview_buttons_confirm_or_cancel(bot):
    await at(bot, DEC1.replace(hour=8))
    await bot.say(OFFICER, '/notice every "0 18 * * FRI" groups 이장단 주간 회의', room=None)
    [preview] = bot.in_room(f"dm-{OFFICER}")
    assert preview.quick_replies == ("공지 예약 확인 #2", "공지 취소 #2")
    [confirmed] = await officer_says(bot, "공지 예약 확인 #2")
    assert confirmed == "공지 #2를 예약했습니다. 발송: 2026-12-04 18:00"
    friday = await at(bot, datetime(2026, 12, 4, 18, 0, tzinfo=KST))
    assert friday["room-heads"] == ["[공지] 주간 회의"]
    await officer_says(bot, "/notice now groups 전체 단수 안내")
    [cancelled] = await officer_says(bot, "공지 취소 #3")
    assert cancelled == "공지 #3을 취소했습니다."
    assert "room-heads" not in await at(bot, datetime(2026, 12, 4, 18, 1, tzinfo=KST))


async def test_the_buttons_under_an_older_preview_act_on_that_notice(bot):
    """Two drafts in a row: the first preview's 확인 schedules the first, not the newest."""
    await at(bot, DEC1.replace(hour=8))
    await officer_says(bot, "/notice at 2026-12-07 09:00 groups 청년 일자리 박람회")
    await officer_says(bot, "/notice at 2026-12-08 09:00 groups 육아 바자회")
    [confirmed] = await officer_says(bot, "공지 예약 확인 #2")
    assert confirmed == "공지 #2를 예약했습니다. 발송: 2026-12-07 09:00"
    [listing] = await officer_says(bot, "/notices")
    assert "#2 [예약]" in listing and "#3 [확인 대기]" in listing


async def test_a_cancelled_notice_is_not_sent_and_config_notices_stay(bot):
    await at(bot, DEC1.replace(hour=8))
    await officer_says(bot, "/notice at 2026-12-03 09:30 groups 육아 바자회")
    await officer_says(bot, "/notice confirm 2")
    assert await officer_says(bot, "/notice cancel 2") == ["공지 #2를 취소했습니다."]
    [refused] = await officer_says(bot, "/notice cancel 1")
    assert refused.startswith("공지 #1은 설정 파일(config.yaml)의 공지입니다.")
    [again] = await officer_says(bot, "/notice cancel 2")
    assert again.startswith("공지 #2는 이미 취소됨 상태입니다.")
    sent = broadcasts(await at(bot, DEC1.replace(day=3, hour=9, minute=30)))
    assert all("바자회" not in t for texts in sent.values() for t in texts)


@pytest.mark.parametrize(
    ("command", "error"),
    [
        (
            "/notice at 2026-13-01 09:00 groups 청년 x",
            "날짜와 시각을 읽을 수 없습니다: 2026-13-01 09:00",
        ),
        ("/notice at 2026-12-01 groups 청년 x", "보낼 시각도 적어 주세요: 2026-12-01 09:00처럼."),
        ("/notice at 내일 groups 청년 x", "날짜와 시각을 읽을 수 없습니다: 내일"),
        (
            "/notice at 2026-11-30 09:00 groups 청년 x",
            "2026-11-30 09:00은 이미 지난 시각입니다.",
        ),
        (
            "/notice at 2026-12-05 09:00 groups 청소년 x",
            "알 수 없는 그룹 '청소년'입니다. 쓸 수 있는",
        ),
        ("/notice at 2026-12-05 09:00 청년 x", "대상 그룹을 적어 주세요"),
        ("/notice at 2026-12-05 09:00 groups 청년", "보낼 내용을 적어 주세요."),
        ('/notice every "0 9 * *" groups 청년 x', "반복 일정을 읽을 수 없습니다: 0 9 * *"),
        ('/notice every "0 25 * * *" groups 청년 x', "반복 일정을 읽을 수 없습니다: 0 25 * * *"),
        ("/notice confirm 99", "공지 #99를 찾을 수 없습니다."),
        ("/notice confirm", "공지 번호를 적어 주세요"),
        ("/notice sometime", "'sometime'은(는) 알 수 없는 공지 명령입니다."),
    ],
)
async def test_a_bad_notice_command_gets_a_clear_error(tmp_path, command, error):
    bot = await started(county(tmp_path, f"sqlite:///{tmp_path}/db"))
    try:
        bot.clock.set(DEC1)
        [answer] = await officer_says(bot, command)
        assert answer.startswith(error), answer
        # a command written wrong shows how to write it; one that cannot be done, why
        refused = ("이미 지난 시각", "찾을 수 없습니다")
        assert ("사용법: /notice at" in answer) != any(word in error for word in refused)
        with Session(bot.app.engine) as session:
            assert session.exec(select(Notice)).all() == []
    finally:
        await bot.stop()


async def test_the_unknown_group_error_lists_the_groups(bot):
    [answer] = await officer_says(bot, "/notice now groups 노인 경로잔치")
    assert "쓸 수 있는 그룹: all, 소상공인, 육아, 이장단, 전체, 청년" in answer


async def test_residents_cannot_send_notices_and_officers_only_in_staff_places(bot):
    await bot.say("mom-1", "/notice now groups 전체 광고", room="parenting")
    [refused] = bot.in_room("parenting")
    assert refused.text.startswith("죄송합니다. /notice 명령은 담당 공무원만")
    await bot.say(OFFICER, "/notice now groups 전체 x", room="parenting")
    assert bot.in_room("parenting") == []  # told aside, in the officer room
    [elsewhere] = bot.to_officers()
    assert "육아 소통방에서 쓴 명령" in elsewhere.text
    assert "민원 내용은 담당자 방이나 1:1 대화에서만" in elsewhere.text
    with Session(bot.app.engine) as session:
        assert session.exec(select(Notice).where(Notice.config_name.is_(None))).all() == []


async def test_a_multiline_notice_keeps_its_lines_and_now_goes_at_once(bot):
    await at(bot, DEC1.replace(hour=13))
    await officer_says(bot, "/notice now groups 소상공인 text 전기요금 지원\n신청: 12월 10일까지")
    await officer_says(bot, "/notice confirm 2")
    sent = broadcasts(await at(bot, DEC1.replace(hour=13, second=1)))
    assert sent == {"room-business": ["[공지] 전기요금 지원\n신청: 12월 10일까지"]}
