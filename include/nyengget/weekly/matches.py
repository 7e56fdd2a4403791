"""Run the matcher over the warehouse for one week and store the `matches` partition."""

from __future__ import annotations

import logging
from datetime import date

import pandas as pd
from sqlalchemy import Engine, select

from nyengget.matching.inputs import INNOVATION_COLUMNS, PROGRAMME_COLUMNS
from nyengget.sources.persist import write_quarantine
from nyengget.sources.records import CEILING_MAX_IDR, LEVELS, YEAR_MAX, YEAR_MIN, Reject
from nyengget.warehouse.partitions import replace_week
from nyengget.warehouse.schema import innovations, matches, programmes
from nyengget.weekly import feedback

log = logging.getLogger(__name__)
QUARANTINE_SOURCE = "matching"
# what the week keeps of the matcher's output: the ranking and who may propose (matching.proposers)
MATCH_COLUMNS = ["innovation_id", "programme_id", "rank", "score", "reasons", "funding_line", "proposer_types",
                 "own_opd_may_propose", "proposal_route", "proposer_source"]  # quarantine rows of programmes the week's matching could not assess


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


def _problem(p: dict) -> tuple[str, str, str] | None:
    """Why a programme cannot be assessed for eligibility: (field, reason_id, reason_en), or None."""
    if p.get("fiscal_year") is None or pd.isna(p["fiscal_year"]):
        return "fiscal_year", "tahun anggaran tidak diketahui: kelayakan tidak bisa dinilai", "fiscal_year missing"
    levels = [x for x in str(p.get("recipient_levels") or "").lower().replace(" ", "").split(";") if x]
    if not levels or any(x not in LEVELS for x in levels):
        return ("recipient_levels", f"tingkat penerima tidak diketahui ({p.get('recipient_levels')!r}): kelayakan "
                "tidak bisa dinilai", f"recipient_levels missing or unknown: {p.get('recipient_levels')!r}")
    for name in ("opens_on", "closes_on"):
        value = p.get(name)
        if value is not None and not pd.isna(value) and not YEAR_MIN <= pd.Timestamp(value).year <= YEAR_MAX:
            return name, f"tanggal di luar jangkauan {YEAR_MIN}–{YEAR_MAX}: {value}", f"{name} out of range: {value}"
    ceiling = p.get("ceiling_idr")
    if ceiling is not None and not pd.isna(ceiling) and not 0 < ceiling <= CEILING_MAX_IDR:
        return "ceiling_idr", f"pagu tidak masuk akal: {ceiling}", f"ceiling_idr out of range: {ceiling}"
    return None


def split_ineligible(progs: pd.DataFrame) -> tuple[pd.DataFrame, list[Reject]]:
    """Programmes the matcher can assess, and one quarantine record (with its reason) per other one:
    a programme without the fields eligibility needs is ineligible this week, never fatal for the week."""
    keep, rejects = [], []
    for p in progs.to_dict("records"):
        problem = _problem(p)
        keep.append(problem is None)
        if problem:
            raw = {"programme_id": p["programme_id"], "title": p.get("title"), problem[0]: p.get(problem[0])}
            rejects.append(Reject(*problem, raw=raw))
    return progs[keep].reset_index(drop=True), rejects


def _plain(row: dict) -> dict:
    """<NA> (who may propose is unknown) as None for the database."""
    return {k: (None if v is pd.NA else v) for k, v in row.items()}


def run_matching(engine: Engine, week_start: date, *, level: str = "kota", top_k: int = 5) -> int:
    """Rank programmes for every active innovation as of `week_start`; replace that week's matches."""
    from nyengget.matching import rank  # heavy imports only when a week is matched

    progs, inns = load_inputs(engine)
    progs, rejects = split_ineligible(progs)
    for r in rejects:
        log.warning("week %s: programme %s ineligible: %s", week_start, r.raw["programme_id"], r.reason_en)
    decisions = feedback.for_matcher(engine, week_start)
    ranked = rank(progs, inns, as_of=week_start, level=level, top_k=top_k, feedback=decisions, proposers=True)
    rows = [_plain(r) for r in ranked[MATCH_COLUMNS].to_dict("records")]
    with engine.begin() as conn:
        write_quarantine(conn, QUARANTINE_SOURCE, week_start, rejects)
        n = replace_week(conn, matches, week_start, rows)
    log.info("week %s: %d matches for %d innovations over %d programmes", week_start, n, len(inns), len(progs))
    return n
