"""Quality gates of the weekly list: warehouse rules checked before a region's emails are queued.

The rules are data, run by the common-sql check operators on the `nyengget_warehouse` connection (the DAG
builds them in `nyengget.orchestration.dag_support.quality_gates`), once per region: `{week}` is the Monday
of the week being published, `{region}` the region's code (Kemendagri, validated by `nyengget.regions`).
A region's gates see only its own rows of `nyengget_weekly` and the programmes listed for it.
"""

from __future__ import annotations

from typing import Any

CONN_ID = "nyengget_warehouse"
IN_WEEK = "week_start = '{week}' AND region_code = '{region}'"
LISTED = f"programme_id IN (SELECT programme_id FROM nyengget_weekly WHERE {IN_WEEK})"

# gate task id -> (operator kind, table, partition clause, checks). "column": SQLColumnCheckOperator's
# column_mapping; "rows": rule name -> a condition every row must meet (or an aggregate, `AGGREGATE`),
# run as one SQLCheckOperator query (see `rows_sql`; an empty set passes, emptiness is its own rule).
AGGREGATE = "aggregate:"
GATES: dict[str, tuple[str, str, str, dict[str, Any]]] = {
    "gate_weekly_rows": ("column", "nyengget_weekly", IN_WEEK, {
        "innovation_id": {"null_check": {"equal_to": 0}, "distinct_check": {"geq_to": 1}},  # a non-empty list
        "programme_id": {"null_check": {"equal_to": 0}},
        "opd_code": {"null_check": {"equal_to": 0}},
        "score": {"min": {"geq_to": 0}, "max": {"leq_to": 1}},
        "rank": {"min": {"geq_to": 1}},
    }),
    "gate_weekly_keys": ("rows", "nyengget_weekly", IN_WEEK, {
        "unique_pairs": AGGREGATE + "COUNT(*) = COUNT(DISTINCT innovation_id || '|' || programme_id)",
    }),
    "gate_programmes": ("column", "programmes", LISTED, {
        "title": {"null_check": {"equal_to": 0}},
        "funding_type": {"null_check": {"equal_to": 0}},
        "ceiling_idr": {"min": {"geq_to": 0}},
    }),
    "gate_programme_dates": ("rows", "programmes", LISTED, {
        "title_not_blank": "TRIM(title) <> ''",
        "window_in_order": "opens_on IS NULL OR closes_on IS NULL OR closes_on >= opens_on",
        "dates_plausible": "(opens_on IS NULL OR opens_on >= '2000-01-01') AND "
                           "(closes_on IS NULL OR closes_on <= '2100-12-31')",
    }),
}


def rows_sql(table: str, partition: str, rules: dict[str, str]) -> str:
    """One query, one 0/1 column per rule (PostgreSQL and SQLite alike)."""
    columns = []
    for name, rule in rules.items():
        if rule.startswith(AGGREGATE):
            columns.append(f"CASE WHEN {rule[len(AGGREGATE):]} THEN 1 ELSE 0 END AS {name}")
        else:
            columns.append(f"COALESCE(MIN(CASE WHEN {rule} THEN 1 ELSE 0 END), 1) AS {name}")
    return f"SELECT {', '.join(columns)} FROM {table} WHERE {partition}"
