"""A source's verdict for the week: telling "no new funding this week" apart from "a scraper broke"."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

LAYOUT = "layout changed: expected "


def layout_changed(url: str, expected: str) -> str:
    """The error an adapter records when it found the page but not the structure it reads."""
    return f"{LAYOUT}{expected} ({url})"


@dataclass
class Verdict:
    health: str
    message: str
    alerts: list[str] = field(default_factory=list)
    failed: bool = False
    may_mark_disappeared: bool = True


def assess(*, rows: int, errors: list[str], raised: bool, history: list[int], missing: dict[str, int],
           quarantined: int, new: int = 0, changed: int = 0, disappeared: int = 0) -> Verdict:
    """Verdict for one run. `history` holds the row counts of the source's recent good runs."""
    alerts: list[str] = []
    layout = [e for e in errors if e.startswith(LAYOUT)]
    if raised:
        alerts.append(f"parser raised: {errors[-1] if errors else 'unknown error'}")
    elif layout:
        alerts.append(layout[0] + (f" (+{len(layout) - 1} more)" if len(layout) > 1 else ""))
    elif errors:
        alerts.append(f"{len(errors)} fetch/parse error(s), first: {errors[0]}")
    if rows == 0 and not layout:
        alerts.append("source returned zero rows")
    median = statistics.median(history) if history else None
    if median and rows and rows < median / 2:
        alerts.append(f"row count dropped to {rows} from a recent median of {median:g}")
    total = rows + quarantined
    for name, count in missing.items():
        if total and count / total > 0.5:
            alerts.append(f"required field {name!r} missing in {count} of {total} rows")
    if total and quarantined / total > 0.5:
        alerts.append(f"{quarantined} of {total} rows quarantined")
    failed = raised or bool(errors) or rows == 0
    may_mark = not failed and not (median and rows < median / 2)
    if alerts:
        return Verdict("unhealthy", "; ".join(alerts), alerts, failed, may_mark)
    if new or changed or disappeared:
        return Verdict("ok", f"{rows} rows: {new} new, {changed} changed, {disappeared} disappeared", [], False)
    return Verdict("no_change", f"{rows} rows, nothing new or changed (source healthy)", [], False)


def missing_required(required: tuple[str, ...], records: list[dict[str, Any]], rejects: list[Any]) -> dict[str, int]:
    counts = {}
    for name in required:
        counts[name] = sum(1 for r in records if r.get(name) in (None, "")) + sum(
            1 for r in rejects if getattr(r, "field", None) == name)
    return counts
