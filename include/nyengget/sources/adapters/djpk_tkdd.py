"""The city's own TKDD allocation history from the DJPK portal.

Follows https://djpk.kemenkeu.go.id/portal/data/tkdd: the page carries a Laravel CSRF token
(<meta name="csrf-token"> / hidden `_token`); the page's script POSTs the filter (tahun, provinsi,
pemda) with that token to /portal/filter and gets {"postur": [{"kodeakun", "nama", "anggaran",
"realisasi", "child": [...]}]}. Rows go to `tkdd_allocations` (one per pemda, year and account),
not to `programmes`: an allocation already received is context for planners, not an opportunity.
"""

from __future__ import annotations

from typing import Any

from nyengget.sources.fetch import FetchError, Response
from nyengget.sources.pages import soup
from nyengget.sources.records import Parsed


def token(resp: Response) -> str | None:
    doc = soup(resp.text)
    meta = doc.find("meta", attrs={"name": "csrf-token"})
    if meta and meta.get("content"):
        return meta["content"]
    field = doc.find("input", attrs={"name": "_token"})
    return field.get("value") if field else None


def collect(ctx: Any) -> Parsed:
    out = Parsed()
    opts = ctx.source.options
    try:
        page = ctx.get(ctx.source.urls[0])
    except FetchError as exc:
        out.errors.append(str(exc))
        return out
    csrf = token(page)
    if not csrf:
        out.errors.append(f"{page.url}: no CSRF token on the page (layout changed?)")
        return out
    for year in opts.get("years", []):
        form = {"_token": csrf, "data": "tkdd", "tahun": str(year), "provinsi": str(opts["provinsi"]),
                "pemda": str(opts["pemda"])}
        try:
            resp = ctx.post(opts["filter_url"], form)
        except FetchError as exc:
            out.errors.append(str(exc))
            continue
        out.extend(ctx.parse(resp, f"tkdd-{year}", lambda r, y=year: parse_tree(r, y, opts["pemda_name"])))
    return out


def parse_tree(resp: Response, year: int, pemda: str) -> Parsed:
    out = Parsed()
    try:
        data = resp.json()
    except ValueError as exc:
        out.errors.append(f"{resp.url}: malformed JSON ({exc})")
        return out
    postur = data.get("postur") if isinstance(data, dict) else None
    if not isinstance(postur, list):
        out.errors.append(f"{resp.url}: JSON without a 'postur' account tree")
        return out
    _walk(postur, None, year, pemda, resp.sha256, out)
    return out


def _walk(nodes: list[dict[str, Any]], parent: str | None, year: int, pemda: str, sha: str, out: Parsed) -> None:
    for node in nodes:
        code, name = node.get("kodeakun"), node.get("nama")
        if not code or not name:
            continue
        out.allocations.append({"pemda": pemda, "fiscal_year": year, "kodeakun": str(code), "account": name,
                                "parent": parent, "anggaran": _int(node.get("anggaran")),
                                "realisasi": _int(node.get("realisasi")), "raw_sha256": sha})
        _walk(node.get("child") or [], name, year, pemda, sha, out)


def _int(value: Any) -> int | None:
    try:
        return int(float(value)) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
