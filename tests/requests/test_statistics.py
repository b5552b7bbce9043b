"""The statistics page and its CSV (issue 13, points 4, 5 and 7) against a small hand-built
dataset (tests/support/stats_dataset.py), on SQLite and PostgreSQL: every figure of every
table, the small-cell rule, the CSV the same numbers with its header and BOM and nothing
personal in it, who may see what, and bad filters.

The expected tables are worked out by hand from the dataset's table. A count of 1-4 is
"< 5"; "–" is hidden (the one other count of a group that adds up to a shown total, or a
share, mean or percentile of fewer than five clients). Shares are whole per cents rounded
half up; days and scores one decimal.
"""

from __future__ import annotations

import csv
import io
import re
from html import unescape
from html.parser import HTMLParser

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.casework import cases, destinations
from app.extensions import db
from app.models import MAX_ID, StaffUser, Team
from tests.requests.test_staff import new_case
from tests.support import stats_dataset
from tests.support.journey import CONTACT_REQUEST, FAKE_PERSON
from tests.support.pages import error_summary
from tests.support.staff import make_staff, sign_in

pytestmark = pytest.mark.usefixtures("teams")

S, H = "< 5", "–"  # small, hidden
Z = "0 %"

# Each table's rows in order: the row's key, then its cells as the page shows them (Finnish).
EXPECTED: dict[str, list[tuple[str, list[str]]]] = {
    # Columns: all; web, phone, walk-in, e-contact, referral; contact request, saate.
    # Week A: phone 1 hides web (the week adds up to 8); saate 6 is hidden because week B's
    # 3 is small and the column adds up to 9. The period: phone 1 hides web 12, the contact
    # requests' 4 hides the saates' 9.
    "new-by-week": [("week-a", ["8", H, S, "0", "0", "0", S, H]),
                    ("week-b", ["5", "5", "0", "0", "0", "0", S, S]),
                    ("total", ["13", H, S, "0", "0", "0", S, H])],
    # Columns: all; fi, sv, selko. Finnish in week A is hidden: week B's 3 is small and the
    # column adds up to the period's 10.
    "new-by-week-language": [("week-a", ["8", H, S, "0"]),
                             ("week-b", ["5", S, S, S]),
                             ("total", ["13", "10", S, S])],
    "new-by-channel": [("web", [H, H]), ("phone", [S, H]), ("walk_in", ["0", Z]),
                       ("e_contact", ["0", Z]), ("referral", ["0", Z]), ("total", ["13", ""])],
    "new-by-kind": [("contact_request", [S, H]), ("saate", [H, H]), ("total", ["13", ""])],
    "new-by-language": [("fi", ["10", "77 %"]), ("sv", [S, H]), ("selko", [S, H]),
                        ("total", ["13", ""])],
    # Nine saates: five aged 35, two 55, one 25, one without a birth year.
    "age-groups": [("under_30", [S, H]), ("30_39", ["5", "56 %"]), ("40_49", ["0", Z]),
                   ("50_59", [S, H]), ("60_plus", ["0", Z]), ("not_known", [S, H]),
                   ("total", ["9", ""])],
    "education": [("none", ["0", Z]), ("basic", ["0", Z]), ("upper_secondary", ["7", "78 %"]),
                  ("higher", [S, H]), ("not_known", [S, H]), ("total", ["9", ""])],
    "difficulties": [("social", [S, H]), ("psychological", ["6", "67 %"]),
                     ("somatic", [S, H]), ("other", ["0", Z]), ("total", ["9", ""])],
    "open-by-status": [("new", [S, H]), ("in_progress", [S, H]),
                       ("waiting_for_client", [S, H]), ("routed", ["0", Z]),
                       ("total", ["5", ""])],
    "by-phase": [("waiting", [S, H]), ("contacted", [S, H]), ("routed", [S, H]),
                 ("follow_up_pending", [S, H]), ("closed", ["7", "54 %"]),
                 ("total", ["13", ""])],
    # First contact after 1, 2, 4, 10, 20, 27, 30 and 50 hours: the median halfway between
    # 10 and 20 (15 h = 0.625 days), the 90th percentile at 0.9 × 7 = 6.3, 30 + 0.3 × 20 =
    # 36 h. Routing after 6, 12, 24, 48, 72, 96 and 120 hours: 48 h, and 96 + 0.4 × 24 =
    # 105.6 h = 4.4 days.
    "times": [("first-contact", ["8", "0,6", "1,5"]), ("routing", ["7", "2,0", "4,4"])],
    # Twelve counted (the duplicate left out): six reached by the promised day; two reached
    # late (c6 at 00:30 Helsinki the day after its promise, still its day in UTC) and four
    # never reached.
    "promise": [("all", ["12", "6", "6", "50 %"]), ("urgent", [S, S, S, H])],
    "routed-to": [("advice", [S, H]), ("kela", ["6", "86 %"]), ("work_trial", [S, H]),
                  ("ohjaamo", [S, H]), ("total", ["7", ""])],
    "close-reasons": [("advice_enough", [S, H]), ("routed", ["5", "63 %"]),
                      ("client_withdrew", ["0", Z]), ("not_reached", [S, H]),
                      ("duplicate", [S, H]), ("other", ["0", Z]), ("total", ["8", ""])],
    "saw-doctor": [("yes", ["5", "63 %"]), ("no", [S, H]), ("not_known", [S, H]),
                   ("total", ["8", ""])],
    "moved-on": [("studies", [S, H]), ("vocational_rehabilitation", ["0", Z]),
                 ("medical_rehabilitation", ["0", Z]),
                 ("rehabilitation_psychotherapy", ["0", Z]), ("pension_assessment", ["0", Z]),
                 ("paid_work", ["5", "63 %"]), ("work_trial", ["0", Z]),
                 ("rehabilitative_work", ["0", Z]), ("social_health_services", ["0", Z]),
                 ("employment_services", [S, H]), ("nothing_yet", [S, H]),
                 ("dropped_out", [S, H]), ("unknown", ["0", Z]), ("total", ["8", ""])],
    # Closed, moved on, share; follow-ups answered, moved on then, share.
    "by-destination": [("advice", [S, "0", H, "0", "0", H]),
                       ("kela", ["5", "5", "100 %", "5", S, H]),
                       ("work_trial", [S, S, H, S, S, H]),
                       ("total", ["8", "5", "63 %", "5", S, H])],
    # Columns: the thirteen outcomes in their order (studies … paid work (6th) … employment
    # services (10th), nothing yet, dropped out, not known).
    "moved-on-by-destination": [
        ("advice", ["0"] * 9 + [S, "0", "0", "0"]),
        ("kela", [S, "0", "0", "0", "0", "5", "0", "0", "0", "0", S, "0", "0"]),
        ("work_trial", [S, "0", "0", "0", "0", S] + ["0"] * 7),
        ("total", [S, "0", "0", "0", "0", "5", "0", "0", "0", S, S, S, "0"])],
    "got-help": [("yes", [S, H]), ("partly", [S, H]), ("no", [S, H]), ("not_known", ["0", Z]),
                 ("total", ["5", ""])],
    "doing-at-follow-up": [("studies", [S, H])] + [
        (code, ["0", Z]) for code in ("vocational_rehabilitation", "medical_rehabilitation",
                                      "rehabilitation_psychotherapy", "pension_assessment")
    ] + [("paid_work", [S, H]), ("work_trial", ["0", Z]), ("rehabilitative_work", ["0", Z]),
         ("social_health_services", ["0", Z]), ("employment_services", ["0", Z]),
         ("nothing_yet", [S, H]), ("dropped_out", ["0", Z]), ("unknown", ["0", Z]),
         ("total", ["5", ""])],
    "doing-by-destination": [
        ("kela", [S, "0", "0", "0", "0", S, "0", "0", "0", "0", S, "0", "0"]),
        ("work_trial", ["0", "0", "0", "0", "0", S, "0", "0", "0", "0", S, "0", "0"]),
        ("total", [S, "0", "0", "0", "0", S, "0", "0", "0", "0", S, "0", "0"])],
    # Saate 4, 5, 6, 3, 7; follow-up 6, 5, 8, 2, 7.
    "work-ability-change": [("better", [S, H]), ("same", [S, H]), ("worse", [S, H]),
                            ("total", ["5", ""])],
    "work-ability-means": [("saate", ["5,0"]), ("follow-up", ["5,6"]), ("change", ["0,6"])],
    # End of service: five yes and one no: the no hides the yes (the six add up).
    "recommend": [("end-of-service", ["6", H, S, H]), ("follow-up", ["5", "5", "0", "100 %"])],
    # Ratings 5, 5, 4, 4, 3 (and one without) after sending; 5, 4, 4, 4, 3, 2 at the end.
    "ease": [("after-sending", ["6", "5", "4,2"]), ("end-of-service", ["6", "6", "3,7"])],
}
WEEK_ROWS = {"new-by-week", "new-by-week-language"}


