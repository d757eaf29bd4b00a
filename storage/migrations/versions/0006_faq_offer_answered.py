"""faq_offer: the one entry a resident was answered with, which they may say is not what they asked

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 04:30:34.121220
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("faq_offer", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("answered", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("faq_offer", schema=None) as batch_op:
        batch_op.drop_column("answered")
