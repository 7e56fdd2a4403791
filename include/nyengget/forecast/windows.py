"""The window people see for each programme: its own, the real one of its round (calendar, news,
another record of the same round), or the forecast; with the Indonesian label and "segera dibuka"."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine, select

from nyengget.fmt import date_text, tanggal
from nyengget.forecast.families import family, round_year
from nyengget.forecast.model import SOON_DAYS, Forecast, predict
from nyengget.forecast.rounds import Round, from_warehouse
from nyengget.warehouse.schema import programmes

FORECAST = "perkiraan"
OFFICIAL = "resmi"
ROUND_ORIGIN = {"kalender": "resmi menurut kalender", "berita": "resmi", "program": "resmi"}


@dataclass(frozen=True)
class Window:
    kind: str  # resmi | perkiraan
    opens_on: date | None
    closes_on: date | None
    label: str
    opening_soon: bool
    years: tuple[int, ...] = ()
    confidence: str | None = None
    source_url: str | None = None
    next_round: bool = False


def _month(d: date) -> str:
    return date_text(d, "MMMM yyyy")


def months(first: date, last: date) -> str:
    """`Mei 2027`, `Mei–Juni 2027`, `Desember 2026–Januari 2027`."""
    if (first.year, first.month) == (last.year, last.month):
        return _month(first)
    if first.year == last.year:
        return f"{date_text(first, 'MMMM')}–{_month(last)}"
    return f"{_month(first)}–{_month(last)}"


def years_text(years: tuple[int, ...]) -> str:
    return str(years[0]) if len(years) == 1 else f"{min(years)}–{max(years)}"


def forecast_label(f: Forecast, next_round: bool = False) -> str:
    """`perkiraan dibuka Mei–Juni 2027, berdasarkan 2023–2026 (keyakinan sedang)`."""
    verb = "dibuka" if f.opens_on else "ditutup"
    text = f"perkiraan {verb} {months(f.earliest, f.latest)}"
    if next_round:
        text += " (putaran berikutnya)"
    return f"{text}, berdasarkan {years_text(f.years)} (keyakinan {f.confidence})"


def soon(opens_on: date | None, as_of: date, days: int = SOON_DAYS) -> bool:
    return opens_on is not None and 0 <= (opens_on - as_of).days <= days


def _from_round(r: Round, as_of: date) -> Window:
    span = f"{tanggal(r.opens_on)} – {tanggal(r.closes_on)}" if r.opens_on and r.closes_on else (
        f"dibuka {tanggal(r.opens_on)}" if r.opens_on else f"ditutup {tanggal(r.closes_on)}")
    return Window(OFFICIAL, r.opens_on, r.closes_on, f"jadwal {ROUND_ORIGIN[r.origin]}: {span}",
                  soon(r.opens_on, as_of), source_url=r.source_url)


def _over(f: Forecast, as_of: date) -> bool:
    """The expected window has already ended (or, with only an opening known, opened a month ago)."""
    end = f.closes_on or (f.latest + timedelta(days=30))
    return end < as_of


def window_for(title: str, funding_type: str | None, fiscal_year: int | None, history: dict[str, list[Round]],
               as_of: date) -> Window | None:
    """The window of a programme without its own dates (None when nothing is known)."""
    fam, year = family(title, funding_type), round_year(title, fiscal_year)
    if year is None:
        return None
    rounds = history.get(fam, [])
    real = next((r for r in rounds if r.year == year), None)
    if real is not None:
        return _from_round(real, as_of)
    f = predict(rounds, year)
    next_round = False
    if f is not None and _over(f, as_of):
        f, next_round = predict(rounds, year + 1), True
    if f is None:
        return None
    return Window(FORECAST, f.opens_on, f.closes_on, forecast_label(f, next_round), soon(f.opens_on, as_of),
                  f.years, f.confidence, next_round=next_round)


def by_family(rounds: dict[tuple[str, int], Round]) -> dict[str, list[Round]]:
    out: dict[str, list[Round]] = defaultdict(list)
    for (fam, _), r in sorted(rounds.items()):
        out[fam].append(r)
    return dict(out)


def programme_windows(engine: Engine, as_of: date, only: Collection[str] | None = None) -> dict[str, Window]:
    """Window of every programme in the warehouse (or of those in `only`, e.g. one week's list: the
    history of rounds is still the whole warehouse's): own dates (resmi) or found/forecast ones."""
    history = by_family(from_warehouse(engine))
    cols = [programmes.c[c] for c in ("programme_id", "title", "funding_type", "fiscal_year", "opens_on",
                                      "closes_on", "source_url")]
    query = select(*cols) if only is None else select(*cols).where(programmes.c.programme_id.in_(sorted(set(only))))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    out: dict[str, Window] = {}
    for r in rows:
        if r.opens_on or r.closes_on:
            own = Round("", 0, r.opens_on, r.closes_on, "program", r.source_url)
            out[r.programme_id] = _from_round(own, as_of)
            continue
        w = window_for(r.title, r.funding_type, r.fiscal_year, history, as_of)
        if w is not None:
            out[r.programme_id] = w
    return out
