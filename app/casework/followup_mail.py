"""The follow-up e-mail: on the follow-up's day, to a client who gave an e-mail address and
agreed to one message (the saate's and contact request's "follow_up_mail" question).

`flask followup send` runs it daily (docs/deploy/saate-followup.timer). The message holds
a greeting, the link to the follow-up page and the team's name and phone: no answers, no
names of staff, nothing about the case, under a neutral subject, in the language the
client used. Only the e-mail service and the client see it.

Safe to run on several hosts at once, and again: each follow-up is claimed before its
message goes (sent_at set where it was still empty, and committed), so no two runs send
the same one; a message the mail server did not take is released and goes on a later run.
Follow-ups due longer ago than SEND_WINDOW are not mailed (a message long after its day
would puzzle more than help); they stay in the team's list for a phone call.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage

from flask_babel import force_locale, gettext
from sqlalchemy import ColumnElement, func, select, tuple_, update
from sqlalchemy.orm import joinedload

from app import mail
from app.casework import cases, status_mail
from app.database import utcnow
from app.extensions import db
from app.i18n import default_language, language_by_segment
from app.links import external_url
from app.models import Case, CaseStatus, FollowUp
from app.saate.schema import FOLLOW_UP_MAIL

log = logging.getLogger(__name__)

SEND_WINDOW = timedelta(days=30)
BATCH_SIZE = 200
# Told (follow-ups looked at, how many were due unsent) after each batch.
Progress = Callable[[int, int], None]


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0  # the mail server did not take it: tried again on the next run
    not_wanted: int = 0  # no consent, or no usable address: a phone call instead


def wants_mail(case: Case) -> bool:
    """The client agreed to the follow-up e-mail and gave one plain address."""
    return (case.answers.get(FOLLOW_UP_MAIL.code) == "yes"
            and status_mail.address(case) is not None)


def follow_up_message(case: Case) -> EmailMessage:
    """A greeting, the link and the team's name and phone, in the client's language."""
    language = language_by_segment(case.language) or default_language()
    link = external_url("public.follow_up", lang=language.segment,
                        token=cases.status_token(case))
    team = case.team
    with force_locale(language.locale):
        # Translators: subject of the follow-up e-mail to a client, about six months after
        # their case was finished. Keep it neutral: others may see the inbox.
        subject = gettext("How are you?")
        # Translators: the greeting that starts the follow-up e-mail to a client.
        greeting = gettext("Hello,")
        ask = gettext("Some time ago you were in contact with us. We would like to know how "
                      "you are now. You can answer a few questions here:")
        # Translators: the last line of the follow-up e-mail, under the team's name;
        # %(phone)s is the team's phone number.
        phone = gettext("Phone: %(phone)s", phone=team.phone)
    body = f"{greeting}\n\n{ask}\n{link}\n\n{team.name}\n{phone}\n"
    return mail.new_message(status_mail.address(case) or "", subject, body)


def unsent_between(first_day: date, today: date) -> list[ColumnElement[bool]]:
    """Unanswered, unsent follow-ups due from `first_day` to `today` (ix_follow_up_due)."""
    return [FollowUp.answered_at.is_(None), FollowUp.due_on >= first_day,
            FollowUp.due_on <= today, FollowUp.sent_at.is_(None)]


def due_unsent(first_day: date, today: date, after: tuple[date, int],
               batch_size: int) -> list[FollowUp]:
    """A batch of them after the (day, id) given, with their cases and teams (no query per
    follow-up)."""
    return list(db.session.scalars(
        select(FollowUp)
        .options(joinedload(FollowUp.case).joinedload(Case.team))
        .where(*unsent_between(first_day, today), tuple_(FollowUp.due_on, FollowUp.id) > after)
        .order_by(FollowUp.due_on, FollowUp.id)
        .limit(batch_size)
    ))


def claim(follow_up_id: int, now: datetime) -> bool:
    """Mark the follow-up sent, if no other run has: True when this run may send it."""
    taken = db.session.execute(
        update(FollowUp)
        .where(FollowUp.id == follow_up_id, FollowUp.sent_at.is_(None),
               FollowUp.answered_at.is_(None))
        .values(sent_at=now)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return taken.rowcount == 1  # type: ignore[attr-defined]


def release(follow_up_id: int, claimed_at: datetime) -> None:
    """The message did not go: unsent again, for the next run."""
    db.session.execute(
        update(FollowUp)
        .where(FollowUp.id == follow_up_id, FollowUp.sent_at == claimed_at)
        .values(sent_at=None)
        .execution_options(synchronize_session=False))
    db.session.commit()


def send_due(today: date | None = None, batch_size: int = BATCH_SIZE,
             progress: Progress | None = None) -> SendReport:
    """Mail every follow-up due today or in the SEND_WINDOW before it whose client agreed;
    by (day, id) in batches. Needs the SMTP settings (mail.configured())."""
    today = today or cases.local_today()
    first_day = today - SEND_WINDOW
    report = SendReport()
    after, looked_at, total = (first_day - timedelta(days=1), 0), 0, 0
    if progress is not None:
        total = db.session.scalar(select(func.count()).select_from(FollowUp).where(
            *unsent_between(first_day, today))) or 0
        progress(0, total)
    while batch := due_unsent(first_day, today, after, batch_size):
        after, looked_at = (batch[-1].due_on, batch[-1].id), looked_at + len(batch)
        # Every message is made before the first commit: nothing is read per follow-up.
        messages = [(follow_up.id, follow_up.case_id, follow_up_message(follow_up.case))
                    for follow_up in batch
                    if follow_up.case.status == CaseStatus.CLOSED and wants_mail(follow_up.case)]
        report.not_wanted += len(batch) - len(messages)
        for follow_up_id, case_id, message in messages:
            now = utcnow()
            if not claim(follow_up_id, now):
                continue  # another run took it meanwhile
            try:
                mail.send(message)
            except mail.SEND_ERRORS as error:
                release(follow_up_id, now)
                report.failed += 1
                log.warning("follow-up e-mail failed for case %s: %s", case_id,
                            type(error).__name__)
                continue
            report.sent += 1
            log.info("follow-up e-mail sent for case %s", case_id)
        if progress is not None:
            progress(looked_at, max(total, looked_at))
    return report
