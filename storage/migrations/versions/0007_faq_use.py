"""faq_use: each FAQ answer given and each turned down, counted per entry for officers

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 05:18:36.572529
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "faq_use",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("turned_down", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_faq_use_at", "faq_use", ["at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_faq_use_at", table_name="faq_use")
    op.drop_table("faq_use")
