"""Capturing every log record in the process, for tests that look for leaks."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

FORMAT = "%(levelname)s %(name)s: %(message)s"


class CapturedLogs:
    def __init__(self) -> None:
        self.stream = io.StringIO()
        self.handler = logging.StreamHandler(self.stream)
        self.handler.setLevel(logging.DEBUG)
        self.handler.setFormatter(logging.Formatter(FORMAT))

    @property
    def text(self) -> str:
        return self.stream.getvalue()


@contextmanager
def all_logs() -> Iterator[CapturedLogs]:
    """A handler on the root logger at DEBUG, with every logger propagating to it."""
    captured = CapturedLogs()
    root = logging.getLogger()
    loggers = [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)]
    propagating = {logger.name: logger.propagate for logger in loggers}
    level = root.level
    for logger in loggers:
        logger.propagate = True
    root.setLevel(logging.DEBUG)
    root.addHandler(captured.handler)
    try:
        yield captured
    finally:
        root.removeHandler(captured.handler)
        root.setLevel(level)
        for logger in loggers:
            logger.propagate = propagating[logger.name]
