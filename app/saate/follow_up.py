"""The follow-up questions, described once like the saate (app/saate/schema.py).

About six months after a case is closed, the client is asked how they are: on the
follow-up page (app/public/follow_up.py), or by a worker who phones them and types the
answers into the same questions (app/staff/follow_ups.py). The page, the worker's form,
the case view's rows and the bad-input battery all read this description.

The codes are the follow-up's answer codes (app/casework/case_terms.py: GOT_HELP, and
MOVED_ON_TO for what the client does now), in the client's words; the work-ability
question is the saate's own, so the scores compare. Every question is optional, but an
empty page is not an answer.
"""

from __future__ import annotations

from typing import Any

from app.i18n import lazy_gettext as _l
from app.i18n import lazy_pgettext as _lp
from app.models import CaseCode, CodeKind, FollowUp

from .answers import AnswerRow, step_rows
from .schema import (
    SAATE,
    YES_NO,
    AtLeastOne,
    Choice,
    FormDescription,
    Kind,
    OnlyAlone,
    Question,
    Step,
)

COMMENT_LIMIT = 1000

GOT_HELP = (
    # Translators: an answer to "Did you get the help you needed?" (the client's follow-up, the
    # staff view and statistics).
    Choice("yes", _lp("got help", "Yes")),
    # Translators: an answer to "Did you get the help you needed?": the client got some of it.
    Choice("partly", _lp("got help", "Partly")),
    # Translators: an answer to "Did you get the help you needed?": the client did not get it.
    Choice("no", _lp("got help", "No")),
)

# What the client does now: MOVED_ON_TO's codes as the client would say them (the staff's
# "not known" is no answer of theirs). "Nothing of these yet" is chosen alone.
NOTHING_YET = "nothing_yet"
DOING_NOW = (
    # Translators: answer (client) to "What are you doing now?"; choose all that apply.
    Choice("studies", _lp("doing now", "Studying")),
    # Translators: answer (client) to "What are you doing now?".
    Choice("paid_work", _lp("doing now", "Paid work, also supported work")),
    # Translators: answer (client) to "What are you doing now?"; työkokeilu.
    Choice("work_trial", _lp("doing now", "A work trial")),
    # Translators: answer (client) to "What are you doing now?"; kuntouttava työtoiminta.
    Choice("rehabilitative_work", _lp("doing now", "Rehabilitative work activity")),
    Choice("vocational_rehabilitation",
           _lp("doing now", "Vocational rehabilitation, for example through Kela")),
    # Translators: answer (client) to "What are you doing now?"; lääkinnällinen kuntoutus.
    Choice("medical_rehabilitation", _lp("doing now", "Medical rehabilitation")),
    # Translators: answer (client) to "What are you doing now?"; kuntoutuspsykoterapia.
    Choice("rehabilitation_psychotherapy", _lp("doing now", "Rehabilitation psychotherapy")),
    Choice("pension_assessment",
           _lp("doing now", "My right to a disability pension is being assessed")),
    # Translators: answer (client) to "What are you doing now?".
    Choice("employment_services", _lp("doing now", "I use employment services")),
    # Translators: answer (client) to "What are you doing now?".
    Choice("social_health_services", _lp("doing now", "I use social or health services")),
    Choice("dropped_out",
           _lp("doing now", "I stopped a service or rehabilitation that I had started")),
    # Translators: answer (client) to "What are you doing now?"; chosen alone.
    Choice(NOTHING_YET, _lp("doing now", "None of these yet")),
)

# The question on the end-of-service feedback too (app/public/status.py).
WOULD_RECOMMEND = Question(
    # Translators: question (client) at the follow-up and on the status page of a finished case.
    "would_recommend", Kind.RADIO, _l("Would you recommend this service to others?"),
    choices=YES_NO,
    # Translators: short label (staff) in the case view, in place of the client's question
    # "Would you recommend this service to others?".
    staff_label=_lp("staff label", "Would recommend the service"),
)

QUESTIONS = (
    Question("got_help", Kind.RADIO, _l("Did you get the help you needed?"), choices=GOT_HELP,
             # Translators: short label (staff) in the case view, in place of the client's
             # question "Did you get the help you needed?".
             staff_label=_lp("staff label", "Got the help needed")),
    SAATE.question("work_ability_score"),
    Question("doing_now", Kind.CHECKBOXES, _l("What are you doing now?"),
             hint=_l("Choose all that apply."), choices=DOING_NOW,
             # Translators: short label (staff) in the case view, in place of the client's
             # question "What are you doing now?".
             staff_label=_lp("staff label", "Doing now")),
    WOULD_RECOMMEND,
    Question("comment", Kind.TEXTAREA, _l("Is there anything else you want to tell us?"),
             hint=_l("Do not write personal details here."), max_length=COMMENT_LIMIT,
             # Translators: short label (staff) in the case view, in place of the client's
             # question "Is there anything else you want to tell us?". Team leads only see it.
             staff_label=_lp("staff label", "Comment")),
)

FOLLOW_UP = FormDescription(
    kind="follow_up",
    steps=(
        # The slug names the step's form class (app/saate/forms.py): none of the saate's.
        Step(
            slug="follow-up",
            # Translators: title and heading of the follow-up page (client), about six months
            # after their case was finished.
            title=_l("How are you now?"),
            intro=_l("Some time ago you were in contact with us. Your answers help us make the "
                     "service better. Answer only what you want to."),
            questions=QUESTIONS,
            rules=(
                AtLeastOne(tuple(question.code for question in QUESTIONS),
                           # Translators: error message (client) when the follow-up page is
                           # sent with nothing answered.
                           _l("Answer at least one question")),
                OnlyAlone("doing_now", _l("Choose either “None of these yet” or what you are "
                                          "doing now"), alone=NOTHING_YET),
            ),
        ),
    ),
)
STEP = FOLLOW_UP.steps[0]


def kept_answers(follow_up: FollowUp, codes: list[CaseCode]) -> dict[str, Any]:
    """An answered follow-up as the form's answers (codes): what the client does now is in
    the case's codes."""
    recommend = follow_up.would_recommend
    return {
        "got_help": follow_up.got_help or "",
        "work_ability_score": "" if follow_up.work_ability_score is None
        else str(follow_up.work_ability_score),
        "doing_now": [code.code for code in codes if code.kind == CodeKind.DOING_AT_FOLLOW_UP],
        "would_recommend": "" if recommend is None else ("yes" if recommend else "no"),
        "comment": follow_up.comment,
    }


def answer_rows(follow_up: FollowUp, codes: list[CaseCode], with_comment: bool) -> list[AnswerRow]:
    """The staff case view's rows of an answered follow-up, by short staff labels; the
    comment only `with_comment` (team leads)."""
    rows = step_rows(STEP, kept_answers(follow_up, codes), short_labels=True)
    return [row for row in rows if with_comment or row.question.code != "comment"]
