import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import ConfigurationError, create_app
from config import (
    CONFIGS,
    PUBLIC_SECRET_KEYS,
    ProductionConfig,
    config_for,
    development_secret_key,
    settings_from_environment,
)

ROOT = Path(__file__).resolve().parents[2]
GOOD_PRODUCTION = {
    "SECRET_KEY": "x" * 64,
    "DATABASE_URL": "sqlite://",
    "BASE_URL": "https://saate.example.test",
}


PUBLISHED_KEY = next(iter(PUBLIC_SECRET_KEYS))


@pytest.mark.parametrize("env_name", sorted(CONFIGS))
@pytest.mark.parametrize("key", ["", PUBLISHED_KEY])
def test_every_environment_refuses_a_missing_or_published_secret_key(env_name: str,
                                                                     key: str) -> None:
    """A published key lets anyone forge a staff session, on a laptop too."""
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        CONFIGS[env_name].validate({**GOOD_PRODUCTION, "SECRET_KEY": key})


def test_no_environment_is_chosen_for_you(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SAATE_ENV", raising=False)
    with pytest.raises(ConfigurationError, match="SAATE_ENV is not set"):
        config_for()


def test_development_makes_and_keeps_a_key_of_its_own(tmp_path: Path) -> None:
    path = tmp_path / "instance" / "development-secret-key"
    key = development_secret_key(path)
    assert len(key) == 64 and key not in PUBLIC_SECRET_KEYS
    assert path.stat().st_mode & 0o077 == 0  # readable by its owner only
    assert development_secret_key(path) == key


def test_production_refuses_short_secret_key() -> None:
    with pytest.raises(ConfigurationError, match="too short"):
        ProductionConfig.validate({**GOOD_PRODUCTION, "SECRET_KEY": "short"})


def test_production_starts_with_proper_settings() -> None:
    app = create_app(ProductionConfig, GOOD_PRODUCTION)
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_environment_overrides_settings() -> None:
    environ = {"DATABASE_URL": "sqlite:///x", "SAATE_DRAFT_TTL_DAYS": "7"}
    settings = settings_from_environment(environ)
    assert settings == {"DATABASE_URL": "sqlite:///x", "DRAFT_TTL_DAYS": 7}


@pytest.mark.parametrize(("settings", "reason"), [
    ({"SAATE_ENV": "production", "SECRET_KEY": PUBLISHED_KEY}, "SECRET_KEY"),
    ({"SAATE_ENV": "development", "SECRET_KEY": PUBLISHED_KEY}, "SECRET_KEY"),
    ({}, "SAATE_ENV is not set"),
])
def test_wsgi_refuses_to_start_with_one_line(settings: dict, reason: str) -> None:
    environment = {k: v for k, v in os.environ.items()
                   if k not in {"SECRET_KEY", "DATABASE_URL", "SAATE_ENV"}}
    environment.update(settings)
    result = subprocess.run(
        [sys.executable, "-c", "import wsgi"], cwd=ROOT, env=environment,
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert reason in lines[0]
