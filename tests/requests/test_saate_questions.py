"""The saate's questions as the schema describes them (issue 10, points 3–8 and 14).

The health part's 0–10 scale; follow-up questions shown only when they apply and dropped
when they no longer do (draft, check page, sent case: on both databases); "(optional)"
marks against the validation rules, walking the schema; consent without tick boxes;
what helps the call, first in the case view; the check page's rows and change links; parts
counted the same everywhere.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.casework import cases
from app.extensions import db
from app.models import Case, CaseConsent, Draft
from app.saate.schema import (
    CONTACT_REQUEST,
    FORMS,
    NONE,
    SAATE,
    AtLeastOne,
    Kind,
    Question,
    Step,
)
from tests.support.i18n import translated
from tests.support.journey import CONTACT_REQUEST as CONTACT_ANSWERS
from tests.support.journey import VALID_STEPS, Journey
from tests.support.pages import error_summary
from tests.support.staff import sign_in

pytestmark = pytest.mark.usefixtures("teams")

LANGUAGES = [("fi", "fi"), ("sv", "sv"), ("selko", "fi@selko")]
GROUP_KINDS = (Kind.RADIO, Kind.CHECKBOXES, Kind.SCALE)


def msgid(text: object) -> str:
    """The English text of a lazy message (a LazyString keeps its gettext arguments)."""
    return str(text._args[-1])  # type: ignore[attr-defined]


def saved_answers() -> dict:
    db.session.expire_all()
    return db.session.scalars(select(Draft)).one().answers


def all_valid_answers() -> dict:
    return {code: value for step in VALID_STEPS.values() for code, value in step.items()}


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def label_of(html: str, question: Question) -> str:
    """The text of a question's label, or of its group's legend, as the page shows it."""
    if question.kind in GROUP_KINDS:
        first_input = html.index(f'id="{question.code}-0"')
        start = html.rindex("<legend>", 0, first_input)
        return text_of(html[start: html.index("</legend>", start)])
    found = re.search(rf'<label for="{question.code}">(.*?)</label>', html, re.S)
    assert found, question.code
    return text_of(found.group(1))


def step_pages(form_kind: str) -> list[tuple[Step, str]]:
    """(step, the path of its page) for each step of a form."""
    if form_kind == "contact_request":
        return [(CONTACT_REQUEST.steps[0], "/contact")]
    return [(step, f"/saate/{step.slug}") for step in SAATE.steps]


# --- Point 5: required and optional told truthfully --------------------------------------------


def test_no_label_carries_its_own_optional_mark() -> None:
    """The mark comes from the page (Step.is_optional), so it cannot disagree with validation."""
    for form in FORMS.values():
        for question in form.questions():
            assert "optional" not in str(question.label).lower(), question.code


@pytest.mark.parametrize("form_kind", list(FORMS))
@pytest.mark.parametrize(("lang", "locale"), LANGUAGES)
def test_optional_marks_match_the_validation_rules(client: FlaskClient, app: Flask,
                                                  form_kind: str, lang: str,
                                                  locale: str) -> None:
    """Walk every question of both forms in every language: the label says "(optional)"
    exactly when the question may be left empty, and leaving every question empty is
    refused exactly at the required ones (and once per "phone or e-mail" rule)."""
    mark = translated(app, locale, "(optional)")
    journey = Journey(client, lang)
    journey.start()
    for step, path in step_pages(form_kind):
        html = journey.get(path).text
        for question in step.questions:
            label = label_of(html, question)
            assert label.endswith(mark) == step.is_optional(question), (question.code, label)
        for rule in step.rules:
            if isinstance(rule, AtLeastOne):
                # "Phone or e-mail": neither is optional alone; each says so in its hint.
                for code in rule.questions:
                    assert step.question(code).hint, code
        blank = {question.code: "" for question in step.questions}
        response = journey.post(path, blank)
        expected = [question for question in step.questions if question.required]
        expected += [step.question(rule.question) for rule in step.rules
                     if isinstance(rule, AtLeastOne)]
        if not expected:
            assert response.status_code == 302, step.slug
            continue
        assert response.status_code == 200, step.slug
        refused = {code for code in re.findall(r'id="([a-z_]+)-error"', response.text)}
        assert refused == {question.code for question in expected}, step.slug


def test_phone_or_email_is_enough(client: FlaskClient) -> None:
    journey = Journey(client)
    journey.start()
    for given in ({"phone": "", "email": "testi@example.test"}, {"phone": "040 000 1234",
                                                                 "email": ""}):
        data = {**VALID_STEPS["contact-details"], **given}
        assert journey.step("contact-details", data).status_code == 302, given


# --- Point 3: a lighter health part; the 0–10 scale ----------------------------------------------


def test_health_part_asks_the_standard_score_and_pending_kela_applications() -> None:
    codes = [question.code for question in SAATE.step("health").questions]
    assert not [code for code in codes if code.startswith("rating_")]
    assert "on_sick_leave" not in {question.code for question in SAATE.questions()}
    assert [q.code for q in SAATE.questions() if q.kind == Kind.SCALE] == ["work_ability_score"]
    kela = SAATE.question("kela_pending")
    assert kela.kind == Kind.CHECKBOXES and not kela.required
    assert [c.code for c in kela.choices] == ["rehabilitation", "sickness_allowance", "other",
                                              NONE]


def test_the_score_speaks_the_standard_finnish(app: Flask) -> None:
    question = SAATE.question("work_ability_score")
    assert translated(app, "fi", msgid(question.label)) == (
        "Oletetaan, että työkykysi on parhaimmillaan saanut 10 pistettä. "
        "Minkä pistemäärän antaisit nykyiselle työkyvyllesi?")


@pytest.mark.parametrize(("lang", "locale"), LANGUAGES)
def test_the_scale_is_one_radio_group_with_its_ends_above_the_options(
        client: FlaskClient, app: Flask, lang: str, locale: str) -> None:
    journey = Journey(client, lang)
    journey.start()
    html = journey.get("/saate/health").text
    start = html.index('aria-describedby="work_ability_score-ends"')
    fieldset = html[html.rindex("<fieldset", 0, start): html.index("</fieldset>", start)]
    radios = re.findall(r'<input type="radio" id="work_ability_score-(\d+)" '
                        r'name="work_ability_score" value="(\d+)"', fieldset)
    assert radios == [(str(n), str(n)) for n in range(11)]
    assert fieldset.count("<legend>") == 1
    ends = fieldset.index('id="work_ability_score-ends"')
    assert ends < fieldset.index('id="work_ability_score-0"')
    question = SAATE.question("work_ability_score")
    low, high = (translated(app, locale, msgid(end)) for end in question.scale_ends)
    ends_html = fieldset[fieldset.index(">", ends) + 1: fieldset.index("</p>", ends)]
    assert text_of(ends_html) == f"{low} {high}"
    assert 'class="choices scale-options"' in fieldset


def test_the_low_score_flag_still_reads_the_score() -> None:
    answers = {**all_valid_answers(), "work_ability_score": "3"}
    assert "low_work_ability" in SAATE.flags_for(answers)
    assert "low_work_ability" not in SAATE.flags_for({**answers, "work_ability_score": "4"})
    assert "low_work_ability" not in SAATE.flags_for({})


# --- Point 4: follow-up questions only when they apply -------------------------------------------

FOLLOW_UPS = [(step, q) for step in SAATE.steps for q in step.questions if q.show_if]
NOTES = [(step, q) for step in SAATE.steps for q in step.questions if q.note]


def test_every_follow_up_follows_a_group_on_its_own_page() -> None:
    """The CSS reads the lead's checked choices: the lead is a radio or checkbox group on the
    same page, and all its follow-ups open on the same choices."""
    assert {q.code for _, q in FOLLOW_UPS} >= {"not_working_for", "interpreter_language",
                                                "affecting_other", "named_worker_who",
                                                "share_health_with"}
    assert [q.code for _, q in NOTES] == ["occupational_health"]
    for step, question in FOLLOW_UPS:
        lead = step.question(question.show_if.question)  # type: ignore[union-attr]
        assert lead.kind in GROUP_KINDS, question.code
        assert question.show_if.codes == step.opening_codes(lead.code), question.code  # type: ignore[union-attr]
        assert not question.required, question.code
    for step, question in NOTES:
        assert question.note.shown_if.codes == step.opening_codes(question.code)  # type: ignore[union-attr]


@pytest.mark.parametrize(("lang", "locale"), LANGUAGES)
def test_a_follow_up_says_when_it_applies(app: Flask, lang: str, locale: str) -> None:
    """Without CSS every follow-up shows: its label starts "If you answered …" (or "If you
    chose …") in every language."""
    opening = {"fi": "Jos ", "sv": "Om ", "fi@selko": "Jos "}[locale]
    for _, question in FOLLOW_UPS:
        assert msgid(question.label).startswith("If you "), question.code
        assert translated(app, locale, msgid(question.label)).startswith(opening)
    note = "If you answered yes: your occupational health care is usually the first place to " \
           "support your work ability."
    assert translated(app, locale, note).startswith(opening)


@pytest.mark.parametrize(("lang", "locale"), LANGUAGES)
def test_follow_ups_come_right_after_their_lead_which_marks_the_opening_choices(
        client: FlaskClient, lang: str, locale: str) -> None:
    journey = Journey(client, lang)
    journey.start()
    for step in SAATE.steps:
        html = journey.get(f"/saate/{step.slug}").text
        for lead in step.leads():
            opening = step.opening_codes(lead.code)
            marked = set(re.findall(rf'name="{lead.code}" value="([^"]+)" class="opens"', html))
            assert marked == set(opening), lead.code
            follow_ups = step.follow_ups(lead.code)
            if not follow_ups and not lead.note:
                continue
            wrapper = html.rindex('<div class="with-follow-ups">', 0,
                                  html.index(f'id="{lead.anchor}"'))
            for question in follow_ups:
                at = html.index(f'id="{question.anchor}"')
                assert wrapper < at, question.code
                assert html.rindex('class="field follow-up', 0, at) > wrapper, question.code


def test_a_follow_up_is_validated_only_when_it_applies(client: FlaskClient) -> None:
    """The real dependency is checked on the server: a follow-up that does not apply is not
    judged (nor kept); one that applies is."""
    journey = Journey(client)
    journey.start()
    too_long = "x" * 61
    data = {**VALID_STEPS["contact-details"], "interpreter": "no",
            "interpreter_language": too_long}
    assert journey.step("contact-details", data).status_code == 302
    assert "interpreter_language" not in saved_answers()
    response = journey.step("contact-details", {**data, "interpreter": "yes"})
    assert response.status_code == 200
    assert 'id="interpreter_language-error"' in response.text
    data = {**VALID_STEPS["consent"], "share_with": [NONE],
            "share_health_with": ["kela", "social_services"]}
    assert journey.step("consent", data).status_code == 302
    assert saved_answers()["share_with"] == [NONE]
    assert "share_health_with" not in saved_answers()


LEADS_CHANGED = {
    "contact-details": ({"interpreter": "yes", "interpreter_language": "arabia",
                         "named_worker": "yes", "named_worker_who": "Testi Ohjaaja"},
                        {"interpreter": "no", "named_worker": "no"}),
    "situation": ({"situation": "unemployed", "not_working_for": "over_2_years"},
                  {"situation": "working"}),
    "health": ({"affecting": ["mood", "other"], "affecting_other": "Uniongelmat"},
               {"affecting": ["mood"]}),
    "consent": ({"share_with": ["kela"], "share_health_with": ["kela"]},
                {"share_with": [NONE]}),
}
DROPPED = ["interpreter_language", "named_worker_who", "not_working_for", "affecting_other",
           "share_health_with"]


def test_answers_to_questions_that_no_longer_apply_are_dropped_everywhere(
        client: FlaskClient) -> None:
    """On SQLite and PostgreSQL: from the draft when the part is saved again, from the check
    page, and from the sent case (its consents too)."""
    journey = Journey(client)
    journey.fill_all()
    for slug, (opened, _) in LEADS_CHANGED.items():
        assert journey.step(slug, {**VALID_STEPS[slug], **opened}).status_code == 302
    assert set(DROPPED) <= set(saved_answers())
    for slug, (opened, closed) in LEADS_CHANGED.items():
        # The browser still sends the hidden follow-up's old answer: it is not kept.
        assert journey.step(slug, {**VALID_STEPS[slug], **opened, **closed}).status_code == 302
    kept = saved_answers()
    assert not set(DROPPED) & set(kept)
    html = journey.get("/saate/check").text
    for code in DROPPED:
        assert f'id="answer-{code}"' not in html, code
    assert "Uniongelmat" not in html and "Testi Ohjaaja" not in html
    assert journey.send().location == "/fi/saate/sent"
    case = db.session.scalars(select(Case)).one()
    assert not set(DROPPED) & set(case.answers)
    assert case.answers["share_with"] == [NONE]
    consents = db.session.scalars(select(CaseConsent).where(CaseConsent.case_id == case.id))
    assert not [c for c in consents if c.share or c.share_health]


def test_a_follow_up_saved_with_its_lead_missing_is_not_kept(client: FlaskClient) -> None:
    journey = Journey(client)
    journey.start()
    journey.step("situation", {"not_working_for": "over_2_years"})
    assert "not_working_for" not in saved_answers()


# --- Point 6: consent that does not stop people -----------------------------------------------


@pytest.mark.parametrize(("lang", "locale"), LANGUAGES)
def test_no_tick_box_but_a_link_to_the_privacy_notice_near_send(
        client: FlaskClient, lang: str, locale: str) -> None:
    journey = Journey(client, lang)
    for path in ("/contact", "/saate/check"):
        if path == "/saate/check":
            journey.fill_all()
        html = journey.get(path).text
        assert "privacy_consent" not in html and "consent_contact" not in html
        sentence = html.index('class="privacy-sentence"')
        assert f'href="/{lang}/privacy"' in html[sentence: html.index("</p>", sentence)]
        assert sentence < html.index('<button type="submit"', sentence)
    assert journey.client.get(f"/{lang}/privacy").status_code == 200


def test_a_contact_request_needs_no_consent_box(client: FlaskClient) -> None:
    response = Journey(client).post("/contact", CONTACT_ANSWERS)
    assert response.location == "/fi/contact/sent"


# --- The staff side: contact preferences first, the named worker, the consent table -----------



def saate_case(key: str, **changes: object) -> Case:
    answers = {**all_valid_answers(), **changes}
    answers = {code: value for code, value in answers.items() if value is not None}
    return cases.create_case(SAATE, "fi", answers, key.rjust(32, "0"))


def test_the_case_view_starts_with_how_to_contact_the_client(
        client: FlaskClient, app: Flask, worker) -> None:  # type: ignore[no-untyped-def]
    case = saate_case("1", interpreter="yes", interpreter_language="arabia")
    sign_in(client, worker)
    html = client.get(f"/staff/cases/{case.id}").text
    block = html.index('class="call-card"')  # issue 11: the call card comes first
    assert block < html.index('class="case-facts case-summary"')
    assert block < html.index('id="answers-title"')
    preferences = text_of(html[block: html.index("</section>", block)])
    phone, text, voicemail = (translated(app, "fi", label)
                              for label in ("Phone call", "Text message", "Voicemail message"))
    assert f"{translated(app, 'fi', 'We may contact them by')} {phone}, {text}" in preferences
    assert f"{translated(app, 'fi', 'Not by')} {voicemail}" in preferences
    assert translated(app, "fi", "Morning", context="time of day") in preferences
    assert "arabia" in preferences


def test_contact_preferences_not_given_say_so(client: FlaskClient, app: Flask,
                                              worker) -> None:  # type: ignore[no-untyped-def]
    case = saate_case("1", contact_ways=None, best_time=None)
    contact = cases.create_case(CONTACT_REQUEST, "fi", dict(CONTACT_ANSWERS), "2".rjust(32, "0"))
    sign_in(client, worker)
    html = client.get(f"/staff/cases/{case.id}").text
    start = html.index('class="call-card"')
    block = html[start: html.index("</section>", start)]
    not_answered = translated(app, "fi", "Not answered")
    assert f"{translated(app, 'fi', 'Ways of contact')} {not_answered}" in text_of(block)
    assert f"{translated(app, 'fi', 'Best time to call')} {not_answered}" in text_of(block)
    html = client.get(f"/staff/cases/{contact.id}").text
    assert 'class="call-card"' in html


def test_the_named_worker_is_beside_the_contact_person(client: FlaskClient, app: Flask,
                                                       worker) -> None:  # type: ignore[no-untyped-def]
    case = saate_case("1")
    sign_in(client, worker)
    html = client.get(f"/staff/cases/{case.id}").text
    form = html.index(f'action="/staff/cases/{case.id}/contact-person"')
    details = html.rindex("<details", 0, form)
    assert "Testi Ohjaaja, sosiaaliohjaaja" in html[details:form]
    assert translated(app, "fi", "Client's own worker elsewhere") in html


def consent_table(html: str) -> list[tuple[str, str, str]]:
    start = html.index('id="consent-title"')
    body = html[html.index("<tbody>", start): html.index("</tbody>", start)]
    return [tuple(text_of(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row))
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]  # type: ignore[misc]


def test_the_consent_table_tells_no_sharing_from_not_answered(
        client: FlaskClient, app: Flask, worker) -> None:  # type: ignore[no-untyped-def]
    none = saate_case("1", share_with=[NONE], share_health_with=None)
    unanswered = saate_case("2", share_with=None, share_health_with=None)
    shared = saate_case("3", share_with=["kela", "social_services"],
                        share_health_with=["kela"])
    sign_in(client, worker)
    yes, no, not_answered = (translated(app, "fi", text) for text in
                             ("Yes", "No", "Not answered"))
    no_sharing = translated(app, "fi", "No sharing: the client chose “None of these”.")

    html = client.get(f"/staff/cases/{none.id}").text
    assert no_sharing in unescape(html)
    assert {(share, health) for _, share, health in consent_table(html)} == {(no, no)}

    html = client.get(f"/staff/cases/{unanswered.id}").text
    assert no_sharing not in unescape(html)
    assert {(share, health) for _, share, health in consent_table(html)} == {
        (not_answered, not_answered)}

    rows = {actor: (share, health) for actor, share, health in
            consent_table(client.get(f"/staff/cases/{shared.id}").text)}
    assert rows[translated(app, "fi", "Kela")] == (yes, yes)
    assert rows[translated(app, "fi", "Social services")] == (yes, no)
    assert rows[translated(app, "fi", "Health services")] == (no, no)


def test_old_cases_with_old_answers_still_display(client: FlaskClient, worker) -> None:  # type: ignore[no-untyped-def]
    """Cases sent before issue 10 hold codes the form no longer asks: they must not break."""
    saate = saate_case("1", share_health_with=None)
    saate.answers = {**saate.answers, "privacy_consent": True, "rating_mental": 5,
                     "rating_coping": "3", "on_sick_leave": "no", "contact_ways": "calls"}
    contact = cases.create_case(CONTACT_REQUEST, "fi", dict(CONTACT_ANSWERS), "2".rjust(32, "0"))
    contact.answers = {**contact.answers, "consent_contact": True}
    db.session.commit()
    sign_in(client, worker)
    for case in (saate, contact):
        for path in (f"/staff/cases/{case.id}", f"/staff/cases/{case.id}/print"):
            response = client.get(path)
            assert response.status_code == 200, path
            assert "Testi Asiakas" in response.text


# --- Point 8: check answers that is quick to check -----------------------------------------------


def check_rows(html: str) -> dict[str, str]:
    """{question code: the row's HTML} of the check page."""
    return {code: row for code, row in re.findall(
        r'<div class="summary-row[^"]*" id="answer-([a-z_0-9]+)">(.*?)</div>', html, re.S)}


@pytest.mark.parametrize(("lang", "locale"), LANGUAGES)
def test_the_check_page_has_a_row_and_a_change_link_per_answer(
        client: FlaskClient, app: Flask, lang: str, locale: str) -> None:
    journey = Journey(client, lang)
    journey.fill_all()
    html = journey.get("/saate/check").text
    titles = re.findall(r'<h2 id="check-([a-z-]+)">(.*?)</h2>', html)
    assert [slug for slug, _ in titles] == [step.slug for step in SAATE.steps]
    with app.test_request_context("/"):
        from flask_babel import force_locale
        with force_locale(locale):
            assert [unescape(title) for _, title in titles] == [str(s.title) for s in SAATE.steps]
            labels = {q.code: str(q.label) for q in SAATE.questions()}
    rows = check_rows(html)
    given = all_valid_answers()
    answered = [question.code for question in SAATE.questions() if question.code in given]
    assert list(rows) == answered  # every answer, in page order; nothing left empty is listed
    change = translated(app, locale, "Change")
    for slug, answers in VALID_STEPS.items():
        for code in answers:
            question = SAATE.question(code)
            link = re.search(r'<a href="([^"]+)">(.*?)</a>', rows[code], re.S)
            assert link, code
            assert unescape(link.group(1)) == (
                f"/{lang}/saate/{slug}?from=check&row={code}#{question.anchor}")
            assert text_of(link.group(2)) == f"{change} {text_of(labels[code])}"
            assert '<span class="visually-hidden">' in link.group(2)


def test_a_change_link_returns_to_its_row_after_saving(client: FlaskClient) -> None:
    journey = Journey(client)
    journey.fill_all()
    html = journey.get("/saate/check").text
    link = re.search(r'<div class="summary-row[^"]*" id="answer-not_working_for">.*?'
                     r'<a href="([^"]+)"', html, re.S)
    assert link
    path, anchor = unescape(link.group(1)).split("#")
    page = journey.get(path.removeprefix("/fi")).text
    assert f'id="{anchor}"' in page
    assert 'action="/fi/saate/situation?from=check&amp;row=not_working_for"' in page
    assert 'class="back-link" href="/fi/saate/check#answer-not_working_for"' in page
    response = journey.post(path.removeprefix("/fi"),
                            {**VALID_STEPS["situation"], "not_working_for": "over_2_years"},
                            fresh_page=False)
    assert response.location == "/fi/saate/check#answer-not_working_for"
    assert saved_answers()["not_working_for"] == "over_2_years"
    # Changed so that the row is gone: back to the part's heading instead.
    response = journey.post(path.removeprefix("/fi"),
                            {**VALID_STEPS["situation"], "situation": "working"})
    assert response.location == "/fi/saate/check#check-situation"
    # A row that is not a question of this part is ignored.
    response = journey.post("/saate/situation?from=check&row=name", VALID_STEPS["situation"])
    assert response.location == "/fi/saate/check#check-situation"


def test_missing_required_answers_are_listed_as_problems_with_links(client: FlaskClient,
                                                                    app: Flask) -> None:
    journey = Journey(client)
    journey.fill_all()
    journey.step("contact-details", {**VALID_STEPS["contact-details"], "name": ""})
    html = journey.get("/saate/check").text
    rows = check_rows(html)
    assert 'class="summary-row summary-problem"' in html
    assert translated(app, "fi", "Tell us what we should call you") in rows["name"]
    assert 'href="/fi/saate/contact-details?from=check&amp;row=name#name"' in rows["name"]
    assert translated(app, "fi", "Answer") in rows["name"]
    response = journey.send()
    assert response.status_code == 200
    assert error_summary(response.text) == [
        f"{translated(app, 'fi', 'Contact details')}: "
        f"{translated(app, 'fi', 'Tell us what we should call you')}"]
    assert 'href="/fi/saate/contact-details?from=check&amp;row=name#name"' in response.text


def test_a_part_left_empty_offers_a_link_to_it(client: FlaskClient) -> None:
    journey = Journey(client)
    journey.start()
    journey.step("contact-details")
    html = journey.get("/saate/check").text
    assert 'class="summary-part-link" href="/fi/saate/hopes?from=check"' in html


# --- Point 14: parts counted the same everywhere --------------------------------------------------


@pytest.mark.parametrize(("lang", "locale"), LANGUAGES)
def test_parts_are_counted_the_same_as_the_list_of_parts(client: FlaskClient, app: Flask,
                                                         lang: str, locale: str) -> None:
    journey = Journey(client, lang)
    start = journey.get("/saate/").text
    listed = start[start.index('<ol class="parts">'):]
    parts = re.findall(r"<li>(.*?)</li>", listed[: listed.index("</ol>")])
    journey.start()
    for number, step in enumerate(SAATE.steps, start=1):
        html = journey.get(f"/saate/{step.slug}").text
        progress = translated(app, locale, "Part %(number)d of %(total)d", number=number,
                              total=len(parts))
        assert f'<p class="progress">{progress}</p>' in html
        heading = re.search(r"<h1>(.*?)</h1>", html, re.S)
        assert heading and unescape(heading.group(1)) == unescape(parts[number - 1])
