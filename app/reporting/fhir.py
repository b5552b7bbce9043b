"""The saate handed over as FHIR R4: the Questionnaire, and each case as a QuestionnaireResponse.

Both are made from the schema the forms read (app/saate/schema.py), never from a list of
their own: a step is a group ("part-" and its slug), a question an item whose linkId is
the question's code (its hint a display item "<code>.hint" in it), a choice an
answerOption whose code is the stable code stored in cases, a follow-up's condition an
enableWhen. Item types follow the field kinds (ITEM_TYPES).

The Questionnaire's texts are in the main language (the default one, Finnish), each with
the other languages' (Swedish, plain Finnish as `fi-x-selko`) in the standard translation
extension, where they differ. Every language is drawn by the app's own catalogues: the
whole document is made once per language and the texts are then laid side by side. A
response's texts are in the language the client answered in.

The version is a short hash of the structure (linkIds, types, required, repeats, lengths,
choice codes, conditions; the municipalities offered too), so it changes when the questions
do and never for a reworded label. A response names the Questionnaire as `url|version`.

What core FHIR cannot say is left out: the rules across questions ("a phone number or an
e-mail address") and the flags for workers. docs/FHIR.md describes both documents.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask_babel import force_locale

from app.i18n import Language, default_language, languages, public_languages
from app.i18n import lazy_gettext as _l
from app.links import external_url
from app.models import Case
from app.people.teams import OTHER_MUNICIPALITY, municipality_choices
from app.saate.schema import SAATE, Choice, Condition, FormDescription, Kind, Question, Step

MEDIA_TYPE = "application/fhir+json"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
ENDPOINT = "fhir.questionnaire"

ITEM_TYPES = {
    Kind.TEXT: "string",
    Kind.EMAIL: "string",
    Kind.PHONE: "string",
    Kind.TEXTAREA: "text",
    Kind.YEAR: "date",  # a year: a FHIR date of year precision, e.g. "1985"
    Kind.RADIO: "choice",
    Kind.SELECT: "choice",
    Kind.SCALE: "choice",
    Kind.CHECKBOXES: "choice",
}
# The elements whose text is given in every language.
TRANSLATED = ("title", "description", "text", "display")
YEAR = re.compile(r"[0-9]{4}")
VERSION_LENGTH = 12

# Choices known only at run time (the municipalities), per language: (source, language).
RunTimeChoices = Callable[[str, Language], Sequence[Choice]]


@dataclass(frozen=True)
class Publication:
    """What the documents are made of: the form, where it is published, its languages."""

    form: FormDescription
    url: str  # the Questionnaire's canonical URL
    languages: tuple[Language, ...]  # the main language first
    run_time_choices: RunTimeChoices

    @property
    def base(self) -> str:
        """The FHIR base address, under which the code systems are named."""
        return self.url.rsplit("/Questionnaire/", 1)[0]

    @property
    def main(self) -> Language:
        return self.languages[0]

    def code_system(self, question: Question) -> str:
        return f"{self.base}/CodeSystem/{self.form.kind}-{question.code}"

    def reference(self) -> str:
        """The Questionnaire as a response names it: canonical URL and version."""
        return f"{self.url}|{version(self)}"


def saate_publication() -> Publication:
    """The saate as this service publishes it (its public address from BASE_URL)."""
    main = default_language()
    others = tuple(lang for lang in public_languages() if lang != main)
    return Publication(SAATE, external_url(ENDPOINT), (main, *others), municipalities)


def municipalities(source: str, language: Language) -> tuple[Choice, ...]:
    """The municipalities offered (Statistics Finland codes), by code, then "other"."""
    if source != "municipalities":
        raise ValueError(f"no run-time choices named {source!r}")
    served = sorted(municipality_choices(language.html_lang))
    other = Choice(OTHER_MUNICIPALITY, _l("Other municipality or not sure"))
    return (*(Choice(code, name) for code, name in served), other)  # type: ignore[arg-type]


def language_tag(language: Language) -> str:
    """The BCP 47 tag of a language: "fi", "sv", and "fi-x-selko" for plain Finnish."""
    base, _, modifier = language.locale.partition("@")
    tag = base.replace("_", "-")
    return f"{tag}-x-{modifier}" if modifier else tag


# --- The version ----------------------------------------------------------------------------


def choices_of(publication: Publication, question: Question,
               language: Language | None = None) -> Sequence[Choice]:
    if question.choices_from:
        return publication.run_time_choices(question.choices_from, language or publication.main)
    return question.choices


def structure(publication: Publication) -> list:
    """Everything a receiving system relies on, and no text."""
    return [
        [step.slug, [
            [question.code, ITEM_TYPES[question.kind], question.required,
             question.kind == Kind.CHECKBOXES, question.max_length,
             [choice.code for choice in choices_of(publication, question)],
             condition_structure(question.show_if)]
            for question in step.questions
        ]]
        for step in publication.form.steps
    ]


def condition_structure(condition: Condition | None) -> list | None:
    return None if condition is None else [condition.question, sorted(condition.codes)]


def version(publication: Publication) -> str:
    """A short hash of the structure: changes when a question, a choice or a condition does."""
    text = json.dumps(structure(publication), separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:VERSION_LENGTH]


# --- The Questionnaire ----------------------------------------------------------------------


def questionnaire(publication: Publication) -> dict[str, Any]:
    """The Questionnaire resource (JSON), its texts in every language."""
    known_as = version(publication)
    drawn = {language: questionnaire_in(publication, language, known_as)
             for language in publication.languages}
    main, *others = publication.languages
    return with_translations(drawn[main], {language_tag(lang): drawn[lang] for lang in others})


def questionnaire_in(publication: Publication, language: Language,
                     known_as: str) -> dict[str, Any]:
    """The Questionnaire with every text in one language; `known_as` is its version."""
    with force_locale(language.locale):
        return {
            "resourceType": "Questionnaire",
            "id": publication.form.kind,
            "language": language_tag(publication.main),
            "url": publication.url,
            "version": known_as,
            "name": publication.form.kind.capitalize(),
            "title": str(_l("Tell us about your situation")),
            "status": "active",
            "subjectType": ["Patient"],
            "description": str(_l("With this form you tell us about your situation before we "
                                  "contact you. Then we can help you better from the first "
                                  "call.")),
            "item": [group_item(publication, step, language) for step in publication.form.steps],
        }


def group_link_id(step: Step) -> str:
    """A step's linkId: "part-" and its slug (a slug may be a question's code too)."""
    return f"part-{step.slug}"


def group_item(publication: Publication, step: Step, language: Language) -> dict[str, Any]:
    link_id = group_link_id(step)
    items = [display_item(f"{link_id}.intro", str(step.intro))] if step.intro else []
    items += [question_item(publication, question, language) for question in step.questions]
    return {"linkId": link_id, "text": str(step.title), "type": "group", "item": items}


def display_item(link_id: str, text: str) -> dict[str, Any]:
    return {"linkId": link_id, "text": text, "type": "display"}


def question_item(publication: Publication, question: Question,
                  language: Language) -> dict[str, Any]:
    item_type = ITEM_TYPES[question.kind]
    item: dict[str, Any] = {"linkId": question.code, "text": str(question.label),
                            "type": item_type}
    if question.show_if is not None:
        item.update(enable_when(publication, question.show_if))
    if question.required:
        item["required"] = True
    if question.kind == Kind.CHECKBOXES:
        item["repeats"] = True
    if question.max_length and item_type in {"string", "text"}:
        item["maxLength"] = question.max_length
    if item_type == "choice":
        item["answerOption"] = [
            {"valueCoding": coding(publication, question, choice.code, str(choice.label))}
            for choice in choices_of(publication, question, language)
        ]
    if question.hint:
        item["item"] = [display_item(f"{question.code}.hint", str(question.hint))]
    return item


def enable_when(publication: Publication, condition: Condition) -> dict[str, Any]:
    """Shown when the lead's answer is (for checkboxes: includes) any of the codes."""
    lead = publication.form.question(condition.question)
    conditions = [
        {"question": lead.code, "operator": "=",
         "answerCoding": coding(publication, lead, code)}
        for code in sorted(condition.codes)
    ]
    result: dict[str, Any] = {"enableWhen": conditions}
    if len(conditions) > 1:
        result["enableBehavior"] = "any"
    return result


