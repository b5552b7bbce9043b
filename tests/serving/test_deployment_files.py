"""The deployment files in docs/deploy/ and docs/DEPLOYMENT.md, checked by what runs them.

nginx checks the whole example (`nginx -t`); systemd checks the units (`systemd-analyze
verify`, and `security` for how exposed they leave the host); the app reads the
environment example; gunicorn serves with the access-log format DEPLOYMENT.md gives for
shipping. Every setting the app or gunicorn reads is in DEPLOYMENT.md.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from app import create_app
from config import (
    ENVIRONMENT_SETTINGS,
    ConfigurationError,
    ProductionConfig,
    settings_from_environment,
)
from tests.support.gunicorn import GunicornServer, migrated_sqlite, production_environment
from tests.support.live import LiveClient
from tests.support.nginx import NginxServer

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "docs" / "deploy"
DEPLOYMENT = ROOT / "docs" / "DEPLOYMENT.md"
UNITS = ["saate.service", "saate-retention.service", "saate-retention.timer",
         "saate-followup.service", "saate-followup.timer"]
# Where the units expect the release and its settings.
RELEASE = "/opt/saate/current"
SETTINGS_FILE = "/etc/saate/saate.env"
# systemd-analyze security's overall exposure, times ten (0 none … 100 all): at most 2.0.
MOST_EXPOSURE = 20
HARDENING = {"NoNewPrivileges": "yes", "ProtectSystem": "strict", "PrivateTmp": "yes",
             "ProtectHome": "yes", "CapabilityBoundingSet": ""}
# Production settings nobody should leave out of the environment file.
REQUIRED = {"SAATE_ENV", "SECRET_KEY", "DATABASE_URL", "SAATE_BASE_URL",
            "SAATE_TRUSTED_PROXIES", "SAATE_RATELIMIT_STORAGE_URI", "SAATE_BIND"}


def unit(name: str) -> dict[str, dict[str, list[str]]]:
    """A unit file's sections and keys, each key with every value it is given."""
    sections: dict[str, dict[str, list[str]]] = {}
    section: dict[str, list[str]] = {}
    for line in (DEPLOY / name).read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = sections.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        section.setdefault(key, []).append(value)
    return sections


def gunicorn_variables() -> set[str]:
    text = (ROOT / "gunicorn.conf.py").read_text()
    return set(re.findall(r'(?:environ\.get|_int)\("(\w+)"', text))


def every_variable() -> set[str]:
    return {"SAATE_ENV", *ENVIRONMENT_SETTINGS, *gunicorn_variables()}


