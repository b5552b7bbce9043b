"""Drafts of the saate: saved at every step, resumable by code on any device."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, select

from app import throttle
from app.database import utcnow
from app.extensions import db
from app.models import Case, Draft
from app.people.teams import municipality_codes
from app.saate.bounds import bound_answers
from app.saate.schema import SAATE, Step
from app.tokens import (
    group_code,
    is_code,
    keyed_hash,
    new_token,
    normalise_code,
    random_code,
    token_hash,
)

RESUME_CODE_LENGTH = 10
RESUME_SCOPE = "resume"


@dataclass
class OpenDraft:
    """A draft and the secrets its owner holds: the session token and the resume code."""

    draft: Draft
    token: str
    resume_code: str

    @property
    def display_code(self) -> str:
        return display_resume_code(self.resume_code)


def display_resume_code(code: str) -> str:
    return group_code(code, RESUME_CODE_LENGTH // 2)


def _ttl() -> timedelta:
    return timedelta(days=current_app.config["DRAFT_TTL_DAYS"])


def start(language: str) -> OpenDraft:
    token, code = new_token(), random_code(RESUME_CODE_LENGTH)
    now = utcnow()
    draft = Draft(
        id=uuid.uuid4().hex, token_hash=token_hash(token),
        resume_code_hash=keyed_hash(RESUME_SCOPE, code), language=language,
        answers={}, created_at=now, updated_at=now, expires_at=now + _ttl(),
    )
    db.session.add(draft)
    db.session.commit()
    return OpenDraft(draft, token, code)


def find(token: str | None) -> Draft | None:
    """The unexpired draft that the token owns."""
    if not token:
        return None
    return db.session.scalar(
        select(Draft).where(Draft.token_hash == token_hash(token), Draft.expires_at > utcnow())
    )


def save(draft: Draft, answers: dict[str, Any], language: str,
         done_step: str | None = None) -> None:
    """Keep the step's answers, valid or not; every save extends the expiry.

    Only the saate's questions are kept, each within its limits (app/saate/bounds.py),
    so a draft never grows past `answers_size_limit(SAATE.questions())`. `done_step`
    is a part the client continued from (pressed "Save and continue" on).
    """
    merged = {**draft.answers, **answers}
    draft.answers = bound_answers(SAATE.questions(), merged,
                                  {"municipalities": municipality_codes()}).answers
    if done_step is not None and done_step not in (draft.done_steps or []):
        draft.done_steps = [*(draft.done_steps or []), done_step]
    draft.language = language
    draft.updated_at = utcnow()
    draft.expires_at = draft.updated_at + _ttl()
    db.session.commit()


def first_unfinished_step(draft: Draft) -> Step | None:
    """Where resuming opens: the first part the client has not continued from (optional
    questions left empty still count as done), or None when every part is done."""
    done = set(draft.done_steps or [])
    return next((step for step in SAATE.steps if step.slug not in done), None)


def discard(draft: Draft) -> None:
    db.session.delete(draft)
    db.session.commit()


def mark_sent(draft: Draft, case_id: int) -> None:
    """Forget the answers (they now live in the case); keep the row for resends and
    for the resume code, which from now on opens the case's status page."""
    draft.sent_case_id = case_id
    draft.answers = {}
    draft.done_steps = []
    db.session.commit()


def second_factor_matches(answers: dict[str, Any], typed: str) -> bool:
    """Birth year, the last four digits of the phone number, or the e-mail address."""
    typed = typed.strip()
    if not typed:
        return False
    birth_year = str(answers.get("birth_year") or "")
    phone_digits = re.sub(r"\D", "", str(answers.get("phone") or ""))
    email = str(answers.get("email") or "").strip().lower()
    candidates = {birth_year} if re.fullmatch(r"\d{4}", birth_year) else set()
    if len(phone_digits) >= 4:
        candidates.add(phone_digits[-4:])
    if email:
        candidates.add(email)
    return typed.lower() in candidates


class ResumeRefused(Exception):
    def __init__(self, throttled: bool) -> None:
        super().__init__("throttled" if throttled else "no match")
        self.throttled = throttled


@dataclass
class SentSaate:
    """A resume code whose saate has been sent: it opens the case's status page."""

    case: Case


def resume(code: str, second_factor: str) -> OpenDraft | SentSaate:
    """Open a draft by its resume code and a second factor; give it a new session token.
    Once the saate is sent, the code alone finds its case (for the status page).

    The second factor guards the answers of an unsent draft. A sent saate's code
    needs none: the status page shows no answers and nothing about the person, only
    what the status link alone opens; the answers the factor was checked against are
    gone from the draft; and one code to keep is the point.

    Failures are counted per code (each try recorded before counting, so
    concurrent tries cannot outrun the limit): past the limit every try at that
    code is refused for the whole window, right or wrong, sent or not, so it cannot
    be guessed. (Failures per client address are counted by the rate limits,
    app/limits.py.)
    """
    code = normalise_code(code)
    if not is_code(code, RESUME_CODE_LENGTH):
        raise ResumeRefused(throttled=False)  # cannot be a code: nothing to look up
    config = current_app.config
    window = timedelta(minutes=config["RESUME_FAILURE_WINDOW_MINUTES"])
    attempt = throttle.begin(RESUME_SCOPE, f"code:{code}",
                             limit=config["RESUME_MAX_FAILURES_PER_CODE"], window=window,
                             backoff=throttle.Backoff(first=window, longest=window))
    if not attempt.allowed:
        raise ResumeRefused(throttled=True)
    draft = db.session.scalar(
        select(Draft).where(Draft.resume_code_hash == keyed_hash(RESUME_SCOPE, code))
    )
    sent = db.session.get(Case, draft.sent_case_id) if draft and draft.sent_case_id else None
    if sent is not None:
        throttle.forget(attempt)
        return SentSaate(sent)
    if (draft is None or draft.sent_case_id is not None or draft.expires_at <= utcnow()
            or not second_factor_matches(draft.answers, second_factor)):
        raise ResumeRefused(throttled=False)  # the attempt stays a failure
    throttle.forget(attempt)
    token = new_token()
    draft.token_hash = token_hash(token)
    db.session.commit()
    return OpenDraft(draft, token, code)


def purge_expired() -> int:
    """Delete unsent drafts past their expiry. A sent saate's row holds no answers, only
    the hash of its code: it stays as long as its case, as the status link does."""
    result = db.session.execute(
        delete(Draft).where(Draft.expires_at <= utcnow(), Draft.sent_case_id.is_(None)))
    db.session.commit()
    return result.rowcount or 0
