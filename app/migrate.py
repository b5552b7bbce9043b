"""Alembic, driven from the app: the schema lives in migrations/."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config as AlembicConfig
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection, Engine

from app.database import Base
from app.reporting import rollup

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(engine: Engine) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate to `revision`; at the newest, also count the statistics' daily counts again
    when they were made by an older version of the counting (app/reporting/rollup.py)."""
    command.upgrade(alembic_config(engine), revision)
    if revision == "head":
        with engine.begin() as connection:
            if not rollup.is_current(connection):
                rollup.rebuild(connection)


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(alembic_config(engine), revision)


def revision(engine: Engine, message: str, autogenerate: bool = True) -> None:
    command.revision(alembic_config(engine), message=message, autogenerate=autogenerate)


def current(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def differences(connection: Connection) -> list:
    """What autogenerate would change: empty when models and migrations agree."""
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, Base.metadata)
