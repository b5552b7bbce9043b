"""Migrations build the schema from nothing and agree with the models."""

from pathlib import Path

from flask import Flask
from sqlalchemy import inspect

from app import migrate
from app.database import Base, make_engine
from app.extensions import db


def test_upgrade_from_empty_builds_every_table(app: Flask) -> None:
    with db.engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_models_and_migrations_agree(app: Flask) -> None:
    with db.engine.connect() as connection:
        assert migrate.differences(connection) == []


def test_downgrade_to_nothing_and_up_again(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    migrate.upgrade(engine)
    migrate.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    migrate.upgrade(engine)
    with engine.connect() as connection:
        assert migrate.differences(connection) == []
    engine.dispose()


def test_postgres_downgrade_and_up_again(postgres) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(postgres.create_database("saate_migrations"))
    migrate.upgrade(engine)
    migrate.downgrade(engine, "base")
    migrate.upgrade(engine)
    with engine.connect() as connection:
        assert migrate.differences(connection) == []
    engine.dispose()
