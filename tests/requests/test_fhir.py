"""The FHIR hand-over (issue 13, point 6), on SQLite and PostgreSQL: the saate as a public R4
Questionnaire, each saate case as a QuestionnaireResponse for staff who may see it, every
download a disclosure in the access log that the client sees on the status page.

Both documents are checked as valid R4 by tests/support/fhir.py.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.casework import cases
from app.extensions import db
from app.i18n import lazy_gettext as _l
from app.models import MAX_ID, AccessLogEntry, Case
from app.reporting import fhir
from app.saate.schema import SAATE, Choice, FormDescription, Kind, Question, when
from tests.requests.test_staff import new_case
from tests.support.fhir import (
    ITEM_TYPES,
    by_link_id,
    check_questionnaire,
    check_response,
    response_answers,
    translations,
    walk,
)
from tests.support.i18n import translated
from tests.support.journey import FAKE_PERSON, VALID_STEPS
from tests.support.staff import make_staff, sign_in

pytestmark = pytest.mark.usefixtures("teams")

QUESTIONNAIRE_PATH = "/fhir/Questionnaire/saate"
DISCLOSURE = "handed over your answers as a file (disclosure)"
def saate_case(language: str = "fi", municipality: str = "179", key: str = "1") -> Case:
    return new_case(municipality, key=key, kind="saate", language=language)


def disclosures(case_id: int) -> list[AccessLogEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(AccessLogEntry).where(
        AccessLogEntry.case_id == case_id, AccessLogEntry.action == "disclosure")))


# --- The Questionnaire ----------------------------------------------------------------------


def test_the_questionnaire_is_public_fhir_json_and_valid_r4(app: Flask,
                                                            client: FlaskClient) -> None:
    response = client.get(QUESTIONNAIRE_PATH)
    assert response.status_code == 200
    assert response.mimetype == "application/fhir+json"
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert "Set-Cookie" not in response.headers
    document = json.loads(response.data)
    check_questionnaire(document)
    assert document["resourceType"] == "Questionnaire"
    assert document["url"] == f"{app.config['BASE_URL']}/fhir/Questionnaire/saate"
    assert document["language"] == "fi"
    assert document["version"] == fhir.version(fhir.saate_publication())
    # The same again, by its ETag, without the body.
    again = client.get(QUESTIONNAIRE_PATH, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""


def test_the_questionnaire_is_the_schema(client: FlaskClient) -> None:
    """A group per step, an item per question with its type, codes, condition and flags."""
    document = json.loads(client.get(QUESTIONNAIRE_PATH).data)
    assert [group["linkId"] for group in document["item"]] \
        == [f"part-{step.slug}" for step in SAATE.steps]
    found = by_link_id(document)
    for question in SAATE.questions():
        item = found[question.code]
        assert item["type"] == fhir.ITEM_TYPES[question.kind]
        assert item.get("required", False) == question.required
        assert item.get("repeats", False) == (question.kind == Kind.CHECKBOXES)
        if question.choices:
            assert [option["valueCoding"]["code"] for option in item["answerOption"]] \
                == [choice.code for choice in question.choices]
        if question.show_if:
            assert {c["question"] for c in item["enableWhen"]} == {question.show_if.question}
            assert {c["answerCoding"]["code"] for c in item["enableWhen"]} \
                == set(question.show_if.codes)
        else:
            assert "enableWhen" not in item
    municipalities = [option["valueCoding"]["code"]
                      for option in found["municipality"]["answerOption"]]
    assert FAKE_PERSON["municipality"] in municipalities and municipalities[-1] == "other"
    # Only the saate's questions, the steps' intros and the hints: nothing of its own.
    questions = {question.code for question in SAATE.questions()}
    assert {item["linkId"] for item in walk(document["item"]) if item["type"] != "group"
            and item["type"] != "display"} == questions


def test_texts_are_finnish_with_swedish_and_plain_finnish_translations(
        app: Flask, client: FlaskClient) -> None:
    document = json.loads(client.get(QUESTIONNAIRE_PATH).data)
    item = by_link_id(document)["municipality"]
    label = "Your municipality"
    assert item["text"] == translated(app, "fi", label)
    assert translations(item["_text"]) == {"sv": translated(app, "sv", label),
                                           "fi-x-selko": translated(app, "fi@selko", label)}
    yes = next(option["valueCoding"] for option in by_link_id(document)["interpreter"]
               ["answerOption"] if option["valueCoding"]["code"] == "yes")
    assert yes["display"] == translated(app, "fi", "Yes")
    assert translations(yes["_display"])["sv"] == translated(app, "sv", "Yes")
    # A municipality's name in Swedish where it has one.
    laukaa = next(option["valueCoding"] for option in item["answerOption"]
                  if option["valueCoding"]["code"] == "410")
    assert laukaa["display"] == "Laukaa"
    assert translations(laukaa["_display"]) == {"sv": "Laukas"}
    # A text the same in every language carries no translations.
    score = by_link_id(document)["work_ability_score"]["answerOption"][0]["valueCoding"]
    assert score["display"] == "0" and "_display" not in score


# --- The version ----------------------------------------------------------------------------


def changed(form: FormDescription, code: str, **changes: Any) -> FormDescription:
    """A copy of the form with one question changed."""
    return replace(form, steps=tuple(
        replace(step, questions=tuple(replace(question, **changes) if question.code == code
                                      else question for question in step.questions))
        for step in form.steps))


def with_extra_question(form: FormDescription) -> FormDescription:
    last = form.steps[-1]
    extra = Question("testi_kysymys", Kind.TEXT, _l("Testi"), max_length=10)
    return replace(form, steps=(*form.steps[:-1],
                                replace(last, questions=(*last.questions, extra))))


def test_the_version_changes_when_the_questions_do_and_only_then(app: Flask) -> None:
    publication = fhir.saate_publication()
    current = fhir.version(publication)
    assert len(current) == fhir.VERSION_LENGTH
    interpreter = SAATE.question("interpreter")
    changes = {
        "a type": changed(SAATE, "work_history", kind=Kind.TEXT),
        "a choice": changed(SAATE, "interpreter", choices=(
            *interpreter.choices, Choice("maybe", _l("Maybe")))),
        "a code": changed(SAATE, "interpreter", choices=(
            Choice("kylla", _l("Yes")), interpreter.choices[1])),
        "required": changed(SAATE, "best_time", required=True),
        "a condition": changed(SAATE, "interpreter_language", show_if=when("interpreter", "no")),
        "a length": changed(SAATE, "strengths", max_length=100),
        "a new question": with_extra_question(SAATE),
    }
    versions = {name: fhir.version(replace(publication, form=form))
                for name, form in changes.items()}
    assert current not in versions.values()
    assert len(set(versions.values())) == len(versions)
    # Words are not structure: a reworded question keeps the version.
    reworded = changed(SAATE, "interpreter", label=_l("Do you want an interpreter?"),
                       hint=_l("Testi"))
    assert fhir.version(replace(publication, form=reworded)) == current
    # The modified form is published the same way, with its own version.
    extra = fhir.questionnaire(replace(publication, form=with_extra_question(SAATE)))
    check_questionnaire(extra)
    assert extra["version"] == versions["a new question"]
    assert by_link_id(extra)["testi_kysymys"]["type"] == "string"


def test_every_field_kind_has_an_item_type() -> None:
    assert set(fhir.ITEM_TYPES) == set(Kind)
    assert set(fhir.ITEM_TYPES.values()) <= ITEM_TYPES


# --- A case as a QuestionnaireResponse ------------------------------------------------------


def test_a_saate_case_downloads_as_a_valid_response_to_the_questionnaire(
        app: Flask, client: FlaskClient, signed_in: FlaskClient) -> None:
    case = saate_case()
    response = signed_in.get(f"/staff/cases/{case.id}/fhir")
    assert response.status_code == 200
    assert response.mimetype == "application/fhir+json"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] \
        == f"attachment; filename=saate-{case.display_reference}.fhir.json"
    document = json.loads(response.data)
    questionnaire = json.loads(app.test_client().get(QUESTIONNAIRE_PATH).data)
    check_response(document, questionnaire)
    link_ids = {item["linkId"] for item in walk(document["item"])}
    assert link_ids <= set(by_link_id(questionnaire))
    assert document["identifier"]["value"] == case.display_reference
    assert document["language"] == "fi"
    # Every answer as stored: codes as codings, texts as strings, a year as a date.
    answers = {code: value for step in VALID_STEPS.values() for code, value in step.items()}
    answers["acute_distress"] = "no"
    given = response_answers(document)
    assert set(given) == set(answers)
    for code, value in answers.items():
        assert given[code] == (value if isinstance(value, list) else [value]), code


def test_a_follow_up_that_does_not_apply_and_empty_answers_are_left_out(
        signed_in: FlaskClient) -> None:
    case = saate_case()
    case.answers = {**case.answers, "interpreter": "no", "interpreter_language": "ruotsi",
                    "strengths": "", "hoped_help": []}
    db.session.commit()
    given = response_answers(json.loads(signed_in.get(f"/staff/cases/{case.id}/fhir").data))
    assert given["interpreter"] == ["no"]
    assert not {"interpreter_language", "strengths", "hoped_help"} & set(given)


def test_a_swedish_clients_response_is_in_swedish(app: Flask, signed_in: FlaskClient) -> None:
    case = saate_case(language="sv")
    document = json.loads(signed_in.get(f"/staff/cases/{case.id}/fhir").data)
    assert document["language"] == "sv"
    item = next(item for item in walk(document["item"]) if item["linkId"] == "municipality")
    assert item["text"] == translated(app, "sv", "Your municipality")
    assert item["answer"][0]["valueCoding"]["display"] == "Jyväskylä"


# --- Every download a disclosure the client sees -------------------------------------------


def test_each_download_is_a_disclosure_in_the_access_log(signed_in: FlaskClient,
                                                         worker: Any) -> None:
    case = saate_case()
    for _ in range(2):
        assert signed_in.get(f"/staff/cases/{case.id}/fhir").status_code == 200
    entries = disclosures(case.id)
    assert len(entries) == 2
    version = fhir.version(fhir.saate_publication())
    for entry in entries:
        assert entry.staff_id == worker.id
        assert entry.detail == f"FHIR QuestionnaireResponse; questionnaire version {version}"


@pytest.mark.parametrize(("language", "locale", "word"),
                         [("fi", "fi", "luovutus"), ("sv", "sv", "utlämnande"),
                          ("selko", "fi@selko", "luovutus")])
def test_the_client_sees_the_disclosure_on_the_status_page(
        app: Flask, client: FlaskClient, worker: Any, language: str, locale: str,
        word: str) -> None:
    case = saate_case(language=language)
    staff = app.test_client()
    sign_in(staff, worker)
    assert staff.get(f"/staff/cases/{case.id}/fhir").status_code == 200
    page = client.get(f"/{language}/status/{cases.status_token(case)}").text
    label = translated(app, locale, DISCLOSURE)
    assert word in label
    assert f"{worker.first_name}, {worker.title}: {label}" in page


def test_the_staff_access_log_names_the_disclosure(app: Flask, client: FlaskClient) -> None:
    admin = make_staff("testi.yllapitaja@example.test", role="admin")
    sign_in(client, admin)
    case = saate_case()
    assert client.get(f"/staff/cases/{case.id}/fhir").status_code == 200
    page = client.get(f"/staff/access-log?reference={case.reference}").text
    assert translated(app, "fi", DISCLOSURE) in page


# --- Who may download what ------------------------------------------------------------------


def test_the_case_page_offers_the_download_only_for_a_saate(app: Flask,
                                                            signed_in: FlaskClient) -> None:
    link = translated(app, "fi", "Download as FHIR (QuestionnaireResponse)")
    saate = saate_case()
    page = signed_in.get(f"/staff/cases/{saate.id}").text
    assert f'href="/staff/cases/{saate.id}/fhir" download' in page and link in page
    contact = new_case(key="2")
    page = signed_in.get(f"/staff/cases/{contact.id}").text
    assert "/fhir" not in page and link not in page


def test_a_contact_request_has_no_response_and_nothing_is_logged(
        signed_in: FlaskClient) -> None:
    contact = new_case(key="2")
    assert signed_in.get(f"/staff/cases/{contact.id}/fhir").status_code == 404
    assert disclosures(contact.id) == []


def test_another_teams_case_is_a_404_and_nothing_is_logged(signed_in: FlaskClient) -> None:
    other = saate_case(municipality="931", key="9")  # Viitasaari: the northern team's
    assert signed_in.get(f"/staff/cases/{other.id}/fhir").status_code == 404
    assert disclosures(other.id) == []
    assert signed_in.get(f"/staff/cases/{MAX_ID}/fhir").status_code == 404


def test_signed_out_is_sent_to_sign_in(client: FlaskClient) -> None:
    case = saate_case()
    response = client.get(f"/staff/cases/{case.id}/fhir")
    assert response.status_code == 302 and response.location == "/staff/sign-in"
    assert disclosures(case.id) == []
