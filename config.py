"""Settings for development, testing and production, read from the environment.

Pick one with SAATE_ENV (development, testing, production): nothing is picked
by default, so development settings only ever apply when asked for. Every
setting that differs between installations comes from an environment variable;
nothing secret has a usable default anywhere.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

# Published in earlier versions of this file: anyone could sign sessions with it.
# No environment accepts it (development makes a key of its own, see below).
PUBLIC_SECRET_KEYS = frozenset({"development-only-secret-key-do-not-use-in-production"})
DEVELOPMENT_KEY_FILE = INSTANCE_DIR / "development-secret-key"


def parse_bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def parse_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


# Environment variables read when the app is created: name -> (setting, parser).
ENVIRONMENT_SETTINGS: dict[str, tuple[str, type | object]] = {
    "SECRET_KEY": ("SECRET_KEY", str),
    "DATABASE_URL": ("DATABASE_URL", str),
    "SQL_ECHO": ("SQL_ECHO", parse_bool),
    "SAATE_SQLITE_BUSY_TIMEOUT_MS": ("SQLITE_BUSY_TIMEOUT_MS", int),
    "SAATE_SECURE_COOKIES": ("SESSION_COOKIE_SECURE", parse_bool),
    "SAATE_EMERGENCY_NUMBER": ("EMERGENCY_NUMBER", str),
    "SAATE_CRISIS_LINE_FI": ("CRISIS_LINE_FI", str),
    "SAATE_CRISIS_LINE_SV": ("CRISIS_LINE_SV", str),
    "SAATE_PROVIDER": ("SERVICE_PROVIDER", str),
    "SAATE_DRAFT_TTL_DAYS": ("DRAFT_TTL_DAYS", int),
    "SAATE_STAFF_IDLE_MINUTES": ("STAFF_IDLE_MINUTES", int),
    "SAATE_BASE_URL": ("BASE_URL", str),
    "SAATE_SMTP_HOST": ("SMTP_HOST", str),
    "SAATE_SMTP_PORT": ("SMTP_PORT", int),
    "SAATE_SMTP_USER": ("SMTP_USER", str),
    "SAATE_SMTP_PASSWORD": ("SMTP_PASSWORD", str),
    "SAATE_SMTP_STARTTLS": ("SMTP_STARTTLS", parse_bool),
    "SAATE_MAIL_FROM": ("MAIL_FROM", str),
    "SAATE_LOG_LEVEL": ("LOG_LEVEL", str),
    "SAATE_STAFF_SESSION_HOURS": ("STAFF_SESSION_HOURS", int),
    "SAATE_TRUSTED_PROXIES": ("TRUSTED_PROXIES", int),
    "SAATE_TRUSTED_HOSTS": ("EXTRA_TRUSTED_HOSTS", parse_list),
    "SAATE_RATELIMIT_STORAGE_URI": ("RATELIMIT_STORAGE_URI", str),
    "SAATE_MAX_REQUEST_KB": ("MAX_REQUEST_KB", int),
}


def settings_from_environment(environ: dict[str, str] | None = None) -> dict[str, object]:
    """The settings that the environment overrides, parsed."""
    environ = os.environ if environ is None else environ
    settings: dict[str, object] = {}
    for variable, (setting, parse) in ENVIRONMENT_SETTINGS.items():
        if variable in environ:
            settings[setting] = parse(environ[variable])  # type: ignore[operator]
    return settings


class ConfigurationError(RuntimeError):
    """Raised when the settings are unsafe or incomplete; the message is one line."""


class Config:
    ENV_NAME = "base"
    SECRET_KEY = ""
    DATABASE_URL = f"sqlite:///{INSTANCE_DIR / 'saate.sqlite3'}"
    SQL_ECHO = False
    # How long SQLite waits for another writer before a "try again" page (503).
    SQLITE_BUSY_TIMEOUT_MS = 5000
    LOG_LEVEL = "INFO"
    # Where links in e-mails point; pages themselves use relative URLs.
    BASE_URL = "http://127.0.0.1:5000"

    # Languages: one entry each. `segment` is the URL prefix, `locale` the Babel
    # locale and catalogue folder, `name` the language's name in itself, `html_lang`
    # what <html lang> says, `fallback` the locale a missing message falls back to
    # (message by message), `sides` which audiences may use it, `crisis_line` which
    # of the crisis line's numbers (CRISIS_LINE_FI / _SV) the footer gives.
    LANGUAGES = [
        {"segment": "fi", "locale": "fi", "name": "Suomi", "html_lang": "fi",
         "fallback": None, "sides": ["public", "staff"], "crisis_line": "fi"},
        {"segment": "sv", "locale": "sv", "name": "Svenska", "html_lang": "sv",
         "fallback": None, "sides": ["public", "staff"], "crisis_line": "sv"},
        {"segment": "selko", "locale": "fi@selko", "name": "Selkosuomi", "html_lang": "fi",
         "fallback": "fi", "sides": ["public"], "crisis_line": "fi"},
    ]
    DEFAULT_LANGUAGE = "fi"
    BABEL_DEFAULT_TIMEZONE = "Europe/Helsinki"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")

    # Help numbers in the footer, by the page's html language.
    # Help numbers in the footer. The crisis line is MIELI ry's Kriisipuhelin,
    # which answers in Finnish and in Swedish on different numbers.
    EMERGENCY_NUMBER = "112"
    CRISIS_LINE_FI = "09 2525 0111"
    CRISIS_LINE_SV = "09 2525 0112"
    SERVICE_PROVIDER = "Keski-Suomen hyvinvointialue"

    # Client side
    DRAFT_TTL_DAYS = 30
    RESUME_MAX_FAILURES_PER_CODE = 5
    RESUME_FAILURE_WINDOW_MINUTES = 60

    # Staff side: signed out after this long idle, and after this long in any case.
    STAFF_IDLE_MINUTES = 30
    STAFF_SESSION_HOURS = 10
    SIGN_IN_MAX_FAILURES_PER_ACCOUNT = 5
    SIGN_IN_FAILURE_WINDOW_MINUTES = 15
    QUEUE_PAGE_SIZE = 50
    # Status counts in the queue stop here ("over 9,999") so a view never reads every case.
    QUEUE_COUNT_CAP = 9_999

    # E-mail (new-case notices); no SMTP_HOST means notices are skipped and logged.
    SMTP_HOST = ""
    SMTP_PORT = 587
    SMTP_USER = ""
    SMTP_PASSWORD = ""
    SMTP_STARTTLS = True
    MAIL_FROM = "saate@localhost"

    # Cookies and sessions
    SESSION_COOKIE_NAME = "saate_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 24 * 30
    WTF_CSRF_TIME_LIMIT = 60 * 60 * 4
    WTF_CSRF_CHECK_DEFAULT = False  # app/security.py decides which views check how

    # Requests: the largest body (the longest saate step is about 20 KB) and the most
    # form fields any page has, with room to spare. Larger ones get a friendly 413.
    MAX_REQUEST_KB = 64
    MAX_FORM_PARTS = 200
    # Reverse proxies in front of the app whose X-Forwarded-For is trusted (0: none).
    TRUSTED_PROXIES = 0
    # Host names the app answers to; None accepts any (development and tests).
    TRUSTED_HOSTS: list[str] | None = None
    EXTRA_TRUSTED_HOSTS: list[str] = []
    # Where rate-limit counters live: memory:// per process, or redis://host:port/db.
    RATELIMIT_STORAGE_URI = "memory://"
    # Compile templates and read catalogues as each worker starts (production), rather than
    # in its first requests; tests and development start many apps and stay lazy.
    PREPARE_AT_START = False

    @classmethod
    def finish(cls, settings: dict) -> None:
        """Settings that follow from others, then refuse unsafe ones (one-line reasons)."""
        settings["MAX_CONTENT_LENGTH"] = settings["MAX_REQUEST_KB"] * 1024
        settings["MAX_FORM_MEMORY_SIZE"] = settings["MAX_CONTENT_LENGTH"]
        extra_hosts = settings.get("EXTRA_TRUSTED_HOSTS") or []
        if extra_hosts:
            settings["TRUSTED_HOSTS"] = [*(settings.get("TRUSTED_HOSTS") or []), *extra_hosts]
        cls.validate(settings)

    @staticmethod
    def validate(settings: dict) -> None:
        key = str(settings.get("SECRET_KEY") or "")
        if not key or key in PUBLIC_SECRET_KEYS:
            raise ConfigurationError(
                "SECRET_KEY is missing or is a published default: set SECRET_KEY to a "
                "long random value, e.g. `python3 -c 'import secrets; "
                "print(secrets.token_hex(32))'`."
            )


def development_secret_key(path: Path = DEVELOPMENT_KEY_FILE) -> str:
    """This laptop's own random key, made on first use and kept under instance/."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class DevelopmentConfig(Config):
    ENV_NAME = "development"

    @classmethod
    def finish(cls, settings: dict) -> None:
        if not settings.get("SECRET_KEY"):
            settings["SECRET_KEY"] = development_secret_key()
        super().finish(settings)


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    # New for every test run: nothing signed in one run is valid in another.
    SECRET_KEY = secrets.token_hex(32)
    DATABASE_URL = "sqlite://"
    WTF_CSRF_ENABLED = True


