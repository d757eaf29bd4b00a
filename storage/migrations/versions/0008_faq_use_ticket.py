"""faq_use.ticket_id: the question ticket a turned-down answer became, so /answers can name it

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 18:41:50.416533
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

FOREIGN_KEY = "fk_faq_use_ticket_id_ticket"


def upgrade() -> None:
    with op.batch_alter_table("faq_use", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ticket_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(FOREIGN_KEY, "ticket", ["ticket_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("faq_use", schema=None) as batch_op:
        batch_op.drop_constraint(FOREIGN_KEY, type_="foreignkey")
        batch_op.drop_column("ticket_id")
