"""regions: `region_code` on the region-owned tables, in their keys; existing rows go to the default region

Revision ID: i17_regions
Revises: i15_proposer_routing

Rows stored before regions existed belong to the configured default region (`regions.yaml` `default`,
file NYENGGET_REGIONS_FILE); outbox rows too (alerts included). tkdd_allocations' DJPK code, until now
`region_code`, is renamed `djpk_code`; its `region_code` is the Kemendagri code like everywhere else.
"""

import warnings
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i17_regions"
down_revision: str | Sequence[str] | None = "i15_proposer_routing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table -> (new primary key or None, unique constraint name and columns or None, index name and columns or None)
KEYED = {
    "opds": (["region_code", "opd_code"], None, None),
    "innovations": (["region_code", "innovation_id"], None, None),
    "matches": (["region_code", "week_start", "innovation_id", "programme_id"], None, None),
    "nyengget_weekly": (["region_code", "week_start", "innovation_id", "programme_id"], None,
                        ("ix_nyengget_weekly_opd", ["region_code", "week_start", "opd_code"])),
    "outbox": (None, ("uq_outbox_key", ["region_code", "week_start", "recipient", "kind"]), None),
    "review_feedback": (None, None, ("ix_review_feedback_pair", ["region_code", "innovation_id", "programme_id"])),
    "tkdd_allocations": (None, ("uq_tkdd_allocations_account", ["region_code", "pemda", "fiscal_year", "kodeakun"]),
                         None),
}
OLD = {
    "opds": (["opd_code"], None, None),
    "innovations": (["innovation_id"], None, None),
    "matches": (["week_start", "innovation_id", "programme_id"], None, None),
    "nyengget_weekly": (["week_start", "innovation_id", "programme_id"], None,
                        ("ix_nyengget_weekly_opd", ["week_start", "opd_code"])),
    "outbox": (None, ("uq_outbox_key", ["week_start", "recipient", "kind"]), None),
    "review_feedback": (None, None, ("ix_review_feedback_pair", ["innovation_id", "programme_id"])),
    "tkdd_allocations": (None, ("uq_tkdd_allocations_account", ["pemda", "fiscal_year", "kodeakun"]), None),
}


def _default_region() -> str:
    from nyengget.regions import configured_regions

    return configured_regions().default_code


def _rekey(table: str, keys: tuple, drop: tuple) -> None:
    """Replace the table's primary key, unique constraint and index by `keys` (those of `drop` go)."""
    pk, unique, index = keys
    old_pk, old_unique, old_index = drop
    sqlite = op.get_bind().dialect.name == "sqlite"
    with warnings.catch_warnings(), op.batch_alter_table(table, recreate="always" if sqlite else "auto") as batch:
        # SQLite rebuilds the table; SQLAlchemy warns that the copy's primary key differs, which is the point
        warnings.filterwarnings("ignore", message=".*specifies columns .* as primary_key=True")
        if old_index:
            batch.drop_index(old_index[0])
        if old_unique:
            batch.drop_constraint(old_unique[0], type_="unique")
        if pk and not sqlite:
            batch.drop_constraint(f"{table}_pkey", type_="primary")
        if pk:
            batch.create_primary_key(f"{table}_pkey", pk)
        if unique:
            batch.create_unique_constraint(unique[0], unique[1])
    if index:
        op.create_index(index[0], table, index[1])


def upgrade() -> None:
    with op.batch_alter_table("tkdd_allocations") as batch:
        batch.alter_column("region_code", new_column_name="djpk_code", existing_type=sa.String(12))
    default = _default_region()
    for table in KEYED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("region_code", sa.String(12), nullable=True))
        op.execute(sa.text(f"UPDATE {table} SET region_code = :code").bindparams(code=default))
        with op.batch_alter_table(table) as batch:
            batch.alter_column("region_code", existing_type=sa.String(12), nullable=False)
        _rekey(table, KEYED[table], OLD[table])


def downgrade() -> None:
    for table in KEYED:
        _rekey(table, OLD[table], KEYED[table])
        with op.batch_alter_table(table) as batch:
            batch.drop_column("region_code")
    with op.batch_alter_table("tkdd_allocations") as batch:
        batch.alter_column("djpk_code", new_column_name="region_code", existing_type=sa.String(12))
