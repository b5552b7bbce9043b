"""Debian's nginx on loopback, running the blocks of docs/deploy/nginx.conf.

The shipped example is read, not copied: its "saate http", "saate upstream" and
"saate proxy" blocks go into a loopback configuration with one plain HTTP
listener and one TLS listener (a throwaway self-signed certificate). The
upstream keeps the example's settings, with its instances replaced by the
addresses given (each with the parameters of the example's first one); static
files come from the repository's static/ folder in place of the example's. As
root, the workers run as root too, so they can use the temporary directory (the
default user, nobody, could not).
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.support.postgres import free_port

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "deploy" / "nginx.conf"
# Where the example serves static files from, replaced by the test's folder.
EXAMPLE_STATIC_ROOT = "/opt/saate/current/static/"
# Debian's nginx.conf includes these; the loopback configuration does too.
MIME_TYPES = Path("/etc/nginx/mime.types")
INSTALL_HINT = "nginx is not installed: run `make test`, or `apt-get install nginx`."
START_TIMEOUT = 10.0
# How long a finished request may take to reach the access log.
LOG_TIMEOUT = 10.0
# One line of the example's `saate` log format.
ACCESS_LINE = re.compile(
    r'^\[[^\]]*\] "(?P<method>\S+) (?P<path>\S*)" (?P<status>\d{3}) \d+ \S+ '
    r'"(?P<upstreams>[^"]*)" "(?P<upstream_statuses>[^"]*)"$')

# What Debian's /etc/nginx/nginx.conf gives a site, in the temporary directory.
MAIN = """\
{user}
worker_processes 1;
pid {base}/nginx.pid;
error_log {base}/error.log warn;
events {{ worker_connections 64; }}
http {{
    client_body_temp_path {base}/client_body;
    proxy_temp_path {base}/proxy;
    fastcgi_temp_path {base}/fastcgi;
    uwsgi_temp_path {base}/uwsgi;
    scgi_temp_path {base}/scgi;
    include {mime_types};
    default_type application/octet-stream;
"""

CONFIG = MAIN + """\
{http_block}
    access_log {base}/access.log saate;
    upstream saate_app {{
{upstream_block}
    }}
    server {{
        listen 127.0.0.1:{port};
{proxy_block}
    }}
    server {{
        listen 127.0.0.1:{tls_port} ssl;
        ssl_certificate {base}/cert.pem;
        ssl_certificate_key {base}/key.pem;
{proxy_block}
    }}
}}
"""


def example_block(name: str, text: str | None = None) -> str:
    """The lines between "# --- saate NAME: begin ---" and its end marker."""
    text = EXAMPLE.read_text() if text is None else text
    found = re.search(rf"# --- saate {name}: begin ---\n(.*?)\n\s*# --- saate {name}: end ---",
                      text, re.DOTALL)
    if not found:
        raise RuntimeError(f"{EXAMPLE} has no 'saate {name}' block")
    return found.group(1)


SERVER_LINE = re.compile(r"^(\s*)server\s+\S+(.*;)\s*$")


def upstream_block(addresses: Sequence[str], text: str | None = None) -> str:
    """The example's upstream block serving these addresses, with its other settings."""
    lines: list[str] = []
    servers_written = False
    for line in example_block("upstream", text).splitlines():
        server = SERVER_LINE.match(line)
        if server is None:
            lines.append(line)
        elif not servers_written:
            indent, parameters = server.groups()
            lines.extend(f"{indent}server {address}{parameters}" for address in addresses)
            servers_written = True
    if not servers_written:
        raise RuntimeError(f"{EXAMPLE}'s 'saate upstream' block names no server")
    return "\n".join(lines)


def proxy_block(static_root: Path, text: str | None = None) -> str:
    """The example's proxy block, serving static files from `static_root`."""
    block = example_block("proxy", text)
    if EXAMPLE_STATIC_ROOT not in block:
        raise RuntimeError(f"{EXAMPLE}'s 'saate proxy' block no longer serves "
                           f"{EXAMPLE_STATIC_ROOT}: change EXAMPLE_STATIC_ROOT here too")
    return block.replace(EXAMPLE_STATIC_ROOT, f"{static_root}/")


@dataclass(frozen=True)
class Logged:
    """One request in the access log: what nginx passed where, and what came back."""

    method: str
    path: str
    status: int
    # Every instance tried, in order ("-" in the log, none here, when nginx answered itself).
    upstreams: tuple[str, ...]
    upstream_statuses: tuple[str, ...]

    @property
    def answered_by(self) -> str | None:
        return self.upstreams[-1] if self.upstreams else None


