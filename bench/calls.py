"""Calls read from announcements: on real documents (when ../shared is there) and on the project's
synthetic calls (include/snapshots, both recorded weeks).

    .venv/bin/python bench/calls.py [--real DIR] [-v]

Real set (`A*`, `L*`, `N*` documents of shared/data/sources-real, read with `sources extract`'s code):
call recall, non-calls that would be recorded as programmes, window recall (opens_on/closes_on
values a careful reader labelled), invented windows (a date where the label has none), levels,
ceilings and ceilings that are not per-recipient. Skipped with a message when the folder is absent
(a user's clone has no ../shared).
Synthetic set: every announcement the fixture generator wrote (HTML detail pages and RSS items),
parsed by the announcements adapter; per-field accuracy against the generator's rows.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import importlib
import re
import sys
from pathlib import Path

from nyengget.sources.adapters import announcements
from nyengget.sources.extract import extract_document
from nyengget.sources.fetch import Response
from nyengget.sources.registry import SourceConfig
from nyengget.sources.storage import sha256

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOTS = ROOT / "include" / "snapshots"
REAL = ROOT.parent / "shared" / "data" / "sources-real"
WEEKS = ("2026-W47", "2026-W48")
FIELDS = ("title", "funding_type", "opens_on", "closes_on", "ceiling_idr", "recipient_levels", "fiscal_year")


def _pct(ok: int, total: int) -> str:
    return f"{ok}/{total} ({ok / total:.0%})" if total else "0/0"


def _norm_title(value: str) -> str:
    value = re.sub(r"[^\w]+", " ", str(value or "").lower()).strip()
    value = re.sub(r"^(pengumuman|pembukaan pendaftaran|pembukaan|ketentuan|informasi)\s+", "", value)
    return re.sub(r"\s+", " ", value)


def _same(field: str, expected: object, actual: object) -> bool:
    exp, act = str(expected or "").strip(), str(actual or "").strip()
    if field == "title":
        a, b = _norm_title(exp), _norm_title(act)
        return a == b or difflib.SequenceMatcher(None, a, b).ratio() >= 0.85
    if field == "recipient_levels":
        return set(filter(None, re.split(r"[;,]", exp))) == set(filter(None, re.split(r"[;,]", act)))
    if field in ("ceiling_idr", "fiscal_year"):
        return (int(float(exp)) if exp else None) == (int(float(act)) if act else None)
    return exp == act


# -- real documents -------------------------------------------------------------------------------
def real(folder: Path, verbose: bool) -> None:
    if not (folder / "expected.csv").is_file():
        print(f"real: skipped ({folder} not found; it is the shared development set, absent in a user's clone)")
        return
    with (folder / "expected.csv").open(encoding="utf-8") as fh:
        expected = {r["file"]: r for r in csv.DictReader(fh)}
    docs = sorted(p for p in (folder / "docs").iterdir() if p.suffix in (".html", ".txt") and p.name[0] in "ALN")
    calls = found = non_calls = as_programme = 0
    win_total = win_ok = invented = lv_ok = lv_total = lv_ne = lv_ne_ok = ceil_ne = ceil_ok = ceil_bad = 0
    misses = []
    for doc in docs:
        exp, got = expected[doc.name], extract_document(doc.read_bytes())
        if exp["is_call"] == "yes":
            calls += 1
            found += got["is_call"]
        else:
            non_calls += 1
            as_programme += got["is_call"]
        for field in ("opens_on", "closes_on"):
            if exp[field]:
                win_total += 1
                win_ok += exp[field] == (got[field] or "")
            elif got[field]:
                invented += 1
        levels = ";".join(got["recipient_levels"])
        lv_total += 1
        lv_ok += _same("recipient_levels", exp["recipient_levels"], levels)
        if exp["recipient_levels"]:
            lv_ne += 1
            lv_ne_ok += _same("recipient_levels", exp["recipient_levels"], levels)
        if exp["ceiling_idr"]:
            ceil_ne += 1
            ceil_ok += _same("ceiling_idr", exp["ceiling_idr"], got["ceiling_idr"])
        elif got["ceiling_idr"]:
            ceil_bad += 1
        for field in ("opens_on", "closes_on", "ceiling_idr", "recipient_levels"):
            value = levels if field == "recipient_levels" else got[field]
            if not _same(field, exp[field], value):
                misses.append(f"  {doc.name:<55} {field:<17} expected={exp[field]!r} actual={value!r}")
        if (exp["is_call"] == "yes") != got["is_call"]:
            misses.append(f"  {doc.name:<55} is_call           expected={exp['is_call']!r} actual={got['is_call']!r}")
    print(f"real ({len(docs)} documents A*, L*, N* of {folder}):")
    print(f"  call recall                  {_pct(found, calls)}")
    print(f"  non-calls as programmes      {_pct(as_programme, non_calls)}")
    print(f"  window recall                {_pct(win_ok, win_total)}")
    print(f"  invented window dates        {invented}")
    print(f"  levels (all documents)       {_pct(lv_ok, lv_total)}   labelled: {_pct(lv_ne_ok, lv_ne)}")
    print(f"  ceilings                     {_pct(ceil_ok, ceil_ne)}   not per-recipient (totals): {ceil_bad}")
    if verbose and misses:
        print("\n".join(misses))


# -- synthetic calls ------------------------------------------------------------------------------
def _generator() -> tuple[object, object]:
    sys.path.insert(0, str(SNAPSHOTS / "_gen"))
    return importlib.import_module("announcements"), importlib.import_module("replay_paths")


def _response(path: Path, url: str) -> Response:
    body = path.read_bytes()
    return Response(url, "GET", 200, {"Content-Type": "text/html" if path.suffix != ".xml" else ""}, body,
                    sha256(body), "")


def synthetic(verbose: bool) -> float:
    gen, paths = _generator()
    totals = {f: 0 for f in FIELDS}
    calls = recorded = news_total = news_as_programme = 0
    misses = []
    for week in WEEKS:
        for site in gen.SITES:
            source = SourceConfig("bench", "announcements", ("https://x/",), "p", {"ministry": site["ministry"]})
            rows = gen.programme_rows(site, week)
            by_url: dict[str, dict] = {}
            parsed_news: list[dict] = []
            if site["style"] == "rss":
                url = gen.listing_url(site)
                parsed = announcements.parse_feed(_response(SNAPSHOTS / week / paths.relpath(url), url), source)
                by_url = {p["source_url"]: p for p in parsed.programmes}
                parsed_news = parsed.news
                news_total += len(gen.NEWS[:2])
                news_as_programme += sum(1 for p in parsed.programmes if any(t in p["title"] for t in gen.NEWS))
            for row in rows:
                calls += 1
                if site["style"] == "rss":
                    got = by_url.get(f"https://{site['host']}{gen.detail_path(site, row, week)}")
                else:
                    url = f"https://{site['host']}{gen.detail_path(site, row, week)}"
                    parsed = announcements.parse_detail(_response(SNAPSHOTS / week / paths.relpath(url), url), source)
                    got = parsed.programmes[0] if parsed.programmes else None
                    parsed_news = parsed.news
                recorded += got is not None
                for field in FIELDS:
                    value = (got or {}).get(field)
                    ok = got is not None and _same(field, row[field], value)
                    totals[field] += ok
                    if not ok:
                        misses.append(f"  {week} {row['programme_id']} {field:<17} expected={row[field]!r} "
                                      f"actual={value!r}{' (as news)' if got is None and parsed_news else ''}")
    overall = sum(totals.values()) / (calls * len(FIELDS))
    print(f"synthetic ({calls} calls over {', '.join(WEEKS)}):")
    print(f"  calls recorded as programmes {_pct(recorded, calls)}")
    print(f"  feed news as programmes      {_pct(news_as_programme, news_total)}")
    for field in FIELDS:
        print(f"  {field:<28} {_pct(totals[field], calls)}")
    print(f"  overall                      {overall:.1%}")
    if verbose and misses:
        print("\n".join(misses))
    return overall


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--real", type=Path, default=REAL, help="the real-source development set (sources-real)")
    ap.add_argument("-v", action="store_true", help="list every miss")
    args = ap.parse_args()
    real(args.real, args.v)
    synthetic(args.v)
    return 0


if __name__ == "__main__":
    sys.exit(main())
