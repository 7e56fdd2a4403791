"""Who may propose each funding line (proposers.yaml): OPD types, route and legal source per programme,
and whether an innovation's own OPD may propose it itself."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from nyengget.matching.codes import norm
from nyengget.matching.yamlfile import read_yaml

PROPOSERS_PATH = Path(__file__).with_name("proposers.yaml")
ANY = "any"
ROUTES = ("usulan", "dinilai", "terbuka")
# Output columns added by rank(..., proposers=True); README "Who may propose" documents them.
PROPOSER_COLUMNS = ["funding_line", "proposer_types", "own_opd_may_propose", "proposal_route", "proposer_source"]


@dataclass(frozen=True)
class Line:
    id: str
    match: dict[str, tuple[str, ...]]
    proposers: tuple[str, ...]
    route: str
    source: str

    def fits(self, programme: dict) -> bool:
        for key, values in self.match.items():
            value = norm(str(programme.get(key) or ""))
            if key == "funding_type":
                if value not in values:
                    return False
            elif not any(f" {v} " in f" {value} " for v in values):
                return False
        return True


@dataclass(frozen=True)
class Proposers:
    types: dict[str, tuple[str, tuple[str, ...]]]  # type id -> (label, name patterns)
    lines: tuple[Line, ...]

    def opd_types(self, opd: str) -> frozenset[str]:
        """OPD type ids whose patterns occur (as whole words) in an OPD name."""
        padded = f" {norm(opd)} "
        return frozenset(t for t, (_label, pats) in self.types.items() if any(f" {p} " in padded for p in pats))

    def line_for(self, programme: dict) -> Line | None:
        """The first line fitting a programme (title/bidang/subbidang/funding_type)."""
        # one programme may be matched by the title or by the bidang/subbidang: try each key alone
        for line in self.lines:
            if _fits_any(line, programme):
                return line
        return None

    def line(self, line_id: str | None) -> Line | None:
        """The line with this id (as stored in `matches.funding_line`), or None."""
        return next((line for line in self.lines if line.id == line_id), None)

    def label(self, type_id: str) -> str:
        return "semua OPD" if type_id == ANY else self.types[type_id][0]


def _fits_any(line: Line, programme: dict) -> bool:
    """funding_type must match; of the other keys, any one is enough (a title names the line as well
    as a bidang does)."""
    ft = line.match.get("funding_type")
    if ft and norm(str(programme.get("funding_type") or "")) not in ft:
        return False
    others = {k: v for k, v in line.match.items() if k != "funding_type"}
    return not others or any(Line(line.id, {k: v}, (), "", "").fits(programme) for k, v in others.items())


def parse_proposers(data: dict) -> Proposers:
    types = {str(k): (str(v["label"]), tuple(norm(str(m)) for m in v["match"])) for k, v in data["opd_types"].items()}
    lines = []
    for raw in data["lines"]:
        unknown = [p for p in raw.get("proposers") or () if p != ANY and p not in types]
        if unknown:
            raise ValueError(f"proposers.yaml line {raw['id']}: unknown OPD types {unknown}")
        if raw["route"] not in ROUTES:
            raise ValueError(f"proposers.yaml line {raw['id']}: route must be one of {ROUTES}")
        if not str(raw.get("source") or "").strip():
            raise ValueError(f"proposers.yaml line {raw['id']}: a source is required")
        match = {str(k): tuple(norm(str(v)) for v in vs) for k, vs in raw["match"].items()}
        lines.append(Line(str(raw["id"]), match, tuple(raw.get("proposers") or ()), str(raw["route"]),
                          str(raw["source"])))
    return Proposers(types, tuple(lines))


@lru_cache(maxsize=4)
def load_proposers(path: Path = PROPOSERS_PATH) -> Proposers:
    return parse_proposers(read_yaml(path))


def may_propose(line: Line | None, own_types: frozenset[str]) -> bool | None:
    """True/False when known; None when the line or the OPD's type is unknown."""
    if line is None or not line.proposers:
        return None
    if ANY in line.proposers:
        return True
    if not own_types:
        return None
    return bool(own_types & set(line.proposers))


def line_ids(programmes: pd.DataFrame, table: Proposers | None = None) -> list[str]:
    """Per programme row (cleaned: title, bidang, subbidang, funding_type) the id of its line, "" for none;
    kept with the programme analysis (catalogue.py), so a region's task does not look them up again."""
    table = table or load_proposers()
    return [line.id if (line := table.line_for(r)) else "" for r in programmes.to_dict("records")]


def columns(ranked: pd.DataFrame, line_of: Mapping[str, str], innovations: pd.DataFrame,
            table: Proposers | None = None) -> pd.DataFrame:
    """PROPOSER_COLUMNS for each ranked pair (ranked has innovation_id and programme_id); `line_of`: programme
    id -> its line id (`line_ids`)."""
    table = table or load_proposers()
    lines = {p: table.line(line_of.get(p)) for p in set(ranked["programme_id"])}
    own = {i: table.opd_types(o) for i, o in zip(innovations["innovation_id"], innovations["opd"], strict=True)}
    out = {c: [] for c in PROPOSER_COLUMNS}
    for inn, prog in zip(ranked["innovation_id"], ranked["programme_id"], strict=True):
        line = lines[prog]
        ok = may_propose(line, own.get(inn, frozenset()))
        out["funding_line"].append(line.id if line else "")
        out["proposer_types"].append(";".join(table.label(p) for p in line.proposers) if line else "")
        out["own_opd_may_propose"].append(ok)
        out["proposal_route"].append(line.route if line else "")
        out["proposer_source"].append(line.source if line else "")
    frame = pd.DataFrame(out, index=ranked.index)
    frame["own_opd_may_propose"] = frame["own_opd_may_propose"].astype("boolean")
    return frame
