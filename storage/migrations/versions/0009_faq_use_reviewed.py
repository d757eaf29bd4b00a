"""faq_use.reviewed: an answer held for an officer, whose ticket tells whether the bot picked right

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 21:18:23.860741
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("faq_use", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reviewed", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("faq_use", schema=None) as batch_op:
        batch_op.drop_column("reviewed")
