"""Helpers of the review tests: a fake login, the seeded warehouse, counting decisions."""

from __future__ import annotations

from datetime import date

from fastapi import Request
from sqlalchemy import Engine, func, select

from factories import W47, W48, add_innovation, add_match, add_opd, add_programme, add_version
from nyengget.review.auth import Identity, NotAuthenticated
from nyengget.warehouse.schema import review_feedback
from nyengget.weekly.build import build_week

USERS = {"admin": "bappeda", "perencana": "bappeda", "dinkes": "DINKES", "dlh": "DLH", "kec": "KEC-SERANG"}
EVIL = "<script>alert('x')</script> Hibah =HYPERLINK(\"http://evil\")"


async def fake_auth(request: Request) -> Identity:
    """Like Airflow: `Authorization: Bearer test:<user>` (explicit) or the ambient cookie `test_user`."""
    header = request.headers.get("authorization", "")
    if header.startswith("Bearer test:"):
        return Identity(header.removeprefix("Bearer test:"), via_header=True)
    if user := request.cookies.get("test_user"):
        return Identity(user)
    raise NotAuthenticated("no test login")


def seed(e: Engine) -> Engine:
    """Two OPDs, three innovations, four programmes, matches for W47 and W48, both weeks built."""
    add_opd(e, "DINKES", "Dinas Kesehatan", "Dinkes", "dinkes@serangkota.example.go.id")
    add_opd(e, "DLH", "Dinas Lingkungan Hidup", "DLH", "dlh@serangkota.example.go.id")
    add_innovation(e, "I1", "Posyandu Digital", "DINKES")
    add_innovation(e, "I2", "Bank Sampah Juara", "DLH")
    add_innovation(e, "I3", "Gardu Jaga Balita", "DINKES")
    add_programme(e, "P1", "Hibah Penurunan Stunting", opens_on=date(2026, 10, 1), closes_on=date(2026, 12, 4),
                  ceiling_idr=1_000_000_000)
    add_programme(e, "P2", "DAK Fisik Sanitasi", closes_on=None, funding_type="DAK Fisik", bidang="Sanitasi",
                  ministry="Kemen PU", ceiling_idr=7_500_000_000)
    add_programme(e, "P3", "Bantuan TPS3R", closes_on=date(2027, 2, 1), funding_type="Bantuan",
                  bidang="Lingkungan Hidup", ministry="KLHK", ceiling_idr=None)
    add_programme(e, "P4", EVIL, closes_on=date(2027, 1, 15), source_url="javascript:alert(1)",
                  funding_type="Insentif Fiskal", ceiling_idr=3_000_000_000)
    for week in (W47, W48):
        add_match(e, week, "I1", "P1", 1, 0.91)
        add_match(e, week, "I1", "P2", 2, 0.55)
        add_match(e, week, "I2", "P3", 1, 0.77)
        add_match(e, week, "I3", "P4", 1, 0.66)
    add_version(e, "P1", 2, W48, "closes_on", "batas usulan dimajukan dari 11 Des ke 4 Des")
    build_week(e, W47)
    build_week(e, W48)
    return e


def add_routed(e: Engine, week: date = W48, *, build: bool = True) -> Engine:
    """A kecamatan (KEC-SERANG) whose innovation K1 fits BOK, a line only the Dinas Kesehatan proposes:
    the week's list (rebuilt unless `build` is false) routes K1 × BOK to DINKES with the kecamatan as mitra."""
    add_opd(e, "KEC-SERANG", "Kecamatan Serang", "Kec. Serang", "kec.serang@serangkota.example.go.id")
    add_innovation(e, "K1", "Posyandu Keliling Kecamatan", "KEC-SERANG", opd="Kecamatan Serang")
    add_programme(e, "BOK", "DAK Non-Fisik BOK Puskesmas", funding_type="DAK Non-Fisik", closes_on=date(2027, 3, 1))
    add_match(e, week, "K1", "BOK", 1, 0.8)
    if build:
        build_week(e, week)
    return e


def feedback_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(review_feedback)).scalar_one()


W49 = date(2026, 11, 30)


def seed_for_matcher(e: Engine) -> Engine:
    """Innovations and programmes with real text, so that the real matcher pairs them."""
    from nyengget.weekly.matches import run_matching

    add_opd(e, "DINKES", "Dinas Kesehatan", "Dinkes", "dinkes@serangkota.example.go.id")
    add_opd(e, "DLH", "Dinas Lingkungan Hidup", "DLH", "dlh@serangkota.example.go.id")
    add_innovation(e, "I1", "Posyandu Digital Ibu dan Anak", "DINKES",
                   description="pelayanan kesehatan ibu hamil dan balita stunting di posyandu")
    add_innovation(e, "I2", "Bank Sampah Juara", "DLH", urusan="Lingkungan Hidup",
                   description="pengelolaan sampah rumah tangga bank sampah daur ulang")
    add_programme(e, "P1", "Hibah Penurunan Stunting Posyandu", opens_on=date(2026, 10, 1),
                  closes_on=date(2026, 12, 20), description="bantuan kesehatan ibu dan balita stunting posyandu")
    add_programme(e, "P2", "DAK Fisik Pengelolaan Sampah TPS3R", bidang="Lingkungan Hidup", ministry="KLHK",
                  funding_type="DAK Fisik", closes_on=date(2027, 2, 1),
                  description="pembangunan TPS3R bank sampah pengelolaan sampah")
    add_programme(e, "P3", "Insentif Fiskal Kesehatan Balita", funding_type="Insentif Fiskal",
                  ceiling_idr=5_000_000_000, description="insentif kinerja penurunan stunting kesehatan")
    for week in (W47, W48):
        run_matching(e, week)
        build_week(e, week)
    return e
