"""Purpose signals (purpose.yaml): physical menus for innovations that build nothing, stated aims of assessed
programmes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pytest

from nyengget.matching import purpose
from nyengget.matching.ranking import Options, prepare, rank

AS_OF = date(2026, 11, 1)
GROWTH = ("Balita di kelurahan padat jarang diukur tinggi badannya. Kader posyandu mendatangi rumah balita yang "
          "tidak hadir, mengukur tinggi badan dan berat badan, mencatat hasil pengukuran balita di aplikasi gizi, "
          "dan merujuk balita yang pertumbuhannya terhambat ke puskesmas.")


def _innovations(*rows: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame([{"innovation_id": f"X{k}", "name": name, "opd": "Dinas Kesehatan", "urusan": "Kesehatan",
                          "bentuk": "Inovasi Pelayanan Publik", "jenis": "Non Digital", "tahapan": "Uji Coba",
                          "description": text} for k, (name, text) in enumerate(rows, start=1)])


def _order(programmes: pd.DataFrame, innovations: pd.DataFrame, **options) -> dict[str, list[str]]:
    out = rank(programmes, innovations, as_of=AS_OF, top_k=5, options=replace(Options(), **options))
    return {i: list(g["programme_id"]) for i, g in out.groupby("innovation_id", sort=False)}


def test_a_service_without_physical_work_puts_the_operational_line_above_the_equipment_menu(programmes):
    inns = _innovations(("PANTAU TUMBUH", GROWTH))
    without = _order(programmes, inns, physical_work=False)["X1"]
    with_ = _order(programmes, inns)["X1"]
    # P014 (DAK Fisik: antropometri kits) shares the words; P071 (BOK Puskesmas) pays for the visits
    assert without.index("P014") < without.index("P071")
    assert with_.index("P071") < with_.index("P014")


def test_an_innovation_that_builds_keeps_its_physical_menus(programmes, innovations):
    builds = _innovations(("PANTAU TUMBUH", GROWTH + " Kelurahan juga membangun ruang posyandu baru di tiap RW."))
    assert _order(programmes, builds)["X1"][0] == "P014"  # as without the signal
    a = rank(programmes, innovations, as_of=AS_OF, top_k=5)
    b = rank(programmes, innovations, as_of=AS_OF, top_k=5, options=replace(Options(), physical_work=False))
    septic = [f[(f["innovation_id"] == "D002") & (f["programme_id"] == "P033")]["score"].item() for f in (a, b)]
    assert septic[0] == septic[1]  # Geser Si Jaka builds septic tanks ("membangun", a stopword form)


def test_physical_kind_comes_from_the_funding_type_or_the_first_sentence(analyzer):
    spec = purpose.load_purpose()
    progs = pd.DataFrame({
        "funding_type": ["DAK Fisik", "DAK Non-Fisik", "Bantuan Pemerintah", "Bantuan Pemerintah", "Hibah Daerah"],
        "title": ["Sarana PAUD", "BOK Puskesmas", "Pembangunan TPS3R", "Pendampingan Kota Cerdas", "Hibah Air Limbah"],
        "description": ["Membiayai ruang kelas.", "Dana operasional puskesmas untuk pembangunan kapasitas.",
                        "Bantuan bagi kelompok.", "Bimbingan teknis. Pengadaan server bukan tujuannya.",
                        "Hibah bagi daerah yang membangun tangki septik."],
    })
    assert purpose.physical_programmes(analyzer, progs, spec).tolist() == [True, False, True, False, True]


def _aim(programmes: pd.DataFrame, innovations: pd.DataFrame) -> set[tuple[str, str]]:
    prep = prepare(programmes, innovations, as_of=AS_OF, level="kota", feedback_rows=None, opts=Options())
    rows, cols = np.nonzero(prep.aim.hit)
    return {(prep.innovations["innovation_id"].iat[r], prep.programmes["programme_id"].iat[prep.aim.cols[c]])
            for r, c in zip(rows.tolist(), cols.tolist(), strict=True)}


def test_the_stated_aim_is_the_name_or_a_marked_sentence_never_a_related_concept(programmes):
    inns = _innovations(
        ("POSYANDU GERCEP (Gerak Cepat Cegah Stunting)", "Kader menimbang balita."),
        ("POSYANDU GERCEP", "Kader menimbang balita. Tujuannya cegah stunting di kelurahan lokus."),
        ("POSYANDU GERCEP", "Kader menimbang balita dan mencegah stunting di kelurahan lokus."),  # no marker
        ("KELAS GIZI BALITA", "Ibu balita belajar memasak menu bergizi."),  # gizi: only related to stunting
    )
    hits = _aim(programmes, inns)
    assert ("X1", "P088") in hits and ("X2", "P088") in hits
    assert not any(i in ("X3", "X4") for i, _ in hits)


def test_a_stated_aim_lifts_the_assessed_programme_with_its_reason(programmes):
    inns = _innovations(("PAUD CERIA (Cegah Risiko Stunting pada Anak Usia Dini)", GROWTH))
    on = rank(programmes, inns, as_of=AS_OF, top_k=10)
    off = rank(programmes, inns, as_of=AS_OF, top_k=10, options=replace(Options(), stated_aim=False))
    row_on, row_off = (f[f["programme_id"] == "P088"].iloc[0] for f in (on, off))
    assert row_on["rank"] < row_off["rank"]
    assert row_on["score"] == pytest.approx(1 - (1 - row_off["score"]) * (1 - purpose.load_purpose().lift), abs=2e-4)
    assert "tujuannya: penurunan stunting" in row_on["reasons"]
    assert "tujuannya" not in " ".join(on[on["programme_id"] != "P088"]["reasons"])


def test_purpose_yaml_rejects_a_damp_of_one(tmp_path):
    text = purpose.PURPOSE_PATH.read_text(encoding="utf-8").replace("damp: 0.15", "damp: 1.0")
    path = tmp_path / "purpose.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="damp and lift"):
        purpose.load_purpose(path)


def test_reading_flags_work_words_in_any_form_stopwords_included(analyzer):
    from nyengget.matching import analysis

    spec = purpose.load_purpose()
    marks = purpose.marks(analyzer, spec, physical=True, aim=True)
    texts = ["Warga membangun jamban bersama.", "Kader mengunjungi lansia.", "Tujuannya cegah stunting.",
             "Warga membangun jamban bersama."]  # a repeated text is read once and flagged alike
    assert analyzer.is_stopword("membangun", analyzer.stem("membangun"))  # not a query term, still work
    batch = analysis.analyze_distinct(analyzer, texts, marks=marks)
    assert batch.marked["work"].tolist() == [True, False, False, True]
    assert batch.marked["aim"].tolist() == [False, False, True, False]


def test_without_the_dictionary_there_is_no_theme_to_aim_at(programmes):
    inns = _innovations(("PAUD CERIA (Cegah Risiko Stunting pada Anak Usia Dini)", GROWTH))
    prep = prepare(programmes, inns, as_of=AS_OF, level="kota", feedback_rows=None,
                   opts=replace(Options(), dictionary=False))
    assert prep.aim.hit.size == 0 or not prep.aim.hit.any()
