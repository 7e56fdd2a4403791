"""Ministry announcement pages (HTML listings + detail pages, RSS feeds) in four site styles.

Styles follow real kinds of Indonesian ministry sites: `wp` (WordPress: article.post, entry-meta
"Diposting ..."), `portal` (Laravel portals: div.list-berita, div.isi-berita), `table` (older
portals: a table of announcements, windows-1252 detail pages with table layout), `rss` (RSS 2.0
with content:encoded).
"""

from __future__ import annotations

import html
from datetime import date, timedelta
from email.utils import format_datetime

from common import WEEKS, levels_phrase, rp_words, seed, tgl, write

SITES = [
    dict(host="pkp.go.id", style="wp", ministry="Kementerian Perumahan dan Kawasan Permukiman", ids=["P104", "P105"]),
    dict(host="kemensos.go.id", style="portal", ministry="Kementerian Sosial", ids=["P106"]),
    dict(host="kemendikdasmen.go.id", style="rss", ministry="Kementerian Pendidikan Dasar dan Menengah",
         ids=["P107"]),
    dict(host="kemendag.go.id", style="portal", ministry="Kementerian Perdagangan", ids=["P108"]),
    dict(host="kemenperin.go.id", style="table", ministry="Kementerian Perindustrian", ids=["P109"]),
    dict(host="kkp.go.id", style="rss", ministry="Kementerian Kelautan dan Perikanan", ids=["P110"]),
    dict(host="esdm.go.id", style="wp", ministry="Kementerian Energi dan Sumber Daya Mineral", ids=["P111"]),
    dict(host="kemenpora.go.id", style="table", ministry="Kementerian Pemuda dan Olahraga", ids=["P112"]),
    dict(host="perpusnas.go.id", style="wp", ministry="Perpustakaan Nasional RI", ids=["P113", "P114"]),
    dict(host="komdigi.go.id", style="rss", ministry="Kementerian Komunikasi dan Digital", ids=["P115"]),
    dict(host="badanpangan.go.id", style="portal", ministry="Badan Pangan Nasional", ids=["P116"]),
    dict(host="pu.go.id", style="wp", ministry="Kementerian Pekerjaan Umum", ids=["P117"]),
    dict(host="dephub.go.id", style="table", ministry="Kementerian Perhubungan", ids=["P118", "P121", "P129"]),
    dict(host="kemenpppa.go.id", style="rss", ministry="Kementerian Pemberdayaan Perempuan dan Perlindungan Anak",
         ids=["P119", "P127", "P130"]),
    dict(host="bnpb.go.id", style="portal", ministry="Badan Nasional Penanggulangan Bencana", ids=["P103", "P120"]),
    dict(host="menpan.go.id", style="wp", ministry="Kementerian PANRB", ids=["P122", "P123"]),
    dict(host="kemendagri.go.id", style="table", ministry="Kementerian Dalam Negeri", ids=["P124", "P125"]),
    dict(host="kemenlh.go.id", style="portal", ministry="Kementerian Lingkungan Hidup", ids=["P126", "P131"]),
    dict(host="kemkes.go.id", style="rss", ministry="Kementerian Kesehatan", ids=["P128"]),
    dict(host="bappenas.go.id", style="wp", ministry="Kementerian PPN/Bappenas", ids=["P132"]),
    dict(host="djpk.kemenkeu.go.id", style="table", ministry="Direktorat Jenderal Perimbangan Keuangan",
         ids=["P101", "P102"], listing="/hibah/pengumuman"),
]
# windows moved so that open calls close Dec 2026 - Mar 2027 relative to the two weeks
WINDOWS = {"P110": ("2026-10-01", "2027-02-26"), "P120": ("2026-10-01", "2027-03-15"),
           "P123": ("2026-10-01", "2027-01-29")}
CEILINGS = {"P106": 20_000_000, "P107": 1_500_000_000, "P114": 75_000_000, "P115": 750_000_000,
            "P120": 300_000_000}
# week 2: moved deadlines, a changed ceiling, a disappeared and a new programme
W2_CHANGES = {"P115": {"closes_on": "2026-12-08"}, "P106": {"closes_on": "2027-01-29"},
              "P112": {"ceiling_idr": "2500000000"}}
W2_REMOVED = {"P113"}
NEW_W2 = {"programme_id": "N001", "title": "Bantuan Pemerintah – Sanitasi Berbasis Masyarakat (Sanimas) TA 2027",
          "description": "Bantuan pembangunan instalasi pengolahan air limbah domestik komunal berbasis masyarakat "
          "beserta jaringan perpipaan dan sambungan rumah di permukiman padat perkotaan. Lokasi diusulkan "
          "pemerintah daerah bersama kelompok swadaya masyarakat (KSM) dengan lahan yang telah tersedia. "
          "Keluaran berupa layanan air limbah domestik aman bagi 50 hingga 100 kepala keluarga per lokasi.",
          "funding_type": "Bantuan Pemerintah", "fiscal_year": "2027", "recipient_levels": "kabupaten;kota",
          "opens_on": "2026-11-23", "closes_on": "2027-01-22", "ceiling_idr": "500000000", "ministry": "Kementerian PU"}
