"""SQLAlchemy Core schema of the warehouse (SQLite in the embedded default, PostgreSQL in production).

Changing a table here needs a new Alembic revision under `warehouse/migrations/versions/`.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

# `region_code` is the Kemendagri code of the region (pemda) a row belongs to (`nyengget.regions`);
# programmes, their versions, news, regulations and source runs are shared by every region.
REGION = 12  # "36.73"; "" in the outbox for deployment-wide messages (alerts, health)


def _default_region_code() -> str:
    """Rows written without a region (single-region callers) belong to the configured default region."""
    from nyengget.regions import default_region

    return default_region().code

programmes = Table(
    "programmes",
    metadata,
    Column("programme_id", String(200), primary_key=True),
    Column("source", String(80), nullable=False),
    Column("source_url", Text),
    Column("title", Text, nullable=False),
    Column("description", Text),
    Column("funding_type", String(40), nullable=False),
    Column("ministry", String(120)),
    Column("bidang", String(120)),
    Column("subbidang", String(200)),
    Column("menu", Text),
    Column("fiscal_year", Integer),
    Column("recipient_levels", String(80)),
    Column("opens_on", Date),
    Column("closes_on", Date),
    Column("ceiling_idr", BigInteger),
    Column("legal_basis", Text),
    Column("content_hash", String(64), nullable=False),
    Column("raw_sha256", String(64)),
    Column("first_seen", Date, nullable=False),
    Column("last_seen", Date, nullable=False),
    Column("status", String(20), nullable=False, server_default="active"),
    Column("updated_at", DateTime(timezone=True)),
    Column("evidence", Text),  # JSON: field -> the sentence of the source it was read from
)

programme_versions = Table(
    "programme_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("programme_id", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("week_start", Date, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("changed_fields", String(200)),
    Column("change_note", Text),
    Column("data", Text, nullable=False),
    Column("raw_sha256", String(64)),
    Column("observed_at", DateTime(timezone=True)),
    UniqueConstraint("programme_id", "version", name="uq_programme_versions_version"),
    UniqueConstraint("programme_id", "week_start", name="uq_programme_versions_week"),
)

# announcement pages that are not calls (award ceremonies, recipient lists, evaluation news): context for
# planners and for the forecast, never programmes
news = Table(
    "news",
    metadata,
    Column("news_id", String(200), primary_key=True),
    Column("source", String(80), nullable=False),
    Column("source_url", Text),
    Column("title", Text, nullable=False),
    Column("description", Text),
    Column("funding_type", String(40)),
    Column("ministry", String(120)),
    Column("fiscal_year", Integer),
    Column("recipient_levels", String(80)),
    Column("published_on", Date),
    Column("opens_on", Date),  # the window an earlier round named (the forecast reads it)
    Column("closes_on", Date),
    Column("raw_sha256", String(64)),
    Column("first_seen", Date, nullable=False),
    Column("last_seen", Date, nullable=False),
    Index("ix_news_source", "source"),
)

regulations = Table(
    "regulations",
    metadata,
    Column("regulation_id", String(120), primary_key=True),
    Column("source", String(80), nullable=False),
    Column("source_url", Text),
    Column("jenis", String(80)),
    Column("nomor", String(40)),
    Column("tahun", Integer),
    Column("judul", Text, nullable=False),
    Column("tanggal_penetapan", Date),
    Column("status", String(80)),
    Column("subjek", Text),
    Column("pdf_url", Text),
    Column("content_hash", String(64), nullable=False),
    Column("raw_sha256", String(64)),
    Column("first_seen", Date, nullable=False),
    Column("last_seen", Date, nullable=False),
    Column("updated_at", DateTime(timezone=True)),
)

tkdd_allocations = Table(
    "tkdd_allocations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(80), nullable=False),
    Column("region_code", String(REGION), nullable=False, default=_default_region_code),  # Kemendagri code of the region
    Column("pemda", String(120), nullable=False),
    Column("djpk_code", String(12)),  # the DJPK portal's own code of the region, e.g. 28.07
    Column("fiscal_year", Integer, nullable=False),
    Column("kodeakun", String(40), nullable=False),
    Column("account", Text, nullable=False),
    Column("parent", Text),
    Column("anggaran", BigInteger),
    Column("realisasi", BigInteger),
    Column("week_start", Date, nullable=False),
    Column("raw_sha256", String(64)),
    Column("source_url", Text),
    UniqueConstraint("region_code", "pemda", "fiscal_year", "kodeakun", name="uq_tkdd_allocations_account"),
)

source_runs = Table(
    "source_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(80), nullable=False),
    Column("week_start", Date, nullable=False),
    Column("adapter", String(40)),
    Column("started_at", DateTime(timezone=True)),
    Column("finished_at", DateTime(timezone=True)),
    Column("duration_s", Float),
    Column("fetched", Integer, nullable=False, server_default="0"),
    Column("not_modified", Integer, nullable=False, server_default="0"),
    Column("parsed", Integer, nullable=False, server_default="0"),
    Column("new", Integer, nullable=False, server_default="0"),
    Column("changed", Integer, nullable=False, server_default="0"),
    Column("disappeared", Integer, nullable=False, server_default="0"),
    Column("quarantined", Integer, nullable=False, server_default="0"),
    Column("errors", Integer, nullable=False, server_default="0"),
    Column("health", String(20), nullable=False),
    Column("message", Text),
    UniqueConstraint("source", "week_start", name="uq_source_runs_week"),
)

opds = Table(
    "opds",
    metadata,
    Column("region_code", String(REGION), primary_key=True, default=_default_region_code),
    Column("opd_code", String(40), primary_key=True),
    Column("name", Text, nullable=False),
    Column("short_name", String(80)),
    Column("emails", Text),
    Column("kecamatan", String(80)),
    Column("paused", Boolean, nullable=False, server_default="0"),
    Column("content_hash", String(64)),
    Column("updated_at", DateTime(timezone=True)),
)

innovations = Table(
    "innovations",
    metadata,
    Column("region_code", String(REGION), primary_key=True, default=_default_region_code),
    Column("innovation_id", String(80), primary_key=True),
    Column("name", Text, nullable=False),
    Column("opd", Text, nullable=False),
    Column("opd_code", String(40)),
    Column("urusan", Text),
    Column("bentuk", String(80)),
    Column("jenis", String(20)),
    Column("tahapan", String(20)),
    Column("description", Text),
    Column("active", Boolean, nullable=False, server_default="1"),
    Column("content_hash", String(64), nullable=False),
    Column("source_file", Text),
    Column("first_seen", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True)),
)

quarantine = Table(
    "quarantine",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),
    Column("source", Text, nullable=False),
    Column("row_number", Integer),
    Column("field", String(80)),
    Column("reason_id", Text, nullable=False),
    Column("reason_en", Text, nullable=False),
    Column("raw", Text),
    Column("raw_sha256", String(64)),
    Column("week_start", Date),
    Column("created_at", DateTime(timezone=True)),
    Index("ix_quarantine_kind_source", "kind", "source"),
)

matches = Table(
    "matches",
    metadata,
    Column("region_code", String(REGION), primary_key=True, default=_default_region_code),
    Column("week_start", Date, primary_key=True),
    Column("innovation_id", String(80), primary_key=True),
    Column("programme_id", String(200), primary_key=True),
    Column("rank", Integer, nullable=False),
    Column("score", Float, nullable=False),
    Column("reasons", Text, nullable=False),
    Column("funding_line", String(80)),  # who may propose (matching/proposers.yaml), from the matcher
    Column("proposer_types", Text),
    Column("proposal_route", String(20)),
    Column("proposer_source", Text),
    Column("own_opd_may_propose", Boolean),
)

nyengget_weekly = Table(
    "nyengget_weekly",
    metadata,
    Column("region_code", String(REGION), primary_key=True, default=_default_region_code),
    Column("week_start", Date, primary_key=True),
    Column("innovation_id", String(80), primary_key=True),
    Column("programme_id", String(200), primary_key=True),
    Column("rank", Integer, nullable=False),
    Column("score", Float, nullable=False),
    Column("reasons", Text, nullable=False),
    Column("innovation_name", Text),
    Column("opd", Text),
    Column("opd_code", String(40)),
    Column("programme_title", Text),
    Column("funding_type", String(40)),
    Column("ministry", String(120)),
    Column("bidang", String(120)),
    Column("ceiling_idr", BigInteger),
    Column("opens_on", Date),
    Column("closes_on", Date),
    Column("days_left", Integer),
    Column("source_url", Text),
    Column("is_new", Boolean, nullable=False),
    Column("is_changed", Boolean, nullable=False),
    Column("changed_fields", String(200)),
    Column("change_note", Text),
    Column("closing_soon", Boolean, nullable=False),
    Column("review_status", String(40)),
    Column("funding_line", String(80)),  # who may propose (matching/proposers.yaml), from the matcher
    Column("proposer_types", Text),
    Column("proposal_route", String(20)),
    Column("proposer_source", Text),
    Column("home_opd_code", String(40)),  # the innovation's own OPD
    Column("proposer_opd_code", String(40)),  # the OPD the routing gives the item to (before reassignment)
    Column("partner_opd_code", String(40)),  # the innovation's OPD when another OPD proposes (mitra)
    Column("routing", String(20)),  # weekly.routing.ROUTINGS
    Column("routing_note", Text),  # who proposes / why flagged, in Indonesian
    Index("ix_nyengget_weekly_opd", "region_code", "week_start", "opd_code"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("region_code", String(REGION), nullable=False, default=_default_region_code),
    Column("week_start", Date, nullable=False),
    Column("recipient", String(320), nullable=False),
    Column("kind", String(160), nullable=False),
    Column("subject", Text, nullable=False),
    Column("message", Text, nullable=False),
    Column("items", Integer, nullable=False, server_default="0"),
    Column("status", String(20), nullable=False, server_default="pending"),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text),
    Column("created_at", DateTime(timezone=True)),
    Column("sent_at", DateTime(timezone=True)),
    Column("claimed_by", String(120)),  # the worker sending it (status "sending") until lease_until
    Column("lease_until", DateTime(timezone=True)),
    Column("message_id", String(250)),  # derived from the key: the same on every resend
    UniqueConstraint("region_code", "week_start", "recipient", "kind", name="uq_outbox_key"),
    Index("ix_outbox_status", "status", "week_start"),
)

review_feedback = Table(
    "review_feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("region_code", String(REGION), nullable=False, default=_default_region_code),
    Column("week_start", Date, nullable=False),
    Column("innovation_id", String(80), nullable=False),
    Column("programme_id", String(200), nullable=False),
    Column("status", String(40), nullable=False),
    Column("reason", String(80)),
    Column("note", Text),
    Column("assigned_opd", String(40)),
    Column("dismissal_scope", String(20)),  # decisions.SCOPES; None = this innovation (rows before i15)
    Column("dismissal_opd", String(40)),  # the OPD an "opd" scope dismissal is for
    Column("actor", String(120), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_review_feedback_pair", "region_code", "innovation_id", "programme_id"),
)
