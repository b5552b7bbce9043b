"""The status link by e-mail: on the client's request, to the address they gave.

The message holds the link and nothing else (no answers, no name, no health words)
under a neutral subject, in the client's language: whoever else reads that inbox
learns nothing from it. A case may ask a few times a day; a failure loses nothing,
as the link is still on the page.
"""

from __future__ import annotations

import enum
import logging
from datetime import timedelta
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage

from flask_babel import force_locale, gettext

from app import mail, throttle
from app.casework import cases
from app.i18n import Language
from app.links import external_url
from app.models import Case

log = logging.getLogger(__name__)

SCOPE = "status_mail"
SENDS_PER_CASE = 3
SEND_WINDOW = timedelta(days=1)


class Outcome(enum.StrEnum):
    SENT = "sent"
    FAILED = "failed"  # the SMTP server did not take it: try again later
    TOO_MANY = "too_many"  # SENDS_PER_CASE within SEND_WINDOW already
    NOT_OFFERED = "not_offered"  # no address given, or no SMTP server set up


def address(case: Case) -> str | None:
    """The client's own e-mail address, as they gave it, if it is one plain address.

    The form takes anything shaped like name@example.com; a message goes only to a
    single address that mail servers read the same way (never "a,b@…" to two people).
    """
    value = str(case.answers.get("email") or "").strip()
    if not value:
        return None
    try:
        single = Address(addr_spec=value).addr_spec == value
    except (ValueError, HeaderParseError, IndexError):
        return None
    return value if single else None


def offered(case: Case) -> bool:
    return mail.configured() and address(case) is not None


def status_link_message(case: Case, language: Language) -> EmailMessage:
    link = external_url("public.status", lang=language.segment, token=cases.status_token(case))
    with force_locale(language.locale):
        # Translators: subject of the e-mail (client) that holds only the link to their status
        # page, sent when they ask for it. Keep it neutral: others may see the inbox.
        subject = gettext("The link you asked for")
    return mail.new_message(address(case) or "", subject, f"{link}\n")


def send_status_link(case: Case, language: Language) -> Outcome:
    if not offered(case):
        return Outcome.NOT_OFFERED
    # Each send is written down before counting (app/throttle.py), so a burst of
    # presses cannot outrun the limit; a send that failed is not counted.
    attempt = throttle.begin(SCOPE, f"case:{case.id}", limit=SENDS_PER_CASE,
                             window=SEND_WINDOW,
                             backoff=throttle.Backoff(first=SEND_WINDOW, longest=SEND_WINDOW))
    if not attempt.allowed:
        return Outcome.TOO_MANY
    try:
        mail.send(status_link_message(case, language))
    except mail.SEND_ERRORS as error:
        throttle.forget(attempt)
        log.warning("status-link e-mail failed for case %s: %s", case.id, type(error).__name__)
        return Outcome.FAILED
    log.info("status-link e-mail sent for case %s", case.id)
    return Outcome.SENT