NEWS = ["Menteri Meninjau Progres Pembangunan Infrastruktur di Banten", "Rapat Koordinasi Nasional Tahun 2026",
        "Peringatan Hari Kesaktian Pancasila di Lingkungan Kementerian", "Sosialisasi Reformasi Birokrasi Tematik"]


def programme_rows(site: dict, week: str) -> list[dict[str, str]]:
    rows = seed()
    out = []
    for pid in site["ids"]:
        if week == "2026-W48" and pid in W2_REMOVED:
            continue
        row = dict(rows[pid])
        if pid in WINDOWS:
            row["opens_on"], row["closes_on"] = WINDOWS[pid]
        if pid in CEILINGS:
            row["ceiling_idr"] = str(CEILINGS[pid])
        if week == "2026-W48":
            row.update(W2_CHANGES.get(pid, {}))
        out.append(row)
    if week == "2026-W48" and site["host"] == "pu.go.id":
        out.append(dict(NEW_W2))
    return out


def core_title(row: dict[str, str]) -> str:
    return row["title"].replace(" – ", " ")


def page_title(row: dict[str, str]) -> str:
    core = core_title(row)
    fy = row["fiscal_year"]
    if row["opens_on"]:
        return f"Pembukaan Pendaftaran {core}" + ("" if fy in core else f" Tahun Anggaran {fy}")
    return f"Ketentuan {core}" + ("" if fy in core else f" Tahun {fy}")


def posted_on(row: dict[str, str], week: str) -> date:
    if row["opens_on"]:
        return date.fromisoformat(row["opens_on"]) - timedelta(days=3)
    return date(2026, 10, 1) - timedelta(days=int(row["programme_id"][1:]) % 20)


def paragraphs(row: dict[str, str], ministry: str, variant: int) -> list[str]:
    """The announcement text: intro, description, window, ceiling, eligibility, timeline."""
    core, fy = core_title(row), row["fiscal_year"]
    paras = [f"{ministry} membuka kesempatan bagi pemerintah daerah untuk mengikuti {core} "
             f"tahun anggaran {fy}.", row["description"]]
    if row["opens_on"]:
        o, c = row["opens_on"], row["closes_on"]
        window = [
            f"Pendaftaran dibuka mulai {tgl(o)} dan usulan disampaikan paling lambat {tgl(c)} pukul 23.59 WIB "
            "melalui aplikasi yang telah disediakan.",
            f"Jadwal pengusulan: {tgl(o)} s.d. {tgl(c)}. Usulan yang melewati batas waktu tidak diproses.",
            f"Usulan diterima sejak {tgl(o)} hingga {tgl(c)} melalui surat resmi kepala daerah.",
            f"Periode penyampaian proposal {tgl(o, short_year=True)} – {tgl(c)}.",
        ][variant % 4]
        paras.append(window)
        if row["funding_type"] == "Kompetisi/Penghargaan":
            end = date.fromisoformat(c)
            paras.append(f"Tahapan penilaian dan verifikasi lapangan dilaksanakan {tgl(end + timedelta(days=14))} "
                         f"s.d. {tgl(end + timedelta(days=45))}, sedangkan pengumuman hasil pada "
                         f"{tgl(end + timedelta(days=60))}.")
    else:
        paras.append("Program ini tidak memerlukan pendaftaran; penilaian dilakukan berdasarkan data kinerja "
                     "yang tersedia dan hasilnya diumumkan kemudian.")
    if row["ceiling_idr"]:
        money = rp_words(int(row["ceiling_idr"]), variant % 3)
        paras.append([f"Nilai bantuan paling banyak {money} per lokasi usulan.",
                      f"Besaran bantuan maksimal {money} untuk setiap daerah penerima.",
                      f"Pagu bantuan setinggi-tingginya {money} per kabupaten/kota."][variant % 3])
    if row["recipient_levels"]:
        who = levels_phrase(row["recipient_levels"])
        paras.append([f"Program ini diperuntukkan bagi {who}.", f"Pengusul adalah {who} melalui perangkat daerah "
                      "yang membidangi.", f"Peserta yang dapat mengajukan usulan adalah {who}."][variant % 3])
    paras.append(f"Informasi lebih lanjut dapat menghubungi layanan informasi {ministry} pada hari kerja.")
    return paras


