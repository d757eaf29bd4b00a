"""outbox: index the platform's message ids, so a resident's reply to the bot is found by them

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 02:10:00.000000
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_outbox_platform_message_id", "outbox", ["platform_message_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_platform_message_id", table_name="outbox")
