"""New-case notices to a team's inbox: the reference code and a link, nothing else.

No personal data ever goes into an e-mail. Without SMTP settings the notice is
skipped, and that is logged.
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
    message["Subject"] = f"Saate: uusi yhteydenotto / ny kontakt {case.display_reference}"
    message["From"] = config["MAIL_FROM"]
    message["To"] = case.team.email or ""
    message.set_content(
        f"Uusi yhteydenotto jonossa / Ny kontakt i kön: {case.display_reference}\n\n{link}\n"
    )
    return message


def notify_new_case(case: Case) -> str:
    """Send the team's notice if the team wants one; returns what happened."""
    team = case.team
    if not team.notify_new_cases or not team.email:
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
