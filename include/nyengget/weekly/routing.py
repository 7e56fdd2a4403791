"""Routing of the week's items by who may propose (matching/proposers.yaml and the OPD directory).

- The innovation's OPD may propose the line (or anyone may): it stays there (`sendiri`).
- It may not: the item goes to the one OPD of the directory whose type may propose it, with the
  innovation's OPD as partner (`dialihkan`, "mitra").
- The line is only assessed (`dinilai`, e.g. IGA, Insentif Fiskal): it stays, as a data contribution
  of the innovation's OPD (`kontribusi_data`).
- The proposer is unknown, no OPD of a needed type is in the directory, or several are: it stays with
  the innovation's OPD, flagged with the reason (`ditandai`); never dropped.
Rows without proposer facts (matched before i15) are assessed here from the programme.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from nyengget.matching import proposers as who

ROUTINGS: dict[str, str] = {
    "sendiri": "Diusulkan OPD inovasi",
    "dialihkan": "Diusulkan OPD lain (OPD inovasi sebagai mitra)",
    "kontribusi_data": "Kontribusi data (dinilai, tidak diusulkan)",
    "ditandai": "Ditandai: periksa siapa pengusulnya",
}
FACTS = ("funding_line", "proposer_types", "own_opd_may_propose", "proposal_route", "proposer_source")


@dataclass(frozen=True)
class Route:
    owner: str | None  # the OPD that gets the item (before any reassignment)
    proposer: str | None  # set when routed away from the innovation's OPD
    partner: str | None  # the innovation's OPD when another OPD proposes
    routing: str
    note: str


def directory_types(directory: dict, table: who.Proposers) -> dict[str, frozenset[str]]:
    """OPD code -> its types, from its name and short name (`directory`: code -> notify.digest.Opd)."""
    return {code: table.opd_types(o.name) | table.opd_types(o.short_name or "") for code, o in directory.items()}


def opd_name(directory: dict, code: str | None, fallback: str | None = None) -> str:
    """The OPD's name in the directory, else `fallback`, else its code."""
    opd = directory.get(code) if code else None
    return opd.name if opd else (fallback or code or "OPD inovasi")


def _proposer(line: who.Line, types: dict[str, frozenset[str]], home: str | None) -> tuple[str | None, str]:
    """(the proposing OPD's code, or None with the reason in Indonesian) for a line the home OPD may
    not propose: the first of the line's OPD types with exactly one OPD in the directory."""
    several = []
    for t in line.proposers:
        found = sorted(c for c, ts in types.items() if t in ts and c != home)
        if len(found) == 1:
            return found[0], ""
        if found:
            several.append(f"{t}: {', '.join(found)}")
    if several:
        return None, f"ada beberapa OPD yang dapat mengusulkan ({'; '.join(several)}); Bappeda dapat mengalihkannya"
    return None, "tidak ada OPD yang dapat mengusulkan di direktori OPD"


def route(r: dict, directory: dict, types: dict[str, frozenset[str]], table: who.Proposers) -> Route:
    """The route of one item (`r`: home `opd_code`, innovation `opd`, and FACTS)."""
    home = r.get("opd_code")
    home_name = opd_name(directory, home, r.get("opd"))
    line = table.line(r.get("funding_line"))
    labels = r.get("proposer_types") or ""
    if line is None or not line.proposers:
        return Route(home, None, None, "ditandai",
                     f"Ditandai: pengusul jalur pendanaan ini belum diketahui; tetap di {home_name}, periksa "
                     "siapa yang mengusulkannya.")
    if line.route == "dinilai":
        return Route(home, None, None, "kontribusi_data",
                     f"Kontribusi data: program ini dinilai, tidak diusulkan ({labels.replace(';', ', ')} "
                     f"mengoordinasikan); {home_name} menyumbang data inovasinya.")
    own = r.get("own_opd_may_propose")
    if own is True or (own is not None and not pd.isna(own) and bool(own)):
        return Route(home, None, None, "sendiri", f"Diusulkan oleh {home_name}.")
    code, why = _proposer(line, types, home)
    if code is None:
        return Route(home, None, None, "ditandai",
                     f"Ditandai: yang dapat mengusulkan {labels.replace(';', ', ')}, tetapi {why}; tetap di "
                     f"{home_name}.")
    return Route(code, code, home, "dialihkan",
                 f"Diusulkan oleh {opd_name(directory, code)}; {home_name} sebagai mitra.")


def assess_missing(df: pd.DataFrame, table: who.Proposers) -> pd.DataFrame:
    """Fill FACTS of rows matched before the matcher stored them (all FACTS null), from the programme."""
    missing = df.proposal_route.isna()
    if not missing.any():
        return df
    sub = df[missing]
    progs = sub[["programme_id", "programme_title", "funding_type", "bidang", "subbidang"]].rename(
        columns={"programme_title": "title"}).drop_duplicates("programme_id")
    inns = sub[["innovation_id", "opd"]].drop_duplicates("innovation_id").fillna({"opd": ""})
    line_of = dict(zip(progs["programme_id"], who.line_ids(progs, table), strict=True))
    facts = who.columns(sub[["innovation_id", "programme_id"]], line_of, inns, table)
    df = df.copy()
    for c in FACTS:
        df[c] = df[c].astype(object)
        df.loc[missing, c] = facts[c].astype(object).to_numpy()
    return df
