"""Run the matcher over the warehouse for one week and store the `matches` partition."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select

from nyengget.matching.inputs import INNOVATION_COLUMNS, PROGRAMME_COLUMNS
from nyengget.regions import Region, region_of
from nyengget.sources.persist import write_quarantine
from nyengget.sources.records import CEILING_MAX_IDR, LEVELS, YEAR_MAX, YEAR_MIN, Reject
from nyengget.warehouse.partitions import replace_week
from nyengget.warehouse.schema import innovations, matches, programmes
from nyengget.weekly import feedback
from nyengget.weekly.build import records

log = logging.getLogger(__name__)
QUARANTINE_SOURCE = "matching"  # quarantine rows of programmes the week's matching could not assess
# what the week keeps of the matcher's output: the ranking and who may propose (matching.proposers)
MATCH_COLUMNS = ["innovation_id", "programme_id", "rank", "score", "reasons", "funding_line", "proposer_types",
                 "own_opd_may_propose", "proposal_route", "proposer_source"]


def load_inputs(engine: Engine, region_code: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Active programmes (shared) and the region's active innovations (default: the default region's),
    in the columns the matcher expects."""
    region_code = region_code or region_of(None).code
    with engine.connect() as conn:
        progs = pd.read_sql(
            select(*(programmes.c[c] for c in PROGRAMME_COLUMNS)).where(programmes.c.status == "active")
            .order_by(programmes.c.programme_id), conn)
        inns = pd.read_sql(
            select(*(innovations.c[c] for c in INNOVATION_COLUMNS)).where(innovations.c.active.is_(True))
            .where(innovations.c.region_code == region_code)
            .order_by(innovations.c.innovation_id), conn)
    return progs, inns


def load_programmes(engine: Engine) -> pd.DataFrame:
    """The active programmes, shared by every region, in the columns the matcher expects."""
    with engine.connect() as conn:
        return pd.read_sql(
            select(*(programmes.c[c] for c in PROGRAMME_COLUMNS)).where(programmes.c.status == "active")
            .order_by(programmes.c.programme_id), conn)


def load_innovations(engine: Engine, region_code: str) -> pd.DataFrame:
    """The region's active innovations."""
    with engine.connect() as conn:
        return pd.read_sql(
            select(*(innovations.c[c] for c in INNOVATION_COLUMNS)).where(innovations.c.active.is_(True))
            .where(innovations.c.region_code == region_code).order_by(innovations.c.innovation_id), conn)


def _problem(p: dict) -> tuple[str, str, str] | None:
    """Why a programme cannot be assessed for eligibility: (field, reason_id, reason_en), or None."""
    if p.get("fiscal_year") is None or pd.isna(p["fiscal_year"]):
        return "fiscal_year", "tahun anggaran tidak diketahui: kelayakan tidak bisa dinilai", "fiscal_year missing"
    if not _levels_known(p.get("recipient_levels")):
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


def _levels_known(value) -> bool:
    levels = [x for x in str(value or "").lower().replace(" ", "").split(";") if x]
    return bool(levels) and all(x in LEVELS for x in levels)


def _suspects(progs: pd.DataFrame) -> np.ndarray:
    """bool per row: it may have a `_problem` (every row that has one, found column by column; only these
    are then checked one by one)."""
    out = progs["fiscal_year"].isna().to_numpy(dtype=bool, copy=True)
    codes, uniques = pd.factorize(progs["recipient_levels"], use_na_sentinel=True)
    known = np.array([_levels_known(v) for v in uniques] + [False], dtype=bool)  # [-1]: missing
    out |= ~known[codes]
    for name in ("opens_on", "closes_on"):
        years = pd.to_datetime(progs[name], errors="coerce").dt.year  # beyond pandas' range: NaT, a suspect
        out |= progs[name].notna().to_numpy(dtype=bool) & ~years.between(YEAR_MIN, YEAR_MAX).to_numpy(dtype=bool)
    ceiling = pd.to_numeric(progs["ceiling_idr"], errors="coerce")  # as float: the cap itself is a suspect
    out |= progs["ceiling_idr"].notna().to_numpy(dtype=bool) & ~((ceiling > 0) & (ceiling < CEILING_MAX_IDR)
                                                                  ).to_numpy(dtype=bool)
    return out


def split_ineligible(progs: pd.DataFrame) -> tuple[pd.DataFrame, list[Reject]]:
    """Programmes the matcher can assess, and one quarantine record (with its reason) per other one:
    a programme without the fields eligibility needs is ineligible this week, never fatal for the week."""
    keep, rejects = np.ones(len(progs), dtype=bool), []
    suspects = np.flatnonzero(_suspects(progs))
    for pos, p in zip(suspects.tolist(), progs.iloc[suspects].to_dict("records"), strict=True):
        problem = _problem(p)
        if problem:
            keep[pos] = False
            raw = {"programme_id": p["programme_id"], "title": p.get("title"), problem[0]: p.get(problem[0])}
            rejects.append(Reject(*problem, raw=raw))
    return progs[keep].reset_index(drop=True), rejects


def run_matching(engine: Engine, week_start: date, *, level: str | None = None, top_k: int = 5,
                 region: Region | None = None, programmes: pd.DataFrame | None = None,
                 cache_dir: Path | None = None) -> int:
    """Rank programmes for every active innovation of `region` (default: the default region) as of
    `week_start`, eligible by `level` (default: the region's); replace that region's matches of the week.
    `programmes` (the active ones, as `load_programmes` reads them) lets many regions share one read;
    `cache_dir` (Settings.matcher_cache_dir) lets them share one analysis of them."""
    from nyengget.matching import rank  # heavy imports only when a week is matched

    region = region or region_of(None)
    level = level or region.level
    progs, inns = load_inputs(engine, region.code) if programmes is None else (
        programmes, load_innovations(engine, region.code))
    progs, rejects = split_ineligible(progs)
    for r in rejects:
        log.warning("week %s: programme %s ineligible: %s", week_start, r.raw["programme_id"], r.reason_en)
    decisions = feedback.for_matcher(engine, week_start, region_code=region.code)
    ranked = rank(progs, inns, as_of=week_start, level=level, top_k=top_k, feedback=decisions, proposers=True,
                  cache_dir=cache_dir)
    rows = records(ranked[MATCH_COLUMNS])  # <NA> (who may propose is unknown) as None for the database
    with engine.begin() as conn:
        if region.code == region_of(None).code or programmes is None:  # shared programmes: quarantined once
            write_quarantine(conn, QUARANTINE_SOURCE, week_start, rejects)
        n = replace_week(conn, matches, week_start, rows, region_code=region.code)
    log.info("week %s, region %s: %d matches for %d innovations over %d programmes", week_start, region.code, n,
             len(inns), len(progs))
    return n
