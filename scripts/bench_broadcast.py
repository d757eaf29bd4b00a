"""How long a notice takes to reach 26 rooms, against the fake Telegram and Slack servers on
127.0.0.1, compared with the least time the platforms' limits allow.

    .venv/bin/python scripts/bench_broadcast.py [--database URL] [--telegram 18] [--slack 8]

The real bot runs (real adapters with their rate limiters at Telegram's and Slack's published
limits, the outbox, the live scheduler loop); notices are set a moment ahead in config and the
clock is the wall clock. For each scenario it prints: when the first and last message reached a
platform, counted from the notice's time; the minimum the limits allow; and the overhead.
Figures, not assertions (DESIGN §6).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import load_settings  # noqa: E402
from tests.fakes import ENVIRONMENT  # noqa: E402
from tests.fakes.slack import FakeSlack  # noqa: E402
from tests.fakes.telegram import FakeTelegram  # noqa: E402

KST = ZoneInfo("Asia/Seoul")
TELEGRAM = {"per_chat": (1, 1.0), "per_group": (20, 60.0), "overall": (30, 1.0)}
SLACK = {"per_channel": (1, 1.0)}


def minimum_seconds(per_chat: Counter[tuple[str, str]]) -> float:
    """The least time from the first send to the last that the limits allow for the given
    messages per (platform, chat): with `count` per `seconds`, the n-th message in a window
    can leave at ((n - 1) // count) * seconds."""

    def window(n: int, count: int, seconds: float) -> float:
        return ((n - 1) // count) * seconds if n else 0.0

    bounds = [0.0]
    telegram_total = 0
    for (platform, _), n in per_chat.items():
        if platform == "telegram":
            telegram_total += n
            bounds.append(window(n, *TELEGRAM["per_chat"]))
            bounds.append(window(n, *TELEGRAM["per_group"]))
        else:
            bounds.append(window(n, *SLACK["per_channel"]))
    bounds.append(window(telegram_total, *TELEGRAM["overall"]))
    return max(bounds)


def write_config(
    directory: Path, database: str, telegram: FakeTelegram, slack: FakeSlack, counts, notices
) -> Path:
    rooms = [
        {
            "key": f"tg-{n}",
            "name": f"텔레그램 {n}리",
            "platform": "telegram",
            "chat_id": -1002000 - n,
            "groups": ["이장단"],
            "mode": "mention",
        }
        for n in range(counts[0])
    ] + [
        {
            "key": f"sl-{n}",
            "name": f"슬랙 {n}리",
            "platform": "slack",
            "chat_id": f"CROOM{n:02}",
            "groups": ["이장단"],
            "mode": "mention",
        }
        for n in range(counts[1])
    ]
    per = {"count": 1, "seconds": 1.0}
    config = {
        "county": "시험군",
        "timezone": "Asia/Seoul",
        "database": database,
        "faq": str(ROOT / "data" / "faq-county.yaml"),
        "state_dir": str(directory / "var"),
        "officers": [{"name": "김주무관", "ids": {"slack": "UKIM"}}],
        "rooms": rooms,
        "officer_room": {"platform": "slack", "chat_id": "COFFICERS"},
        "platforms": {
            "webchat": {"enabled": False},
            "telegram": telegram.section(per_chat=per),
            "slack": slack.section(per_channel=per),
        },
        "notices": notices,
    }
    path = directory / "config.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


async def scenario(
    name: str, notices: int, database: str | None, counts: tuple[int, int]
) -> dict[str, float]:
    from tests.fakes import running

    rooms = sum(counts)
    with tempfile.TemporaryDirectory(prefix="sotong-bench-") as tmp:
        directory = Path(tmp)
        url = database or f"sqlite:///{directory / 'bench.db'}"
        async with FakeTelegram() as telegram, FakeSlack() as slack:
            due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=4)
            at = due.astimezone(KST).strftime("%Y-%m-%d %H:%M:%S")
            items = [
                {"name": f"공지 {n + 1}", "at": at, "text": f"벤치 공지 {n + 1}", "groups": ["all"]}
                for n in range(notices)
            ]
            telegram.members.update({str(-1002000 - n): 12 for n in range(counts[0])})
            slack.members.update({f"CROOM{n:02}": 12 for n in range(counts[1])})
            path = write_config(directory, url, telegram, slack, counts, items)
            settings = load_settings(path, environ=ENVIRONMENT)
            async with running(settings):
                due_mono = time.monotonic() + (due - datetime.now(UTC)).total_seconds()
                expected = rooms * notices

                def delivered() -> list[tuple[str, str, float]]:
                    found = [("telegram", s.chat_id, s.at) for s in telegram.sent]
                    found += [
                        ("slack", p.channel, p.at) for p in slack.posted if p.channel != "COFFICERS"
                    ]
                    return found

                deadline = time.monotonic() + 60 + 2 * notices
                while len(delivered()) < expected and time.monotonic() < deadline:
                    await asyncio.sleep(0.01)
                sent = delivered()
                with contextlib.suppress(AssertionError):
                    await slack.wait_posted(1, "COFFICERS", timeout=10)
                report = [p.text for p in slack.to("COFFICERS") if f"방 {rooms}곳" in p.text]
        per_chat = Counter((platform, chat) for platform, chat, _ in sent)
        first = min(at for *_, at in sent) - due_mono
        last = max(at for *_, at in sent) - due_mono
        floor = minimum_seconds(per_chat)
        print(
            f"{name:<40} {len(sent):>3}/{expected:<3} msgs  first +{first:6.3f}s  "
            f"last +{last:6.3f}s  limits' minimum {floor:5.2f}s  overhead {last - floor:+6.3f}s",
            flush=True,
        )
        duplicates = [key for key, n in per_chat.items() if n > notices]
        if duplicates or len(sent) != expected:
            print(f"  !! duplicates {duplicates} or missing messages", flush=True)
        if report:
            print(f"  officer report: {report[0].splitlines()[0]}", flush=True)
        return {"first": first, "last": last, "minimum": floor}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--telegram", type=int, default=18, help="Telegram rooms (18)")
    parser.add_argument("--slack", type=int, default=8, help="Slack rooms (8)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    counts = (args.telegram, args.slack)
    rooms = sum(counts)
    print(
        f"broadcast to {rooms} rooms ({counts[0]} Telegram groups, {counts[1]} Slack channels); "
        "limits: Telegram 1/s per chat, 20/min per group, 30/s overall; Slack 1/s per channel"
    )
    await scenario(f"1 notice × {rooms} rooms", 1, args.database, counts)
    await scenario(f"3 notices at once × {rooms} rooms", 3, args.database, counts)
    await scenario(
        f"1 notice × {rooms + 34} rooms (overall limit)",
        1,
        args.database,
        (counts[0] + 34, counts[1]),
    )


if __name__ == "__main__":
    asyncio.run(main())
