"""Debian's nginx on loopback, running the proxy blocks of docs/deploy/nginx.conf.

The shipped example is read, not copied: its "saate http" and "saate proxy"
blocks go into a loopback configuration with one plain HTTP listener and one
TLS listener (a throwaway self-signed certificate), in front of the upstream
given. As root, the workers run as root too, so they can use the temporary
directory (the default user, nobody, could not).
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
from pathlib import Path

from tests.support.postgres import free_port

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "deploy" / "nginx.conf"
INSTALL_HINT = "nginx is not installed: run `make test`, or `apt-get install nginx`."
START_TIMEOUT = 10.0

CONFIG = """\
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
{http_block}
    access_log {base}/access.log saate;
    upstream saate_app {{
        server {upstream};
        keepalive 4;
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


def find_nginx() -> str:
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(found).exists():
        raise RuntimeError(INSTALL_HINT)
    return found


class NginxServer:
    def __init__(self, upstream: str) -> None:
        self.binary = find_nginx()
        self.base = Path(tempfile.mkdtemp(prefix="saate-nginx-"))
        self.upstream = upstream
        self.port = free_port()
        self.tls_port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def write_config(self) -> Path:
        user = ""
        if os.geteuid() == 0:
            user = f"user {pwd.getpwuid(0).pw_name} {grp.getgrgid(0).gr_name};"
        path = self.base / "nginx.conf"
        path.write_text(CONFIG.format(
            user=user, base=self.base, upstream=self.upstream, port=self.port,
            tls_port=self.tls_port, http_block=example_block("http"),
            proxy_block=example_block("proxy"),
        ))
        return path

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

    def error_log(self) -> str:
        path = self.base / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def __enter__(self) -> NginxServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
