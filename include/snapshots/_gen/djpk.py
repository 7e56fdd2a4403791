"""DJPK portal TKDD in its real shape (see sources.yaml): a GET form and an HTML table.

`/portal/data/tkdd` is the form (`select#sel_tahun`, `#sel_provinsi`, `#sel_pemda`); the filtered
GET `?tahun=&provinsi=&pemda=` answers with `div#tbl_data` rows written as self-closing `<tr/>`,
cells Kode / Akun / Anggaran / Realisasi / %, amounts like "661.665,87 M". Region lists come from
`/portal/provinsi/{tahun}` and `/portal/pemda/{prov}/{tahun}` as JSON objects. Codes are the
portal's (28 = Banten, 28.07 = Kota Serang, 28.05 = Kota Cilegon, 28.03 = Kab. Serang, 11 = Jawa Tengah;
BetaUliansyah/jaga-apbd-scraper kode_kabkota.csv); the amounts are fixture figures, Cilegon's scaled.
"""

from __future__ import annotations

import json

from common import write

HOST = "djpk.kemenkeu.go.id"
YEARS = (2024, 2025, 2026)
PROVINCES = {"01": "Prov. Aceh", "10": "Prov. Jawa Barat", "11": "Prov. Jawa Tengah", "28": "Prov. Banten"}
PEMDA_BANTEN = {"00": "Prov. Banten", "03": "Kab. Serang", "05": "Kota Cilegon", "07": "Kota Serang"}
PAGES = {"07": ("Kota Serang", 1.0), "05": ("Kota Cilegon", 0.7)}  # pemda with a TKDD page: name, fixture scale
ACCOUNTS = [("1", "Transfer ke Daerah", None), ("1.1", "Dana Bagi Hasil", 98.4), ("1.2", "Dana Alokasi Umum", 612.7),
            ("1.3", "Dana Alokasi Khusus Fisik", 50.1), ("1.4", "Dana Alokasi Khusus Non Fisik", 169.9),
            ("1.5", "Insentif Fiskal", 13.3)]
FACTOR = {2024: 0.88, 2025: 0.95, 2026: 1.0}
REALISED = {2024: 0.97, 2025: 0.94, 2026: 0.61}


def miliar(value: float) -> str:
    whole, frac = f"{value:,.2f}".split(".")
    return f"{whole.replace(',', '.')},{frac} M"


def rows(year: int, week: str, scale: float = 1.0) -> list[tuple[str, str, float, float]]:
    share = REALISED[year] + (0.04 if week == "2026-W48" and year == 2026 else 0)
    out = [(code, name, round(base * scale * FACTOR[year], 2), round(base * scale * FACTOR[year] * share, 2))
           for code, name, base in ACCOUNTS if base]
    total = (sum(r[2] for r in out), sum(r[3] for r in out))
    return [("1", "Transfer ke Daerah", *total), *out]


def page(year: int | None, week: str, pemda: str = "07") -> str:
    def select(name: str, options: dict[str, str], chosen: str | None) -> str:
        opts = "".join(f'<option value="{v}"{" selected" if v == chosen else ""}>{label}</option>'
                       for v, label in options.items())
        return f'<select name="{name}" id="sel_{name}"><option value="--">-- Semua --</option>{opts}</select>'

    years = {str(y): str(y) for y in YEARS}
    provs = {k: v.replace("Prov.", "Provinsi") for k, v in PROVINCES.items()}
    form = (select("tahun", years, str(year or YEARS[-1])) + select("provinsi", provs, "28" if year else None)
            + select("pemda", PEMDA_BANTEN if year else {}, pemda if year else None))
    table = ""
    if year:
        name, scale = PAGES[pemda]
        body = "".join(f'<tr/><td>{c}</td><td>{n}</td><td class="text-right">{miliar(a)}</td>'
                       f'<td class="text-right">{miliar(r)}</td><td class="text-right">'
                       f'{f"{r / a * 100:.2f}".replace(".", ",")}%</td>\n' for c, n, a, r in rows(year, week, scale))
        table = (f'<h4>Transfer ke Daerah {name} Tahun {year}</h4><div id="tbl_data"><table class="table table-bordered">'
                 f'<thead><tr><th>Kode</th><th>Akun</th><th>Anggaran</th><th>Realisasi</th><th>%</th></tr></thead>'
                 f'<tbody>\n{body}</tbody></table></div>')
    return (f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>Portal Data - Direktorat Jenderal '
            f'Perimbangan Keuangan</title></head><body><nav class="navbar"><a href="/portal">Portal DJPK</a></nav>'
            f'<div class="container"><form method="get" action="/portal/data/tkdd" class="form-inline">{form}'
            f'<button type="submit">Tampilkan</button></form>{table}<p class="text-muted">Sumber: SIKD DJPK</p>'
            f'</div></body></html>')


def generate(week: str) -> int:
    write(week, f"{HOST}/portal/data/tkdd", page(None, week))
    for year in YEARS:
        for pemda in PAGES:
            write(week, f"{HOST}/portal/data/tkdd@tahun={year}&provinsi=28&pemda={pemda}", page(year, week, pemda))
        write(week, f"{HOST}/portal/provinsi/{year}", json.dumps(PROVINCES))
        write(week, f"{HOST}/portal/pemda/28/{year}", json.dumps(PEMDA_BANTEN))
    write(week, f"{HOST}/robots.txt", "User-agent: *\nDisallow: /wp-admin/\n")
    return len(YEARS) * len(ACCOUNTS) * len(PAGES)
