"""Routing of the week by who may propose: a kecamatan's match to a line only the Dinas Kesehatan proposes
goes to the Dinas Kesehatan with the kecamatan as mitra; unknown proposers stay, flagged; reruns are stable."""

from __future__ import annotations

import email
import email.policy
from datetime import date, datetime, time

import pytest
from sqlalchemy import func, select

from factories import W47, W48, add_innovation, add_match, add_opd, add_programme
from nyengget import decisions
from nyengget.notify.delivery import FileDelivery
from nyengget.pipeline.weekly import run_week
from nyengget.warehouse.schema import matches, nyengget_weekly, outbox
from nyengget.warehouse.schema import opds as opds_table
from nyengget.weekly.build import build_week, load_week
from nyengget.weekly.matches import run_matching
from nyengget.weeks import JAKARTA

KEC, DINKES = "KEC-SERANG", "DINKES"


def _sent(monday: date) -> datetime:
    return datetime.combine(monday, time(6), tzinfo=JAKARTA)


@pytest.fixture
def kecamatan_week(any_engine):
    e = any_engine
    add_opd(e, DINKES, "Dinas Kesehatan", "Dinkes", "dinkes@serangkota.example.go.id")
    add_opd(e, KEC, "Kecamatan Serang", "Kec. Serang", "kec.serang@serangkota.example.go.id")
    add_innovation(e, "K1", "Posyandu Keliling Kecamatan", KEC, opd="Kecamatan Serang",
                   description="posyandu keliling pelayanan kesehatan ibu dan balita puskesmas pembantu")
    add_programme(e, "BOK", "DAK Non-Fisik BOK Puskesmas", funding_type="DAK Non-Fisik", ministry="Kemenkes",
                  closes_on=date(2026, 12, 30),
                  description="bantuan operasional kesehatan puskesmas posyandu pelayanan kesehatan ibu dan balita")
    add_programme(e, "HIBAH", "Hibah Penguatan Posyandu Kelurahan", funding_type="Hibah Daerah",
                  closes_on=date(2027, 1, 30), description="hibah penguatan posyandu pelayanan kesehatan balita")
    return e


def _row(week, pid: str):
    rows = week[week.programme_id == pid]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_a_kecamatan_match_to_a_dinkes_only_line_lands_with_dinkes_the_kecamatan_as_mitra(kecamatan_week, tmp_path):
    e = kecamatan_week
    run_matching(e, W47)
    with e.connect() as conn:
        stored = {r.programme_id: r for r in conn.execute(select(matches).where(matches.c.week_start == W47))}
    assert stored["BOK"].funding_line == "dak_nonfisik_bok" and stored["BOK"].own_opd_may_propose is False
    assert stored["BOK"].proposal_route == "usulan" and "Permenkes" in stored["BOK"].proposer_source

    run_week(e, W47, sent_at=_sent(W47), delivery=FileDelivery(tmp_path / "out"))
    week = load_week(e, W47)
    bok = _row(week, "BOK")
    assert (bok.opd_code, bok.home_opd_code, bok.proposer_opd_code, bok.partner_opd_code, bok.routing) == (
        DINKES, KEC, DINKES, KEC, "dialihkan")
    assert bok.routing_note == "Diusulkan oleh Dinas Kesehatan; Kecamatan Serang sebagai mitra."
    hibah = _row(week, "HIBAH")  # no line of proposers.yaml fits: kept by the kecamatan, flagged
    assert (hibah.opd_code, hibah.routing, hibah.partner_opd_code) == (KEC, "ditandai", None)
    assert "pengusul jalur pendanaan ini belum diketahui" in hibah.routing_note

    msgs = {p.name: email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
            for p in sorted((tmp_path / "out").glob("*.eml"))}
    dinkes = next(m for m in msgs.values() if str(m["To"]) == "dinkes@serangkota.example.go.id")
    text = dinkes.get_body(("plain",)).get_content()
    assert "DAK Non-Fisik BOK Puskesmas" in text and "Posyandu Keliling Kecamatan" in text
    assert "Kecamatan Serang sebagai mitra" in text
    assert "Hibah Penguatan Posyandu" not in text  # the flagged item stays in the kecamatan's email
    kec = next(m for m in msgs.values() if str(m["To"]) == "kec.serang@serangkota.example.go.id")
    kec_text = kec.get_body(("plain",)).get_content()
    assert "Hibah Penguatan Posyandu" in kec_text and "belum diketahui" in kec_text
    own, mitra = kec_text.split("== Diusulkan OPD lain, Anda sebagai mitra (1) ==", 1)
    assert "BOK Puskesmas" not in own  # not among what the kecamatan decides on
    assert "DAK Non-Fisik BOK Puskesmas" in mitra and "Diusulkan oleh Dinas Kesehatan; Anda sebagai mitra." in mitra
    assert "/tautan/" in own and "/tautan/" not in mitra  # read-only: the Dinas Kesehatan decides
    assert str(kec["Subject"]).endswith("1 sebagai mitra (pekan 2026-W47)")
    summary = next(m for m in msgs.values() if str(m["Subject"]).startswith("[Nyengget] Ringkasan"))
    assert "1 butir dialihkan" in summary.get_body(("plain",)).get_content()
    assert "1 ditandai" in summary.get_body(("plain",)).get_content()

    # the rerun of the week: same list, no second email
    run_matching(e, W47)
    run_week(e, W47, sent_at=_sent(W47), delivery=FileDelivery(tmp_path / "out"))
    again = load_week(e, W47)
    assert again.drop(columns=[]).equals(week)
    with e.connect() as conn:
        assert conn.execute(select(func.count()).select_from(nyengget_weekly)).scalar_one() == len(week)
        per_key = conn.execute(select(outbox.c.recipient, outbox.c.kind, func.count())
                               .group_by(outbox.c.recipient, outbox.c.kind)).all()
    assert per_key and all(n == 1 for *_k, n in per_key)


