"""New-case notices to a team's inbox: the reference code and a link, nothing else.

No personal data ever goes into an e-mail. A team that asked for notices gets one
for every new case; an urgent case (the client said they are in a crisis) is
notified to every team that has an inbox, at once, with "urgent" in the subject
and the promised date in the text. Without SMTP settings the notice is skipped,
and that is logged.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

from app.links import external_url
from app.models import Case

log = logging.getLogger(__name__)


def new_case_message(case: Case) -> EmailMessage:
    config = current_app.config
    link = external_url("staff.case", case_id=case.id)
    message = EmailMessage()
    # Staff-side text, in both national languages: the inbox is shared.
    subject = f"uusi yhteydenotto / ny kontakt {case.display_reference}"
    text = f"Uusi yhteydenotto jonossa / Ny kontakt i kön: {case.display_reference}\n\n{link}\n"
    if case.urgent:
        promised = case.promised_contact_date
        day = f"{promised.day}.{promised.month}.{promised.year}"
        subject = f"KIIREELLINEN / BRÅDSKANDE: {subject}"
        # Urgent and the date only: why it is urgent is the client's own information.
        text = (f"Kiireellinen: luvattu yhteydenotto viimeistään {day}.\n"
                f"Brådskande: utlovad kontakt senast {day}.\n\n{text}")
    message["Subject"] = f"Saate: {subject}"
    message["From"] = config["MAIL_FROM"]
    message["To"] = case.team.email or ""
    message.set_content(text)
    return message


def notify_new_case(case: Case) -> str:
    """Send the team's notice if the team wants one (urgent: if it has an inbox at all);
    returns what happened."""
    team = case.team
    if not team.email or not (team.notify_new_cases or case.urgent):
        return "not_wanted"
    config = current_app.config
    if not config.get("SMTP_HOST"):
        log.info("new-case notice skipped: SMTP is not configured (case %s)", case.id)
        return "skipped"
    try:
        with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=10) as smtp:
            if config.get("SMTP_STARTTLS"):
                smtp.starttls()
            if config.get("SMTP_USER"):
                smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
            smtp.send_message(new_case_message(case))
    except (OSError, smtplib.SMTPException) as error:
        # The case is safe in the queue; a lost notice must not lose the case.
        log.warning("new-case notice failed for case %s: %s", case.id, type(error).__name__)
        return "failed"
    log.info("new-case notice sent for case %s", case.id)
    return "sent"