def coding(publication: Publication, question: Question, code: str,
           display: str | None = None) -> dict[str, str]:
    result = {"system": publication.code_system(question), "code": code}
    if display:
        result["display"] = display
    return result


def with_translations(main: Any, others: Mapping[str, Any]) -> Any:
    """The main language's document with, beside each text, the other languages' texts
    (from documents of the same shape) in the translation extension, where they differ."""
    if isinstance(main, list):
        return [with_translations(item, {tag: doc[index] for tag, doc in others.items()})
                for index, item in enumerate(main)]
    if not isinstance(main, dict):
        return main
    result = {}
    for key, value in main.items():
        result[key] = with_translations(value, {tag: doc[key] for tag, doc in others.items()})
        if key in TRANSLATED and isinstance(value, str):
            translations = [translation(tag, doc[key]) for tag, doc in others.items()
                            if doc[key] != value]
            if translations:
                result[f"_{key}"] = {"extension": translations}
    return result


def translation(tag: str, text: str) -> dict[str, Any]:
    return {"url": TRANSLATION, "extension": [{"url": "lang", "valueCode": tag},
                                              {"url": "content", "valueString": text}]}


# --- A case as a QuestionnaireResponse ------------------------------------------------------


def questionnaire_response(publication: Publication, case: Case) -> dict[str, Any]:
    """One case's answers as a QuestionnaireResponse to the current Questionnaire.

    Its texts (question texts, choice displays) are in the language the client answered
    in, which `language` names; the Questionnaire has every language. Only questions that
    apply and were answered are in it."""
    language = languages().get(case.language) or publication.main
    response: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "language": language_tag(language),
        "identifier": {"system": f"{publication.base}/case-reference",
                       "value": case.display_reference},
        "questionnaire": publication.reference(),
        "status": "completed",
        "authored": fhir_instant(case.created_at),
    }
    with force_locale(language.locale):
        groups = [group for step in publication.form.steps
                  if (group := response_group(publication, step, case.answers, language))]
    if groups:
        response["item"] = groups
    return response


