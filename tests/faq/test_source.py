"""Hot reload: an edited FAQ is used without a restart; a broken edit keeps the last good one."""

from __future__ import annotations

import logging
import os
import threading

import bot.faq.source
from bot.faq import FaqIndex, FaqSource

BEFORE = """
- id: library-hours
  question: 도서관 운영 시간이 어떻게 되나요?
  answer: 오전 9시부터 오후 6시까지 엽니다.
"""
AFTER = BEFORE.replace("오후 6시까지", "오후 10시까지")


def _touch_later(path) -> None:
    """Make sure the change is visible even on a file system with coarse timestamps."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def answer(source: FaqSource) -> str:
    """The answer once any edit made so far is in effect (reloads run in the background)."""
    decision = source.wait(timeout=30).decide("도서관 몇 시까지 해요?")
    assert decision.entry is not None
    return decision.entry.answer


def test_an_edit_is_served_without_a_restart(write_faq):
    path = write_faq(BEFORE)
    source = FaqSource(path)
    assert "오후 6시" in answer(source)
    path.write_text(AFTER, encoding="utf-8")
    _touch_later(path)
    assert "오후 10시" in answer(source)


def test_a_broken_edit_keeps_the_last_good_index_and_is_logged(write_faq, caplog):
    path = write_faq(BEFORE)
    source = FaqSource(path)
    good = source.index
    path.write_text("- id: library-hours\n  question: 질문만 있고 답이 없음\n", encoding="utf-8")
    _touch_later(path)
    with caplog.at_level(logging.ERROR, logger="bot.faq.source"):
        assert source.wait(timeout=30) is good
    assert "missing field 'answer'" in caplog.text and "entry 1" in caplog.text
    # fixing the file again is picked up
    path.write_text(AFTER, encoding="utf-8")
    _touch_later(path)
    assert "오후 10시" in answer(source)


def test_an_unchanged_file_is_not_reloaded(write_faq):
    source = FaqSource(write_faq(BEFORE))
    assert source.index is source.index


def hold_loads(monkeypatch) -> tuple[threading.Event, threading.Event]:
    """Make every FAQ load signal `started` and wait for `release`: a rebuild caught midway."""
    started, release = threading.Event(), threading.Event()
    real_load = FaqIndex.load

    def slow_load(file, learned=None):
        started.set()
        assert release.wait(timeout=30)
        return real_load(file, learned)

    monkeypatch.setattr(bot.faq.source.FaqIndex, "load", slow_load)
    return started, release


def test_a_reload_happens_off_the_callers_path(write_faq, monkeypatch):
    """While the new index is being built, readers get the old one at once."""
    path = write_faq(BEFORE)
    source = FaqSource(path)
    old = source.index
    started, release = hold_loads(monkeypatch)
    path.write_text(AFTER, encoding="utf-8")
    _touch_later(path)
    assert source.index is old  # starts the rebuild, does not wait for it
    assert started.wait(timeout=30)
    assert source.index is old  # still building: the old index keeps serving
    release.set()
    assert "오후 10시" in answer(source)
    assert source.index is source.index


def test_an_edit_during_a_rebuild_is_loaded_too(write_faq, monkeypatch):
    path = write_faq(BEFORE)
    source = FaqSource(path)
    started, release = hold_loads(monkeypatch)
    path.write_text(BEFORE.replace("오후 6시", "오후 8시"), encoding="utf-8")
    _touch_later(path)
    assert source.index is not None  # starts the rebuild
    assert started.wait(timeout=30)
    path.write_text(AFTER, encoding="utf-8")  # a second edit while the first is loading
    _touch_later(path)
    _touch_later(path)
    release.set()
    assert "오후 10시" in answer(source)


TWO = """
- id: library-hours
  question: 도서관 운영 시간이 어떻게 되나요?
  answer: 오전 9시부터 오후 6시까지 엽니다.
- id: book-return
  question: 빌린 책은 어디에 반납하나요?
  answer: 도서관 1층 무인 반납함에 넣어 주세요.
"""
RESIDENT = "책 갖다 놓는 통 어디 있어요?"


def test_taught_phrasings_rebuild_the_index_and_survive_a_file_edit(write_faq):
    path = write_faq(TWO)
    source = FaqSource(path)
    assert source.wait(timeout=30).decide(RESIDENT).entry is None
    source.learn({"book-return": ["책 갖다 놓는 통 어디예요?"], "gone-entry": ["아무 말"]})
    assert source.wait(timeout=30).decide(RESIDENT).entry.id == "book-return"
    taught = source.index
    source.learn({"book-return": ["책 갖다 놓는 통 어디예요?"]} | {"gone-entry": ["아무 말"]})
    assert source.index is taught  # the same lessons: nothing to rebuild
    path.write_text(TWO.replace("1층", "2층"), encoding="utf-8")
    _touch_later(path)
    assert "2층" in source.wait(timeout=30).decide(RESIDENT).entry.answer
    source.learn({})
    assert source.wait(timeout=30).decide(RESIDENT).entry is None
