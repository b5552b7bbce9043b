"""Saate: the online front door of a work-ability support service (alkupalvelu)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from config import Config, ConfigurationError, config_for, settings_from_environment

from . import assets, auth, errors, i18n, incoming, limits, logs, security, sessions
from .extensions import babel, csrf, db
from .reporting import rollup


def create_app(
    config: type[Config] | str | None = None, overrides: dict[str, Any] | None = None
) -> Flask:
    """Build the app: settings, extensions, blueprints, hooks and error pages.

    `config` is a settings class or an environment name (default: SAATE_ENV);
    the environment's variables come next, `overrides` (tests) last.
    """
    config_class = config if isinstance(config, type) else config_for(config)
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder=None,  # app/assets.py serves static/ under fingerprinted names
        instance_relative_config=True,
    )
    app.config.from_object(config_class)
    app.config.update(settings_from_environment())
    app.config.update(overrides or {})
    config_class.finish(app.config)
    incoming.init_app(app)
    assets.init_app(app)

    logs.init_app(app)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.add_extension("jinja2.ext.do")
    db.init_app(app)
    rollup.keep_counts(app.extensions["saate_db"].session_factory)
    babel.init_app(
        app,
        default_locale=app.config["LANGUAGES"][0]["locale"],
        locale_selector=i18n.select_locale,
    )
    i18n.init_app(app)
    csrf.init_app(app)
    security.init_app(app)
    sessions.init_app(app)
    auth.init_login(app)
    register_blueprints(app)
    limits.init_app(app)
    errors.init_app(app)
    register_cli(app)
    if app.config["PREPARE_AT_START"]:
        prepare_for_serving(app)
    return app


def prepare_for_serving(app: Flask) -> None:
    """Compile every template and read every catalogue now, in each worker as it starts,
    rather than in the first requests that need them."""
    for name in app.jinja_env.list_templates(extensions=["html"]):
        app.jinja_env.get_template(name)
    i18n.load_catalogues(app)


def register_blueprints(app: Flask) -> None:
    from .auth import bp as auth_bp
    from .fhir import bp as fhir_bp
    from .health import bp as health_bp
    from .public import bp as public_bp
    from .staff import bp as staff_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(fhir_bp)


def register_cli(app: Flask) -> None:
    from . import cli

    cli.init_app(app)


__all__ = ["ConfigurationError", "create_app"]
