"""Codes and secrets: what clients read aloud, and what is stored in their place."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from flask import current_app

# No look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V): readable over the phone.
CODE_ALPHABET = "ACDEFGHJKMNPQRTWXY34679"


def random_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(typed: str) -> str:
    """What the client typed, as stored: capitals, no spaces or dashes."""
    return re.sub(r"[\s\-]", "", typed or "").upper()


def is_code(code: str, length: int) -> bool:
    """Whether a normalised code could be one of ours: checked before any lookup."""
    return len(code) == length and all(character in CODE_ALPHABET for character in code)


def group_code(code: str, size: int) -> str:
    return "-".join(code[i : i + size] for i in range(0, len(code), size))


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """For high-entropy random tokens: a plain SHA-256 is enough."""
    return hashlib.sha256(token.encode()).hexdigest()


def keyed_hash(purpose: str, value: str) -> str:
    """For guessable values (codes, addresses): an HMAC with the app's secret key."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def derived_token(purpose: str, value: str) -> str:
    """A secret token that the same `value` always gives back (idempotent sending)."""
    return keyed_hash(purpose, value)[:43]
