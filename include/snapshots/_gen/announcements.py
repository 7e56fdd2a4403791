"""Ministry announcement pages under the real sites' listing/feed URLs and in their page shapes.

Hosts and listing URLs are the shipped ones (evidence in sources.yaml): menpan.go.id is Joomla
(`item-page`, headline in `.article-header h2`), bskdn.kemendagri.go.id and aptika.kominfo.go.id are
WordPress (`article.post`, `h1.entry-title`, `.entry-content`), pu.go.id lists `article.blog-post`
cards, bappenas/peppd/kemensos are portal pages (`h1`, `div.isi-berita`), and Kemenkes is the
WordPress RSS 2.0 feed of sehatnegeriku.kemkes.go.id (content:encoded). Item paths follow each
site's URL scheme; their slugs and texts come from `_seed/programmes.csv` (fixture content).
"""

from __future__ import annotations

import html
from datetime import date, timedelta
from email.utils import format_datetime

from common import WEEKS, levels_phrase, rp_words, seed, tgl, write

SITES = [  # real hosts, listing URLs and page shapes (see sources.yaml for the evidence of each)
    dict(host="www.menpan.go.id", style="joomla", ministry="Kementerian PANRB", ids=["P122", "P123"],
         listing="/site/berita-terkini", item="/site/berita-terkini/{n}-{slug}"),
    dict(host="bskdn.kemendagri.go.id", style="wp", ministry="BSKDN Kementerian Dalam Negeri",
         ids=["P124", "P125", "P119", "P127", "P130"], listing="/website/category/berita/", item="/website/{slug}/"),
    dict(host="www.bappenas.go.id", style="portal", ministry="Kementerian PPN/Bappenas",
         ids=["P131", "P126", "P110", "P111"], listing="/id/berita", item="/id/berita/{slug}"),
    dict(host="peppd.bappenas.go.id", style="portal", ministry="Sekretariat PPD Kementerian PPN/Bappenas",
         ids=["P132"], listing="/media/news", item="/media/news/{Slug}"),
    dict(host="sehatnegeriku.kemkes.go.id", style="rss", ministry="Kementerian Kesehatan",
         ids=["P128", "P120", "P103"], listing="/feed/", item="/baca/rilis-media/{ymd}/{slug}/"),
    dict(host="aptika.kominfo.go.id", style="wp", ministry="Ditjen Aplikasi Informatika",
         ids=["P115", "P114", "P113"], listing="/category/berita/", item="/{ym}/{slug}/"),
    dict(host="pu.go.id", style="pu", ministry="Kementerian Pekerjaan Umum",
         ids=["P101", "P102", "P117", "P104", "P105", "P118", "P121", "P129"], listing="/berita/kanal",
         item="/berita/{slug}"),
    dict(host="kemensos.go.id", style="portal", ministry="Kementerian Sosial", ids=["P106", "P109", "P112", "P107"],
         listing="/berita-terkini", item="/berita-terkini/pengumuman/{Slug}"),
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


def detail_path(site: dict, row: dict[str, str], week: str = "2026-W47") -> str:
    posted = posted_on(row, week)
    words = slug(core_title(row))
    return site["item"].format(n=int(row["programme_id"][1:]), slug=words, ym=f"{posted:%Y/%m}",
                               ymd=f"{posted:%Y%m%d}", Slug="-".join(w.capitalize() for w in words.split("-")))


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


def joomla_detail(site: dict, row: dict[str, str], week: str, variant: int) -> str:
    """Joomla `item-page`: headline in `.article-header h2`, text in `[itemprop=articleBody]`."""
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs(row, site["ministry"], variant))
    title = html.escape(page_title(row))
    return f"""<!DOCTYPE html>
<html lang="id-id" dir="ltr"><head><meta charset="utf-8"><title>{title}</title></head>
<body class="site com_content view-article">
<header class="header"><nav class="navigation"><ul class="nav menu"><li><a href="/site/">Beranda</a></li>
<li><a href="/site/berita-terkini">Berita Terkini</a></li><li><a href="/site/publikasi">Publikasi</a></li></ul></nav></header>
<main id="content" role="main"><div class="item-page" itemscope itemtype="https://schema.org/Article">
<div class="article-header"><h2 itemprop="headline">{title}</h2></div>
<dl class="article-info"><dd class="published">Diterbitkan: {tgl(posted_on(row, week))}</dd><dd class="hits">Dilihat: 1021</dd></dl>
<div itemprop="articleBody">
{body}</div></div></main>
<footer class="footer">© 2026 {site['ministry']}</footer></body></html>
"""


def pu_detail(site: dict, row: dict[str, str], week: str, variant: int) -> str:
    """The PU article page: `article` holding the headline and `p` paragraphs."""
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs(row, site["ministry"], variant))
    title = html.escape(page_title(row))
    return f"""<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>{title} | Kementerian PU</title></head>
<body><header id="header"><nav><a href="/">Beranda</a> <a href="/berita/kanal">Berita</a></nav></header>
<div role="main" class="main"><section class="section"><div class="container"><div class="row"><div class="col-lg-8">
<article class="blog-post"><h1>{title}</h1><div class="d-flex"><span class="post-date">{tgl(posted_on(row, week))}</span></div>
{body}</article></div></div></div></section></div><footer id="footer">© 2026 Kementerian Pekerjaan Umum</footer></body></html>
"""


