"""The region's TKDD allocation history from the DJPK portal (one row per year and account).

Follows https://djpk.kemenkeu.go.id/portal/data/tkdd as public clients read it (see sources.yaml):
a plain GET form `?tahun=&provinsi=&pemda=` (`select#sel_tahun`, `#sel_provinsi`, `#sel_pemda`)
whose answer holds the table in `div#tbl_data`: rows (written as self-closing `<tr/>`) of
Kode / Akun / Anggaran / Realisasi / %, amounts like "661.665,87 M" (M = miliar, T = triliun).
Region codes are the portal's own, never configured by hand: the province comes from
`/portal/provinsi/{tahun}` ({"28": "Prov. Banten", ...}), the pemda from
`/portal/pemda/{prov}/{tahun}` ({"00": "Prov. Banten", "07": "Kota Serang", ...}), both matched by
name; the form's own option lists are the fallback. A page showing another region is refused.
With `options.regions: configured` every region of the regions file (`nyengget.regions`) gets its own
history, resolved by its name (and its `province`) and cross-checked against its `djpk_code`; one
region's failure is reported and the others are still read. Rows go to `tkdd_allocations` keyed by the
region's Kemendagri `region_code` (the portal's code is `djpk_code`), not to `programmes`: an
allocation already received is context.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from bs4 import BeautifulSoup

from nyengget.sources.fetch import FetchError, Response
from nyengget.sources.pages import clean, soup
from nyengget.sources.records import Parsed
from nyengget.sources.verdict import layout_changed

SCALES = {"": 1, "rb": 10**3, "ribu": 10**3, "jt": 10**6, "juta": 10**6, "m": 10**9, "miliar": 10**9,
          "milyar": 10**9, "t": 10**12, "triliun": 10**12}
_AMOUNT = re.compile(r"^(-?)\s*(?:rp\.?\s*)?([\d.]+(?:,\d+)?)\s*([a-z]*)\.?$", re.I)
_KINDS = ((r"^(prov\.?|provinsi)\s+", "provinsi "), (r"^(kab\.?|kabupaten)\s+", "kabupaten "), (r"^kota\s+", "kota "))
HISTORY_YEARS = 3


# -- amounts and names --------------------------------------------------------------------------
def rupiah(text: str | None) -> int | None:
    """`"661.665,87 M"` -> 661_665_870_000_000 (exact, via Decimal); None for empty or unreadable."""
    value = clean(text).replace("\xa0", " ")
    if value in ("", "-"):
        return None
    m = _AMOUNT.match(value)
    if not m or m.group(3).lower() not in SCALES:
        return None
    try:
        number = Decimal(m.group(2).replace(".", "").replace(",", "."))
    except InvalidOperation:
        return None
    amount = number * SCALES[m.group(3).lower()]
    return int(-amount if m.group(1) else amount)


def region_key(name: str) -> str:
    """`Kab. Serang` -> `kabupaten serang`, `Prov. Banten` -> `provinsi banten` (names as the portal writes)."""
    key = re.sub(r"\s+", " ", re.sub(r"[^\w. ]+", " ", name.lower())).strip()
    for pattern, kind in _KINDS:
        if re.match(pattern, key):
            return kind + re.sub(pattern, "", key).replace(".", "").strip()
    return key.replace(".", "").strip()


def _kinds_anywhere(text: str) -> str:
    """Region kinds spelled out anywhere in a sentence ("... Kab. Serang ..." -> "... kabupaten serang ...")."""
    text = re.sub(r"\s+", " ", re.sub(r"[^\w. ]+", " ", text.lower()))
    text = re.sub(r"\bkab\.?(?=\s)", "kabupaten", text)
    return re.sub(r"\bprov\.?(?=\s)", "provinsi", text).replace(".", " ").strip()


def find_code(options: dict[str, str], name: str, *, kind: str | None = None) -> str | None:
    """The code whose name is `name` (kind prefix required unless `kind` supplies it); None if absent.
    Raises ValueError when a bare name is ambiguous (Kab. Serang and Kota Serang)."""
    want = region_key(name)
    if kind and not want.startswith(kind + " "):
        want = f"{kind} {want}"
    exact = [code for code, label in options.items() if region_key(label) == want]
    if exact:
        return exact[0]
    loose = [code for code, label in options.items() if region_key(label).split(" ", 1)[-1] == want]
    if len(loose) > 1:
        raise ValueError(f"{name!r} is ambiguous: {', '.join(options[c] for c in loose)}")
    return loose[0] if loose else None


def select_options(doc: BeautifulSoup, name: str) -> tuple[dict[str, str], str | None]:
    """({value: label}, selected value) of the form's `<select name=...>`, without "--" (all)."""
    sel = doc.find("select", attrs={"name": name}) or doc.find("select", id=f"sel_{name}")
    if sel is None:
        return {}, None
    options, selected = {}, None
    for opt in sel.find_all("option"):
        value = opt.get("value", "")
        if value and value != "--":
            options[value] = clean(opt.get_text(" "))
            if opt.has_attr("selected"):
                selected = value
    return options, selected


