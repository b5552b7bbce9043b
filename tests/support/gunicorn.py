"""Real gunicorn on loopback, for tests of serving: logs, proxies, races.

Started with the repository's gunicorn.conf.py (as production is), a free
port, the environment given, and its output captured in a file the test reads.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.support.postgres import free_port

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0


class GunicornServer:
    def __init__(self, directory: Path, environment: dict[str, str],
                 args: tuple[str, ...] = ()) -> None:
        self.port = free_port()
        self.output_path = directory / "gunicorn.log"
        # Every worker must sign with the same key (the testing key is new per process).
        self.environment = {**os.environ, "SAATE_BIND": f"127.0.0.1:{self.port}",
                            "SECRET_KEY": secrets.token_hex(32), **environment}
        self.args = args
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        output = self.output_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
             *self.args, "wsgi:app"],
            cwd=ROOT, env=self.environment, stdout=output, stderr=subprocess.STDOUT,
        )
        self._wait_until_listening()

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.output()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not start:\n{self.output()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def output(self) -> str:
        """Everything gunicorn and the app wrote so far (access and error logs)."""
        return self.output_path.read_text(errors="replace") if self.output_path.exists() else ""

    def __enter__(self) -> GunicornServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