class Tables(HTMLParser):
    """The statistics tables of a page by key: [(row header, [cells])] and the title and
    column headers, from the markup the template writes."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: dict[str, dict] = {}
        self.table: dict | None = None
        self.cell: list[str] | None = None
        self.row: list[str] = []
        self.in_head = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        names = dict(attrs)
        if tag == "table" and "stats-table" in (names.get("class") or ""):
            self.table = {"rows": [], "columns": [], "title": ""}
        elif self.table is not None and tag == "caption":
            self.table["key"] = names["id"].removesuffix("-caption")
            self.cell = []
        elif self.table is not None and tag in ("th", "td"):
            self.cell = []
        elif self.table is not None and tag == "thead":
            self.in_head = True
        elif self.table is not None and tag == "tr":
            self.row = []

    def handle_endtag(self, tag: str) -> None:
        if self.table is None:
            return
        if tag == "caption" and self.cell is not None:
            self.table["title"] = "".join(self.cell).strip()
            self.cell = None
        elif tag in ("th", "td") and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr":
            target = self.table["columns"] if self.in_head else self.table["rows"]
            target.append(self.row)
        elif tag == "thead":
            self.in_head = False
        elif tag == "table":
            self.found[self.table["key"]] = self.table
            self.table = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def page_tables(html: str) -> dict[str, dict]:
    return Tables(html).found


def shown(text: str) -> str:
    return text.replace("\xa0", " ")


def as_csv(text: str) -> str:
    """A cell as the page shows it, as the CSV carries it: numbers plain."""
    text = shown(text)
    if text in (S, H):
        return text
    return text.removesuffix(" %").replace(" ", "").replace(",", ".")


@pytest.fixture
def worker(app: Flask) -> StaffUser:
    return make_staff("testi.tyontekija@example.test")


@pytest.fixture
def lead(app: Flask) -> StaffUser:
    return make_staff("testi.esihenkilo@example.test", role="lead", name="Testi Esihenkilö")


@pytest.fixture
def dataset(worker: StaffUser) -> stats_dataset.Dataset:
    return stats_dataset.build(worker)


def team(slug: str) -> Team:
    return db.session.scalar(select(Team).where(Team.slug == slug))  # type: ignore[return-value]


def period_query(dataset: stats_dataset.Dataset) -> dict[str, str]:
    return {"from": dataset.period.first.isoformat(), "to": dataset.period.last.isoformat()}


def signed_in(app: Flask, user: StaffUser) -> FlaskClient:
    client = app.test_client()
    sign_in(client, user)
    return client


def test_every_figure_on_the_page_and_in_the_csv(app: Flask, lead: StaffUser,
                                                 dataset: stats_dataset.Dataset) -> None:
    client = signed_in(app, lead)
    page = client.get("/staff/stats", query_string=period_query(dataset))
    assert page.status_code == 200
    tables = page_tables(page.text)
    assert set(tables) == set(EXPECTED)
    for key, rows in EXPECTED.items():
        found = [[shown(cell) for cell in row[1:]] for row in tables[key]["rows"]]
        assert found == [cells for _, cells in rows], key
        assert all(len(row) == len(tables[key]["columns"][0]) for row in tables[key]["rows"])
    response = client.get("/staff/stats.csv", query_string=period_query(dataset))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert response.headers["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["Taulukko", "Rivi", "Sarake", "Arvo"]
    values = {(table, row, column): value for table, row, column, value in rows[1:]}
    for key, table in tables.items():
        columns = table["columns"][0][1:]
        for row in table["rows"]:
            for column, cell in zip(columns, row[1:], strict=True):
                if cell:
                    assert values.pop((table["title"], row[0], column)) == as_csv(cell), (
                        key, row[0], column)
    about = {key[1:]: value for key, value in values.items()}
    assert about == {("Jakso", "Ensimmäinen päivä"): dataset.period.first.isoformat(),
                     ("Jakso", "Viimeinen päivä"): dataset.period.last.isoformat(),
                     ("Lasketut tiimit", ""): team("jyvaskyla").name,
                     ("Pienet luvut", ""): about[("Pienet luvut", "")]}


def test_rows_are_the_expected_ones(app: Flask, lead: StaffUser,
                                    dataset: stats_dataset.Dataset) -> None:
    """The row keys in the markup-independent sense: each table's rows, in order."""
    from flask_babel import force_locale

    from app.casework.cases import local_today
    from app.reporting import report, statistics

    figures = statistics.compute(dataset.period, (team("jyvaskyla").id,), local_today())
    with app.test_request_context("/"), force_locale("fi"):
        built = {table.key: table for section in report.build(figures, "fi")
                 for table in section.tables}
    for key, rows in EXPECTED.items():
        expected_keys = [name for name, _ in rows]
        if key in WEEK_ROWS:
            expected_keys = [dataset.period.first.isoformat(),
                             dataset.period.weeks()[1].isoformat(), "total"]
        assert [row.key for row in built[key].rows] == expected_keys, key


