"""Logging without secrets or personal data.

Request lines are logged by the web server (werkzeug in development, gunicorn
in production); status links carry a secret token, so it is masked there.
"""

from __future__ import annotations

import logging
import re

from flask import Flask

SECRET_IN_PATH = re.compile(r"(/status/)[^\s\"?]+")
REQUEST_LOGGERS = ("werkzeug", "gunicorn.access")


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.args = tuple(
                SECRET_IN_PATH.sub(r"\1[redacted]", a) if isinstance(a, str) else a
                for a in (record.args if isinstance(record.args, tuple) else (record.args,))
            )
        if isinstance(record.msg, str):
            record.msg = SECRET_IN_PATH.sub(r"\1[redacted]", record.msg)
        return True


def init_app(app: Flask) -> None:
    logging.basicConfig(level=app.config["LOG_LEVEL"])
    logging.getLogger("alembic").setLevel(logging.WARNING)
    for name in REQUEST_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())
