"""Plain words for people: the matcher's reasons, unknown amounts, changed fields."""

from nyengget import fmt


def test_reasons_lose_jargon_window_and_eligibility_boilerplate():
    raw = ("kata cocok: BAB di kebun→STBM, jamban; urusan Kesehatan ↔ bidang Sanitasi; terbuka untuk kota; "
           "TA 2027; tanpa jendela usulan")
    assert fmt.alasan(raw) == ("inovasi dan program sama-sama menyebut BAB di kebun (STBM), jamban; "
                               "urusan Kesehatan sejalan dengan bidang Sanitasi")
    assert "hari lagi" not in fmt.alasan("kata cocok: x; ditutup 4 Des 2026, 7 hari lagi")
    assert fmt.alasan("terbuka untuk kota; TA 2027") == "sesuai bidang dan jenis program"


def test_unknown_amounts_and_changed_fields():
    assert [fmt.pagu(v) for v in (None, 0, float("nan"))] == ["belum diumumkan"] * 3
    assert fmt.pagu(2_500_000_000) == "Rp2,5 miliar"
    assert fmt.bidang_berubah("closes_on,ceiling_idr") == "batas usulan, pagu"