def test_the_csv_holds_no_person_and_no_free_text(app: Flask, lead: StaffUser,
                                                  dataset: stats_dataset.Dataset) -> None:
    text = signed_in(app, lead).get("/staff/stats.csv",
                                    query_string=period_query(dataset)).data.decode("utf-8-sig")
    for personal in (*FAKE_PERSON.values(), CONTACT_REQUEST["about"], "Testi", "@", "040",
                     stats_dataset.FOLLOW_UP_COMMENT, stats_dataset.FEEDBACK_COMMENT,
                     stats_dataset.OTHER_TEAM_COMMENT, *(case.reference for case in
                                                          dataset.cases.values())):
        if personal not in ("179", "fi", "1980"):
            assert personal not in text, personal


def test_leads_read_their_own_teams_comments_on_the_page_only(
        app: Flask, lead: StaffUser, dataset: stats_dataset.Dataset) -> None:
    html = signed_in(app, lead).get("/staff/stats", query_string=period_query(dataset)).text
    assert stats_dataset.FOLLOW_UP_COMMENT in html and stats_dataset.FEEDBACK_COMMENT in html
    assert stats_dataset.OTHER_TEAM_COMMENT not in html


def test_a_worker_is_refused(app: Flask, worker: StaffUser) -> None:
    client = signed_in(app, worker)
    for path in ("/staff/stats", "/staff/stats.csv", "/staff/cases.csv"):
        assert client.get(path).status_code == 403, path
    assert "/staff/stats" not in client.get("/staff/").text


