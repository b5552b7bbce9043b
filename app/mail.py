"""E-mail over SMTP with the service's settings (SAATE_SMTP_*, SAATE_MAIL_FROM)."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app

# What a failed send raises: the server unreachable, refusing, or timing out.
SEND_ERRORS = (OSError, smtplib.SMTPException)


def configured() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


def new_message(to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message.set_content(body)
    return message


def send(message: EmailMessage) -> None:
    """Hand the message to the SMTP server; raises one of SEND_ERRORS if it fails."""
    config = current_app.config
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=10) as smtp:
        if config.get("SMTP_STARTTLS"):
            smtp.starttls()
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
        smtp.send_message(message)
