"""`nyengget show`: the week's list grouped by the item's owner (after routing and reassignment), the
partner (mitra) OPD named on the item."""

from __future__ import annotations

import pytest

from factories import W47, add_innovation, add_match, add_opd, add_programme
from nyengget import decisions
from nyengget.regions import region_of
from nyengget.weekly.build import build_week, load_week
from nyengget.weekly.table import render_week

KEC, DINKES = "KEC-SERANG", "DINKES"


@pytest.fixture
def routed(engine):
    add_opd(engine, DINKES, "Dinas Kesehatan", "Dinkes", "dinkes@serangkota.example.go.id")
    add_opd(engine, KEC, "Kecamatan Serang", "Kec. Serang", "kec.serang@serangkota.example.go.id")
    add_innovation(engine, "K1", "Posyandu Keliling Kecamatan", KEC, opd="Kecamatan Serang")
    add_programme(engine, "BOK", "DAK Non-Fisik BOK Puskesmas", funding_type="DAK Non-Fisik")
    add_programme(engine, "HIBAH", "Hibah Penguatan Posyandu Kelurahan", funding_type="Hibah Daerah")
    add_match(engine, W47, "K1", "BOK", 1)
    add_match(engine, W47, "K1", "HIBAH", 2, 0.5)
    build_week(engine, W47)
    return engine


def _blocks(text: str) -> dict[str, str]:
    """Each OPD's block of the table, by its heading line's name."""
    out = {}
    for block in text.strip().split("\n\n"):
        head, _, body = block.partition("\n")
        out[head.split("  (", 1)[0]] = body
    return out


def test_show_groups_by_the_proposing_opd_and_names_the_partner(routed):
    blocks = _blocks(render_week(routed, load_week(routed, W47), W47, region_of(None).code))
    assert set(blocks) >= {"Dinas Kesehatan (DINKES)", "Kecamatan Serang (KEC-SERANG)"}
    dinkes = blocks["Dinas Kesehatan (DINKES)"]
    assert "DAK Non-Fisik BOK Puskesmas" in dinkes and "(mitra: Kecamatan Serang)" in dinkes
    kec = blocks["Kecamatan Serang (KEC-SERANG)"]
    assert "Hibah Penguatan Posyandu" in kec and "BOK" not in kec and "mitra" not in kec


def test_show_follows_a_reassignment_made_after_the_list_was_built(routed):
    decisions.record(routed, decisions.Decision(W47, "K1", "HIBAH", "relevan", "bappeda", assigned_opd=DINKES))
    blocks = _blocks(render_week(routed, load_week(routed, W47), W47, region_of(None).code))
    assert list(blocks)[:1] == ["Dinas Kesehatan (DINKES)"] and "Hibah Penguatan Posyandu" in blocks[
        "Dinas Kesehatan (DINKES)"]
    assert "Kecamatan Serang (KEC-SERANG)" not in blocks


def test_the_show_command_prints_the_owners_table(routed, monkeypatch, capsys):
    from nyengget.cli import main

    monkeypatch.setenv("NYENGGET_WAREHOUSE_URL", routed.url.render_as_string(hide_password=False))
    assert main(["show", "--week", "2026-W47"]) == 0
    blocks = _blocks(capsys.readouterr().out)
    assert "(mitra: Kecamatan Serang)" in blocks["Dinas Kesehatan (DINKES)"]