def test_a_lead_sees_only_their_own_teams(app: Flask, lead: StaffUser,
                                          dataset: stats_dataset.Dataset) -> None:
    client = signed_in(app, lead)
    page = client.get("/staff/stats", query_string=period_query(dataset)).text
    assert 'href="/staff/stats"' in page  # in the staff menu
    options = re.findall(r'<option value="(\d*)"', page)
    assert options == ["", str(team("jyvaskyla").id)]
    other = client.get("/staff/stats", query_string={**period_query(dataset),
                                                     "team": team("pohjoinen").id})
    assert other.status_code == 400 and "stats-table" not in other.text
    assert error_summary(other.text) == ["Valitse tiimi luettelosta."]
    csv_other = client.get("/staff/stats.csv", query_string={**period_query(dataset),
                                                             "team": team("pohjoinen").id})
    assert csv_other.status_code == 400 and csv_other.mimetype == "text/html"


def new_cases(html: str) -> str:
    return page_tables(html)["new-by-kind"]["rows"][-1][1]


def test_an_admin_sees_every_team_and_each_alone(app: Flask,
                                                 dataset: stats_dataset.Dataset) -> None:
    admin = make_staff("testi.yllapito@example.test", role="admin", name="Testi Ylläpito")
    client = signed_in(app, admin)
    page = client.get("/staff/stats", query_string=period_query(dataset)).text
    assert set(re.findall(r'<option value="(\d+)"', page)) == {
        str(team_id) for team_id in db.session.scalars(select(Team.id))}
    assert new_cases(page) == "14"  # the other team's case too
    # Admins read other teams' numbers, not their clients' words.
    assert stats_dataset.OTHER_TEAM_COMMENT not in page
    assert stats_dataset.FOLLOW_UP_COMMENT in page  # the admin's own team
    alone = client.get("/staff/stats", query_string={**period_query(dataset),
                                                     "team": team("pohjoinen").id}).text
    assert new_cases(alone) == "< 5"
    assert stats_dataset.OTHER_TEAM_COMMENT not in alone