# -- fetching -----------------------------------------------------------------------------------
def targets(opts: dict[str, Any]) -> list[dict[str, Any]]:
    """The regions to read: every configured region (`regions: configured`), else `options.region`; each
    with its name, province, Kemendagri code and the DJPK code to cross-check (None: resolve only)."""
    from nyengget.regions import configured_regions

    regions = configured_regions()
    if opts.get("regions") == "configured":
        return [{"name": r.name, "province": r.province or opts.get("province"), "region_code": r.code,
                 "djpk_code": r.djpk_code} for r in regions]
    name = opts.get("region") or opts.get("pemda_name")
    if not name:
        return []
    match = next((r for r in regions if region_key(r.name) == region_key(name)), regions.default)
    return [{"name": name, "province": opts.get("province"), "region_code": match.code,
             "djpk_code": opts.get("region_code")}]


def collect(ctx: Any) -> Parsed:
    out = Parsed()
    opts = ctx.source.options
    wanted = targets(opts)
    if not wanted:
        out.errors.append(f"source {ctx.source.name}: options.regions: configured, or options.region "
                          "(a region name with its kind, e.g. Kota X), is required")
        return out
    try:
        page = ctx.get(ctx.source.urls[0])
    except FetchError as exc:
        out.errors.append(str(exc))
        return out
    form = soup(page.text)
    years = _years(opts, form, ctx.week_start.year)
    if not years:
        out.errors.append(layout_changed(page.url, "a `tahun` select or options.years"))
        return out
    for target in wanted:
        _collect_region(ctx, page, form, years, target, out)
    return out


def _collect_region(ctx: Any, page: Response, form: BeautifulSoup, years: list[int], target: dict[str, Any],
                    out: Parsed) -> None:
    """One region's pages, year by year; a failure is an error of this region only."""
    region, base = target["name"], page.url.split("?")[0]
    opts = {**ctx.source.options, "province": target["province"], "region_code": target["djpk_code"]}
    fetched, errors = 0, len(out.errors)
    for year in years:
        codes = _resolve(ctx, form, region, opts, year, out)
        if codes is None:
            return
        url = f"{base}?{urlencode({'tahun': year, 'provinsi': codes[0], 'pemda': codes[1]})}"
        try:
            resp = page if _same_query(page.url, url) else ctx.get(url)
        except FetchError as exc:
            if exc.status != 404:
                out.errors.append(str(exc))
            continue  # a year the portal has no page for is not an error unless every year is missing
        fetched += 1
        out.extend(ctx.parse(resp, f"tkdd-{target['region_code']}-{year}",
                             lambda r, y=year, c=codes: parse_table(r, y, region, c, target["region_code"])))
    if not fetched and len(out.errors) == errors:
        out.errors.append(f"{base}: no TKDD page for {region} in {', '.join(map(str, years))} (HTTP 404)")


def _years(opts: dict[str, Any], form: BeautifulSoup, week_year: int) -> list[int]:
    if opts.get("years"):
        return [int(y) for y in opts["years"]]
    offered = sorted(int(v) for v in select_options(form, "tahun")[0] if v.isdigit())
    wanted = [y for y in offered if y <= week_year + 1]
    return wanted[-int(opts.get("history_years", HISTORY_YEARS)):]


def _same_query(a: str, b: str) -> bool:
    return urlsplit(a).path == urlsplit(b).path and parse_qs(urlsplit(a).query) == parse_qs(urlsplit(b).query)


def _json_list(ctx: Any, url: str) -> dict[str, str] | None:
    try:
        data = ctx.get(url, check_page=False).json()
    except (FetchError, ValueError):
        return None
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else None


