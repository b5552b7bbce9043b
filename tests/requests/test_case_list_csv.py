"""The case list as a CSV for leads (issue 13, point 5): the queue's filters honoured, the
lead's teams only, nothing the client wrote or who they are, UTF-8 with a BOM for
spreadsheets, read in batches (keyset) and recorded once in the access log with the count.
On SQLite and PostgreSQL, with the statistics' hand-built dataset."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import AccessLogEntry, StaffUser
from app.reporting import case_list
from tests.support import stats_dataset
from tests.support.journey import CONTACT_REQUEST, FAKE_PERSON
from tests.support.staff import make_staff, sign_in

pytestmark = pytest.mark.usefixtures("teams")

HEADER = ["Viitetunnus", "Tyyppi", "Yhteydenottotapa", "Tilanne", "Kiireellinen",
          "Asiakkaan kieli", "Kunta", "Tiimi", "Käsittelijä", "Tullut",
          "Luvattu yhteydenottopäivä", "Ensimmäinen yhteydenotto", "Ohjattu", "Suljettu",
          "Sulkemisen syy"]


@pytest.fixture
def worker(app: Flask) -> StaffUser:
    return make_staff("testi.tyontekija@example.test")


@pytest.fixture
def dataset(worker: StaffUser) -> stats_dataset.Dataset:
    return stats_dataset.build(worker)


@pytest.fixture
def lead_client(app: Flask, dataset: stats_dataset.Dataset) -> FlaskClient:
    lead = make_staff("testi.esihenkilo@example.test", role="lead", name="Testi Esihenkilö")
    client = app.test_client()
    sign_in(client, lead)
    return client


def download(client: FlaskClient, **query: str) -> list[list[str]]:
    response = client.get("/staff/cases.csv", query_string=query)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    return rows[1:]


def references(dataset: stats_dataset.Dataset, *keys: str) -> list[str]:
    every = {**dataset.cases, "before": dataset.before_period_case}
    return sorted(every[key].display_reference for key in keys)


def exports() -> list[AccessLogEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(AccessLogEntry).where(
        AccessLogEntry.action == "export").order_by(AccessLogEntry.id)))


def test_every_case_of_the_leads_teams_with_what_it_is_and_nothing_personal(
        lead_client: FlaskClient, dataset: stats_dataset.Dataset) -> None:
    rows = download(lead_client, status="")
    assert sorted(row[0] for row in rows) == references(dataset, *dataset.cases, "before")
    assert dataset.other_team_case.display_reference not in {row[0] for row in rows}
    c4 = next(row for row in rows if row[0] == dataset.cases["c4"].display_reference)
    came_in = dataset.cases["c4"].created_at.astimezone(stats_dataset.HELSINKI)

    def later(**delta: int) -> str:
        return (came_in + timedelta(**delta)).strftime("%Y-%m-%d %H:%M")

    assert c4 == [
        dataset.cases["c4"].display_reference, "Saate", "Verkkolomake", "Suljettu", "ei",
        "Svenska", "Jyväskylä", "Jyväskylän työkyvyn tuen tiimi", "Testi Työntekijä",
        later(), (came_in.date() + timedelta(days=1)).isoformat(), later(hours=20),
        later(hours=96), later(days=7), "Ohjattu palveluihin"]
    urgent = next(row for row in rows if row[0] == dataset.cases["n1"].display_reference)
    assert urgent[2:5] == ["Verkkolomake", "Uusi", "kyllä"] and urgent[8] == ""
    text = "\n".join(",".join(row) for row in rows)
    for personal in (FAKE_PERSON["name"], FAKE_PERSON["phone"], FAKE_PERSON["email"],
                     CONTACT_REQUEST["about"], stats_dataset.FOLLOW_UP_COMMENT,
                     stats_dataset.FEEDBACK_COMMENT, "@"):
        assert personal not in text, personal


def test_the_queue_filters_are_honoured(lead_client: FlaskClient,
                                        dataset: stats_dataset.Dataset) -> None:
    open_cases = ("c6", "ip", "n1", "n2", "wt")
    assert sorted(row[0] for row in download(lead_client)) == references(
        dataset, *open_cases, "before")  # the queue's default: open cases
    assert sorted(row[0] for row in download(lead_client, status="closed")) == references(
        dataset, "c1", "c2", "c3", "c4", "c5", "adv", "nr", "dup")
    assert sorted(row[0] for row in download(lead_client, status="", kind="saate")) == (
        references(dataset, "c1", "c2", "c3", "c4", "c5", "c6", "n1", "n2", "wt"))
    assert sorted(row[0] for row in download(lead_client, status="", urgent="1")) == (
        references(dataset, "c2", "n1"))
    assert sorted(row[0] for row in download(lead_client, status="", language="sv")) == (
        references(dataset, "c4", "n2"))
    assert download(lead_client, status="", assigned="me") == []
    assert sorted(row[0] for row in download(lead_client, status="",
                                             assigned="unassigned")) == references(
        dataset, "n1", "n2", "before")
    # Filters it does not know are left out, as the queue leaves them.
    assert len(download(lead_client, status="everything", kind="x")) == 6


def test_each_export_is_recorded_once_with_its_count(lead_client: FlaskClient,
                                                     dataset: stats_dataset.Dataset) -> None:
    before = len(exports())
    download(lead_client, status="closed", kind="contact_request")
    download(lead_client, status="")
    made = exports()[before:]
    assert [entry.detail for entry in made] == [
        "case list CSV; 3 cases; status=closed kind=contact_request",
        "case list CSV; 14 cases; status=-"]
    assert all(entry.case_id is None for entry in made)


def test_cases_are_read_in_batches_by_id(lead_client: FlaskClient,
                                         dataset: stats_dataset.Dataset,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    whole = download(lead_client, status="")
    monkeypatch.setattr(case_list, "BATCH", 3)
    assert download(lead_client, status="") == whole
    assert len(whole) == 14


def test_the_link_is_on_the_queue_for_leads_only(app: Flask, lead_client: FlaskClient,
                                                 worker: StaffUser) -> None:
    page = lead_client.get("/staff/", query_string={"status": "closed", "kind": "saate"}).text
    assert 'href="/staff/cases.csv?status=closed&amp;kind=saate"' in page
    client = app.test_client()
    sign_in(client, worker)
    assert "/staff/cases.csv" not in client.get("/staff/").text
    assert client.get("/staff/cases.csv").status_code == 403
