"""faq_use.score, faq_offer.score: answers counted by the bot's score, to choose where review starts

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 22:59:42.029652
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("faq_offer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("score", sa.Float(), nullable=True))

    with op.batch_alter_table("faq_use", schema=None) as batch_op:
        batch_op.add_column(sa.Column("score", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("faq_use", schema=None) as batch_op:
        batch_op.drop_column("score")

    with op.batch_alter_table("faq_offer", schema=None) as batch_op:
        batch_op.drop_column("score")