def _resolve(ctx: Any, form: BeautifulSoup, region: str, opts: dict[str, Any], year: int,
             out: Parsed) -> tuple[str, str] | None:
    """(provinsi, pemda) codes of `region` from the portal's own lists; None (with an error) if unknown."""
    root = "https://" + (urlsplit(ctx.source.urls[0]).hostname or "djpk.kemenkeu.go.id") + "/portal"
    form_provs, form_prov = select_options(form, "provinsi")
    form_pemdas = select_options(form, "pemda")[0]
    try:
        province = opts.get("province")
        provs = _json_list(ctx, f"{root}/provinsi/{year}") or form_provs
        prov = find_code(provs, province, kind="provinsi") if province else form_prov
        if prov is None:
            out.errors.append(f"province {province!r} not in the portal's list for {year} ({len(provs)} provinces)")
            return None
        pemdas = _json_list(ctx, f"{root}/pemda/{prov}/{year}") or (form_pemdas if prov == form_prov else {})
        pemda = find_code(pemdas, region)
    except ValueError as exc:
        out.errors.append(f"region: {exc}; write the kind, e.g. 'Kota X' not 'X'")
        return None
    if pemda is None:
        out.errors.append(f"region {region!r} not in the portal's pemda list of province {prov} for {year}")
        return None
    expected = opts.get("region_code")
    if expected and str(expected) != f"{prov}.{pemda}":
        out.errors.append(f"configured region_code {expected} is not {region} (the portal lists it as "
                          f"{prov}.{pemda}); nothing stored")
        return None
    return prov, pemda


# -- parsing ------------------------------------------------------------------------------------
EXPECTED = "div#tbl_data with a Kode/Akun/Anggaran/Realisasi table"
_HEADERS = {"code": r"^kode", "account": r"^(akun|uraian|nama)", "anggaran": r"^(anggaran|pagu|alokasi)",
            "realisasi": r"^realisasi"}


def parse_table(resp: Response, year: int, region: str, codes: tuple[str, str],
                region_code: str | None = None) -> Parsed:
    """Allocation rows of one filtered page (of the region `region_code`, Kemendagri; default: the default
    region); refused when the page shows another region or year."""
    if region_code is None:
        from nyengget.regions import default_region

        region_code = default_region().code
    out = Parsed()
    html = re.sub(r"<tr\b([^>]*)/>", r"</tr><tr\1>", resp.text, flags=re.I)
    doc = soup(html)
    table = doc.select_one("#tbl_data table")
    if table is None:
        out.errors.append(layout_changed(resp.url, EXPECTED))
        return out
    wrong = _other_region(doc, region, year, codes)
    if wrong:
        out.errors.append(f"{resp.url}: {wrong}; nothing stored")
        return out
    header = [clean(th.get_text(" ")).lower() for th in table.find_all("th")]
    cols = {name: next((i for i, h in enumerate(header) if re.search(p, h)), default)
            for (name, p), default in zip(_HEADERS.items(), (0, 1, 2, 3), strict=True)}
    names: dict[str, str] = {}
    for tr in table.find_all("tr"):
        cells = [clean(td.get_text(" ")) for td in tr.find_all("td")]
        if len(cells) <= max(cols.values()) or not cells[cols["account"]]:
            continue
        code, account = cells[cols["code"]] or cells[cols["account"]], cells[cols["account"]]
        names[code] = account
        out.allocations.append({
            "pemda": region, "region_code": region_code, "djpk_code": ".".join(codes), "fiscal_year": year,
            "kodeakun": code,
            "account": account, "parent": names.get(code.rsplit(".", 1)[0]) if "." in code else None,
            "anggaran": rupiah(cells[cols["anggaran"]]), "realisasi": rupiah(cells[cols["realisasi"]]),
            "source_url": resp.url, "raw_sha256": resp.sha256})
    if not out.allocations and header:
        out.errors.append(layout_changed(resp.url, EXPECTED + " (the table has no account rows)"))
    return out


def _other_region(doc: BeautifulSoup, region: str, year: int, codes: tuple[str, str]) -> str | None:
    """Why the page is not `region`'s table for `year` (its selected filters say otherwise), else None."""
    for name, want in (("tahun", str(year)), ("provinsi", codes[0]), ("pemda", codes[1])):
        options, selected = select_options(doc, name)
        if selected and selected != want:
            return f"the page shows {name} {selected} ({options.get(selected)}), not {want}"
    heading = doc.find(["h3", "h4", "h5"], string=re.compile(r"transfer ke daerah", re.I))
    if heading and f" {region_key(region)} " not in f" {_kinds_anywhere(heading.get_text(' '))} ":
        return f"the table heading names another region ({clean(heading.get_text(' '))!r})"
    return None
