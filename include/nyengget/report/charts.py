"""Charts for the report (matplotlib, Agg backend): PNG bytes a planner can read at a glance."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd

from nyengget import fmt

GREEN, GREY, RED = "#0B6E4F", "#9AA5B1", "#C0392B"


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    _plt().close(fig)
    return buf.getvalue()


def _date_formatter():
    """Axis dates as Indonesian people read them: `1 Des 2026`."""
    from matplotlib.dates import num2date
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _pos: fmt.tanggal(num2date(x).date()))


def per_group(week: pd.DataFrame, column: str, title: str) -> bytes:
    """Opportunities (bars) and total ceiling (labels, in rupiah) per `column`."""
    plt = _plt()
    programmes = week.drop_duplicates("programme_id")
    counts = week.groupby(week[column].fillna("-")).size().sort_values()
    ceilings = programmes.groupby(programmes[column].fillna("-")).ceiling_idr.sum()
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(counts) + 1.2))
    bars = ax.barh(counts.index, counts.values, color=GREEN)
    for bar, key in zip(bars, counts.index, strict=True):
        total = ceilings.get(key, 0)
        label = fmt.rupiah(total) if total else "pagu tidak disebut"
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f"  {label}",
                va="center", fontsize=8, color="#1F2933")
    ax.set_title(title, fontsize=11, loc="left", y=1.0)
    ax.set_xlabel("jumlah peluang (label: total pagu program)")
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlim(0, counts.max() * 1.45 if len(counts) else 1)
    return _png(fig)


def closing_timeline(week: pd.DataFrame, week_start: date, horizon_days: int = 120) -> bytes:
    """Programmes whose window closes within the horizon, on a date axis; red when closing soon."""
    plt = _plt()
    progs = week.dropna(subset=["closes_on"]).drop_duplicates("programme_id")
    progs = progs[(pd.to_datetime(progs.closes_on) - pd.Timestamp(week_start)).dt.days.between(0, horizon_days)]
    progs = progs.sort_values("closes_on", ascending=False)
    fig, ax = plt.subplots(figsize=(7.5, 0.32 * len(progs) + 1.4))
    if progs.empty:
        ax.text(0.5, 0.5, "Tidak ada jendela yang ditutup dalam 120 hari", ha="center", va="center")
        ax.set_axis_off()
        return _png(fig)
    colours = [RED if soon else GREEN for soon in progs.closing_soon]
    labels = [t[:55] for t in progs.programme_title]
    ax.scatter(pd.to_datetime(progs.closes_on), labels, color=colours, zorder=3)
    ax.axvline(pd.Timestamp(week_start), color=GREY, linestyle="--", linewidth=1)
    ax.set_title("Jendela usulan yang segera ditutup (merah: ≤ 21 hari)", fontsize=11, loc="left", y=1.0)
    ax.tick_params(axis="y", labelsize=7)
    ax.tick_params(axis="x", labelsize=8)
    ax.grid(axis="x", color="#E4E7EB")
    ax.xaxis.set_major_formatter(_date_formatter())
    ax.spines[["top", "right"]].set_visible(False)
    fig.autofmt_xdate()
    return _png(fig)
