"""What statistics keep of a client's answers, and nothing more.

Set once when a case is made (app/casework/cases.py create_case): an age group from the
birth year, the education code, the work-ability score and the kinds of difficulty (the
"what affects" answers grouped as social, psychological, somatic or other). They are coarse
codes, kept after retention empties the answers, and counted only with the small-cell rule.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from app.i18n import lazy_gettext as _l
from app.i18n import lazy_pgettext as _lp
from app.models import Case, CaseCode, CodeKind
from app.saate.schema import AFFECTING, EDUCATION, Choice

AGE_GROUPS = (
    # Translators: an age group in the statistics (staff), in years.
    Choice("under_30", _l("Under 30")),
    # Translators: an age group in the statistics (staff), in years.
    Choice("30_39", _l("30–39")),
    # Translators: an age group in the statistics (staff), in years.
    Choice("40_49", _l("40–49")),
    # Translators: an age group in the statistics (staff), in years.
    Choice("50_59", _l("50–59")),
    # Translators: an age group in the statistics (staff), in years.
    Choice("60_plus", _l("60 or over")),
)
# The lower age of each group after the first, in the order of AGE_GROUPS.
_AGE_LIMITS = (30, 40, 50, 60)

DIFFICULTY_GROUPS = (
    # Translators: a kind of difficulty affecting work ability, in the statistics (staff): life
    # situation, money, relationships.
    Choice("social", _lp("difficulty", "Social")),
    # Translators: a kind of difficulty affecting work ability, in the statistics (staff): mood,
    # mental health, substances, memory and learning.
    Choice("psychological", _lp("difficulty", "Psychological")),
    # Translators: a kind of difficulty affecting work ability, in the statistics (staff): bodily
    # illness, pain, hearing or sight.
    Choice("somatic", _lp("difficulty", "Somatic")),
    # Translators: a kind of difficulty affecting work ability, in the statistics (staff).
    Choice("other", _lp("difficulty", "Other")),
)
# Each "what affects" answer (app/saate/schema.py AFFECTING) in its group.
DIFFICULTY_OF = {
    "musculoskeletal": "somatic",
    "mood": "psychological",
    "substances": "psychological",
    "memory_learning": "psychological",
    "neurological": "somatic",
    "long_term_illness": "somatic",
    "hearing_sight": "somatic",
    "life_situation": "social",
    "other": "other",
}
assert set(DIFFICULTY_OF) == {choice.code for choice in AFFECTING}
EDUCATION_CODES = frozenset(choice.code for choice in EDUCATION)


def age_group(birth_year: Any, on: date) -> str | None:
    """The age group in the year `on`; None when the year is missing or not a year."""
    try:
        age = on.year - int(birth_year)
    except (TypeError, ValueError):
        return None
    if not 0 < age < 130:
        return None
    groups = [choice.code for choice in AGE_GROUPS]
    return groups[sum(age >= limit for limit in _AGE_LIMITS)]


def difficulty_groups(affecting: Any) -> list[str]:
    answers = affecting if isinstance(affecting, list) else []
    return sorted({DIFFICULTY_OF[code] for code in answers if code in DIFFICULTY_OF})


def score(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 <= number <= 10 else None


def fill_profile(case: Case, answers: dict[str, Any], on: date) -> None:
    """Set the case's profile codes from its answers (a new case, not yet flushed)."""
    case.age_group = age_group(answers.get("birth_year"), on)
    education = answers.get("education")
    case.education = education if education in EDUCATION_CODES else None
    case.work_ability_score = score(answers.get("work_ability_score"))
    case.codes = [CaseCode(kind=CodeKind.DIFFICULTY, code=group)
                  for group in difficulty_groups(answers.get("affecting"))]
