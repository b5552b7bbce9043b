"""statistics: daily counts kept as cases change

stats_count holds each team's statistics per day and per month (app/reporting/rollup.py),
so the page adds up a year's rows instead of reading a year of cases. It is derived from the
cases: it starts empty here, and app/migrate.py's upgrade counts it from the cases when
stats_rollup does not hold the counting's current version (as after this revision).
Partial indexes on the follow-ups and feedback with a comment let the statistics read the
newest comments without reading the period's cases.

Revision ID: a79863254b7c
Revises: 5b1f3c9a2d47
Create Date: 2026-11-30 21:16:38.513607
"""

from alembic import op
import sqlalchemy as sa
import app.database


revision = 'a79863254b7c'
down_revision = '5b1f3c9a2d47'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('stats_rollup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('built_at', app.database.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stats_rollup'))
    )
    op.create_table('stats_count',
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('span', sa.String(length=8), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('population', sa.String(length=16), nullable=False),
    sa.Column('dimension', sa.String(length=32), nullable=False),
    sa.Column('code', sa.String(length=100), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_stats_count_team_id_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('team_id', 'span', 'day', 'population', 'dimension', 'code', name=op.f('pk_stats_count'))
    )
    # The statistics' comments, newest first.
    for table, column in (("follow_up", "answered_at"), ("feedback", "created_at")):
        op.create_index(f"ix_{table}_commented", table, [column],
                        postgresql_where=sa.text("comment <> ''"),
                        sqlite_where=sa.text("comment <> ''"))


def downgrade() -> None:
    op.drop_index("ix_feedback_commented", table_name="feedback")
    op.drop_index("ix_follow_up_commented", table_name="follow_up")
    op.drop_table('stats_count')
    op.drop_table('stats_rollup')