def parse_access_line(line: str) -> Logged:
    found = ACCESS_LINE.match(line)
    if found is None:
        raise ValueError(f"not in the saate log format: {line!r}")

    def listed(value: str) -> tuple[str, ...]:
        return () if value == "-" else tuple(value.split(", "))

    return Logged(found["method"], found["path"], int(found["status"]),
                  listed(found["upstreams"]), listed(found["upstream_statuses"]))


def find_nginx() -> str:
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(found).exists():
        raise RuntimeError(INSTALL_HINT)
    return found


class NginxServer:
    def __init__(self, upstreams: str | Sequence[str],
                 static_root: Path = ROOT / "static") -> None:
        self.binary = find_nginx()
        self.base = Path(tempfile.mkdtemp(prefix="saate-nginx-"))
        self.upstreams = [upstreams] if isinstance(upstreams, str) else list(upstreams)
        self.static_root = static_root
        self.port = free_port()
        self.tls_port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def write_config(self) -> Path:
        path = self.base / "nginx.conf"
        path.write_text(CONFIG.format(
            user=self._user(), base=self.base, port=self.port, tls_port=self.tls_port,
            mime_types=MIME_TYPES, http_block=example_block("http"),
            upstream_block=upstream_block(self.upstreams),
            proxy_block=proxy_block(self.static_root),
        ))
        return path

    def check_whole_example(self) -> str:
        """`nginx -t` on the whole example, with this directory's certificate, logs and
        static folder in place of the production ones; nginx's warnings, if any."""
        self.make_certificate()
        example = (EXAMPLE.read_text()
                   .replace("/etc/letsencrypt/live/saate.example.fi/fullchain.pem",
                            str(self.base / "cert.pem"))
                   .replace("/etc/letsencrypt/live/saate.example.fi/privkey.pem",
                            str(self.base / "key.pem"))
                   .replace("/var/log/nginx/", f"{self.base}/")
                   .replace(EXAMPLE_STATIC_ROOT, f"{self.static_root}/"))
        path = self.base / "whole.conf"
        path.write_text(MAIN.format(user=self._user(), base=self.base, mime_types=MIME_TYPES)
                        + example + "\n}\n")
        checked = subprocess.run([self.binary, "-t", "-p", str(self.base), "-c", str(path),
                                  "-e", str(self.base / "error.log")],
                                 capture_output=True, text=True)
        if checked.returncode != 0:
            raise RuntimeError(f"nginx refuses the whole example:\n{checked.stderr}")
        return "\n".join(line for line in checked.stderr.splitlines()
                         if "[warn]" in line or "[emerg]" in line)

    def _user(self) -> str:
        if os.geteuid() != 0:
            return ""
        return f"user {pwd.getpwuid(0).pw_name} {grp.getgrgid(0).gr_name};"

    def make_certificate(self) -> None:
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
             "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
             "-keyout", str(self.base / "key.pem"), "-out", str(self.base / "cert.pem")],
            check=True, capture_output=True,
        )

    def start(self) -> None:
        self.make_certificate()
        config = self.write_config()
        command = [self.binary, "-p", str(self.base), "-c", str(config),
                   "-e", str(self.base / "error.log"), "-g", "daemon off;"]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
        if checked.returncode != 0:
            raise RuntimeError(f"nginx refuses the configuration:\n{checked.stderr}")
        output = (self.base / "nginx.out").open("ab")
        self.process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        while not self._listening():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not start:\n{self.error_log()}")
            time.sleep(0.05)

    def _listening(self) -> bool:
        try:
            for port in (self.port, self.tls_port):
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    pass
        except OSError:
            return False
        return True

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.base, ignore_errors=True)

    def access_log(self) -> str:
        path = self.base / "access.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def log_length(self) -> int:
        """How many requests the access log holds so far."""
        return len(self.access_log().splitlines())

    def logged(self, since: int, count: int) -> list[Logged]:
        """The `count` requests logged after the first `since`, once they all are."""
        deadline = time.monotonic() + LOG_TIMEOUT
        while len(lines := self.access_log().splitlines()) < since + count:
            if time.monotonic() > deadline:
                raise RuntimeError(f"nginx logged {len(lines) - since} of {count} requests")
            time.sleep(0.05)
        return [parse_access_line(line) for line in lines[since:]]

    def error_log(self) -> str:
        path = self.base / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def __enter__(self) -> NginxServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
