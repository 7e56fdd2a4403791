"""matches and nyengget_weekly carry who may propose and the routing; review_feedback a dismissal scope

Revision ID: i15_proposer_routing
Revises: news_windows

Every new column is nullable: rows written before keep working (no proposer facts = not routed; no
dismissal scope = the one (innovation, programme) pair, as before).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i15_proposer_routing"
down_revision: str | Sequence[str] | None = "news_windows"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PROPOSER = (
    ("funding_line", sa.String(80)),
    ("proposer_types", sa.Text()),
    ("proposal_route", sa.String(20)),
    ("proposer_source", sa.Text()),
)
MATCHES = (*PROPOSER, ("own_opd_may_propose", sa.Boolean()))
WEEKLY = (
    *PROPOSER,
    ("home_opd_code", sa.String(40)),
    ("proposer_opd_code", sa.String(40)),
    ("partner_opd_code", sa.String(40)),
    ("routing", sa.String(20)),
    ("routing_note", sa.Text()),
)
FEEDBACK = (("dismissal_scope", sa.String(20)), ("dismissal_opd", sa.String(40)))


def upgrade() -> None:
    for table, columns in (("matches", MATCHES), ("nyengget_weekly", WEEKLY), ("review_feedback", FEEDBACK)):
        with op.batch_alter_table(table) as batch:
            for name, type_ in columns:
                batch.add_column(sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    for table, columns in (("review_feedback", FEEDBACK), ("nyengget_weekly", WEEKLY), ("matches", MATCHES)):
        with op.batch_alter_table(table) as batch:
            for name, _type in reversed(columns):
                batch.drop_column(name)
