"""The planner's calendar: one entry per programme of a week's list with its real or expected window,
the OPDs it concerns and its funding type; placed in the month it opens (or closes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from nyengget.fmt import NO_WINDOW, tanggal
from nyengget.forecast.windows import FORECAST, OFFICIAL, Window

KIND_LABELS = {OFFICIAL: "Jadwal resmi", FORECAST: "Perkiraan"}


@dataclass
class Entry:
    programme_id: str
    title: str
    funding_type: str | None
    opens_on: date | None
    closes_on: date | None
    kind: str  # resmi | perkiraan
    label: str
    source_url: str | None
    opds: list[str] = field(default_factory=list)
    innovations: int = 0

    @property
    def anchor(self) -> date | None:
        return self.opens_on or self.closes_on

    @property
    def span(self) -> str:
        """`1 Okt 2026 – 20 Des 2026`, `sampai 1 Feb 2027`, `dibuka 4 Jan 2027`; a forecast's label."""
        if self.kind == FORECAST:
            return self.label
        if self.opens_on and self.closes_on:
            return f"{tanggal(self.opens_on)} – {tanggal(self.closes_on)}"
        return f"sampai {tanggal(self.closes_on)}" if self.closes_on else f"dibuka {tanggal(self.opens_on)}"

    def upcoming(self, as_of: date, days: int) -> bool:
        """Not over yet, and starting within `days` of `as_of`."""
        end = self.closes_on or self.opens_on
        return bool(end and end >= as_of and self.anchor and (self.anchor - as_of).days <= days)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def describe(opens_on: date | None, closes_on: date | None, window: Window | None, as_of: date) -> str:
    """The window as people read it: `1 Okt 2026 – 4 Des 2026 (3 hari lagi)`, a forecast's label, or
    `jadwal belum diumumkan`; days counted from `as_of`."""
    if closes_on:
        days = (closes_on - as_of).days
        left = "sudah ditutup" if days < 0 else ("ditutup hari ini" if days == 0 else f"{days} hari lagi")
        start = f"{tanggal(opens_on)} – " if opens_on else "sampai "
        return f"{start}{tanggal(closes_on)} ({left})"
    if opens_on:
        return f"dibuka {tanggal(opens_on)}"
    if window is not None:
        return window.label
    return NO_WINDOW


def entries(items: list[dict], windows: dict[str, Window], opd_names: dict[str, str]) -> list[Entry]:
    """One entry per programme (with a known or expected date), ordered by date."""
    out: dict[str, Entry] = {}
    for it in items:
        pid = it["programme_id"]
        e = out.get(pid)
        if e is None:
            w = windows.get(pid)
            if it.get("opens_on") or it.get("closes_on"):
                e = Entry(pid, it["programme_title"], it["funding_type"], it.get("opens_on"), it.get("closes_on"),
                          OFFICIAL, "jadwal resmi", it.get("source_url"))
            elif w is not None:
                e = Entry(pid, it["programme_title"], it["funding_type"], w.opens_on, w.closes_on, w.kind,
                          w.label, it.get("source_url") or w.source_url)
            else:
                continue
            out[pid] = e
        name = opd_names.get(it.get("opd_code"), it.get("opd_name") or it.get("opd") or "-")
        if name not in e.opds:
            e.opds.append(name)
        e.innovations += 1
    return sorted(out.values(), key=lambda e: (e.anchor or date.max, e.title))


def in_year(all_entries: list[Entry], year: int) -> list[Entry]:
    """Entries whose window touches `year`."""
    return [e for e in all_entries if any(d and d.year == year for d in (e.opens_on, e.closes_on))
            or (e.opens_on and e.closes_on and e.opens_on.year < year < e.closes_on.year)]


def by_month(year_entries: list[Entry], year: int) -> list[tuple[int, list[Entry]]]:
    """(month 1..12, entries starting that month; a window begun in an earlier year goes to January)."""
    months: dict[int, list[Entry]] = {m: [] for m in range(1, 13)}
    for e in year_entries:
        start = e.anchor
        months[start.month if start and start.year == year else 1].append(e)
    return list(months.items())
