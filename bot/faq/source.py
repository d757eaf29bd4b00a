"""The FAQ an officer edits while the bot runs: reloaded when the file changes."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from bot.faq.entries import FaqError
from bot.faq.index import FaqIndex

log = logging.getLogger(__name__)


class FaqSource:
    """Serves the newest good index of a file; a broken edit keeps the last good one."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._stamp = self._read_stamp()
        self._index = FaqIndex.load(self.path)

    def _read_stamp(self) -> tuple[int, int] | None:
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size)

    @property
    def index(self) -> FaqIndex:
        stamp = self._read_stamp()
        if stamp is not None and stamp != self._stamp:
            with self._lock:
                if stamp != self._stamp:
                    self._stamp = stamp
                    try:
                        self._index = FaqIndex.load(self.path)
                        log.info(
                            "FAQ reloaded: %s (%d entries)", self.path, len(self._index.entries)
                        )
                    except FaqError as exc:
                        log.error("FAQ edit not used, keeping the last good one: %s", exc)
        return self._index