def response_group(publication: Publication, step: Step, answers: Mapping[str, Any],
                   language: Language) -> dict[str, Any] | None:
    items = []
    for question in step.questions:
        if not question.applies(answers):
            continue
        values = list(answer_values(publication, question, answers.get(question.code),
                                    language))
        if values:
            items.append({"linkId": question.code, "text": str(question.label),
                          "answer": values})
    if not items:
        return None
    return {"linkId": group_link_id(step), "text": str(step.title), "item": items}


def answer_values(publication: Publication, question: Question, value: Any,
                  language: Language) -> Iterator[dict[str, Any]]:
    """The answer's FHIR values; nothing for an empty answer (or a year not of four digits,
    which the forms never keep)."""
    if value in (None, "", []):
        return
    item_type = ITEM_TYPES[question.kind]
    if item_type == "choice":
        labels = {choice.code: str(choice.label)
                  for choice in choices_of(publication, question, language)}
        for code in value if isinstance(value, list) else [value]:
            yield {"valueCoding": coding(publication, question, str(code), labels.get(str(code)))}
    elif item_type == "date":
        if YEAR.fullmatch(str(value)):
            yield {"valueDate": str(value)}
    else:
        yield {"valueString": str(value)}


def fhir_instant(moment: datetime) -> str:
    """A FHIR dateTime in UTC, to the second (SQLite gives back times without a zone)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="seconds")


def as_json(document: Mapping[str, Any]) -> bytes:
    """The document as compact FHIR JSON in UTF-8 (the Questionnaire is some 70 KB so)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
