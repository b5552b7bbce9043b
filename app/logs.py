"""Logging without secrets or personal data, one record a line.

Every record in the process, from every logger (ours, Flask's, SQLAlchemy's,
werkzeug's, gunicorn's), is made by `SafeLogRecord`: the record factory is the
one place all of them pass through, whatever handlers a deployment or a test
adds later. A record's message and traceback come out with

- the secret of status links (`/<lang>/status/<token>`) and of staff set-up links
  (`/staff/setup/<token>`) masked,
- query strings dropped from paths and URLs,
- what a database error says about the values (PostgreSQL's `DETAIL:` and
  `CONTEXT:` lines, quoted values, bound parameters) withheld,
- control characters (newlines, escapes, bidi overrides) escaped as `\\n`,
  `\\x1b`, `\\u202e`, so no one can forge a line or hide text.

Under gunicorn, `GunicornLogger` (`logger_class` in gunicorn.conf.py) gives the
access log only safe atoms: no headers (so no cookies), no query string, no
referrer, the path as the client sent it with the status secret masked.
"""

from __future__ import annotations

import logging
import os
import re
import traceback
from collections.abc import Iterator
from datetime import timedelta
from types import TracebackType
from typing import Any

from flask import Flask
from gunicorn import glogging
from sqlalchemy.exc import SQLAlchemyError

# The health check's path (app/health.py), left out of the access log below debug level.
HEALTH_PATH = "/healthz"
# Like gunicorn's error log, so the two read alike.
LOG_FORMAT = "%(asctime)s [%(process)d] [%(levelname)s] %(name)s: %(message)s"
# Status tokens and staff set-up tokens are URL-safe; "[redacted]" itself is not matched again.
SECRET_IN_PATH = re.compile(r"(/status/|/staff/setup/)[\w%.~=-]+")
# A path or URL (at the start, or after a space, quote, bracket or `=`) and its query.
QUERY_STRING = re.compile(r"""(?<![^\s"'(\[=])((?:https?://[^\s/?"']+)?/[^\s?"']*)\?[^\s"']*""")
# C0 and C1 controls, DEL, line and paragraph separators, bidi marks and overrides.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# werkzeug's development server colours its request lines; the colour is not data.
ANSI_STYLE = re.compile(r"\x1b\[[0-9;]*m")

WITHHELD = "[withheld]"
# PostgreSQL's detail lines name the values (`Key (phone)=(040 …)`, `Failing row
# contains (…)`); they run to the next section of the message, or a blank line.
DATABASE_DETAIL = re.compile(
    r"\b(DETAIL|CONTEXT):.*?(?=\n(?:HINT:|DETAIL:|CONTEXT:|STATEMENT:|\[SQL|\[parameters|\(Background"
    r"|\n|Traceback|The above exception|During handling)|\Z)",
    re.DOTALL,
)
BOUND_PARAMETERS = re.compile(r"\[parameters: [^\n]*")
# In a database error's own message a double-quoted word is an identifier when a
# word like these comes before it (`constraint "uq_cases_reference"`); any other
# quoted text is a value (`invalid input syntax for type integer: "…"`).
QUOTED = re.compile(r'(\b\w+\s+)?"[^"\n]*"')
IDENTIFIER_WORDS = frozenset({
    "column", "relation", "constraint", "table", "index", "type", "encoding", "schema",
    "database", "role", "function", "sequence", "trigger", "extension", "operator", "domain",
    "collation", "view", "savepoint", "cursor", "statement", "user",
})
DATABASE_MODULES = frozenset({"sqlite3", "psycopg", "psycopg2", "asyncpg", "pg8000"})
USER_AGENT_LIMIT = 200


def escape_controls(text: str) -> str:
    return CONTROL_CHARACTERS.sub(_escape_one, text)


def _escape_one(match: re.Match[str]) -> str:
    character = match.group(0)
    code = ord(character)
    return SHORT_ESCAPES.get(character) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def clean(text: str) -> str:
    """Text fit for a log: no secrets, no values from the database, one line."""
    text = DATABASE_DETAIL.sub(rf"\1: {WITHHELD}", text)
    text = BOUND_PARAMETERS.sub(f"[parameters: {WITHHELD}]", text)
    text = SECRET_IN_PATH.sub(r"\1[redacted]", text)
    text = QUERY_STRING.sub(r"\1", text)
    text = ANSI_STYLE.sub("", text)
    return escape_controls(text)


def is_database_error(error: BaseException) -> bool:
    return (isinstance(error, SQLAlchemyError)
            or type(error).__module__.split(".")[0] in DATABASE_MODULES)


def database_message(text: str) -> str:
    """A database error's message without the values it quotes."""
    message, marker, statement = text.partition("\n[SQL:")
    message = DATABASE_DETAIL.sub(rf"\1: {WITHHELD}", message)
    message = QUOTED.sub(_keep_identifiers, message)
    return message + marker + BOUND_PARAMETERS.sub(f"[parameters: {WITHHELD}]", statement)


