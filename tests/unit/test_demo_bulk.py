"""Bulk demo data (issue 12, point 3): N cases over every team that look like a service two
years in, with timelines the case workflow would have left; on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app import demo_bulk
from app.casework import cases, profile, retention
from app.casework.followup import default_follow_up_day
from app.casework.queue import OPEN_STATUSES
from app.database import utcnow
from app.extensions import db
from app.models import (
    Case,
    CaseCode,
    CaseConsent,
    CaseEvent,
    Feedback,
    FollowUp,
    StaffUser,
    Team,
)
from app.people import teams as team_service
from app.saate.schema import describe
from tests.support.staff import make_staff

pytestmark = pytest.mark.usefixtures("teams")

COUNT = 3_000


@pytest.fixture
def staff(app: Flask) -> list[StaffUser]:
    """A worker in each demo team, a lead in every team and an admin (who handles none)."""
    made = [make_staff(f"testi.{slug}@example.test", teams=(slug,), name=f"Testi {slug}")
            for slug in ("jyvaskyla", "laukaa-hankasalmi", "pohjoinen")]
    made.append(make_staff("testi.esihenkilo@example.test", role="lead", name="Testi Esihenkilö",
                           teams=("jyvaskyla", "laukaa-hankasalmi", "pohjoinen")))
    made.append(make_staff("testi.admin@example.test", role="admin", name="Testi Ylläpito"))
    return made


def seeded() -> list[Case]:
    return list(db.session.scalars(select(Case).where(
        Case.submission_key.startswith(demo_bulk.KEY_PREFIX)).order_by(Case.created_at)
        .options(selectinload(Case.events), selectinload(Case.consents))))


def test_cases_spread_over_teams_statuses_channels_languages_and_two_years(
        app: Flask, staff: list[StaffUser]) -> None:
    report = demo_bulk.seed_cases(COUNT)
    found = seeded()
    assert report.cases == len(found) == COUNT
    assert report.events == db.session.scalar(select(func.count()).select_from(CaseEvent))
    now = utcnow()
    assert all(now - timedelta(days=730) <= case.created_at <= now for case in found)
    assert {case.team_id for case in found} == set(db.session.scalars(select(Team.id)))
    statuses = Counter(case.status for case in found)
    assert set(statuses) == {"new", "in_progress", "waiting_for_client", "routed", "closed"}
    # The newest tenth is open, and a few older ones; the rest closed.
    open_cases = [case for case in found if case.status in OPEN_STATUSES]
    assert COUNT // 10 <= len(open_cases) < COUNT // 10 + 30
    assert min(found.index(case) for case in open_cases) < COUNT * 9 // 10
    assert sum(case.urgent for case in found) == COUNT // 100
    assert {case.channel for case in found} == {"web", "phone", "walk_in", "e_contact",
                                                "referral"}
    assert {case.language for case in found} == {"fi", "sv", "selko"}
    assert all(case.language in ("fi", "sv") for case in found if case.channel != "web")
    assert all(case.referrer_organisation for case in found if case.channel == "referral"
               and case.answers)
    assert {case.kind for case in found} == {"saate", "contact_request"}
    for column in (Case.reference, Case.status_token_hash, Case.submission_key):
        assert db.session.scalar(select(func.count(func.distinct(column)))) == COUNT
    # A handler from the case's team wherever the status needs one; never the admin.
    members = {team.id: {member.id for member in team.members}
               for team in db.session.scalars(select(Team))}
    for case in found:
        if case.status == "new":
            assert case.handler_id is None
        else:
            assert case.handler_id in members[case.team_id] and case.handler_id != staff[-1].id


def test_timelines_are_what_the_workflow_leaves(app: Flask, staff: list[StaffUser]) -> None:
    demo_bulk.seed_cases(COUNT)
    now, today = utcnow(), cases.local_today()
    steps = Counter()
    for case in seeded():
        kinds = [event.kind for event in case.events]
        # Answering the follow-up adds an event and changes nothing on the case.
        changes = [event for event in case.events if event.kind != "follow_up_answered"]
        assert case.version == len(changes)
        assert kinds[0] == ("sent" if case.channel == "web" else "recorded")
        assert case.events[0].at == case.created_at
        assert [event.at for event in case.events] == sorted(event.at for event in case.events)
        assert case.updated_at == changes[-1].at <= now
        assert case.promised_contact_date == cases.promised_date(
            case.team, case.urgent, cases.local_today(case.created_at))
        if case.status == "new":
            assert kinds == kinds[:1]
            continue
        assert kinds[1] in ("claimed", "assigned")
        reached = [event for event in case.events
                   if event.kind == "contact_attempt" and event.data["reached"]]
        assert case.contacted_at == (reached[0].at if reached else None)
        if case.status == "closed":
            closing = next(event for event in case.events if event.kind == "closed")
            assert (case.closed_at, case.close_reason) == (closing.at, closing.data["reason"])
            assert case.next_step is None
        else:
            assert "closed" not in kinds and case.closed_at is None
        if case.status in ("waiting_for_client", "routed"):
            assert any(event.kind == "status_changed" and event.data["to"] == case.status
                       for event in case.events)
        if case.status == "routed" or case.close_reason == "routed":
            assert case.outcomes["codes"]
        if case.answers and (case.status == "routed" or case.status == "closed"):
            # Routing and closing need a contact person named, or the word that none is needed.
            assert case.has_contact_person or any(
                event.data.get("no_contact_person_needed") for event in case.events)
        if case.next_step is not None:
            setting = next(event for event in reversed(case.events)
                           if event.kind == "next_step_set")
            assert case.next_step_date >= cases.local_today(setting.at)
            steps["overdue" if case.next_step_date < today else "ahead"] += 1
        handled_open = case.status in OPEN_STATUSES
        steps["open handled"] += handled_open
    assert steps["overdue"] and steps["ahead"] > steps["overdue"]
    assert steps["open handled"] * 0.5 < steps["overdue"] + steps["ahead"] < steps["open handled"]


def test_old_closed_cases_are_as_retention_leaves_them(app: Flask,
                                                       staff: list[StaffUser]) -> None:
    report = demo_bulk.seed_cases(COUNT)
    found = seeded()
    cutoff = utcnow() - timedelta(days=365)
    old = [case for case in found if case.status == "closed" and case.closed_at < cutoff]
    kept = [case for case in found if case not in old]
    assert old and kept
    assert all(case.answers == {} and not case.consents and case.next_step is None
               and case.referrer_organisation is None and case.contact_person_name is None
               for case in old)
    assert all(set(event.data) <= retention.KEPT_EVENT_DATA
               for case in old for event in case.events)
    assert all(case.answers["name"] and case.answers["municipality"] == case.municipality_code
               for case in kept)
    assert all(len(case.consents) == 6 for case in kept if case.kind == "saate")
    assert report.consents == db.session.scalar(select(func.count()).select_from(CaseConsent))
    assert retention.run().cases_anonymised == 0  # nothing left for retention to do


def test_answers_are_complete_and_links_work(app: Flask, staff: list[StaffUser]) -> None:
    demo_bulk.seed_cases(500)
    kept = [case for case in seeded() if case.answers]
    assert all(cases.complete(describe(case.kind), case.answers) for case in kept)
    assert all(case.answers["phone"].startswith("040 000 ") for case in kept)
    assert all(case.answers.get("email", "@example.test").endswith("@example.test")
               for case in kept)
    urgent_web = [case for case in seeded() if case.urgent and case.channel == "web"]
    assert all(cases.URGENT in case.flags["codes"] for case in urgent_web)
    for case in seeded()[:50]:
        assert cases.find_by_status_token(cases.status_token(case)) == case


def test_the_workflow_goes_on_from_a_seeded_case(app: Flask, staff: list[StaffUser]) -> None:
    demo_bulk.seed_cases(500)
    lead = staff[-2]
    found = seeded()
    handled = next(case for case in found if case.status == "in_progress")
    cases.add_note(handled, lead, handled.version, "Jatketaan (testi).")
    closed = next(case for case in found if case.status == "closed")
    cases.reopen(closed, lead, closed.version, "in_progress")
    new = next(case for case in found if case.status == "new")
    cases.claim(new, lead, new.version)
    assert (handled.events[-1].kind, closed.status, new.handler_id) == (
        "note", "in_progress", lead.id)


def test_running_again_adds_more_with_new_keys(app: Flask, staff: list[StaffUser]) -> None:
    demo_bulk.seed_cases(300)
    demo_bulk.seed_cases(300, seed=demo_bulk.DEFAULT_SEED)
    assert len(seeded()) == 600
    assert demo_bulk.next_number() == 600


def test_a_main_handler_takes_half_of_the_handled_cases(app: Flask,
                                                        staff: list[StaffUser]) -> None:
    lead = staff[-2]
    demo_bulk.seed_cases(2_000, main_handler=lead.id)
    handled = [case for case in seeded() if case.handler_id is not None]
    share = sum(case.handler_id == lead.id for case in handled) / len(handled)
    assert 0.45 < share < 0.55


def test_a_team_without_staff_gets_only_new_cases(app: Flask, staff: list[StaffUser]) -> None:
    empty = team_service.create_team(slug="testi-tyhja", name="Testi Tyhjä tiimi",
                                     phone="040 000 1234", municipalities=["Keuruu"])
    report = demo_bulk.seed_cases(1_000)
    theirs = [case for case in seeded() if case.team_id == empty.id]
    assert theirs and all(case.status == "new" and case.channel == "web" for case in theirs)
    assert all(case.municipality_code == "249" for case in theirs)
    assert report.unstaffed == [empty.name]


def test_the_same_seed_draws_the_same_cases(app: Flask, staff: list[StaffUser]) -> None:
    facts = demo_bulk.team_facts()

    def drawn(seed: int) -> list[tuple]:
        planner = demo_bulk.Planner(random.Random(seed), facts, 300, None)
        return [(planned.row["status"], planned.row["team_id"], planned.row["channel"],
                 planned.row["answers"].get("name"), [event[2] for event in planned.events])
                for planned in planner.plan(0, 300, 0)]

    assert drawn(7) == drawn(7) != drawn(8)


def test_what_statistics_count_is_there_as_the_workflow_leaves_it(
        app: Flask, staff: list[StaffUser]) -> None:
    """Profiles, routing, closing outcomes, follow-ups and feedback (issue 13)."""
    demo_bulk.seed_cases(COUNT)
    found = seeded()
    now = utcnow()
    codes: dict[int, dict[str, list[str]]] = {}
    for case_id, kind, code in db.session.execute(
            select(CaseCode.case_id, CaseCode.kind, CaseCode.code).order_by(CaseCode.code)):
        codes.setdefault(case_id, {}).setdefault(kind, []).append(code)
    follow_ups = {row.case_id: row for row in db.session.scalars(select(FollowUp))}
    given = Counter((row.moment, row.case_id) for row in db.session.scalars(select(Feedback)))
    for case in found:
        mine = codes.get(case.id, {})
        if case.kind == "saate":
            assert case.work_ability_score is not None
            if case.answers:
                assert case.age_group == profile.age_group(case.answers.get("birth_year"),
                                                            cases.local_today(case.created_at))
                assert case.education == case.answers.get("education")
                assert mine.get("difficulty", []) == profile.difficulty_groups(
                    case.answers.get("affecting"))
        else:
            assert (case.age_group, case.education, case.work_ability_score) == (None, None, None)
        routing = [event for event in case.events if event.kind == "outcomes_recorded"]
        assert case.routed_at == (routing[0].at if routing else None)
        assert mine.get("routed_to", []) == sorted(case.outcomes.get("codes", []))
        closing = [event for event in case.events if event.kind == "closed"]
        assert mine.get("moved_on", []) == (sorted(closing[0].data["codes"]) if closing else [])
        if closing and case.answers:
            assert closing[0].data["saw_doctor"] == case.saw_doctor
        follow_up = follow_ups.get(case.id)
        answered = [event for event in case.events if event.kind == "follow_up_answered"]
        if follow_up is None:
            assert not answered and "follow_up" not in mine
            continue
        assert case.close_reason in ("routed", "advice_enough")
        assert follow_up.due_on == default_follow_up_day(cases.local_today(case.closed_at))
        if follow_up.answered_at is None:
            assert not answered and "follow_up" not in mine
        else:
            assert answered[0].at == follow_up.answered_at <= now
            assert follow_up.got_help in ("yes", "partly", "no") and mine["follow_up"]
    assert all(moment == "end_of_service" or case_id in {c.id for c in found if c.channel == "web"}
               for moment, case_id in given)
    closed = {case.id for case in found if case.status == "closed"}
    assert all(case_id in closed for moment, case_id in given if moment == "end_of_service")
    # Enough of each for the statistics page to show something.
    assert sum(f.answered_at is not None for f in follow_ups.values()) > 100
    assert sum(f.answered_at is None for f in follow_ups.values()) > 100
    assert len(given) > 500 and max(given.values()) == 1
