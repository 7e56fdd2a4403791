"""Curated sources: a YAML file kept by hand for sites that need credentials (the KRISNA-DAK proposal
calendar). The file is read through the fetcher so each run keeps a raw snapshot of it, and
`sources reparse` replays it like any fetched page. A date is a fact only with its source: an entry's
`opens_on`/`closes_on` are kept when it names `dates_source` (cited in the description), else they
are dropped with a warning in the log, so an unsourced year is never shown as a known date.
"""

from __future__ import annotations

import logging
from typing import Any

import yaml

from nyengget.sources.fetch import FetchError, Response
from nyengget.sources.records import Parsed, Reject

log = logging.getLogger(__name__)


def collect(ctx: Any) -> Parsed:
    out = Parsed()
    for path in ctx.source.urls:
        try:
            resp = ctx.fetcher.read_local(path)
        except FetchError as exc:
            out.errors.append(str(exc))
            continue
        out.extend(ctx.parse(resp, "calendar", parse_calendar))
    return out


def parse_calendar(resp: Response) -> Parsed:
    out = Parsed()
    try:
        doc = yaml.safe_load(resp.text) or {}
    except yaml.YAMLError as exc:
        out.errors.append(f"{resp.url}: invalid YAML ({exc})")
        return out
    for number, entry in enumerate(doc.get("entries") or [], start=1):
        if not isinstance(entry, dict) or not entry.get("key"):
            out.rejects.append(Reject("key", "entri kalender tanpa key", "calendar entry without a key",
                                      {"entry": str(entry)}, resp.sha256, number))
            continue
        sourced = bool(str(entry.get("dates_source") or "").strip())
        if not sourced and (entry.get("opens_on") or entry.get("closes_on")):
            # one unsourced entry is not a broken source: its dates are dropped and it reads "perkiraan"
            log.warning("%s: entry %r has dates without dates_source; dates dropped", resp.url, entry["key"])
        description = " ".join(str(x).strip() for x in (
            entry.get("description"), f"Sumber jadwal: {entry['dates_source']}" if sourced else
            "Jadwal: perkiraan (belum ada sumber).") if x)
        out.programmes.append({
            "key": entry["key"], "source_url": entry.get("source_url") or doc.get("source_url"),
            "title": entry.get("title"), "description": description,
            "funding_type": entry.get("funding_type"), "ministry": entry.get("ministry") or doc.get("ministry"),
            "bidang": entry.get("bidang"), "fiscal_year": entry.get("fiscal_year"),
            "recipient_levels": entry.get("recipient_levels") or [],
            "opens_on": _iso(entry.get("opens_on")) if sourced else None,
            "closes_on": _iso(entry.get("closes_on")) if sourced else None,
            "ceiling_idr": entry.get("ceiling_idr"), "legal_basis": entry.get("legal_basis"),
            "raw_sha256": resp.sha256, "row_number": number,
        })
    return out


def _iso(value: Any) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else (str(value) if value else None)
