"""The week's list as a readable terminal table: the top opportunities per owner OPD."""

from __future__ import annotations

import shutil
from datetime import date

import pandas as pd
from sqlalchemy import Engine

from nyengget import decisions, fmt
from nyengget.cells import known


def _cut(text: str | None, width: int) -> str:
    if not text:
        return "-"
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def render(week: pd.DataFrame, per_opd: int = 3, names: dict[str, str] | None = None) -> str:
    """Per owner OPD (`opd_code`; `names`: code -> name), its best `per_opd` opportunities (score, flags,
    programme, funding type, ceiling, deadline), each innovation with its partner (mitra) OPD if any."""
    if week.empty:
        return "(no rows for this week)"
    names = names or {}
    width = max(100, min(shutil.get_terminal_size((140, 20)).columns, 160))
    title_w = width - 70
    lines = []
    week = week.assign(_opd=[_owner_label(code, opd, names) for code, opd in zip(week.opd_code, week.opd, strict=True)])
    partners = week.partner_opd_code if "partner_opd_code" in week else pd.Series(None, index=week.index)
    week = week.assign(mitra_opd=[decisions.partner(known(p), known(o))
                                 for p, o in zip(partners, week.opd_code, strict=True)])
    for opd, rows in week.groupby("_opd", sort=True):
        best = rows.sort_values(["score", "closes_on"], ascending=[False, True]).head(per_opd)
        lines.append(f"\n{opd}  ({len(rows)} peluang, {rows.innovation_id.nunique()} inovasi)")
        for r in best.itertuples():
            flags = "".join(f for f, on in (("B", r.is_new), ("U", r.is_changed), ("!", r.closing_soon)) if on)
            closes = fmt.tanggal(pd.Timestamp(r.closes_on).date()) if pd.notna(r.closes_on) else "tanpa jendela"
            ceiling = fmt.rupiah(known(r.ceiling_idr))
            lines.append(
                f"  {r.score:4.2f} {flags:<3} {_cut(r.programme_title, title_w):<{title_w}} "
                f"{_cut(r.funding_type, 18):<18} {ceiling:>16} {closes:>13}"
            )
            mitra = f" (mitra: {names.get(r.mitra_opd, r.mitra_opd)})" if isinstance(r.mitra_opd, str) else ""
            lines.append(f"{'':10}↳ {_cut(r.innovation_name, width - 12 - len(mitra))}{mitra}")
    lines.append("\nflags: B = baru, U = berubah, ! = segera ditutup (≤ 21 hari)")
    return "\n".join(lines)


def _owner_label(code, opd, names: dict[str, str]) -> str:
    """`Dinas Kesehatan (DINKES)`; without a code, the innovation's OPD as written."""
    if code is None or pd.isna(code):
        return opd if isinstance(opd, str) and opd else "(OPD tidak dikenal)"
    return f"{names[code]} ({code})" if code in names else code


def render_week(engine: Engine, week: pd.DataFrame, week_start: date, region_code: str, per_opd: int = 3) -> str:
    """`render` of a week's list (`weekly.build.load_week`) per its owners now (`decisions.week_owners`),
    named from the region's OPD directory."""
    from nyengget.notify.digest import load_opds  # notify imports the weekly stage

    if not week.empty:
        week = week.assign(opd_code=decisions.week_owners(engine, week, week_start, region_code))
    names = {code: o.name for code, o in load_opds(engine, region_code).items()}
    return render(week, per_opd=per_opd, names=names)
