"""DJPK portal TKDD data: the page carries a CSRF token; a filtered POST returns the account tree.

Follows https://djpk.kemenkeu.go.id/portal/data/tkdd: a page with <meta name="csrf-token"> and filter
selects (tahun, provinsi, pemda); the page's script POSTs the filter with `_token` to /portal/filter
and gets JSON {"postur": [{"nama", "anggaran", "realisasi", "child": [{"kodeakun", "nama", ...}]}]}.
"""

from __future__ import annotations

import json

from common import write

HOST = "djpk.kemenkeu.go.id"
TOKEN = "q9Xb2VtYWtzZXJhbmcta290YS0yMDI2LXRrZGQ"
ACCOUNTS = [
    ("DAK Fisik", "4.1.2.02.01", [("4.1.2.02.01.0001", "DAK Fisik Bidang Pendidikan", 9.1e9),
                                 ("4.1.2.02.01.0002", "DAK Fisik Bidang Kesehatan dan KB", 14.2e9),
                                 ("4.1.2.02.01.0003", "DAK Fisik Bidang Jalan", 18.5e9),
                                 ("4.1.2.02.01.0004", "DAK Fisik Bidang Air Minum", 4.4e9),
                                 ("4.1.2.02.01.0005", "DAK Fisik Bidang Sanitasi", 3.9e9)]),
    ("DAK Nonfisik", "4.1.2.02.02", [("4.1.2.02.02.0001", "BOS Reguler", 61.0e9),
                                     ("4.1.2.02.02.0002", "BOP PAUD", 6.2e9),
                                     ("4.1.2.02.02.0003", "Tunjangan Profesi Guru", 88.4e9),
                                     ("4.1.2.02.02.0004", "BOK Puskesmas", 11.3e9),
                                     ("4.1.2.02.02.0005", "BOKB", 2.1e9),
                                     ("4.1.2.02.02.0006", "Dana Pelayanan Administrasi Kependudukan", 0.9e9)]),
    ("Insentif Fiskal", "4.1.2.03", [("4.1.2.03.0001", "Insentif Fiskal Kinerja Tahun Berjalan", 7.8e9),
                                     ("4.1.2.03.0002", "Insentif Fiskal Kinerja Tahun Sebelumnya", 5.5e9)]),
]
FACTOR = {2024: 0.88, 2025: 0.95, 2026: 1.0}
REALISED = {2024: 0.97, 2025: 0.94, 2026: 0.61}


def tree(year: int, week: str) -> dict:
    postur = []
    for name, code, children in ACCOUNTS:
        kids = []
        for kode, nama, base in children:
            anggaran = int(round(base * FACTOR[year], -6))
            share = REALISED[year] + (0.04 if week == "2026-W48" and year == 2026 else 0)
            kids.append({"kodeakun": kode, "nama": nama, "anggaran": anggaran, "realisasi": int(anggaran * share)})
        postur.append({"kodeakun": code, "nama": name, "anggaran": sum(k["anggaran"] for k in kids),
                       "realisasi": sum(k["realisasi"] for k in kids), "child": kids})
    return {"status": "success", "tahun": year, "pemda": "Kota Serang", "postur": postur}


def generate(week: str) -> int:
    page = f"""<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><meta name="csrf-token" content="{TOKEN}">
<title>Data TKDD - Portal DJPK</title></head><body><nav class="navbar">Portal Data DJPK</nav>
<form id="filter-tkdd"><input type="hidden" name="_token" value="{TOKEN}">
<select name="tahun"><option>2026</option><option>2025</option><option>2024</option></select>
<select name="provinsi"><option value="11">Banten</option></select><select name="pemda"><option value="11.09">Kota Serang</option></select>
</form><div id="tkdd-tree"></div><script src="/portal/js/tkdd.js"></script></body></html>"""
    write(week, f"{HOST}/portal/data/tkdd", page)
    for year in FACTOR:
        rel = f"{HOST}/portal/filter@POST@data=tkdd&pemda=11.09&provinsi=11&tahun={year}"
        path = write(week, rel, json.dumps(tree(year, week), indent=1))
        path.with_name(path.name + ".meta.json").write_text(json.dumps(
            {"headers": {"Content-Type": "application/json"}, "require_form": {"_token": TOKEN}}))
    write(week, f"{HOST}/robots.txt", "User-agent: *\nDisallow: /wp-admin/\n")
    return 3 * sum(len(c) for _, _, c in ACCOUNTS)
