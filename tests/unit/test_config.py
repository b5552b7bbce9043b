import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import ConfigurationError, create_app
from config import DEVELOPMENT_SECRET_KEY, ProductionConfig, settings_from_environment

ROOT = Path(__file__).resolve().parents[2]
GOOD_PRODUCTION = {
    "SECRET_KEY": "x" * 64,
    "DATABASE_URL": "sqlite://",
    "BASE_URL": "https://saate.example.test",
}


@pytest.mark.parametrize("key", ["", DEVELOPMENT_SECRET_KEY])
def test_production_refuses_missing_or_default_secret_key(key: str) -> None:
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        ProductionConfig.validate({**GOOD_PRODUCTION, "SECRET_KEY": key})


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


def test_wsgi_in_production_with_default_key_exits_with_one_line() -> None:
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    environment.update(SAATE_ENV="production", SECRET_KEY=DEVELOPMENT_SECRET_KEY)
    result = subprocess.run(
        [sys.executable, "-c", "import wsgi"], cwd=ROOT, env=environment,
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "SECRET_KEY" in lines[0]
