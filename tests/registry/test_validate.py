"""Lenient where people are (case, spacing, hyphens), strict where meaning is unclear."""

from __future__ import annotations

import pytest

from nyengget.registry import validate
from nyengget.registry.directory import Directory, opd_key
from nyengget.registry.vocab import vocab


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [
        ("tahapan", "uji coba", "Uji Coba"),
        ("tahapan", "UJI  COBA", "Uji Coba"),
        ("tahapan", "Ujicoba", "Uji Coba"),
        ("tahapan", "penerapan ", "Penerapan"),
        ("jenis", "Non-Digital", "Non Digital"),
        ("jenis", "non digital", "Non Digital"),
        ("jenis", "DIGITAL", "Digital"),
        ("bentuk", "inovasi pelayanan publik", "Inovasi Pelayanan Publik"),
        ("bentuk", "Tata Kelola Pemerintahan Daerah", "Inovasi Tata Kelola Pemerintahan Daerah"),
        ("bentuk", "Inovasi daerah lainnya sesuai dengan urusan pemerintahan",
         "Inovasi Daerah lainnya sesuai Urusan Pemerintahan"),
    ],
)  # fmt: skip
def test_enum_values_normalised(field: str, text: str, expected: str) -> None:
    assert validate.enum_value(field, text) == (expected, None)


@pytest.mark.parametrize(
    ("field", "text"),
    [("tahapan", "Selesai"), ("tahapan", "Uji"), ("jenis", "Semi Digital"), ("bentuk", "Inovasi Produk")],
)
def test_unclear_enum_values_rejected_in_two_languages(field: str, text: str) -> None:
    value, issue = validate.enum_value(field, text)
    assert value is None and issue is not None
    assert issue.field == field
    assert f"'{text}'" in issue.reason_id and "tidak dikenal" in issue.reason_id
    assert issue.reason_en.startswith(f"unknown {field}")


def test_urusan_one_or_two() -> None:
    assert validate.urusan_value("kesehatan") == ("Kesehatan", None)
    assert validate.urusan_value("Kesehatan ; Perumahan dan Kawasan Permukiman") == (
        "Kesehatan;Perumahan Rakyat dan Kawasan Permukiman",
        None,
    )
    assert validate.urusan_value("Koperasi, UKM")[0] == "Koperasi, Usaha Kecil dan Menengah"
    assert validate.urusan_value("Ketentraman, Ketertiban Umum dan Perlindungan Masyarakat")[0].startswith(
        "Ketenteraman"
    )


def test_urusan_unknown_or_empty() -> None:
    assert validate.urusan_value("Kesehatan; Urusan Gaib")[1].reason_en.startswith(
        "unknown urusan 'Urusan Gaib'"
    )
    assert validate.urusan_value(" ; ")[1].reason_en == "urusan is required"


def test_urusan_list_is_data() -> None:
    words = vocab("urusan")
    assert len(words.values) >= 32
    assert "Administrasi Kependudukan dan Pencatatan Sipil" in words.values


def test_emails() -> None:
    assert validate.email_list("a@x.example.go.id; B@x.example.go.id, a@x.example.go.id") == (
        "a@x.example.go.id;B@x.example.go.id",
        None,
    )
    value, issue = validate.email_list("dinkes(at)serangkota.go.id")
    assert value is None and issue.field == "emails" and "tidak valid" in issue.reason_id
    assert validate.email_list("")[1].reason_en == "emails is required"


@pytest.mark.parametrize(("text", "expected"), [("true", True), ("Ya", True), ("0", False), ("", False)])
def test_flags(text: str, expected: bool) -> None:
    assert validate.flag_value("paused", text) == (expected, None)


def test_flag_unclear() -> None:
    assert validate.flag_value("paused", "mungkin")[1].field == "paused"


def test_text_checks() -> None:
    assert validate.check_text("name", "", required=True).reason_id == "Kolom name wajib diisi"
    assert validate.check_text("name", "#REF!", required=True).reason_en.endswith("#REF!")
    assert (
        validate.check_text("name", "x" * 301, required=True).reason_en
        == "name is longer than 300 characters"
    )
    assert validate.check_text("description", "", required=False) is None
    assert validate.clean("  Dinas\u00a0Kesehatan\n Kota ") == "Dinas Kesehatan Kota"


def test_opd_key_forms() -> None:
    assert opd_key("Dinas Kesehatan Kota Serang") == opd_key("DINAS KESEHATAN") == "dinaskesehatan"
    assert opd_key("Kec. Cipocok Jaya") == opd_key("Kecamatan Cipocok Jaya")
    assert opd_key("Dinas Koperasi UKM Perindustrian & Perdagangan") == opd_key(
        "Dinas Koperasi, UKM, Perindustrian dan Perdagangan"
    )
    assert opd_key("Kota Serang") == "kotaserang"


def test_directory_resolves_full_short_and_code_but_not_ambiguous() -> None:
    directory = Directory(
        [
            ("DINKES", "Dinas Kesehatan", "Dinkes"),
            ("RSUD", "Rumah Sakit Umum Daerah Kota Serang", "RSUD Kota Serang"),
            ("A", "Badan Satu", "BS"),
            ("B", "Badan Dua", "BS"),
        ]
    )
    assert directory.resolve("dinkes") == "DINKES"
    assert directory.resolve("Dinas Kesehatan Kota Serang") == "DINKES"
    assert directory.resolve("RSUD") == "RSUD"
    assert directory.resolve("BS") is None
    assert directory.resolve("Dinas Antah Berantah") is None