def slug(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80]


def detail_path(site: dict, row: dict[str, str]) -> str:
    base = {"wp": "/berita/", "portal": "/detail-berita/", "table": "/pengumuman/read/"}.get(site["style"], "/")
    return base + slug(core_title(row)) + ("" if site["style"] == "table" else "/")


def _furniture_sidebar(week: str) -> str:
    items = "".join(f'<li><a href="/berita/{slug(t)}/">{t}</a> <span class="date">{tgl(date(2026, 11, 10) - timedelta(days=i))}'
                    "</span></li>" for i, t in enumerate(NEWS, start=2))
    return f'<aside id="secondary" class="widget-area"><section class="widget"><h3>Berita Terbaru</h3><ul>{items}</ul></section></aside>'


def wp_detail(site: dict, row: dict[str, str], week: str, variant: int) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs(row, site["ministry"], variant))
    posted = tgl(posted_on(row, week))
    return f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="UTF-8"><title>{html.escape(page_title(row))} – {site['ministry']}</title></head>
<body class="post-template-default single">
<header id="masthead" class="site-header"><nav class="main-navigation"><ul><li><a href="/">Beranda</a></li>
<li><a href="/profil/">Profil</a></li><li><a href="/berita/">Berita</a></li><li><a href="/ppid/">PPID</a></li></ul></nav></header>
<div id="content" class="site-content"><main id="main" class="site-main">
<article class="post type-post status-publish">
<header class="entry-header"><h1 class="entry-title">{html.escape(page_title(row))}</h1>
<div class="entry-meta"><span class="posted-on">Diposting {posted}</span> oleh <span class="author">Humas</span></div></header>
<div class="entry-content">
{body}</div>
<footer class="entry-footer"><span class="tags-links">Tag: pengumuman, bantuan</span></footer>
</article></main>{_furniture_sidebar(week)}</div>
<footer id="colophon" class="site-footer">© 2026 {site['ministry']}. Jl. Pattimura No. 20, Jakarta.</footer>
</body></html>
"""


def portal_detail(site: dict, row: dict[str, str], week: str, variant: int) -> str:
    paras = paragraphs(row, site["ministry"], variant)
    if week == "2026-W48":  # cosmetic re-layout in week 2: spacing and markup only
        body = "".join(f"<p>\n  <span>{html.escape(p)}</span>\n</p>\n" for p in paras)
    else:
        body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
    posted = tgl(posted_on(row, week))
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{html.escape(page_title(row))}</title></head>
<body><div class="navbar"><a href="/">Beranda</a> | <a href="/berita">Berita</a> | <a href="/pengumuman">Pengumuman</a></div>
<div class="breadcrumb">Beranda / Berita / Detail</div>
<div class="container"><div class="row"><div class="col-md-8">
<div class="detail-berita"><h1>{html.escape(page_title(row))}</h1>
<div class="meta-berita"><i class="fa fa-calendar"></i> {posted} &middot; Dibaca 1.204 kali</div>
<div class="isi-berita">{body}</div></div></div>
<div class="col-md-4 sidebar"><h4>Berita Populer</h4><ul>{''.join(f'<li>{t}<br><small>{tgl(WEEKS[week])}</small></li>' for t in NEWS)}</ul></div>
</div></div><div class="footer">Hak Cipta © 2026 {site['ministry']}</div></body></html>
"""


def table_detail(site: dict, row: dict[str, str], week: str, variant: int) -> bytes:
    paras = paragraphs(row, site["ministry"], variant)
    paras[0] = paras[0].replace("membuka kesempatan", "dengan ini mengumumkan dibukanya kesempatan")
    body = "<br><br>\n".join(html.escape(p).replace("–", "&#8211;") for p in paras)
    body = body.replace("&#8211;", "–")
    text = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">
<title>{html.escape(page_title(row))}</title></head><body bgcolor="#ffffff">
<table width="100%" border="0"><tr><td class="menu"><a href="/">Home</a> &middot; <a href="/pengumuman/">Pengumuman</a></td></tr>
<tr><td class="judul"><h1>{html.escape(page_title(row))}</h1></td></tr>
<tr><td class="tanggal">Tanggal: {tgl(posted_on(row, week))}</td></tr>
<tr><td class="isi">“PENGUMUMAN”<br><br>{body}<br><br>Jakarta, {tgl(posted_on(row, week))}<br>Sekretaris Jenderal</td></tr>
<tr><td class="footer">Copyright © 2026 {site['ministry']}</td></tr></table></body></html>
"""
    return text.encode("cp1252")


def rss_feed(site: dict, rows: list[dict[str, str]], week: str) -> str:
    items = []
    for row in rows:
        text = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs(row, site["ministry"], int(row["programme_id"][1:])))
        posted = posted_on(row, week)
        pub = format_datetime(__import__("datetime").datetime(posted.year, posted.month, posted.day, 9, 0,
                                                               tzinfo=__import__("datetime").timezone.utc))
        link = f"https://{site['host']}/siaran-pers/{slug(core_title(row))}"
        items.append(f"""<item><title>{html.escape(page_title(row))}</title><link>{link}</link>
