"""The urusan/OPD code mapping and the attribute rules (data in YAML)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nyengget.matching.codes import load_codes
from nyengget.matching.rules import innovation_scores, load_rules, programme_rules


def test_urusan_names_aliases_and_two_urusan():
    codes = load_codes()
    assert codes.resolve_urusan("Kesehatan") == ("Kesehatan",)
    assert codes.resolve_urusan("PUPR") == ("Pekerjaan Umum dan Penataan Ruang",)
    assert codes.resolve_urusan("Kesehatan; Lingkungan Hidup") == ("Kesehatan", "Lingkungan Hidup")
    assert codes.resolve_urusan("Kepemudaan dan Olah Raga") == ("Kepemudaan dan Olahraga",)
    assert codes.resolve_urusan("Koperasi, Usaha Kecil dan Menengah") == ("Koperasi, Usaha Kecil dan Menengah",)
    assert codes.resolve_urusan("Urusan Tidak Dikenal Sama Sekali") == ()


def test_opd_names_imply_urusan():
    codes = load_codes()
    assert codes.opd_urusan("Dinas Kesehatan") == ("Kesehatan",)
    assert "Perdagangan" in codes.opd_urusan("Dinas Koperasi UKM Perindustrian dan Perdagangan")
    assert codes.opd_urusan("Kecamatan Cipocok Jaya") == ()


def test_urusan_links_to_bidang_subbidang_and_ministry(programmes):
    codes = load_codes()
    from nyengget.matching.inputs import clean_programmes

    progs = clean_programmes(programmes)
    names, weights, kinds = codes.programme_links(progs)
    col = {p: k for k, p in enumerate(progs["programme_id"])}
    kes = names.index("Kesehatan")
    assert weights[kes, col["P013"]] == 1.0  # bidang Kesehatan dan KB
    assert 0 < weights[kes, col["P033"]] < 1.0  # Kesehatan <-> Sanitasi: a neighbouring line
    assert kinds[kes, col["P033"]] == 1  # via bidang
    assert weights[kes, col["P026"]] == 0.0  # roads are not health
    pu = names.index("Pekerjaan Umum dan Penataan Ruang")
    assert weights[pu, col["P026"]] == 1.0


def _innovations(**cols) -> pd.DataFrame:
    base = {"tahapan": ["Penerapan"], "bentuk": ["Inovasi Pelayanan Publik"], "jenis": ["Digital"], "urusan": ["Kesehatan"]}
    base.update(cols)
    return pd.DataFrame(base)


def test_rules_recognise_programmes_by_subbidang(programmes):
    from nyengget.matching.inputs import clean_programmes

    progs = clean_programmes(programmes)
    rules = load_rules()
    of = dict(zip(progs["programme_id"], programme_rules(rules, progs), strict=True))
    ids = {r.id: k for k, r in enumerate(rules)}
    assert of["P125"] == ids["indeks_inovasi"]
    assert of["P123"] == ids["kompetisi_pelayanan_publik"]
    assert of["P115"] == ids["kota_cerdas"]
    assert of["P033"] == -1


def test_rules_follow_innovation_attributes():
    rules = load_rules()
    ids = {r.id: k for k, r in enumerate(rules)}
    inns = pd.DataFrame({
        "tahapan": ["Penerapan", "Uji Coba", "Penerapan", "Penerapan"],
        "bentuk": ["Inovasi Pelayanan Publik", "Inovasi Pelayanan Publik", "Inovasi Tata Kelola Pemerintahan Daerah",
                   "Inovasi Pelayanan Publik"],
        "jenis": ["Digital", "Digital", "Non Digital", "Digital"],
    })
    urusan = [("Kesehatan",), ("Kesehatan",), ("Keuangan",), ("Komunikasi dan Informatika",)]
    scores, boosted = innovation_scores(rules, inns, urusan)
    assert scores[0, ids["indeks_inovasi"]] > 0 and scores[1, ids["indeks_inovasi"]] == 0  # only implemented ones
    assert scores[0, ids["kompetisi_pelayanan_publik"]] > 0
    assert scores[2, ids["kompetisi_pelayanan_publik"]] == 0  # governance, not public service
    assert scores[2, ids["insentif_tata_kelola_inovasi"]] > 0
    assert scores[2, ids["kota_cerdas"]] == 0  # "Non Digital" is not digital
    assert boosted[3, ids["kota_cerdas"]] and scores[3, ids["kota_cerdas"]] > scores[0, ids["kota_cerdas"]]
    assert np.all((scores >= 0) & (scores <= 1))


def test_bidang_names_match_by_meaning_not_exact_strings():
    from nyengget.matching.codes import lookup

    codes = load_codes()
    keu, kukm = codes.urusan["Keuangan"], codes.urusan["Koperasi, Usaha Kecil dan Menengah"]
    assert lookup(keu.subbidang, "Tata Kelola Keuangan Daerah") == 1.0
    assert lookup({"koperasi dan ukm": 1.0}, "Koperasi dan UMKM") == 1.0
    assert lookup(codes.urusan["Lingkungan Hidup"].bidang, "Lingkungan Hiudp") == pytest.approx(0.8)  # a typo
    assert lookup(codes.urusan["Kesehatan"].bidang, "Kesehatn") == pytest.approx(0.8)  # a dropped letter
    # spelt alike, other bodies and lines: health vs finance, home affairs vs trade, rural vs water transport
    assert lookup(codes.urusan["Kesehatan"].ministries, "Kemenkeu") == 0.0
    assert lookup({"kemendagri": 1.0}, "Kemendag") == 0.0
    assert lookup({"transportasi perdesaan": 1.0}, "Transportasi Perairan") == 0.0
    assert lookup({"kesehatan": 1.0}, "Kesehatan Lingkungan") == 0.0  # one shared word is not the same bidang
    assert lookup(kukm.bidang, "Koperasi dan UMKM") == 1.0
    kb = codes.urusan["Pengendalian Penduduk dan Keluarga Berencana"].bidang  # names both KB and Kesehatan dan KB
    assert lookup(kb, "Keluarga Berencana") == 1.0 and lookup(kb, "Kesehatan dan KB") == 0.5


def test_every_permendagri_90_urusan_is_mapped_or_explicitly_unmapped():
    codes = load_codes()
    expected = [f"1.{n:02d}" for n in range(1, 7)] + [f"2.{n:02d}" for n in range(7, 25)] + \
               [f"3.{n:02d}" for n in range(25, 33)]
    assert sorted(codes.permendagri90) == expected
    listed = set(codes.permendagri90.values()) | set(codes.unsur)
    assert listed == set(codes.urusan)  # every urusan of codes.yaml is a Permendagri 90 urusan or unsur
    for name, u in codes.urusan.items():
        has_link = any(w >= 0.5 for table in (u.bidang, u.subbidang, u.ministries) for w in table.values())
        assert has_link or name in codes.unmapped, f"{name}: no funding link and not marked unmapped"


def test_labour_and_supervision_have_links():
    codes = load_codes()
    assert codes.resolve_urusan("Ketenagakerjaan") == ("Tenaga Kerja",)
    assert codes.opd_urusan("Inspektorat Daerah") == ("Pengawasan",)
    assert codes.urusan["Tenaga Kerja"].ministries
