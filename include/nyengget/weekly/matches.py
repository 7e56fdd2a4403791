"""Run the matcher over the warehouse for one week and store the `matches` partition."""

from __future__ import annotations

import logging
from datetime import date

import pandas as pd
from sqlalchemy import Engine, select

from nyengget.matching.inputs import INNOVATION_COLUMNS, PROGRAMME_COLUMNS
from nyengget.warehouse.partitions import replace_week
from nyengget.warehouse.schema import innovations, matches, programmes
from nyengget.weekly import feedback

log = logging.getLogger(__name__)


def load_inputs(engine: Engine) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Active programmes and active innovations, in the columns the matcher expects."""
    with engine.connect() as conn:
        progs = pd.read_sql(
            select(*(programmes.c[c] for c in PROGRAMME_COLUMNS)).where(programmes.c.status == "active")
            .order_by(programmes.c.programme_id), conn)
        inns = pd.read_sql(
            select(*(innovations.c[c] for c in INNOVATION_COLUMNS)).where(innovations.c.active.is_(True))
            .order_by(innovations.c.innovation_id), conn)
    return progs, inns


def run_matching(engine: Engine, week_start: date, *, level: str = "kota", top_k: int = 5) -> int:
    """Rank programmes for every active innovation as of `week_start`; replace that week's matches."""
    from nyengget.matching import rank  # heavy imports only when a week is matched

    progs, inns = load_inputs(engine)
    decisions = feedback.for_matcher(engine, week_start)
    ranked = rank(progs, inns, as_of=week_start, level=level, top_k=top_k, feedback=decisions)
    rows = ranked[["innovation_id", "programme_id", "rank", "score", "reasons"]].to_dict("records")
    with engine.begin() as conn:
        n = replace_week(conn, matches, week_start, rows)
    log.info("week %s: %d matches for %d innovations over %d programmes", week_start, n, len(inns), len(progs))
    return n