<guid isPermaLink="true">{link}</guid><pubDate>{pub}</pubDate><category>Pengumuman</category>
<description>{html.escape(row['description'][:160])}...</description>
<content:encoded><![CDATA[{text}]]></content:encoded></item>""")
    for i, title in enumerate(NEWS[:2]):
        link = f"https://{site['host']}/siaran-pers/{slug(title)}"
        items.append(f"<item><title>{title}</title><link>{link}</link><pubDate>Mon, {16 + i} Nov 2026 08:00:00 +0700"
                     f"</pubDate><description>Kegiatan kementerian.</description></item>")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>{site['ministry']}</title><link>https://{site['host']}/</link><description>Siaran pers dan pengumuman</description>
<language>id</language>
{''.join(items)}
</channel></rss>
"""


def listing(site: dict, rows: list[dict[str, str]], week: str) -> str:
    style = site["style"]
    entries = [(page_title(r), detail_path(site, r), posted_on(r, week)) for r in rows]
    entries += [(t, f"/berita/{slug(t)}/", WEEKS[week] - timedelta(days=i)) for i, t in enumerate(NEWS)]
    if style == "wp":
        posts = "".join(f'<article class="post"><header class="entry-header"><h2 class="entry-title"><a href="{p}">'
                        f'{html.escape(t)}</a></h2><div class="entry-meta">Diposting {tgl(d)}</div></header>'
                        f'<div class="entry-summary"><p>Selengkapnya...</p></div></article>\n' for t, p, d in entries)
        return (f'<!DOCTYPE html><html lang="id"><head><meta charset="UTF-8"><title>Berita – {site["ministry"]}</title>'
                f'</head><body><nav class="main-navigation"><a href="/">Beranda</a></nav><main id="main">{posts}</main>'
                f'{_furniture_sidebar(week)}</body></html>')
    if style == "portal":
        items = "".join(f'<div class="item"><h3><a href="{p}">{html.escape(t)}</a></h3><span class="tanggal">{tgl(d)}'
                        f'</span></div>\n' for t, p, d in entries)
        return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Berita</title></head><body>'
                f'<div class="navbar"><a href="/">Beranda</a></div><div class="list-berita">{items}</div>'
                f'<ul class="pagination"><li>1</li><li><a href="?page=2">2</a></li></ul></body></html>')
    rows_html = "".join(f'<tr><td>{i}</td><td><a href="{p}">{html.escape(t)}</a></td><td>{tgl(d)}</td></tr>\n'
                        for i, (t, p, d) in enumerate(entries, start=1))
    return (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><title>Pengumuman</title>'
            f'</head><body><table class="table"><tr><th>No</th><th>Judul</th><th>Tanggal</th></tr>{rows_html}'
            f'</table></body></html>')


def listing_url(site: dict) -> str:
    if site["style"] == "rss":
        return f"https://{site['host']}/feed/rss.xml"
    return f"https://{site['host']}" + site.get("listing", {"wp": "/berita/", "portal": "/berita",
                                                            "table": "/pengumuman/"}[site["style"]])


def generate(week: str) -> int:
    from replay_paths import relpath

    count = 0
    for site in SITES:
        rows = programme_rows(site, week)
        url = listing_url(site)
        if site["style"] == "rss":
            write(week, relpath(url), rss_feed(site, rows, week))
        else:
            page = listing(site, rows, week)
            path = write(week, relpath(url), page.encode("cp1252") if site["style"] == "table" else page.encode())
            if site["style"] == "table":
                path.with_name(path.name + ".meta.json").write_text('{"headers": {"Content-Type": "text/html"}}')
            for row in rows:
                detail = f"https://{site['host']}{detail_path(site, row)}"
                make = {"wp": wp_detail, "portal": portal_detail, "table": table_detail}[site["style"]]
                doc = make(site, row, week, int(row["programme_id"][1:]))
                path = write(week, relpath(detail), doc if isinstance(doc, bytes) else doc.encode())
                if site["style"] == "table":  # old servers send no charset at all
                    path.with_name(path.name + ".meta.json").write_text('{"headers": {"Content-Type": "text/html"}}')
        write(week, f"{site['host']}/robots.txt", "User-agent: *\nDisallow: /admin/\nDisallow: /wp-admin/\n")
        count += len(rows)
    return count
