"""The saate and the contact request, described once.

Steps, questions, stable choice codes, labels and hints (lazy gettext), which
answers are required, which follow-ups depend on which answers, and which
answers raise flags for the worker or notices for the client. The step forms,
check-answers, the staff case view and case creation all read this module.

A follow-up (a question with `show_if`, or a question's `note`) is shown right
under the question it follows, on the same page, only when that answer applies
(CSS only, static/saate.css); its label starts "If you answered …", so the page
reads right without CSS too. An answer to a question that no longer applies is
dropped wherever answers are kept (app/saate/bounds.py).

Optional questions are marked "(optional)" by the page (templates/components/
fields.html), from `Step.is_optional`: never write the mark into a label.

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

from app.i18n import lazy_gettext as _l
from app.i18n import lazy_pgettext as _lp

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


# The code of a "none of these" choice: chosen alone, and not the same as no answer.
NONE = "none"


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
class FollowNote:
    """Information shown right under a question when an answer makes it apply."""

    shown_if: Condition
    template: str  # under templates/public/notices/; its text starts "If you answered …"


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
    note: FollowNote | None = None
    # A few words for the staff case view in place of the client's question, e.g. "Main
    # income" (lazy pgettext, context "staff label"); the client's pages, the check page and
    # the printed case keep `label`.
    staff_label: LazyString | None = None

    @property
    def anchor(self) -> str:
        """The id of the input a link to this question points at (a group's first input)."""
        grouped = self.kind in (Kind.RADIO, Kind.CHECKBOXES, Kind.SCALE)
        return f"{self.code}-0" if grouped else self.code

    @property
    def short_label(self) -> LazyString:
        """The staff side's short label, or the question itself where there is none."""
        return self.staff_label or self.label

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
        chosen = set(answers.get(self.question) or []) - {NONE}
        return not chosen <= set(answers.get(self.within) or [])


@dataclass(frozen=True)
class OnlyAlone:
    """A rule: the code `alone` (e.g. "none of these") is never chosen with another code."""

    question: str
    message: LazyString
    alone: str = NONE

    def broken(self, answers: Answers) -> bool:
        chosen = answers.get(self.question) or []
        return self.alone in chosen and len(chosen) > 1


@dataclass(frozen=True)
class Needs:
    """A rule: an answer (e.g. "yes, e-mail me later") needs another question answered (the
    e-mail address); the message is shown at that question."""

    when: Condition
    question: str
    message: LazyString

    def broken(self, answers: Answers) -> bool:
        return self.when.holds(answers) and not answers.get(self.question)


Rule = AtLeastOne | Subset | OnlyAlone | Needs


@dataclass(frozen=True)
class Step:
    slug: str  # the URL segment: /<lang>/saate/<slug>
    title: LazyString
    questions: tuple[Question, ...]
    intro: LazyString | None = None
    rules: tuple[Rule, ...] = ()

    def question(self, code: str) -> Question:
        return next(q for q in self.questions if q.code == code)

    def is_optional(self, question: Question) -> bool:
        """Whether the client may leave it empty: not required, and in no "at least one of"."""
        return not question.required and not any(
            isinstance(rule, AtLeastOne) and question.code in rule.questions
            for rule in self.rules)

    def follow_ups(self, code: str) -> list[Question]:
        """The questions on this page that follow the answer to `code`."""
        return [q for q in self.questions if q.show_if and q.show_if.question == code]

    def leads(self) -> list[Question]:
        """The questions shown in their own right; follow-ups come under their lead."""
        codes = {q.code for q in self.questions}
        return [q for q in self.questions if not (q.show_if and q.show_if.question in codes)]

    def opening_codes(self, code: str) -> frozenset[str]:
        """The choices of question `code` that open its follow-ups and note on this page."""
        conditions = [q.show_if for q in self.follow_ups(code) if q.show_if]
        note = self.question(code).note
        if note is not None:
            conditions.append(note.shown_if)
        return frozenset().union(*(c.codes for c in conditions))


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
    # Translators: checkbox option to the question "Which services do you use now?". TYP is
    # työllistymistä edistävä monialainen yhteispalvelu; keep the abbreviation TYP. (The code
    # "tym" stays: it is stored in cases.)
    Choice("tym", _l("TYP, the multi-sector joint service")),
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

CONTACT_WAYS = (
    # Translators: checkbox option to the question "How may we contact you?".
    Choice("calls", _l("Phone call")),
    # Translators: checkbox option to the question "How may we contact you?"; an SMS.
    Choice("text_messages", _l("Text message")),
    # Translators: checkbox option to the question "How may we contact you?"; a message left
    # on the client's voicemail. Also shown to staff.
    Choice("voicemail", _l("Voicemail message")),
)

KELA_PENDING = (
    # Translators: checkbox option to the question "Do you have applications waiting for a
    # decision at Kela?"; an application for rehabilitation.
    Choice("rehabilitation", _lp("kela application", "Rehabilitation")),
    # Translators: checkbox option to the question "Do you have applications waiting for a
    # decision at Kela?"; Kela's sairauspäiväraha.
    Choice("sickness_allowance", _lp("kela application", "Sickness allowance")),
    # Translators: checkbox option to the question "Do you have applications waiting for a
    # decision at Kela?"; an application for some other benefit.
    Choice("other", _lp("kela application", "Something else")),
    # Translators: checkbox option to the question "Do you have applications waiting for a
    # decision at Kela?"; chosen alone.
    Choice(NONE, _l("No applications waiting")),
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


# Sharing is asked per actor; "none of these" is an answer of its own, not the same as
# leaving the question empty. The "none" code is never a network actor (app/casework/cases.py
# makes one consent row per actor).
SHARE_WITH = (
    *NETWORK_ACTORS,
    Choice(NONE, _l("None of these: do not share my answers")),
)
SHARE_HEALTH_WITH = (
    *NETWORK_ACTORS,
    Choice(NONE, _l("None of these: do not share my health information")),
)


def _lazy_number(number: int) -> LazyString:
    return LazyString(lambda: str(number))


SCALE_CHOICES = tuple(Choice(str(n), _lazy_number(n)) for n in range(11))

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
    # Translators: short label (staff) in the case view, in place of the client's question "What
    # should we call you?".
    staff_label=_lp("staff label", "Name"),
)
PHONE = Question(
    # Translators: label of the phone number field in the contact details (client).
    "phone", Kind.PHONE, _l("Phone number"),
    hint=_l("Give a phone number or an e-mail address, or both. "
            "We may call you from a hidden number."),
    max_length=30, autocomplete="tel",
    # Translators: short label (staff) in the case view, in place of the client's question "Phone
    # number".
    staff_label=_lp("staff label", "Phone"),
)
EMAIL = Question("email", Kind.EMAIL, _l("E-mail address"), max_length=254,
                 hint=_l("If you give no phone number, give an e-mail address."),
                 autocomplete="email",
                 # Translators: short label (staff) in the case view, in place of the client's
                 # question "E-mail address".
                 staff_label=_lp("staff label", "E-mail"))
CONTACT_RULE = AtLeastOne(
    ("phone", "email"), _l("Give a phone number or an e-mail address, or both")
)
# Consent to the follow-up e-mail (app/casework/followup_mail.py): one message with a link,
# about six months after the case is closed; asked right under the e-mail address.
FOLLOW_UP_MAIL = Question(
    "follow_up_mail", Kind.RADIO,
    _l("May we e-mail you in about six months to ask how you are?"),
    hint=_l("We send one message with only a link to a few questions. "
            "For this we need your e-mail address."),
    choices=YES_NO,
    # Translators: short label (staff) in the case view, in place of the client's question "May
    # we e-mail you in about six months to ask how you are?".
    staff_label=_lp("staff label", "Follow-up e-mail allowed"),
)
FOLLOW_UP_MAIL_RULE = Needs(
    when("follow_up_mail", "yes"), "email",
    # Translators: error message (client) at the e-mail address: the client answered yes to
    # "May we e-mail you in about six months to ask how you are?" but gave no address.
    _l("Give your e-mail address, or answer “No” to the question about an e-mail later"),
)
MUNICIPALITY = Question(
    # Translators: label of the list where the client chooses their home municipality.
    "municipality", Kind.SELECT, _l("Your municipality"),
    hint=_l("We send your message to the team of your municipality."),
    choices_from="municipalities",
    # Translators: error message when the client has not chosen a municipality from the list.
    required=True, required_message=_l("Choose your municipality"),
    # Translators: short label (staff) in the case view, in place of the client's question "Your
    # municipality".
    staff_label=_lp("staff label", "Municipality"),
)
BEST_TIME_Q = Question("best_time", Kind.RADIO, _l("When is the best time to call you?"),
                       choices=BEST_TIME,
                       # Translators: short label (staff) in the case view, in place of the client's
                       # question "When is the best time to call you?".
                       staff_label=_lp("staff label", "Best time to call"))
CONTACT_LANGUAGE_Q = Question(
    "contact_language", Kind.RADIO, _l("In which language should we contact you?"),
    choices=CONTACT_LANGUAGE, default_from="page_language",
    # Translators: short label (staff) in the case view, in place of the client's question "In which
    # language should we contact you?".
    staff_label=_lp("staff label", "Contact language"),
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
                NAME, PHONE, EMAIL, FOLLOW_UP_MAIL, MUNICIPALITY, BEST_TIME_Q,
                CONTACT_LANGUAGE_Q,
                Question(
                    # Translators: question (client) on the contact request page: what the
                    # client wants to talk about.
                    "about", Kind.TEXTAREA, _l("What is it about?"),
                    hint=_l("A few words are enough. You can also leave this empty."),
                    max_length=FREE_TEXT_LIMIT,
                    # Translators: short label (staff) in the case view, in place of the client's
                    # question "What is it about?".
                    staff_label=_lp("staff label", "What it is about"),
                ),
            ),
            rules=(CONTACT_RULE, FOLLOW_UP_MAIL_RULE),
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
                NAME, PHONE, EMAIL, FOLLOW_UP_MAIL, MUNICIPALITY, BEST_TIME_Q,
                Question("contact_ways", Kind.CHECKBOXES, _l("How may we contact you?"),
                         hint=_l("Choose all that are fine for you."), choices=CONTACT_WAYS,
                         # Translators: short label (staff) in the case view, in place of the
                         # client's question "How may we contact you?".
                         staff_label=_lp("staff label", "Contact ways allowed")),
                CONTACT_LANGUAGE_Q,
                Question("interpreter", Kind.RADIO, _l("Do you need an interpreter?"),
                         choices=YES_NO,
                         # Translators: short label (staff) in the case view, in place of the
                         # client's question "Do you need an interpreter?".
                         staff_label=_lp("staff label", "Needs an interpreter")),
                Question("interpreter_language", Kind.TEXT,
                         _l("If you answered yes: in which language do you need an "
                            "interpreter?"),
                         max_length=60, show_if=when("interpreter", "yes"),
                         # Translators: short label (staff) in the case view, in place of the
                         # client's question "If you answered yes: in which language do you need an
                         # interpreter?".
                         staff_label=_lp("staff label", "Interpreter's language")),
                Question("filling_for", Kind.RADIO, _l("Who is filling in this form?"),
                         choices=FILLING_FOR,
                         # Translators: short label (staff) in the case view, in place of the
                         # client's question "Who is filling in this form?".
                         staff_label=_lp("staff label", "Filled in by")),
                Question(
                    # Translators: label of the question on the client's year of birth.
                    "birth_year", Kind.YEAR, _l("Year of birth"),
                    # Translators: hint under the question "Year of birth".
                    hint=_l("For example 1985."),
                    why=_l("We ask this instead of your personal identity code, "
                           "which we never ask. You can also use it to continue this form later."),
                    max_length=YEAR_LIMIT, autocomplete="bday-year",
                    # Translators: short label (staff) in the case view, in place of the client's
                    # question "Year of birth".
                    staff_label=_lp("staff label", "Year of birth"),
                ),
                Question(
                    "named_worker", Kind.RADIO,
                    _l("Do you already have a named worker somewhere, for example in social "
                       "services or employment services?"),
                    why=_l("Then we can work together with them, if you want."),
                    choices=YES_NO,
                    # Translators: short label (staff) in the case view, in place of the client's
                    # question "Do you already have a named worker somewhere, for example in social
                    # services or employment services?".
                    staff_label=_lp("staff label", "Named worker elsewhere"),
                ),
                Question(
                    "named_worker_who", Kind.TEXT,
                    _l("If you answered yes: who is your worker, and where do they work?"),
                    hint=_l("For example their name, their job title and the service."),
                    max_length=SHORT_TEXT_LIMIT, show_if=when("named_worker", "yes"),
                    # Translators: short label (staff) in the case view, in place of the client's
                    # question "If you answered yes: who is your worker, and where do they work?".
                    staff_label=_lp("staff label", "Named worker: who and where"),
                ),
            ),
            rules=(CONTACT_RULE, FOLLOW_UP_MAIL_RULE),
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
                    # Translators: short label (staff) in the case view, in place of the client's
                    # question "Do you feel that you are in a crisis or cannot cope right now?".
                    staff_label=_lp("staff label", "In a crisis now"),
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
                         choices=SITUATION,
                         # Translators: short label (staff) in the case view, in place of the
                         # client's question "What is your situation now?".
                         staff_label=_lp("staff label", "Situation now")),
                Question("not_working_for", Kind.RADIO,
                         _l("If you answered that you are not working now: how long have you "
                            "been without work?"),
                         choices=NOT_WORKING_FOR, show_if=when("situation", *NOT_WORKING),
                         # Translators: short label (staff) in the case view, in place of the
                         # client's question "If you answered that you are not working now: how long
                         # have you been without work?".
                         staff_label=_lp("staff label", "Without work for")),
                Question("registered_jobseeker", Kind.RADIO,
                         _l("Are you registered as a jobseeker?"), choices=YES_NO_DONT_KNOW,
                         # Translators: short label (staff) in the case view, in place of the
                         # client's question "Are you registered as a jobseeker?".
                         staff_label=_lp("staff label", "Registered jobseeker")),
                Question(
                    "occupational_health", Kind.RADIO,
                    _l("Are you covered by occupational health care?"),
                    hint=_l("Occupational health care is arranged by an employer."),
                    why=_l("If you are, occupational health care is usually the first place "
                           "to support your work ability."),
                    choices=YES_NO_DONT_KNOW,
                    note=FollowNote(when("occupational_health", "yes"),
                                    "occupational_health.html"),
                    # Translators: short label (staff) in the case view, in place of the client's
                    # question "Are you covered by occupational health care?".
                    staff_label=_lp("staff label", "Covered by occupational health care"),
                ),
                Question("current_services", Kind.CHECKBOXES,
                         _l("Which services do you use now?"),
                         hint=_l("Choose all that apply."), choices=CURRENT_SERVICES,
                         # Translators: short label (staff) in the case view, in place of the
                         # client's question "Which services do you use now?".
                         staff_label=_lp("staff label", "Services in use")),
                Question("main_income", Kind.CHECKBOXES, _l("What is your main income?"),
                         hint=_l("Choose all that apply."),
                         why=_l("It helps us advise you on benefits."), choices=MAIN_INCOME,
                         # Translators: short label (staff) in the case view, in place of the
                         # client's question "What is your main income?".
                         staff_label=_lp("staff label", "Main income")),
            ),
            rules=(
                OnlyAlone("current_services",
                          _l("Choose either “None of these” or the services you use")),
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
                    # Translators: the standard work ability score question
                    # (työkykypistemäärä). Use the standard wording of your language: in
                    # Finnish "Oletetaan, että työkykysi on parhaimmillaan saanut 10 pistettä.
                    # Minkä pistemäärän antaisit nykyiselle työkyvyllesi?"
                    _l("Assume that your work ability at its best has scored 10 points. "
                       "How many points would you give your current work ability?"),
                    choices=SCALE_CHOICES,
                    scale_ends=(_l("0 = cannot work at all"), _l("10 = at its best")),
                    # Translators: short label (staff) in the case view, in place of the client's
                    # question "Assume that your work ability at its best has scored 10 points. How
                    # many points would you give your current work ability?".
                    staff_label=_lp("staff label", "Work ability score (0–10)"),
                ),
                Question("affecting", Kind.CHECKBOXES,
                         _l("What affects your work ability?"),
                         hint=_l("Choose all that apply."), choices=AFFECTING,
                         why=_l("It helps us find the right professional for you."),
                         # Translators: short label (staff) in the case view, in place of the
                         # client's question "What affects your work ability?".
                         staff_label=_lp("staff label", "Affects work ability")),
                Question("affecting_other", Kind.TEXT,
                         _l("If you answered something else: what else affects your work "
                            "ability?"),
                         max_length=SHORT_TEXT_LIMIT, show_if=when("affecting", "other"),
                         # Translators: short label (staff) in the case view, in place of the
                         # client's question "If you answered something else: what else affects your
                         # work ability?".
                         staff_label=_lp("staff label", "Affects work ability: something else")),
                Question("health_check_12m", Kind.RADIO,
                         _l("Have you had a health check in the last 12 months?"),
                         choices=YES_NO_DONT_KNOW,
                         # Translators: short label (staff) in the case view, in place of the
                         # client's question "Have you had a health check in the last 12 months?".
                         staff_label=_lp("staff label", "Health check in 12 months")),
                Question("doctor_assessed", Kind.RADIO,
                         _l("Has a doctor assessed your work ability?"), choices=YES_NO_DONT_KNOW,
                         # Translators: short label (staff) in the case view, in place of the
                         # client's question "Has a doctor assessed your work ability?".
                         staff_label=_lp("staff label", "Work ability assessed by doctor")),
                Question(
                    "kela_pending", Kind.CHECKBOXES,
                    _l("Do you have applications waiting for a decision at Kela?"),
                    hint=_l("Choose all that apply."),
                    why=_l("Then your worker can find out about them before calling you."),
                    choices=KELA_PENDING,
                    # Translators: short label (staff) in the case view, in place of the client's
                    # question "Do you have applications waiting for a decision at Kela?".
                    staff_label=_lp("staff label", "Kela applications pending"),
                ),
            ),
            rules=(
                OnlyAlone("kela_pending",
                          _l("Choose either “No applications waiting” or your applications")),
            ),
        ),
        Step(
            slug="education-and-work",
            # Translators: title of a part of the saate form: page heading, also shown in the
            # list of parts and on the check-answers page.
            title=_l("Education and work"),
            questions=(
                Question("education", Kind.RADIO, _l("What is your highest education?"),
                         choices=EDUCATION,
                         # Translators: short label (staff) in the case view, in place of the
                         # client's question "What is your highest education?".
                         staff_label=_lp("staff label", "Highest education")),
                Question("work_history", Kind.TEXTAREA, _l("What work have you done?"),
                         hint=_l("Jobs, work trials, voluntary work – anything counts."),
                         max_length=FREE_TEXT_LIMIT,
                         # Translators: short label (staff) in the case view, in place of the
                         # client's question "What work have you done?".
                         staff_label=_lp("staff label", "Work history")),
                Question("last_worked_year", Kind.YEAR, _l("In which year did you last work?"),
                         # Translators: hint under the question "In which year did you last work?".
                         hint=_l("For example 2021."), max_length=YEAR_LIMIT,
                         # Translators: short label (staff) in the case view, in place of the
                         # client's question "In which year did you last work?".
                         staff_label=_lp("staff label", "Last worked (year)")),
                Question("strengths", Kind.TEXTAREA, _l("What are your strengths and skills?"),
                         max_length=FREE_TEXT_LIMIT,
                         # Translators: short label (staff) in the case view, in place of the
                         # client's question "What are your strengths and skills?".
                         staff_label=_lp("staff label", "Strengths and skills")),
            ),
        ),
        Step(
            slug="hopes",
            title=_l("What you hope for"),
            questions=(
                Question("hoped_help", Kind.CHECKBOXES, _l("What kind of help do you hope for?"),
                         hint=_l("Choose all that apply."), choices=HOPED_HELP,
                         # Translators: short label (staff) in the case view, in place of the
                         # client's question "What kind of help do you hope for?".
                         staff_label=_lp("staff label", "Help hoped for")),
                Question("six_months", Kind.TEXTAREA,
                         _l("What would you like to be different in six months?"),
                         max_length=FREE_TEXT_LIMIT,
                         # Translators: short label (staff) in the case view, in place of the
                         # client's question "What would you like to be different in six months?".
                         staff_label=_lp("staff label", "Hopes for six months")),
                Question("gives_strength", Kind.TEXTAREA, _l("What gives you strength?"),
                         max_length=FREE_TEXT_LIMIT,
                         # Translators: short label (staff) in the case view, in place of the
                         # client's question "What gives you strength?".
                         staff_label=_lp("staff label", "What gives strength")),
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
                    hint=_l("Choose the ones you agree to, or “None of these”. "
                            "We do not contact the others."),
                    why=_l("Working together can make getting help faster."),
                    choices=SHARE_WITH,
                    # Translators: short label (staff) in the case view, in place of the client's
                    # question "May we contact these and share your answers with them?".
                    staff_label=_lp("staff label", "Consent to share the answers"),
                ),
                Question(
                    "share_health_with", Kind.CHECKBOXES,
                    _l("If you chose any of these: may we also share your health information "
                       "with them?"),
                    hint=_l("Health information is asked for separately. "
                            "Choose only ones you chose above, or “None of these”."),
                    choices=SHARE_HEALTH_WITH,
                    show_if=when("share_with", *(actor.code for actor in NETWORK_ACTORS)),
                    # Translators: short label (staff) in the case view, in place of the client's
                    # question "If you chose any of these: may we also share your health information
                    # with them?".
                    staff_label=_lp("staff label", "Consent to share health information"),
                ),
                Question("support_person", Kind.TEXT,
                         _l("Would you like a close person or support person to join? "
                            "Their name and phone number"),
                         max_length=SHORT_TEXT_LIMIT,
                         # Translators: short label (staff) in the case view, in place of the
                         # client's question "Would you like a close person or support person to
                         # join? Their name and phone number".
                         staff_label=_lp("staff label", "Close person or support person")),
                Question("anything_else", Kind.TEXTAREA,
                         _l("Is there anything else we should know?"),
                         max_length=FREE_TEXT_LIMIT,
                         # Translators: short label (staff) in the case view, in place of the
                         # client's question "Is there anything else we should know?".
                         staff_label=_lp("staff label", "Anything else")),
            ),
            rules=(
                Subset("share_health_with", "share_with",
                       _l("You can share health information only with those you chose "
                          "in the previous question")),
                OnlyAlone("share_with",
                          _l("Choose either “None of these” or the ones you agree to")),
                OnlyAlone("share_health_with",
                          _l("Choose either “None of these” or the ones you agree to")),
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
    ),
)

FORMS = {form.kind: form for form in (CONTACT_REQUEST, SAATE)}


def describe(kind: str) -> FormDescription:
    return FORMS[kind]
