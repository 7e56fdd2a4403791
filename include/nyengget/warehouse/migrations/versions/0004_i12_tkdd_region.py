"""tkdd_allocations: the portal's region code and the page each row came from

Revision ID: i12_tkdd_region
Revises: i13_news
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i12_tkdd_region"
down_revision: str | Sequence[str] | None = "i13_news"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tkdd_allocations") as batch:
        batch.add_column(sa.Column("region_code", sa.String(length=12), nullable=True))
        batch.add_column(sa.Column("source_url", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tkdd_allocations") as batch:
        batch.drop_column("source_url")
        batch.drop_column("region_code")
