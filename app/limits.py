"""Rate limits: Flask-Limiter set-up and every limit in one table.

Each public POST and each staff sign-in step is limited per real client
address (ProxyFix has applied SAATE_TRUSTED_PROXIES by then). GETs, static
files and everything staff do after signing in are never counted. A visitor
over a limit gets the 429 page in their language, keeping what they typed and
saying how long to wait.

Counters live in memory (per worker process) unless SAATE_RATELIMIT_STORAGE_URI
names Redis, which every worker and server then shares. If Redis fails, the
limits keep working from each worker's memory and the failure is logged: an
outage must neither turn every POST into an error page nor switch the limits off.
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal, TypeVar

from flask import Flask, Response, current_app, make_response, request
from flask_babel import format_timedelta
from flask_limiter import Limiter, RateLimitExceeded

from app.errors import render_keeping_answers
from app.tokens import keyed_hash

View = TypeVar("View", bound=Callable)


@dataclass(frozen=True)
class Rule:
    # Flask-Limiter's notation; every rate applies ("5 per minute; 20 per hour").
    rates: str
    # "posts": every POST counts. "failures": only POSTs not answered with a
    # redirect count (a wrong code or password), so success is never limited.
    counts: Literal["posts", "failures"]
    why: str


# The limits, per client address. A moving window: "20 per hour" is any 60 minutes.
# Sized so that a person filling in the saate at any human pace (saving, resuming,
# going back and forth), or a family or office behind one address, never meets one;
# a script meets one within a minute.
LIMITS: dict[str, Rule] = {
    "contact": Rule(
        "5 per minute; 20 per hour; 50 per day", "posts",
        "each send can make a case in a team's queue; a person sends one"),
    "saate_start": Rule(
        "10 per minute; 30 per hour; 100 per day", "posts",
        "each start without a draft in the session makes a new draft"),
    "saate_step": Rule(
        "60 per minute; 300 per hour; 1000 per day", "posts",
        "every step, valid or not, saves the draft; six steps, each perhaps several times"),
    "saate_send": Rule(
        "10 per minute; 30 per hour; 100 per day", "posts",
        "sending makes a case; a person sends once, after fixing what is missing"),
    "crisis_send": Rule(
        "10 per minute; 30 per hour; 100 per day", "posts",
        "sending at once from the crisis page makes an urgent case; a person sends once"),
    "saate_delete": Rule("10 per minute; 30 per hour", "posts", "deleting a draft"),
    "feedback": Rule("5 per minute; 20 per hour", "posts",
                     "one answer per case and moment (after sending; at the end of service)"),
    "follow_up": Rule(
        "5 per minute; 20 per hour", "posts",
        "the follow-up is answered once; a person may fix a missing answer or switch language"),
    "status_mail": Rule(
        "5 per minute; 10 per hour; 20 per day", "posts",
        "each press sends an e-mail to the client's own address; a person needs one "
        "(each case also at most status_mail.SENDS_PER_CASE a day, app/casework/status_mail.py)"),
    "resume": Rule(
        "20 per hour", "failures",
        "guessing resume codes; the code itself locks after a few wrong tries "
        "(RESUME_MAX_FAILURES_PER_CODE, app/throttle.py)"),
    "sign_in": Rule(
        "30 per 15 minutes", "failures",
        "guessing passwords across accounts; each account has its own limit (app/auth)"),
    "sign_in_code": Rule(
        "30 per 15 minutes", "failures", "guessing authenticator codes after a password"),
    "staff_setup": Rule(
        "30 per 15 minutes", "failures",
        "a new staff member's set-up link (no sign-in): wrong codes or passwords that do not "
        "match; the link itself is a 256-bit secret, valid 48 hours and once"),
}

# Redis that does not answer must not hold a request for long.
STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
RULE_ATTRIBUTE = "rate_limit_rule"


def limited(name: str) -> Callable[[View], View]:
    """Mark a view as limited by LIMITS[name]; init_app applies the limit to its POSTs."""
    if name not in LIMITS:
        raise KeyError(f"no rate limit named {name!r} in app/limits.py")

    def mark(view: View) -> View:
        setattr(view, RULE_ATTRIBUTE, name)
        return view

    return mark


def client_address() -> str:
    """Who is counted: the real client address, IPv6 by its /64, keyed-hashed.

    One IPv6 household or phone has a whole /64 to pick addresses from. The
    hash keeps client addresses out of the counters' storage and the limiter's log.
    """
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        network = str(address.ipv4_mapped or ipaddress.IPv6Network(f"{address}/64", strict=False))
    else:
        network = str(address)
    return keyed_hash("rate-limit", network)[:32]


def is_failure(response: Response) -> bool:
    return not 300 <= response.status_code < 400


def apply_limits(app: Flask, limiter: Limiter) -> None:
    for endpoint, view in list(app.view_functions.items()):
        name = getattr(view, RULE_ATTRIBUTE, None)
        if name is None:
            continue
        rule = LIMITS[name]
        limit = limiter.limit(
            rule.rates, methods=["POST"],
            deduct_when=is_failure if rule.counts == "failures" else None,
        )
        app.view_functions[endpoint] = limit(view)


def seconds_to_wait() -> int | None:
    limiter: Limiter = current_app.extensions["saate_limiter"]
    try:
        breached = limiter.current_limit
        return max(1, math.ceil(breached.window.reset_time - time.time())) if breached else None
    except Exception:  # the storage failed: the page then says "an hour"
        return None


def wait_in_words(seconds: int) -> str:
    """Rounded up, so the visitor never comes back too early: "3 minutes", "2 hours"."""
    if seconds <= 3600:
        wait = timedelta(minutes=math.ceil(seconds / 60))
    else:
        wait = timedelta(hours=math.ceil(seconds / 3600))
    return format_timedelta(wait)


def render_rate_limited(error: RateLimitExceeded) -> Response:
    seconds = seconds_to_wait()
    body, code = render_keeping_answers(
        "errors/429.html", 429, error=error, wait=wait_in_words(seconds) if seconds else None)
    response = make_response(body, code)
    if seconds:
        response.headers["Retry-After"] = str(seconds)
    return response


def init_app(app: Flask) -> None:
    """Call after the blueprints are registered: the marked views get their limits."""
    limiter = Limiter(
        client_address,
        storage_uri=app.config["RATELIMIT_STORAGE_URI"],
        storage_options=STORAGE_OPTIONS,
        strategy="moving-window",
        key_prefix="saate",
        # Storage down: count in this process's memory meanwhile, and never fail a request.
        in_memory_fallback_enabled=True,
        swallow_errors=True,
        headers_enabled=False,
    )
    limiter.init_app(app)
    # Only POSTs are ever limited: every other request skips the limiter's look-ups.
    limiter.request_filter(lambda: request.method != "POST")
    app.extensions["saate_limiter"] = limiter
    apply_limits(app, limiter)
    app.register_error_handler(RateLimitExceeded, render_rate_limited)