class ProductionConfig(Config):
    ENV_NAME = "production"
    PREPARE_AT_START = True
    SESSION_COOKIE_SECURE = True
    SECRET_KEY = ""
    DATABASE_URL = ""
    BASE_URL = ""

    @classmethod
    def finish(cls, settings: dict) -> None:
        # Answer only to the public address (and any SAATE_TRUSTED_HOSTS): a forged Host is a 400.
        if settings.get("TRUSTED_HOSTS") is None and settings.get("BASE_URL"):
            settings["TRUSTED_HOSTS"] = [urlsplit(settings["BASE_URL"]).hostname or ""]
        super().finish(settings)

    @staticmethod
    def validate(settings: dict) -> None:
        Config.validate(settings)
        key = str(settings["SECRET_KEY"])
        if len(key) < 32:
            raise ConfigurationError("SECRET_KEY is too short: use at least 32 random characters.")
        if not settings.get("DATABASE_URL"):
            raise ConfigurationError(
                "DATABASE_URL is not set: production needs an explicit database "
                "(e.g. postgresql+psycopg://saate@/saate)."
            )
        if not settings.get("BASE_URL"):
            raise ConfigurationError(
                "SAATE_BASE_URL is not set: e-mails need the public address of this service."
            )


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(env_name: str | None = None) -> type[Config]:
    """The settings class for SAATE_ENV (or the name given); there is no default."""
    name = (env_name or os.environ.get("SAATE_ENV") or "").strip().lower()
    if not name:
        raise ConfigurationError(
            "SAATE_ENV is not set: set it to production (or development on a laptop; "
            "`make run` does)."
        )
    try:
        return CONFIGS[name]
    except KeyError:
        raise ConfigurationError(
            f"SAATE_ENV={name!r} is not one of: {', '.join(CONFIGS)}."
        ) from None