def test_the_routed_owner_decides_the_kecamatan_no_longer_does(kecamatan_week):
    e = kecamatan_week
    run_matching(e, W47)
    build_week(e, W47)
    with pytest.raises(decisions.NotAllowed, match="DINKES"):
        decisions.record(e, decisions.Decision(W47, "K1", "BOK", "relevan", "kec"), scope=KEC)
    decisions.record(e, decisions.Decision(W47, "K1", "BOK", "sedang_diusulkan", "dinkes"), scope=DINKES)
    # a reassignment by Bappeda still wins over the routing
    decisions.record(e, decisions.Decision(W47, "K1", "BOK", "sedang_diusulkan", "bappeda", assigned_opd=KEC))
    with e.connect() as conn:
        assert decisions.owner_now(conn, "K1", "BOK") == KEC


@pytest.fixture
def directory_week(engine):
    add_opd(engine, DINKES, "Dinas Kesehatan", "Dinkes", "dinkes@serangkota.example.go.id")
    add_opd(engine, "RSUD", "RSUD dr. Drajat Prawiranegara", "RSUD", "rsud@serangkota.example.go.id")
    add_opd(engine, "RSUD2", "RSUD Kota Serang", "RSUD Kota", "rsud2@serangkota.example.go.id")
    add_innovation(engine, "I1", "Gardu Jaga", DINKES)
    add_programme(engine, "SAN", "DAK Fisik Sanitasi", funding_type="DAK Fisik", bidang="Sanitasi")
    add_programme(engine, "IGA", "Innovative Government Award", funding_type="Kompetisi/Penghargaan")
    add_programme(engine, "RS", "DAK Fisik Rumah Sakit Rujukan", funding_type="DAK Fisik", bidang="Kesehatan")
    add_programme(engine, "PKM", "DAK Fisik Puskesmas", funding_type="DAK Fisik", bidang="Kesehatan")
    for rank, pid in enumerate(("SAN", "IGA", "RS", "PKM"), start=1):
        add_match(engine, W47, "I1", pid, rank)  # rows without the matcher's proposer facts (before i15)
    build_week(engine, W47)
    return {r.programme_id: r for r in load_week(engine, W47).itertuples()}


def test_a_needed_opd_missing_from_the_directory_keeps_the_item_flagged(directory_week):
    san = directory_week["SAN"]
    assert (san.opd_code, san.routing, san.funding_line) == (DINKES, "ditandai", "dak_fisik_pupr")
    assert "Dinas PUPR" in san.routing_note and "tidak ada OPD yang dapat mengusulkan" in san.routing_note


def test_an_assessed_line_reads_as_a_data_contribution_of_the_innovations_opd(directory_week):
    iga = directory_week["IGA"]
    assert (iga.opd_code, iga.routing, iga.proposal_route) == (DINKES, "kontribusi_data", "dinilai")
    assert iga.routing_note.startswith("Kontribusi data:") and "Dinas Kesehatan menyumbang data" in iga.routing_note


def test_the_own_opd_proposes_what_it_may(directory_week):
    rs, pkm = directory_week["RS"], directory_week["PKM"]
    assert (rs.routing, rs.opd_code, rs.partner_opd_code) == ("sendiri", DINKES, None)
    assert (pkm.routing, pkm.funding_line) == ("sendiri", "dak_fisik_kesehatan")
    assert pkm.routing_note == "Diusulkan oleh Dinas Kesehatan."


def test_two_opds_of_the_needed_type_keep_the_item_flagged_for_bappeda(engine):
    add_opd(engine, "KEC", "Kecamatan Taktakan", "Taktakan", "kec@serangkota.example.go.id")
    add_opd(engine, "RSUD", "RSUD dr. Drajat Prawiranegara", "RSUD", "rsud@serangkota.example.go.id")
    add_opd(engine, "RSUD2", "RSUD Kota Serang", "RSUD Kota", "rsud2@serangkota.example.go.id")
    add_innovation(engine, "K1", "Ambulans Desa", "KEC", opd="Kecamatan Taktakan")
    add_programme(engine, "RS", "DAK Fisik Rumah Sakit Rujukan", funding_type="DAK Fisik", bidang="Kesehatan")
    add_match(engine, W47, "K1", "RS", 1)
    build_week(engine, W47)
    rs = load_week(engine, W47).iloc[0]
    assert (rs.opd_code, rs.routing) == ("KEC", "ditandai")
    assert "RSUD, RSUD2" in rs.routing_note and "Bappeda dapat mengalihkannya" in rs.routing_note


def test_the_routing_default_follows_the_latest_week(kecamatan_week):
    e = kecamatan_week
    run_matching(e, W47)
    build_week(e, W47)
    assert decisions.routed(e) == {("K1", "BOK"): DINKES}
    with e.begin() as conn:  # the next week the directory has no Dinas Kesehatan any more
        conn.execute(opds_table.delete().where(opds_table.c.opd_code == DINKES))
    add_match(e, W48, "K1", "BOK", 1)
    build_week(e, W48)
    assert decisions.routed(e) == {}
    with e.connect() as conn:
        assert decisions.owner_now(conn, "K1", "BOK") == KEC
    assert load_week(e, W48).iloc[0].routing == "ditandai"
