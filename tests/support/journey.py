"""Walking the client side like a browser would, for request tests.

Obviously fake people only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.support.pages import csrf_token

FAKE_PERSON = {
    "name": "Testi Asiakas",
    "phone": "040 000 1234",
    "email": "testi.asiakas@example.test",
    "municipality": "179",
    "contact_language": "fi",
    "birth_year": "1980",
}

VALID_STEPS: dict[str, dict] = {
    "contact-details": {**FAKE_PERSON, "best_time": "morning",
                        "contact_ways": ["calls", "text_messages"], "interpreter": "no",
                        "filling_for": "myself", "named_worker": "yes",
                        "named_worker_who": "Testi Ohjaaja, sosiaaliohjaaja"},
    "right-now": {"acute_distress": "no"},
    "situation": {"situation": "unemployed", "not_working_for": "1_to_2_years",
                  "registered_jobseeker": "yes", "occupational_health": "no",
                  "current_services": ["employment_services", "social_services"],
                  "main_income": ["unemployment_benefit"]},
    "health": {"work_ability_score": "4", "affecting": ["mood", "other"],
               "affecting_other": "Uniongelmat (keksitty esimerkki)", "health_check_12m": "no",
               "doctor_assessed": "dont_know", "kela_pending": ["sickness_allowance"]},
    "education-and-work": {"education": "upper_secondary", "work_history": "Varastotyötä",
                           "last_worked_year": "2022", "strengths": "Täsmällisyys"},
    "hopes": {"hoped_help": ["health_check", "talk"], "six_months": "Työkokeilu",
              "gives_strength": "Koira"},
    "consent": {"share_with": ["kela", "employment_services"], "share_health_with": ["kela"]},
}

CONTACT_REQUEST = {**FAKE_PERSON, "best_time": "any", "about": "Haluan jutella."}


class Journey:
    """One client in one browser: keeps the last page for its CSRF token."""

    def __init__(self, client: FlaskClient, lang: str = "fi") -> None:
        self.client = client
        self.lang = lang
        self.page = ""

    def get(self, path: str) -> TestResponse:
        response = self.client.get(f"/{self.lang}{path}")
        if response.status_code == 200:
            self.page = response.text
        return response

    def post(self, path: str, data: dict, *, fresh_page: bool = True) -> TestResponse:
        if fresh_page:
            self.get(path.split("?")[0] if "?" not in path else path)
        response = self.client.post(f"/{self.lang}{path}",
                                    data={**data, "csrf_token": csrf_token(self.page)})
        if response.status_code in (200, 400, 429):
            self.page = response.text
        return response

    def start(self) -> TestResponse:
        return self.post("/saate/", {})

    def step(self, slug: str, data: dict | None = None, **query: str) -> TestResponse:
        suffix = ("?" + "&".join(f"{k}={v}" for k, v in query.items())) if query else ""
        return self.post(f"/saate/{slug}{suffix}", VALID_STEPS[slug] if data is None else data)

    def fill_all(self) -> None:
        self.start()
        for slug in VALID_STEPS:
            response = self.step(slug)
            assert response.status_code == 302, (slug, response.text[:2000])

    def send(self) -> TestResponse:
        return self.post("/saate/check", {})

    def resume_code(self) -> str:
        found = re.search(r'<p class="reference">([A-Z0-9]{5}-[A-Z0-9]{5})</p>', self.page)
        assert found, "no resume code on the page"
        return found.group(1)

    def status_path(self) -> str:
        """The path of the status link, which points at the service's BASE_URL."""
        base = re.escape(self.client.application.config["BASE_URL"].rstrip("/"))
        found = re.search(rf'href="{base}(/{self.lang}/status/[^"]+)"', self.page)
        assert found, "no status link on the page"
        return found.group(1)


def client_pages(client: FlaskClient, lang: str) -> Iterator[tuple[str, TestResponse]]:
    """Every page a client meets, as (name, response): the front and side pages, the
    contact request and its sent page, the saate part by part (following where each part
    leads), check answers, sent, the status page, and the crisis page. The walk of real
    requests behind the page-weight and caching tests; tests/browser/client_pages.py walks
    the same pages in Chromium."""
    journey = Journey(client, lang)
    for name, path in (("landing", "/"), ("contact", "/contact"), ("resume", "/resume"),
                       ("privacy", "/privacy"), ("accessibility", "/accessibility"),
                       ("saate-start", "/saate/")):
        yield name, journey.get(path)
    yield from _through_the_saate(journey)
    contact = Journey(client.application.test_client(), lang)
    assert contact.post("/contact", CONTACT_REQUEST).status_code == 302
    yield "contact-sent", contact.get("/contact/sent")
    yield "crisis", _crisis_page(Journey(client.application.test_client(), lang))


def _path(response: TestResponse) -> str:
    assert response.status_code == 302, (response.request.path, response.status_code)
    return urlsplit(response.location).path


def _through_the_saate(journey: Journey) -> Iterator[tuple[str, TestResponse]]:
    path, number = _path(journey.start()), 0
    while path != f"/{journey.lang}/saate/check":
        number += 1
        assert number <= 20, "the saate never reached check answers"
        slug = path.rsplit("/", 1)[1]
        yield f"part-{number}-{slug}", journey.get(f"/saate/{slug}")
        path = _path(journey.post(f"/saate/{slug}", VALID_STEPS.get(slug, {}),
                                  fresh_page=False))
    yield "check", journey.get("/saate/check")
    assert journey.send().status_code == 302
    yield "sent", journey.get("/saate/sent")
    yield "status", journey.client.get(journey.status_path())


def _crisis_page(journey: Journey) -> TestResponse:
    """Where a yes to the crisis question leads (tests/requests/test_crisis.py)."""
    journey.start()
    assert journey.step("contact-details").status_code == 302
    crisis = _path(journey.step("right-now", {"acute_distress": "yes"}))
    return journey.get(crisis.removeprefix(f"/{journey.lang}"))
