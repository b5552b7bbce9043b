"""Alembic environment: uses the engine app/migrate.py hands over."""

from alembic import context

import app.models  # noqa: F401  (registers every table on the metadata)
from app.database import Base

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