def environment_example() -> dict[str, str]:
    lines = (DEPLOY / "saate.env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def test_the_whole_nginx_example_passes_nginx_t() -> None:
    nginx = NginxServer([])
    try:
        assert nginx.check_whole_example() == ""
    finally:
        nginx.stop()


@pytest.fixture
def units_here(tmp_path: Path) -> Path:
    """The units, pointing at this checkout (which has the .venv they run)."""
    for name in UNITS:
        text = (DEPLOY / name).read_text()
        assert RELEASE in text or name.endswith(".timer"), name
        (tmp_path / name).write_text(text.replace(RELEASE, str(ROOT))
                                     .replace(SETTINGS_FILE, str(tmp_path / "saate.env")))
    return tmp_path


def systemd_analyze(*args: str, directory: Path) -> subprocess.CompletedProcess:
    binary = shutil.which("systemd-analyze")
    if binary is None:
        raise RuntimeError("systemd-analyze is missing: run `make test` (apt-get install systemd)")
    return subprocess.run([binary, *args], cwd=directory, capture_output=True, text=True)


def test_systemd_accepts_the_units(units_here: Path) -> None:
    checked = systemd_analyze("verify", *(f"./{name}" for name in UNITS), directory=units_here)
    assert checked.returncode == 0 and checked.stderr == "", checked.stderr


def test_the_services_leave_little_of_the_host_exposed(units_here: Path) -> None:
    services = [f"./{name}" for name in UNITS if name.endswith(".service")]
    checked = systemd_analyze("security", "--offline=yes", f"--threshold={MOST_EXPOSURE}",
                              *services, directory=units_here)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_app_runs_as_gunicorn_conf_py_says_with_its_settings_file() -> None:
    service = unit("saate.service")["Service"]
    assert service["ExecStart"] == [f"{RELEASE}/.venv/bin/gunicorn -c gunicorn.conf.py wsgi:app"]
    assert service["WorkingDirectory"] == [RELEASE]
    assert service["EnvironmentFile"] == [SETTINGS_FILE]
    assert service["User"] == ["saate"] and service["Type"] == ["notify"]
    assert {key: service[key][0] for key in HARDENING} == HARDENING


@pytest.mark.parametrize(("job", "command", "when"), [
    ("saate-retention", "retention run", "03:30:00"),  # at night
    ("saate-followup", "followup send", "09:30:00"),  # the follow-up e-mails, in the morning
])
def test_the_daily_jobs_run_through_the_cli_with_the_same_settings(
        job: str, command: str, when: str) -> None:
    service = unit(f"{job}.service")["Service"]
    assert service["Type"] == ["oneshot"]
    assert service["ExecStart"] == [f"{RELEASE}/.venv/bin/flask --app wsgi {command}"]
    app = unit("saate.service")["Service"]
    for key in ("User", "WorkingDirectory", "EnvironmentFile", *HARDENING):
        assert service[key] == app[key], key
    timer = unit(f"{job}.timer")
    assert timer["Timer"]["OnCalendar"] == [f"*-*-* {when} Europe/Helsinki"]
    assert timer["Install"]["WantedBy"] == ["timers.target"]
    text = DEPLOYMENT.read_text()
    assert f"`docs/deploy/{job}.service`" in text and f"flask --app wsgi {command}" in text


def test_every_setting_is_explained_in_deployment_md() -> None:
    assert {"SAATE_BIND", "SAATE_WORKERS", "SAATE_GRACEFUL_TIMEOUT"} <= gunicorn_variables()
    text = DEPLOYMENT.read_text()
    missing = sorted(name for name in every_variable() if f"`{name}`" not in text)
    assert missing == [], f"add these to docs/DEPLOYMENT.md, 'Settings': {missing}"


def test_the_environment_example_names_real_settings_and_refuses_to_start_as_shipped() -> None:
    example = environment_example()
    assert set(example) <= every_variable(), set(example) - every_variable()
    assert set(example) >= REQUIRED, REQUIRED - set(example)
    assert example["SAATE_ENV"] == "production"
    # Every value parses; the empty secret key stops the app with a one-line reason.
    settings = settings_from_environment(example)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app(ProductionConfig, settings)


def test_the_shipping_format_leaves_addresses_and_browsers_out_of_the_access_log(
        tmp_path: Path) -> None:
    recipe = re.search(r"^GUNICORN_CMD_ARGS=(.+)$", DEPLOYMENT.read_text(), re.MULTILINE)
    assert recipe, "DEPLOYMENT.md gives no GUNICORN_CMD_ARGS line"
    # The value as systemd's EnvironmentFile passes it on: the quotes are gunicorn's to read.
    environment = production_environment(migrated_sqlite(tmp_path),
                                         GUNICORN_CMD_ARGS=recipe.group(1))
    with GunicornServer(tmp_path, environment) as server:
        browser = LiveClient(server.url, user_agent="Testi-Selain/1.0")
        assert browser.get("/fi/contact").status == 200
    lines = [line for line in server.stdout().splitlines() if "/fi/contact" in line]
    assert len(lines) == 1 and '"GET /fi/contact HTTP/1.1" 200 ' in lines[0], lines
    assert "127.0.0.1" not in lines[0] and "Testi-Selain" not in lines[0]