@pytest.mark.parametrize(("query", "field", "message"), [
    ({"from": "2026-13-01"}, "from", "Anna päivämäärä, esimerkiksi 31.12.2026"),
    ({"from": "huomenna"}, "from", "Anna päivämäärä, esimerkiksi 31.12.2026"),
    ({"to": "1.1.1999"}, "to", "Anna päivämäärä vuosilta 2000–2099."),
    ({"from": "0001-01-01"}, "from", "Anna päivämäärä vuosilta 2000–2099."),
    ({"from": "2026-02-01", "to": "2026-01-31"}, "to",
     "Viimeisen päivän pitää olla ensimmäisen päivän jälkeen tai sama päivä."),
    ({"from": "2010-01-01", "to": "2026-01-31"}, "to", "Valitse enintään viiden vuoden jakso."),
    ({"team": str(MAX_ID + 1)}, "team", "Valitse tiimi luettelosta."),
    ({"team": "99999999999999999999"}, "team", "Valitse tiimi luettelosta."),
    ({"team": "²"}, "team", "Valitse tiimi luettelosta."),
    ({"team": "-1"}, "team", "Valitse tiimi luettelosta."),
])
def test_bad_filters_get_a_clear_message_never_a_500(app: Flask, lead: StaffUser, query: dict,
                                                    field: str, message: str) -> None:
    client = signed_in(app, lead)
    for path in ("/staff/stats", "/staff/stats.csv"):
        response = client.get(path, query_string=query)
        assert response.status_code == 400, path
        assert error_summary(response.text) == [message]
        assert f'id="stats-{field}-error"' in response.text
        assert "stats-table" not in response.text
        typed = unescape(re.search(rf'name="{field}" value="([^"]*)"', response.text)
                         .group(1)) if field != "team" else ""
        assert field == "team" or typed == query[field]


def test_the_default_period_is_the_last_twelve_months(app: Flask, lead: StaffUser) -> None:
    from app.casework.cases import local_today
    from app.casework.followup import months_after

    page = signed_in(app, lead).get("/staff/stats").text
    today = local_today()
    first = months_after(today, -12).toordinal() + 1
    assert f'name="from" value="{type(today).fromordinal(first).isoformat()}"' in page
    assert f'name="to" value="{today.isoformat()}"' in page


def test_a_teams_own_destination_is_counted_under_its_name(app: Flask, worker: StaffUser,
                                                           lead: StaffUser) -> None:
    admin = make_staff("testi.paakayttaja@example.test", role="admin", name="Testi Pääkäyttäjä")
    own = destinations.add_own(team("jyvaskyla"), "Testipaja (keksitty)", "", admin)
    for key in range(5):
        case = new_case(key=f"own{key}")
        cases.record_outcomes(case, worker, case.version, [own.code], "",
                              no_contact_person_needed=True)
    tables = page_tables(signed_in(app, lead).get("/staff/stats").text)
    first_row = [shown(cell) for cell in tables["routed-to"]["rows"][0][:2]]
    assert first_row == ["Testipaja (keksitty)", "5"]
