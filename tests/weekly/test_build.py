from datetime import date

import pandas as pd
import pytest

from factories import W47, W48, add_innovation, add_match, add_opd, add_programme, add_version
from nyengget.errors import UsageError
from nyengget.weekly import build, feedback
from nyengget.weekly.build import build_week, load_week


@pytest.fixture
def seeded(any_engine):
    e = any_engine
    add_opd(e, "DINKES", "Dinas Kesehatan", "Dinkes", "dinkes@serangkota.example.go.id")
    add_opd(e, "DLH", "Dinas Lingkungan Hidup", "DLH", "dlh@serangkota.example.go.id")
    add_innovation(e, "I1", "Gardu Jaga", "DINKES")
    add_innovation(e, "I2", "Bank Sampah Juara", "DLH")
    add_programme(e, "P1", "Hibah Air Limbah Setempat", opens_on=date(2026, 10, 1), closes_on=date(2026, 12, 4))
    add_programme(e, "P2", "DAK Fisik Sanitasi", closes_on=None)
    add_programme(e, "P3", "Bantuan TPS3R", closes_on=date(2027, 2, 1))
    for week in (W47, W48):
        add_match(e, week, "I1", "P1", 1)
        add_match(e, week, "I1", "P2", 2)
        add_match(e, week, "I2", "P3", 1)
    return e


def _by_pair(df):
    return {(r.innovation_id, r.programme_id): r for r in df.itertuples()}


def test_first_week_everything_is_new_and_closing_soon_is_computed(seeded):
    summary = build_week(seeded, W47)
    assert (summary.rows, summary.opds, summary.new) == (3, 2, 3)
    rows = _by_pair(load_week(seeded, W47))
    assert rows["I1", "P1"].days_left == 18 and rows["I1", "P1"].closing_soon
    assert pd.isna(rows["I1", "P2"].days_left) and not rows["I1", "P2"].closing_soon
    assert not rows["I2", "P3"].closing_soon
    assert rows["I2", "P3"].opd_code == "DLH"


def test_second_week_flags_only_what_is_new_or_changed(seeded):
    build_week(seeded, W47)
    add_programme(seeded, "P4", "Insentif Fiskal Stunting", week=W48)
    add_match(seeded, W48, "I1", "P4", 3)
    add_version(seeded, "P1", 2, W48, "closes_on", "batas usulan dimajukan dari 4 Des ke 1 Des")
    summary = build_week(seeded, W48)
    rows = _by_pair(load_week(seeded, W48))
    assert summary.new == 1 and rows["I1", "P4"].is_new
    assert not rows["I1", "P1"].is_new and rows["I1", "P1"].is_changed
    assert rows["I1", "P1"].changed_fields == "closes_on"
    assert "dimajukan" in rows["I1", "P1"].change_note
    assert not rows["I2", "P3"].is_changed


def test_rebuilding_a_week_gives_the_same_rows(seeded):
    build_week(seeded, W47)
    build_week(seeded, W48)
    first = load_week(seeded, W48)
    build_week(seeded, W48)
    again = load_week(seeded, W48)
    assert first.drop(columns=[]).equals(again)
    assert len(load_week(seeded, W47)) == 3


def test_latest_decision_and_reassignment_shape_the_list(seeded):
    feedback.record(seeded, feedback.Decision(W47, "I1", "P1", "relevan", "perencana"))
    feedback.record(seeded, feedback.Decision(W47, "I1", "P1", "sedang_diusulkan", "perencana"))
    feedback.record(seeded, feedback.Decision(W47, "I2", "P3", "relevan", "perencana", assigned_opd="DINKES"))
    build_week(seeded, W48)
    rows = _by_pair(load_week(seeded, W48))
    assert rows["I1", "P1"].review_status == "sedang_diusulkan"
    assert rows["I2", "P3"].opd_code == "DINKES"
    assert rows["I1", "P2"].review_status is None


def test_decisions_are_validated_and_never_overwritten(seeded):
    with pytest.raises(UsageError, match="needs a reason"):
        feedback.record(seeded, feedback.Decision(W47, "I1", "P1", "tidak_relevan", "opd"))
    with pytest.raises(UsageError, match="no programme"):
        feedback.record(seeded, feedback.Decision(W47, "I1", "NOPE", "relevan", "opd"))
    with pytest.raises(UsageError, match="unknown status"):
        feedback.record(seeded, feedback.Decision(W47, "I1", "P1", "maybe", "opd"))
    feedback.record(seeded, feedback.Decision(W47, "I1", "P1", "relevan", "a"))
    feedback.record(seeded, feedback.Decision(W47, "I1", "P1", "didanai", "b"))
    latest = feedback.latest(seeded)
    assert latest.status.tolist() == ["didanai"]
    from sqlalchemy import func, select

    from nyengget.warehouse.schema import review_feedback
    with seeded.connect() as conn:
        assert conn.execute(select(func.count()).select_from(review_feedback)).scalar_one() == 2


def test_dismissal_holds_until_the_window_or_ceiling_changes(seeded):
    feedback.record(seeded, feedback.Decision(W47, "I1", "P1", "tidak_relevan", "opd",
                                              reason="tenggat_terlalu_dekat"))
    feedback.record(seeded, feedback.Decision(W47, "I2", "P3", "tidak_relevan", "opd",
                                              reason="bukan_kewenangan"))
    assert len(feedback.for_matcher(seeded, W48)) == 2
    add_version(seeded, "P1", 2, W48, "closes_on", "batas usulan diundur")
    add_version(seeded, "P3", 2, W48, "description", "uraian diperbarui")
    remaining = feedback.for_matcher(seeded, W48)
    assert remaining[["innovation_id", "programme_id"]].values.tolist() == [["I2", "P3"]]


def test_a_reassignment_sticks_through_later_decisions(seeded):
    feedback.record(seeded, feedback.Decision(W47, "I2", "P3", "relevan", "perencana", assigned_opd="DINKES"))
    feedback.record(seeded, feedback.Decision(W47, "I2", "P3", "sedang_diusulkan", "dinkes"))
    build_week(seeded, W48)
    row = _by_pair(load_week(seeded, W48))["I2", "P3"]
    assert (row.opd_code, row.review_status) == ("DINKES", "sedang_diusulkan")


def test_records_are_the_rows_with_none_for_every_missing_value():
    """Column by column, the same values and types as to_dict("records") with NA/NaN/NaT/None as None."""
    frame = pd.DataFrame({
        "text": pd.Series(["a", None, "c"], dtype=object),
        "count": pd.Series([1, pd.NA, 3], dtype="Int64"),
        "score": [0.5, float("nan"), 1.0],
        "rank": [1, 2, 3],
        "flag": [True, False, True],
        "when": pd.to_datetime(["2026-11-23", None, "2026-12-01"]),
        "day": pd.Series([date(2026, 11, 23), None, date(2026, 12, 1)], dtype=object),
        "fields": pd.Series([["bidang"], None, []], dtype=object),
    })
    got = build.records(frame)
    assert got[1] == {"text": None, "count": None, "score": None, "rank": 2, "flag": False, "when": None,
                      "day": None, "fields": None}
    assert got[0]["fields"] == ["bidang"] and got[2]["fields"] == []
    expected = frame.to_dict("records")
    for row, want in zip((got[0], got[2]), (expected[0], expected[2]), strict=True):
        assert row == want and {k: type(v) for k, v in row.items()} == {k: type(v) for k, v in want.items()}
    assert build.records(frame.iloc[:0]) == [] and build.records(pd.DataFrame(index=[0, 1])) == [{}, {}]
