"""The FAQ an officer edits while the bot runs: reloaded when the file changes, or when
officers teach it residents' words.

Building the index of a large FAQ takes seconds, so a change is picked up by a background
thread while the old index keeps answering; the new one replaces it in one step when ready.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from bot.faq.entries import FaqError
from bot.faq.index import FaqIndex, Learned
from bot.faq.intents import default_model

log = logging.getLogger(__name__)


class FaqSource:
    """Serves the newest good index of a file; a broken edit keeps the last good one.

    Reading `.index` never waits for a reload: it notices a changed file, starts one
    background rebuild (at most one at a time) and returns the index it has. `wait()` blocks
    until no rebuild is pending, for tests and tools that need the edit in effect.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._learned: dict[str, tuple[str, ...]] = {}
        self._taught = 0  # counts changes to the learned phrasings
        self._stamp = self._read_stamp()
        self._index = FaqIndex.load(self.path)
        default_model()  # a broken model file stops the start, like a broken FAQ
        self._worker: threading.Thread | None = None

    def _read_stamp(self) -> tuple[int, int, int] | None:
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size, self._taught)

    def learn(self, learned: Learned) -> None:
        """Use these phrasings officers taught (all of them, entry id → texts); a change
        rebuilds the index in the background like an edit of the file."""
        wanted = {entry: tuple(texts) for entry, texts in learned.items() if texts}
        with self._lock:
            if wanted == self._learned:
                return
            self._learned = wanted
            self._taught += 1
        self._check()

    @property
    def index(self) -> FaqIndex:
        """The current index; a changed file starts a rebuild in the background."""
        self._check()
        return self._index

    def wait(self, timeout: float | None = None) -> FaqIndex:
        """The index once any change seen by now (or pending) has been loaded."""
        self._check()
        with self._idle:
            self._idle.wait_for(lambda: self._worker is None, timeout)
        return self._index

    def _check(self) -> None:
        stamp = self._read_stamp()
        if stamp is None or stamp == self._stamp:
            return
        with self._lock:
            if stamp == self._stamp or self._worker is not None:
                return  # already seen, or a rebuild is running (it rechecks when done)
            self._stamp = stamp
            self._worker = threading.Thread(target=self._rebuild, name="faq-reload", daemon=True)
            self._worker.start()

    def _rebuild(self) -> None:
        while True:
            try:
                index = FaqIndex.load(self.path, self._learned)
            except FaqError as exc:
                log.error("FAQ edit not used, keeping the last good one: %s", exc)
            except Exception:  # a reload must never take the bot down
                log.exception("FAQ reload failed, keeping the last good one")
            else:
                self._index = index
                log.info("FAQ reloaded: %s (%d entries)", self.path, len(index.entries))
            with self._idle:
                stamp = self._read_stamp()
                if stamp is not None and stamp != self._stamp:
                    self._stamp = stamp  # edited again while building: build once more
                    continue
                self._worker = None
                self._idle.notify_all()
                return
