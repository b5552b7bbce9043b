"""Each page runs a small, fixed number of SQL statements, whatever the data holds.

A page that queried once per row (a case's events, a step's questions, the queue's
cases) would grow with the data and fall over at a million cases: bench/ measures
time, these count statements, on SQLite and PostgreSQL alike. The budgets are today's
counts; a change that needs more says why here. Pages are counted warm (asked once
before), as a serving process is: the municipality list is kept per process
(app/people/teams.py municipality_choices).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.casework import cases
from app.saate.schema import SAATE
from tests.requests.test_staff import new_case
from tests.support.journey import CONTACT_REQUEST, VALID_STEPS, Journey
from tests.support.staff import make_staff, sign_in
from tests.support.statements import recorded_statements

pytestmark = pytest.mark.usefixtures("teams")

# Statements per page. A step's GET: the draft, and the team of the chosen municipality
# (is its intake paused?). A step's POST: the draft, the municipality codes the answers
# are kept within, the draft saved. The case view: the case with its team and handler,
# its events, consents and contact person, its follow-up (issue 13), the access log entry,
# and the team's routing destinations for the triage outcome form
# (app/casework/destinations.py). Sending also keeps the statistics' daily counts
# (app/reporting/rollup.py): the new case's team and day, its day's and month's counts
# deleted, the day counted again and the month summed again; on PostgreSQL the team's lock
# first.
PUBLIC_BUDGETS = {
    "landing": 0,
    "contact request": 0,
    "saate start": 1,
    "check answers": 2,
}
STEP_GET_BUDGET = 2
STEP_POST_BUDGET = 3
SEND_BUDGET = 15
CONTACT_SEND_BUDGET = 11
CASE_VIEW_BUDGET = 10
# The statistics page: the staff session and the lead's teams, then the period's daily
# counts added up (app/reporting/rollup.py), both durations' percentiles, and the comments;
# on PostgreSQL one more, the statistics' settings (no JIT, more memory for sorting).
# (The names of teams' own routing destinations take one more when any are counted.)
STATS_BUDGET = 7


def count(app: Flask, send: Callable[[], object]) -> int:
    with recorded_statements(app) as statements:
        send()
    return len(statements)


def warm_count(app: Flask, journey: Journey, path: str) -> int:
    assert journey.get(path).status_code == 200
    return count(app, lambda: journey.get(path))


def test_public_pages_stay_within_their_budgets(app: Flask, client: FlaskClient) -> None:
    journey = Journey(client)
    counted = {"landing": warm_count(app, journey, "/"),
               "contact request": warm_count(app, journey, "/contact")}
    journey.start()
    counted["saate start"] = warm_count(app, journey, "/saate/")
    for step in SAATE.steps:
        path = f"/saate/{step.slug}"
        assert warm_count(app, journey, path) <= STEP_GET_BUDGET, step.slug
        answers = VALID_STEPS[step.slug]
        post = partial(journey.post, path, answers, fresh_page=False)
        assert count(app, post) <= STEP_POST_BUDGET, step.slug
    counted["check answers"] = warm_count(app, journey, "/saate/check")
    for page, budget in PUBLIC_BUDGETS.items():
        assert counted[page] <= budget, f"{page}: {counted[page]} statements"
    assert count(app, lambda: journey.post("/saate/check", {}, fresh_page=False)) \
        <= SEND_BUDGET


def test_sending_a_contact_request_stays_within_its_budget(app: Flask,
                                                           client: FlaskClient) -> None:
    journey = Journey(client)
    journey.get("/contact")
    assert count(app, lambda: journey.post("/contact", CONTACT_REQUEST,
                                           fresh_page=False)) <= CONTACT_SEND_BUDGET


def test_the_case_view_does_not_grow_with_the_timeline(app: Flask, client: FlaskClient) -> None:
    worker = make_staff("testi.tyontekija@example.test")
    sign_in(client, worker)
    case = new_case(kind="saate")
    cases.claim(case, worker, case.version)
    path = f"/staff/cases/{case.id}"
    short = warm_count(app, client, path)
    for n in range(25):
        cases.add_note(case, worker, case.version, f"Muistiinpano {n} (keksitty)")
    assert warm_count(app, client, path) == short <= CASE_VIEW_BUDGET


def test_the_statistics_page_does_not_grow_with_the_cases(app: Flask, client: FlaskClient) -> None:
    from app import demo_bulk
    from tests.support import stats_dataset

    lead = make_staff("testi.esihenkilo@example.test", role="lead", name="Testi Esihenkilö")
    worker = make_staff("testi.tyontekija@example.test")
    dataset = stats_dataset.build(worker)
    sign_in(client, lead)
    path = (f"/staff/stats?from={dataset.period.first}&to={dataset.period.last}")
    small = warm_count(app, client, path)
    demo_bulk.seed_cases(300)
    assert warm_count(app, client, path) == small <= STATS_BUDGET
    assert warm_count(app, client, "/staff/stats") == small  # the last twelve months