def _keep_identifiers(match: re.Match[str]) -> str:
    before = match.group(1) or ""
    if before.strip().lower() in IDENTIFIER_WORDS:
        return match.group(0)
    return f'{before}"{WITHHELD}"'


def exception_chain(error: BaseException) -> Iterator[BaseException]:
    """The error, its causes and contexts, and the driver errors SQLAlchemy wraps."""
    seen: set[int] = set()
    waiting: list[object] = [error]
    while waiting:
        current = waiting.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        waiting += [getattr(current, "orig", None), current.__cause__, current.__context__]


ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def format_exception(exc_info: ExcInfo) -> str:
    """The traceback, with what each database error says about values withheld."""
    text = "".join(traceback.format_exception(*exc_info))
    for error in exception_chain(exc_info[1]):
        said = str(error)
        if said and is_database_error(error):
            text = text.replace(said, database_message(said))
    return clean(text.rstrip("\n"))


def _database_safe(value: Any) -> Any:
    if isinstance(value, BaseException) and is_database_error(value):
        return database_message(str(value))
    return value


class SafeLogRecord(logging.LogRecord):
    """A log record that holds only its cleaned message and traceback.

    The message is formatted when the record is made and the arguments dropped,
    so no handler, formatter or logging's own error report (which prints the
    arguments) ever sees the raw values. Mapping-style arguments (gunicorn's
    access atoms) format as they always did.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.msg = clean(self._formatted())
        self.args = ()
        if self.exc_info and self.exc_info[1] is not None:
            # Formatted once, cleaned; no handler can print the raw traceback.
            self.exc_text = format_exception(self.exc_info)  # type: ignore[arg-type]
        self.exc_info = None
        if self.stack_info:
            self.stack_info = clean(self.stack_info)

    def _formatted(self) -> str:
        message = str(self.msg)
        if not self.args:
            return message
        arguments = self.args
        if isinstance(arguments, tuple):
            arguments = tuple(_database_safe(argument) for argument in arguments)
        try:
            return message % arguments
        except Exception:
            # logging would print the arguments to stderr: say only what the call was.
            return f"{message} [the log call's arguments did not fit its message]"


def install_safe_records() -> None:
    """Make every log record in this process a SafeLogRecord (idempotent)."""
    if logging.getLogRecordFactory() is not SafeLogRecord:
        logging.setLogRecordFactory(SafeLogRecord)


def init_app(app: Flask) -> None:
    install_safe_records()
    logging.basicConfig(level=app.config["LOG_LEVEL"], format=LOG_FORMAT)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # SQLAlchemy logs result rows at DEBUG: never, whatever the log level. SQL_ECHO
    # (statements without their values) sets its engine's own logger to INFO.
    logging.getLogger("sqlalchemy").setLevel(logging.WARNING)


def safe_path(raw_uri: str) -> str:
    """The path as the client sent it (still percent-encoded), without the query or secret."""
    path = raw_uri.split("?", 1)[0].split("#", 1)[0]
    return SECRET_IN_PATH.sub(r"\1[redacted]", path)


class GunicornLogger(glogging.Logger):
    """gunicorn's logger, with access atoms that hold nothing secret.

    Only the atoms below exist: `%({cookie}i)s`, `%(q)s`, `%(f)s` and every
    other header or environment atom come out as `-`, whatever format is set.
    """

    def setup(self, cfg: Any) -> None:
        install_safe_records()
        super().setup(cfg)

    def access(self, resp: Any, req: Any, environ: dict[str, Any],
               request_time: timedelta) -> None:
        """As gunicorn's, but health checks only at debug level: the proxy asks every few
        seconds, and those lines would bury the real requests."""
        if environ.get("PATH_INFO") == HEALTH_PATH and not self.error_log.isEnabledFor(
                logging.DEBUG):
            return
        super().access(resp, req, environ, request_time)

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any],
              request_time: timedelta) -> dict[str, Any]:
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        method = environ.get("REQUEST_METHOD") or "-"
        path = safe_path(environ.get("RAW_URI") or environ.get("PATH_INFO") or "")
        protocol = environ.get("SERVER_PROTOCOL") or "-"
        sent = getattr(resp, "sent", None)
        microseconds = request_time.seconds * 1_000_000 + request_time.microseconds
        return {
            "h": environ.get("REMOTE_ADDR") or "-",
            "l": "-",
            "u": "-",
            "t": self.now(),
            "r": f"{method} {path} {protocol}",
            "s": status,
            "m": method,
            "U": path,
            "q": "-",
            "H": protocol,
            "b": str(sent) if sent is not None else "-",
            "B": sent,
            "f": "-",
            "a": (environ.get("HTTP_USER_AGENT") or "-")[:USER_AGENT_LIMIT],
            "T": request_time.seconds,
            "D": microseconds,
            "M": microseconds // 1000,
            "L": f"{request_time.seconds}.{request_time.microseconds:06d}",
            "p": f"<{os.getpid()}>",
        }
