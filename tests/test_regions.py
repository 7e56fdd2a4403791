"""`nyengget.regions`: the regions file, its checks, and the single-region settings that override it."""

from pathlib import Path

import pytest

from nyengget.regions import RegionsFileError, configured_regions, load_regions

SAMPLE = Path(__file__).resolve().parent.parent / "include" / "data" / "sample" / "regions.yaml"


def test_the_sample_ships_two_cited_regions():
    regions = load_regions(SAMPLE)
    assert regions.codes == ("36.73", "36.72") and regions.default.name == "Kota Serang"
    cilegon = regions.get("36.72")
    assert (cilegon.djpk_code, cilegon.level, cilegon.province) == ("28.05", "kota", "Banten")
    assert len(cilegon.kecamatan) == 8 and cilegon.innovations_file.exists() and cilegon.opds_file.exists()
    assert cilegon.bappeda == "Bappeda Kota Cilegon" and "Kota Cilegon" in cilegon.mail_from
    text = SAMPLE.read_text(encoding="utf-8")
    assert text.count("# Kode Kemendagri") == 2 and text.count("# DJPK") == 2  # evidence next to each code


def test_a_province_covers_its_kabupaten_kota_only(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("regions:\n  - {code: '36', name: Provinsi Banten, level: provinsi}\n"
                    "  - {code: '36.72', name: Kota Cilegon, level: kota, djpk_code: unknown}\n", encoding="utf-8")
    regions = load_regions(path)
    province = regions.get("36")
    assert province.covers("36.72") and province.covers("36") and not province.covers("32.73")
    assert regions.get("36.72").djpk_code is None and regions.default.code == "36"  # first is the default


@pytest.mark.parametrize(("entry", "message"), [
    ("{code: '3673', name: X, level: kota}", "not a Kemendagri code"),
    ("{code: '36.73', name: X, level: desa}", "level must be one of"),
    ("{code: '36', name: X, level: kota}", "two-digit code"),
    ("{code: '36.73', level: kota}", "name is required"),
])
def test_a_bad_entry_is_refused_naming_file_and_region(tmp_path, entry, message):
    path = tmp_path / "bad.yaml"
    path.write_text(f"regions:\n  - {entry}\n", encoding="utf-8")
    with pytest.raises(RegionsFileError, match=message) as err:
        load_regions(path)
    assert str(path) in str(err.value) and "regions[0]" in str(err.value)


def test_single_region_settings_override_the_default_region_only(monkeypatch, tmp_path):
    monkeypatch.setenv("NYENGGET_REGIONS_FILE", str(SAMPLE))
    monkeypatch.setenv("NYENGGET_INNOVATIONS_FILE", str(tmp_path / "mine.csv"))
    monkeypatch.setenv("NYENGGET_PLANNER_EMAILS", "a@example.go.id,b@example.go.id")
    regions = configured_regions()
    assert regions.default.innovations_file == tmp_path / "mine.csv"
    assert regions.default.planner_recipients == ("a@example.go.id", "b@example.go.id")
    assert regions.get("36.72").planner_recipients == ("perencana@bappeda.cilegon.example.go.id",)
