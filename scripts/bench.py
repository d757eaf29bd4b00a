"""Speed of the understanding (`make bench`): prints figures, asserts nothing.

Measures triage + FAQ match per message (throughput in one process, with the analyser reading
ahead as the CLI does, and on 2 processes; p50/p99 latency) with the sample FAQ and with a
generated 5,000-entry FAQ, then the contract CLI's start-up time, its time for 1,000 lines and
its peak memory.
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.faq import FaqIndex, understand  # noqa: E402
from bot.faq.text import analyse, read_ahead  # noqa: E402

PASSES = 3
POOL_PASSES = 8  # enough work per worker that starting the pool does not dominate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--entries", type=int, default=5000, help="size of the generated FAQ")
    args = parser.parse_args()
    sample = args.data / "faq-county.yaml"
    texts = _messages(args.data)
    print(f"messages: {len(texts)} distinct, {PASSES} passes, analysis cache cleared per pass")
    _measure("sample FAQ", sample, texts)
    with tempfile.TemporaryDirectory() as tmp:
        generated = Path(tmp) / "faq-generated.yaml"
        generated.write_text(_generated_faq(args.entries), encoding="utf-8")
        _measure(f"generated FAQ ({args.entries} entries)", generated, texts)
    _cli(sample, texts)
    return 0


def _messages(data: Path) -> list[str]:
    texts = []
    for name in ("cases-dev.jsonl", "chatter-dev.jsonl"):
        with (data / name).open(encoding="utf-8") as lines:
            texts += [json.loads(line)["text"] for line in lines if line.strip()]
    return texts


def _measure(label: str, faq: Path, texts: list[str]) -> None:
    started = time.perf_counter()
    index = FaqIndex.load(faq)
    built = time.perf_counter() - started
    latencies = _latencies(index, texts)
    ahead = _read_ahead_rate(index, texts)
    p50 = statistics.median(latencies) * 1000
    p99 = statistics.quantiles(latencies, n=100)[98] * 1000
    global _INDEX
    _INDEX = index  # forked workers share the built index
    with multiprocessing.get_context("fork").Pool(2) as pool:
        started = time.perf_counter()
        done = sum(pool.map(_work, [(texts, part) for part in range(2)]))
        rate = done / (time.perf_counter() - started)
    print(f"\n{label}: {len(index.entries)} entries indexed in {built:.2f} s")
    print(
        f"  one process: {len(latencies) / sum(latencies):,.0f} msgs/s, "
        f"p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {max(latencies) * 1000:.2f} ms"
    )
    print(
        f"  one process, the analyser reading ahead on 2 threads (as the CLI): {ahead:,.0f} msgs/s"
    )
    print(f"  two processes: {rate:,.0f} msgs/s (index already built, caches cleared)")


def _latencies(index: FaqIndex, texts: list[str]) -> list[float]:
    understand(index, "준비", listen=True)  # the analyser loads on first use
    latencies = []
    for _ in range(PASSES):
        analyse.cache_clear()
        for text in texts:
            started = time.perf_counter()
            understand(index, text, listen=True)
            latencies.append(time.perf_counter() - started)
    return latencies


def _read_ahead_rate(index: FaqIndex, texts: list[str]) -> float:
    """Messages per second when the analyser reads the next messages while one is matched."""
    started = time.perf_counter()
    for _ in range(PASSES):
        analyse.cache_clear()
        for text in read_ahead(texts):
            understand(index, text, listen=True)
    return PASSES * len(texts) / (time.perf_counter() - started)


_INDEX: FaqIndex | None = None


def _work(job: tuple[list[str], int]) -> int:
    texts, part = job
    if _INDEX is None:
        raise RuntimeError("the pool must be forked after the index is built")
    for _ in range(POOL_PASSES):
        analyse.cache_clear()
        for text in texts[part::2]:
            understand(_INDEX, text, listen=True)
    return POOL_PASSES * len(texts[part::2])


def _generated_faq(count: int) -> str:
    """Distinct synthetic entries built from civic words: realistic word overlap between
    entries (many share 신청, 지원, 요금), which is what makes a large FAQ slow."""
    places = [
        "군청",
        "보건소",
        "도서관",
        "체육관",
        "읍사무소",
        "면사무소",
        "터미널",
        "복지관",
        "경로당",
        "문화센터",
        "농업기술센터",
        "청소년수련관",
        "공원",
        "주차장",
        "시장",
    ]
    topics = [
        "쓰레기",
        "상수도",
        "하수도",
        "가로등",
        "버스",
        "택시",
        "주차",
        "건축",
        "농지",
        "농기계",
        "축산",
        "산림",
        "어업",
        "관광",
        "축제",
        "교육",
        "강좌",
        "장학",
        "육아",
        "출산",
        "노인",
        "장애인",
        "청년",
        "다문화",
        "귀농",
        "창업",
        "세금",
        "요금",
        "증명서",
        "여권",
        "등록",
        "예방접종",
        "검진",
        "금연",
        "치매",
        "반려동물",
        "재난",
        "폭염",
        "한파",
    ]
    services = [
        "지원금",
        "신청 방법",
        "운영 시간",
        "이용 요금",
        "준비 서류",
        "신청 기간",
        "대상자",
        "감면",
        "예약",
        "위치",
        "교육 일정",
        "모집",
        "상담",
        "할인",
        "신고 방법",
    ]
    forms = [
        "{p} {t} {s}은 어떻게 되나요?",
        "{t} {s} 알려 주세요",
        "{p}에서 {t} {s} 확인하려면?",
        "{t} 관련 {s} 문의",
        "{p} {t} {s}",
    ]
    combos = list(itertools.product(places, topics, services))
    random.Random(7).shuffle(combos)
    entries = []
    for number, (place, topic, service) in enumerate(combos[:count]):
        form = forms[number % len(forms)]
        entries.append(
            {
                "id": f"gen-{number:05d}",
                "question": form.format(p=place, t=topic, s=service),
                "variants": [f"{topic} {service}", f"{place} {topic}"],
                "answer": f"{place}의 {topic} {service} 안내입니다. 담당 부서에 문의하세요.",
                "tags": [topic],
            }
        )
    return yaml.safe_dump(entries, allow_unicode=True)


def _cli(faq: Path, texts: list[str]) -> None:
    """Start-up, and 1,000 lines, each the best of three runs (a run's start-up varies by
    tenths of a second, as much as the lines take)."""
    lines = "".join(t.replace("\n", " ") + "\n" for t in (texts * 3)[:1000])
    startup = min(_run_cli(faq, "") for _ in range(3))
    elapsed = min(_run_cli(faq, lines) for _ in range(3))
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"\ncontract CLI (sample FAQ): start-up {startup:.2f} s (empty input); "
        f"1,000 lines ({len(set(texts))} distinct) in {elapsed:.2f} s, "
        f"{elapsed - startup:.2f} s after start-up; peak RSS {peak:.0f} MB"
    )


def _run_cli(faq: Path, lines: str) -> float:
    command = [sys.executable, "-m", "bot", "triage", "--faq", str(faq), "--jsonl"]
    started = time.perf_counter()
    done = subprocess.run(
        command, input=lines, capture_output=True, text=True, cwd=ROOT, check=True
    )
    if len(done.stdout.splitlines()) != lines.count("\n"):
        raise RuntimeError("the CLI must write one line per line read")
    return time.perf_counter() - started


if __name__ == "__main__":
    raise SystemExit(main())
