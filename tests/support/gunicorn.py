"""Real gunicorn on loopback, for tests of serving: logs, proxies, races.

Started with the repository's gunicorn.conf.py (as production is), a free
port, the environment given, and its output captured in files the test reads:
stdout (the access log) and stderr (the error log and the app's own logs).
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from app import migrate
from app.database import make_engine
from tests.support.postgres import free_port

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0


class GunicornServer:
    def __init__(self, directory: Path, environment: dict[str, str],
                 args: tuple[str, ...] = (), app_module: str = "wsgi:app") -> None:
        self.port = free_port()
        self.output_path = directory / "gunicorn.stdout.log"
        self.error_path = directory / "gunicorn.stderr.log"
        # Every worker must sign with the same key (the testing key is new per process).
        self.environment = {**os.environ, "SAATE_BIND": f"127.0.0.1:{self.port}",
                            "SECRET_KEY": secrets.token_hex(32), **environment}
        self.args = args
        self.app_module = app_module
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with self.output_path.open("ab") as output, self.error_path.open("ab") as errors:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
                 *self.args, self.app_module],
                cwd=ROOT, env=self.environment, stdout=output, stderr=errors,
                # Its own process group, so that kill() reaches the workers too.
                start_new_session=True,
            )
        self._wait_until_listening()

    def kill(self) -> None:
        """Like a machine dying: SIGKILL to the master and every worker at once.

        Returns once the port refuses connections (no worker left holding it).
        """
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        deadline = time.monotonic() + START_TIMEOUT
        while self._accepts():
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn's port still accepts connections after SIGKILL")
            time.sleep(0.05)

    def _accepts(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False

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
        return self.stdout() + self.stderr()

    def stdout(self) -> str:
        return _read(self.output_path)

    def stderr(self) -> str:
        return _read(self.error_path)

    def __enter__(self) -> GunicornServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _read(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""


def migrated_sqlite(directory: Path) -> str:
    """A SQLite file migrated from nothing, as `flask db upgrade` makes it; its URL."""
    url = f"sqlite:///{directory / 'saate.sqlite3'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    return url


def production_environment(database_url: str, **more: str) -> dict[str, str]:
    """Settings for SAATE_ENV=production on plain HTTP over loopback, one worker."""
    return {
        "SAATE_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": database_url,
        "SAATE_BASE_URL": "http://127.0.0.1",
        "SAATE_SECURE_COOKIES": "0",
        "SAATE_WORKERS": "1",
        "SAATE_THREADS": "2",
        **more,
    }


def send_raw(server: GunicornServer, data: bytes) -> bytes:
    """Bytes on the wire, for requests no HTTP client would send; the whole answer."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as connection:
        connection.sendall(data)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer
