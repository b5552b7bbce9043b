"""drafts remember the parts done (resume opens the first part not done)

Revision ID: 7b3e2d91c4a0
Revises: 754e73f1450a
Create Date: 2026-11-30 12:30:00.000000
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


revision = '7b3e2d91c4a0'
down_revision = '754e73f1450a'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Drafts saved before this know no part as done: resuming them opens the first part.
    with op.batch_alter_table('draft', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'done_steps',
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'),
            server_default='[]', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('draft', schema=None) as batch_op:
        batch_op.drop_column('done_steps')
