"""news table (non-call announcements) and programmes.evidence

Revision ID: i13_news
Revises: i14_outbox_claims
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i13_news"
down_revision: str | Sequence[str] | None = "i14_outbox_claims"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "news",
        sa.Column("news_id", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("source_url", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("funding_type", sa.String(length=40), nullable=True),
        sa.Column("ministry", sa.String(length=120), nullable=True),
        sa.Column("fiscal_year", sa.Integer(), nullable=True),
        sa.Column("recipient_levels", sa.String(length=80), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("raw_sha256", sa.String(length=64), nullable=True),
        sa.Column("first_seen", sa.Date(), nullable=False),
        sa.Column("last_seen", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("news_id"),
    )
    with op.batch_alter_table("news", schema=None) as batch_op:
        batch_op.create_index("ix_news_source", ["source"], unique=False)
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("evidence", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.drop_column("evidence")
    with op.batch_alter_table("news", schema=None) as batch_op:
        batch_op.drop_index("ix_news_source")
    op.drop_table("news")
