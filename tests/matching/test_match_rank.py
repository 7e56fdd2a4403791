"""Ranking behaviour: eligibility traps, scores, determinism, ties, reasons and feedback."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from nyengget.errors import InputFileError
from nyengget.matching import rank

AS_OF = date(2026, 11, 1)


@pytest.fixture(scope="module")
def ranked(programmes, innovations) -> pd.DataFrame:
    return rank(programmes, innovations, as_of=AS_OF, level="kota", top_k=10)


def test_output_contract(ranked, innovations):
    assert list(ranked.columns) == ["innovation_id", "programme_id", "rank", "score", "reasons"]
    assert set(ranked["innovation_id"]) == set(innovations["innovation_id"])
    for _, g in ranked.groupby("innovation_id"):
        assert list(g["rank"]) == list(range(1, len(g) + 1))
        assert g["score"].is_monotonic_decreasing
    assert ranked["score"].between(0.0, 1.0).all() and (ranked["score"] > 0).all()


def test_ineligible_programmes_never_appear_however_similar(ranked):
    # P004/P005/P006 (SMA/SMK/SLB) are provinsi-only twins of SMP P003; P028 provinsi roads;
    # P008/P037 are TA 2025; P105 BSPS TA 2026 closed 2025-12-31; P121 closed 2026-10-31.
    traps = {"P004", "P005", "P006", "P028", "P008", "P037", "P105", "P121"}
    assert not traps & set(ranked["programme_id"])


def test_school_toilets_find_the_city_twin_not_the_province_one(ranked):
    top = ranked[ranked["innovation_id"] == "D016"]
    assert {"P002", "P003"} <= set(top["programme_id"].head(4))


def test_closed_window_is_out_even_with_identical_text(programmes, innovations):
    twin = programmes[programmes["programme_id"] == "P033"].copy()
    twin["programme_id"], twin["opens_on"], twin["closes_on"] = "P999", "2026-08-01", "2026-10-31"
    out = rank(pd.concat([programmes, twin]), innovations, as_of=AS_OF, top_k=20)
    assert "P999" not in set(out["programme_id"])
    assert "P033" in set(out["programme_id"])
    # the day it closes is still open
    out = rank(pd.concat([programmes, twin]), innovations, as_of=date(2026, 10, 31), top_k=20)
    assert "P999" in set(out["programme_id"])


def test_fiscal_years_outside_current_and_next_are_out(programmes, innovations):
    twin = programmes[programmes["programme_id"] == "P033"].copy()
    twin["programme_id"], twin["fiscal_year"] = "P998", "2028"
    out = rank(pd.concat([programmes, twin]), innovations, as_of=AS_OF, top_k=20)
    assert "P998" not in set(out["programme_id"])
    out = rank(pd.concat([programmes, twin]), innovations, as_of=date(2027, 3, 1), top_k=20)
    assert "P998" in set(out["programme_id"])


def test_level_filter_follows_the_applicant(programmes, innovations):
    out = rank(programmes, innovations, as_of=AS_OF, level="provinsi", top_k=30)
    assert "P004" in set(out["programme_id"])  # SMA is a province's business
    assert "P002" not in set(out["programme_id"])  # SD is not


def test_reasons_explain_words_codes_eligibility_and_window(ranked):
    row = ranked[(ranked["innovation_id"] == "D001") & (ranked["programme_id"] == "P033")].iloc[0]
    assert row["rank"] <= 2
    reason = row["reasons"]
    assert "\n" not in reason
    assert reason.startswith("kata cocok: ")
    assert "tangki septik→SPALD-S" in reason and "jamban" in reason
    assert "urusan Kesehatan ↔ bidang Sanitasi" in reason
    assert "terbuka untuk kota; TA 2027; tanpa jendela usulan" in reason
    windowed = ranked[(ranked["innovation_id"] == "D001") & (ranked["programme_id"] == "P102")].iloc[0]
    assert windowed["reasons"].endswith("ditutup 15 Des 2026, 44 hari lagi")


def test_attribute_rules_give_reasons(ranked):
    iga = ranked[(ranked["innovation_id"] == "D001") & (ranked["programme_id"] == "P125")]
    assert not iga.empty and "indeks inovasi daerah" in iga.iloc[0]["reasons"]


def test_deterministic(programmes, innovations, ranked):
    again = rank(programmes.sample(frac=1.0, random_state=3), innovations, as_of=AS_OF, top_k=10)
    pd.testing.assert_frame_equal(ranked.reset_index(drop=True), again.reset_index(drop=True))


def test_ties_break_by_programme_id(programmes, innovations):
    one = programmes[programmes["programme_id"] == "P033"]
    twins = pd.concat([one.assign(programme_id="B2"), one.assign(programme_id="A1")])
    out = rank(twins, innovations.head(1), as_of=AS_OF, top_k=2)
    assert list(out["programme_id"]) == ["A1", "B2"]
    assert out["score"].iloc[0] == out["score"].iloc[1]


def test_top_k_limits_rows(programmes, innovations):
    out = rank(programmes, innovations, as_of=AS_OF, top_k=3)
    assert out.groupby("innovation_id").size().max() == 3


def test_dates_may_arrive_as_dates_or_missing(programmes, innovations, ranked):
    typed = programmes.copy()
    typed["closes_on"] = pd.to_datetime(typed["closes_on"].replace("", None)).dt.date
    typed["opens_on"] = None
    typed["extra_column"] = "ignored"
    out = rank(typed, innovations, as_of=AS_OF, top_k=10)
    pd.testing.assert_frame_equal(out[["innovation_id", "programme_id"]], ranked[["innovation_id", "programme_id"]])


def test_bad_input_names_row_and_field(programmes, innovations):
    bad = programmes.copy()
    bad.loc[3, "recipient_levels"] = "kota;desa"
    with pytest.raises(InputFileError, match=r"row 5 .*field recipient_levels"):
        rank(bad, innovations, as_of=AS_OF)
    with pytest.raises(InputFileError, match="missing column"):
        rank(programmes.drop(columns=["closes_on"]), innovations, as_of=AS_OF)


def _pairs(frame: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(frame["innovation_id"], frame["programme_id"], strict=True))


def test_feedback_dismissal_removes_the_pair_only(programmes, innovations, ranked):
    fb = pd.DataFrame({"innovation_id": ["D001"], "programme_id": ["P033"], "status": ["tidak_relevan"]})
    out = rank(programmes, innovations, as_of=AS_OF, top_k=10, feedback=fb)
    assert ("D001", "P033") not in _pairs(out)
    assert ("D002", "P033") in _pairs(out)


def test_feedback_lifts_programme_for_similar_innovations(programmes, innovations, ranked):
    # D001 (latrines) pursued the house-repair programme; D002 (septic tanks) is similar.
    fb = pd.DataFrame({"innovation_id": ["D001"], "programme_id": ["P038"], "status": ["sedang_diusulkan"]})
    out = rank(programmes, innovations, as_of=AS_OF, top_k=10, feedback=fb)

    def score(frame, inn, prog):
        row = frame[(frame["innovation_id"] == inn) & (frame["programme_id"] == prog)]
        return float(row["score"].iloc[0]) if len(row) else 0.0

    assert score(out, "D002", "P038") > score(ranked, "D002", "P038")
    lifted = out[(out["innovation_id"] == "D002") & (out["programme_id"] == "P038")].iloc[0]
    assert "diminati inovasi serupa: Gardu Jaga" in lifted["reasons"]
    assert score(out, "D002", "P038") - score(ranked, "D002", "P038") <= 0.15 + 1e-9  # modest
    # an unrelated innovation (tax, roads) is not lifted
    assert score(out, "D022", "P038") == score(ranked, "D022", "P038")


def test_feedback_status_is_validated(programmes, innovations):
    fb = pd.DataFrame({"innovation_id": ["D001"], "programme_id": ["P033"], "status": ["mungkin"]})
    with pytest.raises(InputFileError, match="field status"):
        rank(programmes, innovations, as_of=AS_OF, feedback=fb)


def test_nothing_eligible_or_no_innovations_gives_empty_frame(programmes, innovations):
    assert rank(programmes, innovations, as_of=date(2030, 1, 1)).empty  # every fiscal year is past
    out = rank(programmes, innovations.head(0), as_of=AS_OF)
    assert out.empty and list(out.columns) == ["innovation_id", "programme_id", "rank", "score", "reasons"]
