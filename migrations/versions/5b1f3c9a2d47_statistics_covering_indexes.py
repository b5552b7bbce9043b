"""statistics: the case indexes by team and day carry what the statistics count

On PostgreSQL, ix_case_team_created and ix_case_team_closed gain the columns the
statistics read (INCLUDE), so a team's year is counted from the index alone (an
index-only scan) instead of from the case rows, which hold the answers and are many
times larger (app/reporting/statistics.py, docs/PERFORMANCE.md). SQLite has no INCLUDE:
its indexes stay as they are.

Revision ID: 5b1f3c9a2d47
Revises: 7e66ad8fa265
Create Date: 2026-11-30 19:10:00.000000
"""

from alembic import op
import sqlalchemy as sa
import app.database


revision = '5b1f3c9a2d47'
down_revision = '7e66ad8fa265'
branch_labels = None
depends_on = None

# As in app/models.py when this revision was written.
CREATED_INCLUDE = ["id", "kind", "channel", "language", "status", "urgent",
                   "promised_contact_date", "contacted_at", "routed_at", "close_reason",
                   "age_group", "education"]
CLOSED_INCLUDE = ["id", "status", "close_reason", "saw_doctor"]


def _recreate(include_created: list[str], include_closed: list[str]) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, day, include in (("ix_case_team_created", "created_at", include_created),
                               ("ix_case_team_closed", "closed_at", include_closed)):
        op.drop_index(name, table_name="case")
        op.create_index(name, "case", ["team_id", day], unique=False,
                        postgresql_include=include)


def upgrade() -> None:
    _recreate(CREATED_INCLUDE, CLOSED_INCLUDE)


def downgrade() -> None:
    _recreate([], [])
