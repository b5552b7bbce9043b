"""The statistics' daily counts kept as cases change are the counts a rebuild makes
(app/reporting/rollup.py), through the whole case workflow, on both databases."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import delete, select, update

from app import migrate
from app.casework import cases, retention
from app.casework.cases import Closing, FollowUpAnswers
from app.extensions import db
from app.intake import feedback
from app.intake.feedback import Moment
from app.models import Case, StatsCount, StatsRollup
from app.reporting import rollup, statistics
from app.reporting.rollup import Dimension, Population
from app.reporting.statistics import Period
from tests.support import stats_dataset
from tests.support.staff import make_staff
from tests.support.statements import recorded_statements

pytestmark = pytest.mark.usefixtures("teams")
# The commands below open their own connection: on SQLite, which the tests do not wrap in a
# transaction rolled back at the end.
ONLY_SQLITE = pytest.mark.parametrize("app", ["sqlite"], indirect=True)

Row = tuple[int, str, date, str, str, str, int]


def kept() -> list[Row]:
    return [tuple(row) for row in db.session.execute(  # type: ignore[misc]
        select(StatsCount.team_id, StatsCount.span, StatsCount.day, StatsCount.population,
               StatsCount.dimension, StatsCount.code, StatsCount.n)
        .order_by(StatsCount.team_id, StatsCount.span, StatsCount.day,
                  StatsCount.population, StatsCount.dimension, StatsCount.code))]


def assert_kept_as_recounted() -> None:
    """What the workflow kept equals what counting every case again gives."""
    before = kept()
    rollup.rebuild(db.session.connection())
    db.session.commit()
    assert kept() == before
    assert before  # something was counted


def closed_on(keys: set[rollup.Key]) -> dict[str, int]:
    """Close reasons counted on the days of `keys`."""
    return {row[5]: row[6] for row in kept() if (row[0], row[2]) in keys and row[1] == "day"
            and row[3] == Population.CLOSED and row[4] == Dimension.CLOSE_REASON}


def test_the_workflow_keeps_what_a_rebuild_counts(app: Flask) -> None:
    worker = make_staff("testi.tyontekija@example.test")
    lead = make_staff("testi.esihenkilo@example.test", role="lead", name="Testi Esihenkilö")
    dataset = stats_dataset.build(worker)  # made through the services, moments moved after
    assert_kept_as_recounted()

    # Reopened: off the day it was closed, its follow-up and outcome gone.
    closed = dataset.cases["adv"]
    closing_day = rollup.keys_of(db.session.connection(), [closed.id])[Population.CLOSED]
    reasons = closed_on(closing_day)
    cases.reopen(closed, lead, closed.version, "in_progress")
    assert not rollup.keys_of(db.session.connection(), [closed.id])[Population.CLOSED]
    assert sum(closed_on(closing_day).values()) == sum(reasons.values()) - 1
    assert_kept_as_recounted()

    # Closed again today, with a follow-up answered from a call and feedback at the end.
    cases.close(closed, lead, closed.version, "routed", no_contact_person_needed=True,
                closing=Closing(("paid_work", "studies"), saw_doctor=False,
                                follow_up_on=cases.local_today() + timedelta(days=30)))
    cases.answer_follow_up(closed, FollowUpAnswers(got_help="partly", work_ability_score=7,
                                                   doing_now=("studies",),
                                                   would_recommend=True), recorded_by=lead)
    feedback.record(closed, "fi", 4, "", moment=Moment.END_OF_SERVICE, would_recommend=True)
    assert_kept_as_recounted()

    # A new case, claimed, contacted, routed; retention anonymising the old ones.
    new = stats_dataset.new_saate()
    cases.claim(new, worker, new.version)
    cases.log_contact_attempt(new, worker, new.version, "phone", True, "")
    cases.record_outcomes(new, worker, new.version, ["kela"], "",
                          no_contact_person_needed=True)
    for case in dataset.cases.values():
        retention.anonymise(case)
    db.session.commit()
    assert_kept_as_recounted()


def test_a_change_nothing_counts_leaves_the_counts_alone(app: Flask) -> None:
    worker = make_staff("testi.tyontekija@example.test")
    case = stats_dataset.new_saate()
    cases.claim(case, worker, case.version)  # a status changes: counted again
    with recorded_statements(app) as statements:
        cases.add_note(case, worker, case.version, "Soitettu (keksitty muistiinpano)")
        cases.set_next_step(case, worker, case.version, "Soita Kelan päätöksen jälkeen",
                            cases.local_today() + timedelta(days=7))
    assert statements  # the note and the step were saved
    assert not [statement for statement in statements if "stats_count" in statement]
    assert_kept_as_recounted()


def test_a_case_marked_closed_by_hand_without_a_moment_counts_on_no_closing_day(
        app: Flask) -> None:
    case = stats_dataset.new_saate()
    case.status = "closed"  # as a fixture or a hand-made fix might; every closing sets closed_at
    db.session.commit()
    assert not rollup.keys_of(db.session.connection(), [case.id])[Population.CLOSED]
    assert_kept_as_recounted()


def test_a_change_that_lost_a_race_leaves_no_note_for_the_next_commit(app: Flask) -> None:
    worker = make_staff("testi.tyontekija@example.test")
    case = stats_dataset.new_saate()
    # A colleague's change won: the version stored is ahead of the one this session holds.
    db.session.execute(update(Case).where(Case.id == case.id).values(version=Case.version + 1)
                       .execution_options(synchronize_session=False))
    with pytest.raises(cases.Conflict):
        cases.claim(case, worker, case.version)
    assert rollup.CHANGED not in db.session.info
    assert rollup.BEFORE not in db.session.info


def test_whole_months_and_the_days_at_the_edges_add_up_to_the_days(app: Flask) -> None:
    dataset = stats_dataset.build(make_staff("testi.tyontekija@example.test"))
    first, last = dataset.period.first, dataset.period.last
    month = rollup.first_of_month(first)
    periods = [
        (month, rollup.next_month(last) - timedelta(days=1)),  # whole months only
        (first - timedelta(days=40), last + timedelta(days=3)),  # months and edge days
        (first, last),  # the dataset's two weeks
        (first + timedelta(days=3), first + timedelta(days=3)),  # one day
        (month, first + timedelta(days=3)),  # ending in the middle of the cases
        (first + timedelta(days=3), rollup.next_month(last) + timedelta(days=3)),  # beginning so
        (month, cases.local_today()),  # from a month's first day to today
    ]
    rows = kept()
    assert any(span == "month" for _, span, *_ in rows)
    for period in (Period(*days) for days in periods):
        of_days: Counter[tuple[str, str, str]] = Counter()
        for _, span, day, population, dimension, code, n in rows:
            if span == "day" and period.first <= day <= period.last:
                of_days[(population, dimension, code)] += n
        found: Counter[tuple[str, str, str]] = Counter()
        for population, dimension, code, _, n in db.session.execute(
                statistics.added_up(period, None)):
            found[(population, dimension, code)] += int(n)
        assert found == of_days, period


@ONLY_SQLITE
def test_an_upgrade_counts_again_when_the_counting_changed(app: Flask) -> None:
    stats_dataset.new_saate()
    counted = kept()
    db.session.execute(delete(StatsCount))
    db.session.execute(delete(StatsRollup))  # as after the revision that made the table
    db.session.commit()
    migrate.upgrade(db.engine)
    assert kept() == counted
    with db.engine.connect() as connection:
        assert rollup.is_current(connection)


@ONLY_SQLITE
def test_the_rebuild_command_counts_every_day_again(app: Flask) -> None:
    stats_dataset.new_saate()
    counted = kept()
    db.session.execute(delete(StatsCount))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["stats", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "daily and monthly counts" in result.output
    assert kept() == counted
