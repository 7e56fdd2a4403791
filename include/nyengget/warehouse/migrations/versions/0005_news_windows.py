"""news: the window an earlier round's announcement names (for the forecast of the next round)

Revision ID: news_windows
Revises: i12_tkdd_region
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "news_windows"
down_revision: str | Sequence[str] | None = "i12_tkdd_region"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("news") as batch:
        batch.add_column(sa.Column("opens_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("closes_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("news") as batch:
        batch.drop_column("closes_on")
        batch.drop_column("opens_on")
