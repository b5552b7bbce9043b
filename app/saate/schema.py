"""The saate and the contact request, described once.

Steps, questions, stable choice codes, labels and hints (lazy gettext), which
answers are required, which follow-ups depend on which answers, and which
answers raise flags for the worker or notices for the client. The step forms,
check-answers, the staff case view and case creation all read this module.

Stored answers use the codes here, never display text: change a label freely,
never a code.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

Answers = Mapping[str, Any]


class Kind(enum.StrEnum):
    TEXT = "text"
    TEXTAREA = "textarea"
    EMAIL = "email"
    PHONE = "phone"
    YEAR = "year"
    RADIO = "radio"
    SELECT = "select"
    CHECKBOXES = "checkboxes"
    SCALE = "scale"
    CONFIRM = "confirm"  # one checkbox that must be ticked (consent)


@dataclass(frozen=True)
class Choice:
    code: str
    label: LazyString


@dataclass(frozen=True)
class Condition:
    """Holds when the answer to `question` is (or, for checkboxes, includes) a code."""

    question: str
    codes: frozenset[str]

    def holds(self, answers: Answers) -> bool:
        value = answers.get(self.question)
        if isinstance(value, list):
            return bool(self.codes.intersection(value))
        return value in self.codes


def when(question: str, *codes: str) -> Condition:
    return Condition(question, frozenset(codes))


@dataclass(frozen=True)
class Question:
    code: str
    kind: Kind
    label: LazyString
    hint: LazyString | None = None
    why: LazyString | None = None  # "why we ask this", linked by aria-describedby
    choices: tuple[Choice, ...] = ()
    # Choices filled in at run time (e.g. "municipalities"); see app/saate/forms.py.
    choices_from: str | None = None
    required: bool = False
    required_message: LazyString | None = None
    max_length: int | None = None
    show_if: Condition | None = None
    scale_ends: tuple[LazyString, LazyString] | None = None
    autocomplete: str | None = None
    # Defaults to the page's language: "page_language" is the only one so far.
    default_from: str | None = None

    def choice_label(self, code: str) -> LazyString | str:
        for choice in self.choices:
            if choice.code == code:
                return choice.label
        return code

    def applies(self, answers: Answers) -> bool:
        return self.show_if is None or self.show_if.holds(answers)


@dataclass(frozen=True)
class AtLeastOne:
    """A rule across questions: at least one of them must be answered."""

    questions: tuple[str, ...]
    message: LazyString

    def broken(self, answers: Answers) -> bool:
        return not any(answers.get(code) for code in self.questions)

    @property
    def question(self) -> str:
        """The question the error message is shown at."""
        return self.questions[0]


@dataclass(frozen=True)
class Subset:
    """A rule: every code chosen in `question` must also be chosen in `within`."""

    question: str
    within: str
    message: LazyString

    def broken(self, answers: Answers) -> bool:
        return not set(answers.get(self.question) or []) <= set(answers.get(self.within) or [])


Rule = AtLeastOne | Subset


@dataclass(frozen=True)
class Step:
    slug: str  # the URL segment: /<lang>/saate/<slug>
    title: LazyString
    questions: tuple[Question, ...]
    intro: LazyString | None = None
    rules: tuple[Rule, ...] = ()

    def question(self, code: str) -> Question:
        return next(q for q in self.questions if q.code == code)


@dataclass(frozen=True)
class Flag:
    """A hint for the worker, never a decision."""

    code: str
    label: LazyString
    raised_by: Callable[[Answers], bool]


@dataclass(frozen=True)
class Notice:
    """Information the client sees at once on the page after answering."""

    code: str
    after_step: str
    shown_if: Condition
    template: str  # under templates/public/notices/


@dataclass(frozen=True)
class FormDescription:
    kind: str
    steps: tuple[Step, ...]
    flags: tuple[Flag, ...] = field(default=())
    notices: tuple[Notice, ...] = field(default=())

    def step(self, slug: str) -> Step | None:
        return next((step for step in self.steps if step.slug == slug), None)

    def step_number(self, slug: str) -> int:
        return [step.slug for step in self.steps].index(slug) + 1

    def next_step(self, slug: str) -> Step | None:
        number = self.step_number(slug)
        return self.steps[number] if number < len(self.steps) else None

    def previous_step(self, slug: str) -> Step | None:
        number = self.step_number(slug)
        return self.steps[number - 2] if number > 1 else None

    def questions(self) -> list[Question]:
        return [question for step in self.steps for question in step.questions]

    def question(self, code: str) -> Question:
        return next(q for q in self.questions() if q.code == code)

    def flags_for(self, answers: Answers) -> list[str]:
        return [flag.code for flag in self.flags if flag.raised_by(answers)]

    def notices_after(self, slug: str, answers: Answers) -> list[Notice]:
        return [n for n in self.notices if n.after_step == slug and n.shown_if.holds(answers)]


# --- Choice sets ------------------------------------------------------------------

YES_NO = (
    # Translators: answer option of yes/no questions, e.g. "Do you need an interpreter?". Also
    # an answer to staff's "Was the client reached?", a ticked box in the list of answers, and
    # in the staff's consent table: the client agreed to share.
    Choice("yes", _l("Yes")),
    # Translators: answer option of yes/no questions, e.g. "Do you need an interpreter?". Also
    # an answer to staff's "Was the client reached?" and, in the staff's consent table: the
    # client did not agree to share.
    Choice("no", _l("No")),
)

# Translators: third answer option, after "Yes" and "No", to questions such as "Are you
# registered as a jobseeker?".
YES_NO_DONT_KNOW = (*YES_NO, Choice("dont_know", _l("I don't know")))

BEST_TIME = (
    # Translators: best time for us to phone the client.
    Choice("morning", _lp("time of day", "Morning")),
    # Translators: best time for us to phone the client: in the afternoon.
    Choice("afternoon", _lp("time of day", "Afternoon")),
    # Translators: best time for us to phone the client: any time of the day is fine.
    Choice("any", _lp("time of day", "Any time")),
)

CONTACT_LANGUAGE = (
    # Translators: the language in which we contact the client, named in the page's language.
    Choice("fi", _l("Finnish")),
    # Translators: the language in which we contact the client: the Swedish language, named in the
    # page's language.
    Choice("sv", _l("Swedish")),
)

FILLING_FOR = (
    Choice("myself", _l("I am filling this in myself")),
    Choice("with_help", _l("Someone is helping me")),
    Choice("for_someone", _l("I am filling this in for someone else, with their permission")),
)

SITUATION = (
    # Translators: answer option to the question "What is your situation now?"; the client is in
    # work.
    Choice("working", _l("Working")),
    # Translators: answer option to the question "What is your situation now?".
    Choice("unemployed", _l("Unemployed jobseeker")),
    # Translators: answer option to the question "What is your situation now?"; temporarily laid off
    # (lomautettu).
    Choice("laid_off", _l("Laid off")),
    # Translators: answer option to the question "What is your situation now?".
    Choice("sick_leave", _l("On sick leave")),
    # Translators: answer option to the question "What is your situation now?"; the client is a
    # student.
    Choice("studying", _l("Studying")),
    Choice("rehabilitation_or_pension", _l("On rehabilitation allowance or disability pension")),
    # Translators: the client's situation, when none of the others fits.
    Choice("other", _lp("situation", "Something else")),
)
NOT_WORKING = ("unemployed", "laid_off", "sick_leave", "rehabilitation_or_pension", "other")

NOT_WORKING_FOR = (
    Choice("under_3_months", _l("Less than 3 months")),
    # Translators: answer option to the question "If you are not working: for how long have you been
    # without work?".
    Choice("3_to_12_months", _l("3–12 months")),
    # Translators: answer option to the question "If you are not working: for how long have you been
    # without work?".
    Choice("1_to_2_years", _l("1–2 years")),
    Choice("over_2_years", _l("More than 2 years")),
)

CURRENT_SERVICES = (
    # Translators: checkbox option to the question "Which services do you use now?"; TE services or
    # the municipality's employment services.
    Choice("employment_services", _l("Employment services")),
    # Translators: checkbox option to the question "Which services do you use now?"; the same text
    # is also an organisation in the consent question "May we contact these and share your answers
    # with them?".
    Choice("social_services", _l("Social services")),
    # Translators: checkbox option to the question "Which services do you use now?"; kuntouttava
    # työtoiminta.
    Choice("rehabilitative_work", _l("Rehabilitative work activity")),
    Choice("mental_health_substance", _l("Mental-health or substance-use services")),
    # Translators: checkbox option to the question "Which services do you use now?". Kela is
    # Finland's social insurance institution; keep the name.
    Choice("kela_rehabilitation", _l("Kela rehabilitation")),
    # Translators: TYM is the multi-sector joint service promoting employment (formerly TYP).
    Choice("tym", _l("TYM, the multi-sector joint service (formerly TYP)")),
    Choice("organisation", _l("An organisation or association")),
    # Translators: checkbox option to the question "Which services do you use now?"; the client uses
    # none of the services listed.
    Choice("none", _lp("services", "None of these")),
)

MAIN_INCOME = (
    Choice("wages", _l("Wages or business income")),
    # Translators: checkbox option to the question "What is your main income?".
    Choice("unemployment_benefit", _l("Unemployment benefit")),
    # Translators: checkbox option to the question "What is your main income?"; Kela's
    # sairauspäiväraha.
    Choice("sickness_allowance", _l("Sickness allowance")),
    # Translators: checkbox option to the question "What is your main income?"; Kela's
    # kuntoutusraha.
    Choice("rehabilitation_allowance", _l("Rehabilitation allowance")),
    # Translators: checkbox option to the question "What is your main income?".
    Choice("pension", _l("Pension")),
    # Translators: checkbox option to the question "What is your main income?"; toimeentulotuki.
    Choice("social_assistance", _l("Social assistance")),
    # Translators: checkbox option to the question "What is your main income?"; opintotuki.
    Choice("study_aid", _l("Student financial aid")),
    # Translators: income, when none of the others fits.
    Choice("other", _lp("income", "Something else")),
)

AFFECTING = (
    Choice("musculoskeletal", _l("Pain or problems in the back, joints or muscles")),
    Choice("mood", _l("Mood or mental health")),
    Choice("substances", _l("Alcohol, drugs or other substances")),
    Choice("memory_learning", _l("Memory, concentration or learning")),
    # Translators: checkbox option to the question "What affects your work ability?".
    Choice("neurological", _l("A neurological condition")),
    # Translators: checkbox option to the question "What affects your work ability?".
    Choice("long_term_illness", _l("A long-term illness")),
    # Translators: checkbox option to the question "What affects your work ability?"; problems with
    # hearing or seeing.
    Choice("hearing_sight", _l("Hearing or sight")),
    Choice("life_situation", _l("Life situation or money worries")),
    # Translators: what affects work ability, when none of the others fits.
    Choice("other", _lp("affecting", "Something else")),
)

EDUCATION = (
    # Translators: answer option to the question "What is your highest education?"; the client has
    # no school-leaving certificate.
    Choice("none", _l("No completed education")),
    Choice("basic", _l("Basic education (comprehensive school)")),
    Choice("upper_secondary", _l("Upper secondary school or vocational education")),
    Choice("higher", _l("University or university of applied sciences")),
)

HOPED_HELP = (
    Choice("work_ability_assessment", _l("An assessment of my work ability")),
    # Translators: checkbox option to the question "What kind of help do you hope for?".
    Choice("health_check", _l("A health check")),
    # Translators: checkbox option to the question "What kind of help do you hope for?".
    Choice("rehabilitation", _l("Rehabilitation")),
    Choice("job_coaching", _l("Help with finding work, such as job coaching")),
    # Translators: checkbox option to the question "What kind of help do you hope for?".
    Choice("education", _l("Education or training")),
    Choice("money_debt", _l("Advice on money and debt")),
    # Translators: checkbox option to the question "What kind of help do you hope for?".
    Choice("housing", _l("Help with housing")),
    Choice("mental_health_substance", _l("Support for mental health or substance use")),
    Choice("benefits", _l("Advice on benefits (Kela)")),
    Choice("talk", _l("I just want to talk it through")),
)

# The network actors consent is asked for, one by one (service.md).
NETWORK_ACTORS = (
    # Translators: organisation the client may let us share answers with (checkbox); also shown to
    # staff in the consent table. Kela is Finland's social insurance institution; keep the name.
    Choice("kela", _l("Kela")),
    Choice("employment_services", _l("Employment services (TE services or the municipality)")),
    Choice("social_services", _l("Social services")),
    # Translators: organisation the client may let us share answers with (checkbox); also shown to
    # staff in the consent table.
    Choice("health_services", _l("Health services")),
    Choice("mental_health_substance", _l("Mental-health and substance-use services")),
    # Translators: organisation the client may let us share answers with (checkbox); also shown to
    # staff in the consent table; e.g. patient or unemployed people's associations.
    Choice("organisations", _l("Organisations and associations")),
)


def scale(low: LazyString, high: LazyString) -> tuple[tuple[Choice, ...], tuple]:
    return tuple(Choice(str(n), _lazy_number(n)) for n in range(11)), (low, high)


def _lazy_number(number: int) -> LazyString:
    return LazyString(lambda: str(number))


SCALE_CHOICES, WORSE_BETTER = scale(_l("0 = very poor"), _l("10 = very good"))

FREE_TEXT_LIMIT = 2000
SHORT_TEXT_LIMIT = 200
YEAR_LIMIT = 4


def this_year() -> int:
    return date.today().year


# --- Shared questions ---------------------------------------------------------------

NAME = Question(
    "name", Kind.TEXT, _l("What should we call you?"),
    hint=_l("Your first name is enough."),
    required=True, required_message=_l("Tell us what we should call you"),
    max_length=100, autocomplete="name",
)
PHONE = Question(
    # Translators: label of the phone number field in the contact details (client).
    "phone", Kind.PHONE, _l("Phone number"),
    hint=_l("We will call you from a number that may be hidden."),
    max_length=30, autocomplete="tel",
)
EMAIL = Question("email", Kind.EMAIL, _l("E-mail address"), max_length=254,
                 autocomplete="email")
CONTACT_RULE = AtLeastOne(
    ("phone", "email"), _l("Give a phone number or an e-mail address, or both")
)
MUNICIPALITY = Question(
    # Translators: label of the list where the client chooses their home municipality.
    "municipality", Kind.SELECT, _l("Your municipality"),
    hint=_l("We send your message to the team of your municipality."),
    choices_from="municipalities",
    # Translators: error message when the client has not chosen a municipality from the list.
    required=True, required_message=_l("Choose your municipality"),
)
BEST_TIME_Q = Question("best_time", Kind.RADIO, _l("When is the best time to call you?"),
                       choices=BEST_TIME)
CONTACT_LANGUAGE_Q = Question(
    "contact_language", Kind.RADIO, _l("In which language should we contact you?"),
    choices=CONTACT_LANGUAGE, default_from="page_language",
)

# --- The contact request (one page) ------------------------------------------------

CONTACT_REQUEST = FormDescription(
    kind="contact_request",
    steps=(
        Step(
            slug="contact",
            title=_l("Ask to be contacted"),
            intro=_l("Leave your details and we will contact you. It takes about 2 minutes."),
            questions=(
                NAME, PHONE, EMAIL, MUNICIPALITY, BEST_TIME_Q, CONTACT_LANGUAGE_Q,
                Question(
                    "about", Kind.TEXTAREA, _l("What is it about? (optional)"),
                    hint=_l("A few words are enough. You can also leave this empty."),
                    max_length=FREE_TEXT_LIMIT,
                ),
                Question(
                    "consent_contact", Kind.CONFIRM,
                    _l("I want the work-ability support team to contact me"),
                    required=True, required_message=_l("Tick the box so that we may contact you"),
                ),
            ),
            rules=(CONTACT_RULE,),
        ),
    ),
)

# --- The saate ----------------------------------------------------------------------

SAATE = FormDescription(
    kind="saate",
    steps=(
        Step(
            slug="contact-details",
            # Translators: title of a part of the saate form: page heading, also shown in the
            # list of parts and on the check-answers page.
            title=_l("Contact details"),
            intro=_l("We need these to contact you. "
                     "Questions without (optional) must be answered."),
            questions=(
                NAME, PHONE, EMAIL, MUNICIPALITY, BEST_TIME_Q, CONTACT_LANGUAGE_Q,
                Question("interpreter", Kind.RADIO, _l("Do you need an interpreter?"),
                         choices=YES_NO),
                Question("interpreter_language", Kind.TEXT,
                         _l("If you need an interpreter: in which language?"),
                         max_length=60, show_if=when("interpreter", "yes")),
                Question("filling_for", Kind.RADIO, _l("Who is filling in this form?"),
                         choices=FILLING_FOR),
                Question(
                    "birth_year", Kind.YEAR, _l("Year of birth (optional)"),
                    # Translators: hint under the question "Year of birth (optional)".
                    hint=_l("For example 1985."),
                    why=_l("We ask this instead of your personal identity code, "
                           "which we never ask. You can also use it to continue this form later."),
                    max_length=YEAR_LIMIT, autocomplete="bday-year",
                ),
            ),
            rules=(CONTACT_RULE,),
        ),
        Step(
            # Asked early, on its own short page (issue 10): a yes leads to help at once.
            # The slug is neutral on purpose: URLs stay in a shared device's history.
            slug="right-now",
            # Translators: title of the short part of the saate form that asks whether the client
            # is in a crisis right now: page heading, also in the list of parts.
            title=_l("How you are right now"),
            questions=(
                Question(
                    "acute_distress", Kind.RADIO,
                    _l("Do you feel that you are in a crisis or cannot cope right now?"),
                    why=_l("If you are, we show you at once where to get help today."),
                    choices=YES_NO,
                ),
            ),
        ),
        Step(
            slug="situation",
            # Translators: title of a part of the saate form: page heading, also shown in the
            # list of parts and on the check-answers page.
            title=_l("Your situation now"),
            questions=(
                Question("situation", Kind.RADIO, _l("What is your situation now?"),
                         choices=SITUATION),
                Question("not_working_for", Kind.RADIO,
                         _l("If you are not working: for how long have you been without work?"),
                         choices=NOT_WORKING_FOR, show_if=when("situation", *NOT_WORKING)),
                Question("registered_jobseeker", Kind.RADIO,
                         _l("Are you registered as a jobseeker?"), choices=YES_NO_DONT_KNOW),
                Question(
                    "occupational_health", Kind.RADIO,
                    _l("Are you covered by occupational health care?"),
                    hint=_l("Occupational health care is arranged by an employer."),
                    why=_l("If you are, occupational health care is usually the first place "
                           "to support your work ability."),
                    choices=YES_NO_DONT_KNOW,
                ),
                Question("current_services", Kind.CHECKBOXES,
                         _l("Which services do you use now?"),
                         hint=_l("Choose all that apply."), choices=CURRENT_SERVICES),
                Question("main_income", Kind.CHECKBOXES, _l("What is your main income? (optional)"),
                         hint=_l("Choose all that apply."),
                         why=_l("It helps us advise you on benefits."), choices=MAIN_INCOME),
            ),
        ),
        Step(
            slug="health",
            # Translators: title of a part of the saate form: page heading, also shown in the
            # list of parts and on the check-answers page.
            title=_l("Health and coping"),
            intro=_l("Answer only what you want to. There are no right or wrong answers."),
            questions=(
                Question(
                    "work_ability_score", Kind.SCALE,
                    # Translators: the standard work ability score question (työkykypistemäärä).
                    _l("Imagine your work ability at its best is worth 10 points. "
                       "How many points would you give your work ability now?"),
                    choices=SCALE_CHOICES,
                    scale_ends=(_l("0 = cannot work at all"), _l("10 = at its best")),
                ),
                Question("rating_mental", Kind.SCALE, _l("How is your mental wellbeing?"),
                         choices=SCALE_CHOICES, scale_ends=WORSE_BETTER),
                Question("rating_social", Kind.SCALE,
                         _l("How much do you take part in things with other people?"),
                         choices=SCALE_CHOICES, scale_ends=WORSE_BETTER),
                Question("rating_physical", Kind.SCALE,
                         _l("How well does your body manage everyday tasks?"),
                         choices=SCALE_CHOICES, scale_ends=WORSE_BETTER),
                Question("rating_skills", Kind.SCALE,
                         _l("How well do your skills match the work you would like to do?"),
                         choices=SCALE_CHOICES, scale_ends=WORSE_BETTER),
                Question("rating_coping", Kind.SCALE, _l("How do you cope with everyday life?"),
                         choices=SCALE_CHOICES, scale_ends=WORSE_BETTER),
                Question("affecting", Kind.CHECKBOXES,
                         _l("What affects your work ability?"),
                         hint=_l("Choose all that apply."), choices=AFFECTING,
                         why=_l("It helps us find the right professional for you.")),
                Question("affecting_other", Kind.TEXT, _l("What else affects it?"),
                         max_length=SHORT_TEXT_LIMIT, show_if=when("affecting", "other")),
                Question("health_check_12m", Kind.RADIO,
                         _l("Have you had a health check in the last 12 months?"),
                         choices=YES_NO_DONT_KNOW),
                Question("on_sick_leave", Kind.RADIO, _l("Are you on sick leave now?"),
                         choices=YES_NO),
                Question("doctor_assessed", Kind.RADIO,
                         _l("Has a doctor assessed your work ability?"), choices=YES_NO_DONT_KNOW),
            ),
        ),
        Step(
            slug="education-and-work",
            # Translators: title of a part of the saate form: page heading, also shown in the
            # list of parts and on the check-answers page.
            title=_l("Education and work"),
            questions=(
                Question("education", Kind.RADIO, _l("What is your highest education?"),
                         choices=EDUCATION),
                Question("work_history", Kind.TEXTAREA, _l("What work have you done?"),
                         hint=_l("Jobs, work trials, voluntary work – anything counts."),
                         max_length=FREE_TEXT_LIMIT),
                Question("last_worked_year", Kind.YEAR, _l("In which year did you last work?"),
                         # Translators: hint under the question "In which year did you last work?".
                         hint=_l("For example 2021."), max_length=YEAR_LIMIT),
                Question("strengths", Kind.TEXTAREA, _l("What are your strengths and skills?"),
                         max_length=FREE_TEXT_LIMIT),
            ),
        ),
        Step(
            slug="hopes",
            title=_l("What you hope for"),
            questions=(
                Question("hoped_help", Kind.CHECKBOXES, _l("What kind of help do you hope for?"),
                         hint=_l("Choose all that apply."), choices=HOPED_HELP),
                Question("six_months", Kind.TEXTAREA,
                         _l("What would you like to be different in six months?"),
                         max_length=FREE_TEXT_LIMIT),
                Question("gives_strength", Kind.TEXTAREA, _l("What gives you strength?"),
                         max_length=FREE_TEXT_LIMIT),
            ),
        ),
        Step(
            slug="consent",
            # Translators: title of a part of the saate form: page heading, also shown in the
            # list of parts and on the check-answers page.
            title=_l("Cooperation and consent"),
            intro=_l("Our help does not depend on these answers. You can withdraw or change "
                     "your consent at any time."),
            questions=(
                Question(
                    "share_with", Kind.CHECKBOXES,
                    _l("May we contact these and share your answers with them?"),
                    hint=_l("Choose the ones you agree to. We do not contact the others."),
                    why=_l("Working together can make getting help faster."),
                    choices=NETWORK_ACTORS,
                ),
                Question(
                    "share_health_with", Kind.CHECKBOXES,
                    _l("May we also share your health information with them?"),
                    hint=_l("Health information is asked for separately. "
                            "Choose only ones you chose above."),
                    choices=NETWORK_ACTORS,
                ),
                Question("support_person", Kind.TEXT,
                         _l("Would you like a close person or support person to join? "
                            "Their name and phone number (optional)"),
                         max_length=SHORT_TEXT_LIMIT),
                Question("anything_else", Kind.TEXTAREA,
                         _l("Is there anything else we should know? (optional)"),
                         max_length=FREE_TEXT_LIMIT),
                Question(
                    "privacy_consent", Kind.CONFIRM,
                    _l("I have read the privacy notice and agree that my information "
                       "is processed as it describes"),
                    required=True,
                    required_message=_l("Tick the box to accept the privacy notice"),
                ),
            ),
            rules=(
                Subset("share_health_with", "share_with",
                       _l("You can share health information only with those you chose "
                          "in the previous question")),
            ),
        ),
    ),
    flags=(
        Flag("urgent", _l("Urgent: the client said they are in a crisis"),
             lambda a: a.get("acute_distress") == "yes"),
        Flag("occupational_health",
             _l("Covered by occupational health care: it is usually responsible first"),
             lambda a: a.get("occupational_health") == "yes"),
        Flag("health_check_may_fit",
             _l("Not working and no health check in 12 months: "
                "the working-age health check may fit"),
             lambda a: a.get("situation") in NOT_WORKING and a.get("health_check_12m") == "no"),
        Flag("low_work_ability", _l("Work ability score 3 or less"),
             lambda a: str(a.get("work_ability_score", "")).isdigit()
             and int(a["work_ability_score"]) <= 3),
    ),
    notices=(
        Notice("crisis", "right-now", when("acute_distress", "yes"), "crisis.html"),
        Notice("occupational_health", "situation", when("occupational_health", "yes"),
               "occupational_health.html"),
    ),
)

FORMS = {form.kind: form for form in (CONTACT_REQUEST, SAATE)}


def describe(kind: str) -> FormDescription:
    return FORMS[kind]
