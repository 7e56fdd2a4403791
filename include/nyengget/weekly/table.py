"""The week's list as a readable terminal table: the top opportunities per OPD."""

from __future__ import annotations

import shutil

import pandas as pd

from nyengget import fmt


def _cut(text: str | None, width: int) -> str:
    if not text:
        return "-"
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def render(week: pd.DataFrame, per_opd: int = 3) -> str:
    """Per OPD, its best `per_opd` opportunities (rank, programme, funding type, ceiling, deadline, flags)."""
    if week.empty:
        return "(no rows for this week)"
    width = max(100, min(shutil.get_terminal_size((140, 20)).columns, 160))
    title_w = width - 70
    lines = []
    week = week.assign(_opd=week.opd.fillna("(OPD tidak dikenal)"))
    for opd, rows in week.groupby("_opd", sort=True):
        best = rows.sort_values(["score", "closes_on"], ascending=[False, True]).head(per_opd)
        lines.append(f"\n{opd}  ({len(rows)} peluang, {rows.innovation_id.nunique()} inovasi)")
        for r in best.itertuples():
            flags = "".join(f for f, on in (("B", r.is_new), ("U", r.is_changed), ("!", r.closing_soon)) if on)
            closes = fmt.tanggal(pd.Timestamp(r.closes_on).date()) if pd.notna(r.closes_on) else "tanpa jendela"
            ceiling = fmt.rupiah(None if pd.isna(r.ceiling_idr) else r.ceiling_idr)
            lines.append(
                f"  {r.score:4.2f} {flags:<3} {_cut(r.programme_title, title_w):<{title_w}} "
                f"{_cut(r.funding_type, 18):<18} {ceiling:>16} {closes:>13}"
            )
            lines.append(f"{'':10}↳ {_cut(r.innovation_name, width - 12)}")
    lines.append("\nflags: B = baru, U = berubah, ! = segera ditutup (≤ 21 hari)")
    return "\n".join(lines)
