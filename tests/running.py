"""Start the real `sotong run` process for tests that need the whole thing."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.conftest import ROOT, SAMPLE_FAQ, write_config


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def web_county(
    tmp_path: Path,
    database_url: str,
    *,
    faq: Path = SAMPLE_FAQ,
    edit: Callable[[str], str] = str,
) -> RunningBot:
    """The test county (its config text passed through `edit`) running in its own process,
    its web chat on a free port."""
    port = free_port()
    config = write_config(tmp_path, database_url, faq=faq)
    config.write_text(edit(config.read_text()).replace("port: 0", f"port: {port}"))
    return RunningBot(config, port).start()


class RunningBot:
    """`python -m bot run` on a config, waited for until its port answers."""

    def __init__(self, config: Path, port: int, env: dict[str, str] | None = None) -> None:
        self.config = config
        self.port = port
        self.env = {**os.environ, **(env or {})}
        self.log = config.parent / "bot.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> RunningBot:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run", "--config", str(self.config)],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the bot exited early:\n{self.log.read_text()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.1)
        raise TimeoutError(f"the bot did not listen on {self.port}:\n{self.log.read_text()}")

    def kill(self) -> None:
        """Die at once, as in a power cut: no clean shutdown."""
        assert self.process is not None
        self.process.kill()
        self.process.wait()

    def stop(self) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        return self.process.returncode
