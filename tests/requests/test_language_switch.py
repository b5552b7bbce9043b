"""The language switch never loses typed text (issue 10, point 11).

On pages with a form to fill in (the saate's parts, the contact request) the switch is
a set of submit buttons of the page's form: switching saves the draft without judging
it and reopens the same part in the language chosen; the contact page comes back in the
new language with everything typed, and nothing is sent. Elsewhere the switch is links.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from markupsafe import escape
from sqlalchemy import func, select

from app.extensions import db
from app.models import Case, Draft
from app.saate.schema import SAATE
from tests.support.i18n import translated
from tests.support.journey import CONTACT_REQUEST, VALID_STEPS, Journey
from tests.support.pages import error_summary

pytestmark = pytest.mark.usefixtures("teams")

SWITCHES = [("fi", "sv"), ("sv", "selko"), ("selko", "fi")]
HTML_LANG = {"fi": "fi", "sv": "sv", "selko": "fi"}
TYPED = "Kirjoitettu ennen kielen vaihtoa (keksitty)"


def switch_buttons(html: str) -> dict[str, str]:
    """{language segment: the form the button belongs to} in the header's switch."""
    switch = html[html.find('class="language-switch"') : html.find("</nav>")]
    return {segment: form for form, segment in re.findall(
        r'<button type="submit" form="([^"]+)" name="action" value="language:([^"]+)"', switch)}


def saved_draft() -> Draft:
    db.session.expire_all()
    return db.session.scalars(select(Draft)).one()


@pytest.mark.parametrize(("lang", "other"), SWITCHES)
def test_a_saate_part_switches_language_keeping_what_was_typed(app: Flask, lang: str,
                                                              other: str) -> None:
    journey = Journey(app.test_client(), lang)
    journey.start()
    html = journey.get("/saate/education-and-work").text
    assert switch_buttons(html) == {"fi": "step-form", "sv": "step-form", "selko": "step-form"}
    response = journey.step("education-and-work", {"work_history": TYPED,
                                                   "last_worked_year": "19x",
                                                   "action": f"language:{other}"})
    # Saved as typed, not judged: the same part again, in the other language.
    assert response.status_code == 303
    assert response.location == f"/{other}/saate/education-and-work"
    assert saved_draft().answers["work_history"] == TYPED
    assert saved_draft().language == other
    page = Journey(journey.client, other).get("/saate/education-and-work").text
    assert f'<html lang="{HTML_LANG[other]}">' in page
    assert str(escape(TYPED)) in page
    assert 'value="19x"' in page
    assert not error_summary(page) and "error-summary" not in page
    expected_title = translated(app, {"fi": "fi", "sv": "sv", "selko": "fi@selko"}[other],
                                "Education and work")
    assert f"<h1>{escape(expected_title)}</h1>" in page


def test_switching_from_a_part_opened_from_check_answers_keeps_the_way_back(app: Flask) -> None:
    journey = Journey(app.test_client())
    journey.fill_all()
    journey.get("/saate/hopes?from=check")
    response = journey.post("/saate/hopes?from=check",
                            {**VALID_STEPS["hopes"], "six_months": TYPED,
                             "action": "language:sv"}, fresh_page=False)
    assert response.location == "/sv/saate/hopes?from=check"
    assert saved_draft().answers["six_months"] == TYPED


def test_a_switch_never_marks_the_part_done(app: Flask) -> None:
    journey = Journey(app.test_client())
    journey.start()
    journey.step("contact-details", {**VALID_STEPS["contact-details"], "action": "language:sv"})
    assert saved_draft().done_steps == []
    assert saved_draft().answers["name"] == "Testi Asiakas"


def test_text_cut_to_its_limit_is_said_before_switching(app: Flask) -> None:
    journey = Journey(app.test_client())
    journey.start()
    limit = SAATE.question("six_months").max_length
    response = journey.step("hopes", {"six_months": "a" * (limit + 10),  # type: ignore[operator]
                                      "action": "language:sv"})
    assert response.status_code == 200  # the note first, in the page's language
    assert '<html lang="fi">' in response.text
    assert "a" * (limit + 10) in response.text  # type: ignore[operator]


def test_an_unknown_language_reopens_the_part_in_its_own(app: Flask) -> None:
    journey = Journey(app.test_client(), "sv")
    journey.start()
    response = journey.step("situation", {"action": "language:xx"})
    assert response.location == "/sv/saate/situation"


def test_enter_in_a_field_still_continues(app: Flask) -> None:
    """Enter presses the form's first submit button in the page: a hidden one before the
    switch's buttons, which sends no action; a part takes that as "Save and continue"."""
    journey = Journey(app.test_client())
    journey.start()
    html = journey.get("/saate/contact-details").text
    buttons = re.findall(r'<button[^>]*form="step-form"[^>]*>', html)
    assert "hidden" in buttons[0] and "value=" not in buttons[0]
    assert 'value="language:' in buttons[1]
    assert journey.step("contact-details").location == "/fi/saate/right-now"  # no action


@pytest.mark.parametrize(("lang", "other"), SWITCHES)
def test_the_contact_page_comes_back_in_the_other_language_with_everything_typed(
        app: Flask, lang: str, other: str) -> None:
    journey = Journey(app.test_client(), lang)
    html = journey.get("/contact").text
    assert set(switch_buttons(html).values()) == {"contact-form"}
    key = re.search(r'name="submission_key" value="([0-9a-f]{32})"', html).group(1)  # type: ignore[union-attr]
    typed = {**CONTACT_REQUEST, "email": "ei-osoite", "about": TYPED,
             "submission_key": key, "action": f"language:{other}"}
    response = journey.post("/contact", typed, fresh_page=False)
    assert response.status_code == 200
    page = response.text
    assert f'<html lang="{HTML_LANG[other]}">' in page
    assert f'action="/{other}/contact"' in page
    assert f'value="{key}"' in page
    for value in ("Testi Asiakas", "040 000 1234", "ei-osoite"):
        assert f'value="{value}"' in page
    assert str(escape(TYPED)) in page
    assert 'value="179" selected' in page
    assert "error-summary" not in page  # not judged
    assert db.session.scalar(select(func.count(Case.id))) == 0  # nothing sent
    assert f"saate_lang={other}" in response.headers.get("Set-Cookie", "")
    # Sending from the switched page works, in the new language.
    switched = Journey(journey.client, other)
    switched.page = page
    sent = switched.post("/contact", {**CONTACT_REQUEST, "submission_key": key},
                         fresh_page=False)
    assert sent.location == f"/{other}/contact/sent"


@pytest.mark.parametrize("path", ["/", "/saate/", "/resume", "/privacy", "/saate/check"])
def test_pages_without_typed_answers_keep_links(app: Flask, path: str) -> None:
    journey = Journey(app.test_client())
    journey.fill_all()
    html = journey.get(path).text
    assert not switch_buttons(html)
    assert f'<a href="/sv{path}" lang="sv">Svenska</a>' in html
