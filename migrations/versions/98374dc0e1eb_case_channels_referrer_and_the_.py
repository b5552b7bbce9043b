"""case channels, referrer and the asiakasvastaava's organisation and phone

Every case gets the channel it came by; the cases already stored came by the web
(the server default fills them in). A referral keeps its referrer, and the named
asiakasvastaava may be someone outside the team with an organisation and a phone.

Revision ID: 98374dc0e1eb
Revises: ee4dbfdbd01c
Create Date: 2026-11-30 12:55:33.914795
"""

from alembic import op
import sqlalchemy as sa


revision = '98374dc0e1eb'
down_revision = 'ee4dbfdbd01c'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=16), server_default='web',
                                      nullable=False))
        batch_op.add_column(sa.Column('referrer_organisation', sa.String(length=200),
                                      nullable=True))
        batch_op.add_column(sa.Column('referrer_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('contact_person_organisation', sa.String(length=200),
                                      nullable=True))
        batch_op.add_column(sa.Column('contact_person_phone', sa.String(length=40),
                                      nullable=True))
        # sa.false(): "false" on PostgreSQL, 0 on SQLite.
        batch_op.add_column(sa.Column('contact_person_phone_shareable', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_column('contact_person_phone_shareable')
        batch_op.drop_column('contact_person_phone')
        batch_op.drop_column('contact_person_organisation')
        batch_op.drop_column('referrer_name')
        batch_op.drop_column('referrer_organisation')
        batch_op.drop_column('channel')
