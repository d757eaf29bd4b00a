"""ticket.period_days, ticket.extension_days: what a deadline was counted with, so that a
changed calendar recounts it

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 22:31:37.242078
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.add_column(sa.Column("period_days", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("extension_days", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_column("extension_days")
        batch_op.drop_column("period_days")