def rss_feed(site: dict, rows: list[dict[str, str]], week: str) -> str:
    items = []
    for row in rows:
        text = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs(row, site["ministry"], int(row["programme_id"][1:])))
        posted = posted_on(row, week)
        pub = format_datetime(__import__("datetime").datetime(posted.year, posted.month, posted.day, 9, 0,
                                                               tzinfo=__import__("datetime").timezone.utc))
        link = f"https://{site['host']}{detail_path(site, row, week)}"
        items.append(f"""<item><title>{html.escape(page_title(row))}</title><link>{link}</link>
<guid isPermaLink="true">{link}</guid><pubDate>{pub}</pubDate><category>Pengumuman</category>
<description>{html.escape(row['description'][:160])}...</description>
<content:encoded><![CDATA[{text}]]></content:encoded></item>""")
    for i, title in enumerate(NEWS[:2]):
        link = f"https://{site['host']}/baca/rilis-media/2026111{i}/{slug(title)}/"
        items.append(f"<item><title>{title}</title><link>{link}</link><pubDate>Mon, {16 + i} Nov 2026 08:00:00 +0700"
                     f"</pubDate><description>Kegiatan kementerian.</description></item>")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Sehat Negeriku</title><link>https://{site['host']}</link><description>Sehat Negeriku - Kementerian Kesehatan</description>
<language>id</language><generator>https://wordpress.org/?v=6.4.2</generator>
{''.join(items)}
</channel></rss>
"""


def listing(site: dict, rows: list[dict[str, str]], week: str) -> str:
    style = site["style"]
    entries = [(page_title(r), detail_path(site, r, week), posted_on(r, week)) for r in rows]
    news_path = site["item"].split("{")[0]
    entries += [(t, f"{news_path}{slug(t)}", WEEKS[week] - timedelta(days=i)) for i, t in enumerate(NEWS)]
    if style == "joomla":
        items = "".join(f'<div class="item"><div class="article-header"><h2><a href="{p}">{html.escape(t)}</a></h2></div>'
                        f'<dd class="published">{tgl(d)}</dd></div>\n' for t, p, d in entries)
        return (f'<!DOCTYPE html><html lang="id-id"><head><meta charset="utf-8"><title>Berita Terkini</title></head><body>'
                f'<nav class="navigation"><a href="/site/">Beranda</a></nav><div class="blog"><div class="items-row">{items}'
                f'</div></div><ul class="pagination"><li><a href="?start=10">2</a></li></ul></body></html>')
    if style == "wp":
        posts = "".join(f'<article class="post"><header class="entry-header"><h2 class="entry-title"><a href="{p}">'
                        f'{html.escape(t)}</a></h2><div class="entry-meta">Diposting {tgl(d)}</div></header>'
                        f'<div class="entry-summary"><p>Selengkapnya...</p></div></article>\n' for t, p, d in entries)
        return (f'<!DOCTYPE html><html lang="id"><head><meta charset="UTF-8"><title>Berita – {site["ministry"]}</title>'
                f'</head><body><nav class="main-navigation"><a href="/">Beranda</a></nav><main id="main">{posts}</main>'
                f'{_furniture_sidebar(week)}</body></html>')
    if style == "pu":
        posts = "".join(f'<article class="blog-post"><a href="{p}"><h2>{html.escape(t)}</h2><p>Selengkapnya</p></a>'
                        f'<div class="d-flex"><span class="post-date">{tgl(d)}</span></div></article>\n'
                        for t, p, d in entries)
        return (f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>Berita Kanal | Kementerian PU</title>'
                f'</head><body><nav><a href="/">Beranda</a></nav><div class="col-md-8 col-lg-8 order-1">{posts}</div>'
                f'<ul class="pagination"><li class="page-item"><a class="page-link" href="/berita/kanal?page=2">2</a></li>'
                f'</ul></body></html>')
    items = "".join(f'<div class="item"><h3><a href="{p}">{html.escape(t)}</a></h3><span class="tanggal">{tgl(d)}'
                    f'</span></div>\n' for t, p, d in entries)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Berita</title></head><body>'
            f'<div class="navbar"><a href="/">Beranda</a></div><div class="list-berita">{items}</div>'
            f'<ul class="pagination"><li>1</li><li><a href="?page=2">2</a></li></ul></body></html>')


def listing_url(site: dict) -> str:
    return f"https://{site['host']}{site['listing']}"


def generate(week: str) -> int:
    from replay_paths import relpath

    count = 0
    for site in SITES:
        rows = programme_rows(site, week)
        url = listing_url(site)
        if site["style"] == "rss":
            path = write(week, relpath(url), rss_feed(site, rows, week))
            path.with_name(path.name + ".meta.json").write_text(
                '{"headers": {"Content-Type": "application/rss+xml; charset=UTF-8"}}')
        else:
            # items live below the listing's path, so the listing is that directory's index.html
            nested = any(detail_path(site, r, week).startswith(site["listing"].rstrip("/") + "/") for r in rows)
            rel = relpath(url) + ("/index.html" if nested and not url.endswith("/") else "")
            write(week, rel, listing(site, rows, week).encode())
            make = {"wp": wp_detail, "portal": portal_detail, "joomla": joomla_detail, "pu": pu_detail}[site["style"]]
            for row in rows:
                detail = f"https://{site['host']}{detail_path(site, row, week)}"
                write(week, relpath(detail), make(site, row, week, int(row["programme_id"][1:])).encode())
        write(week, f"{site['host']}/robots.txt", "User-agent: *\nDisallow: /admin/\nDisallow: /wp-admin/\n")
        count += len(rows)
    return count
