"""Structural programmes (index, award, competition, smart city) placed inside the topical ranking."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from nyengget.matching import rank
from nyengget.matching.ranking import Options
from nyengget.matching.ranking import rank as rank_with
from nyengget.matching.rules import ATTRIBUTES, BOOSTED, MENTIONED, NONE, innovation_evidence, load_rules
from nyengget.matching.structural import LIST_LENGTH, THIN_TEXT, opd_allowed, place, right_below_the_list

AS_OF = date(2026, 11, 1)
STRUCTURAL = {"P115", "P123", "P125"}  # in tests/matching/data: smart city, KIPP 2027, IGA 2027


def _position(topical: np.ndarray, value: float) -> int:
    """1-based position a score would take among the topical scores (ties after)."""
    return int((topical >= value).sum()) + 1


@pytest.mark.parametrize("scale", [1.0, 0.6])  # real texts score lower than the catalogue: same places
def test_weak_evidence_lands_after_the_best_topical_items_whatever_the_scale(scale):
    topical = scale * np.array([[0.9, 0.85, 0.8, 0.78, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5, 0.45]], dtype=np.float32)
    level = np.array([[ATTRIBUTES, ATTRIBUTES, ATTRIBUTES, BOOSTED, NONE]], dtype=np.int8)
    own = np.zeros(level.shape, dtype=np.float32)
    out = place(topical, own, level, np.ones(level.shape, dtype=bool), top_k=10)
    positions = [_position(topical[0], v) for v in out[0, :4]]
    assert positions[3] == 2  # strong evidence: right after the best topical item
    assert positions[0] == 4  # first weak after topical rank 3: with the strong one, the list's fifth item
    # the second weak item and the capped third stay out of the 5-item list (LIST_LENGTH), right below it
    assert _combined(topical[0], out[0, :4]) == [(1, "T"), (2, 3), (3, "T"), (4, "T"), (5, 0), (6, 1), (7, 2)]
    assert out[0, 4] == 0.0  # no evidence, not listed


def _combined(topical: np.ndarray, placed: np.ndarray) -> list[tuple[int, object]]:
    """The first positions of topical ("T") and structural (column index) items in one ranking."""
    items = sorted([(float(v), 1, "T") for v in topical] + [(float(v), 0, c) for c, v in enumerate(placed) if v > 0],
                   key=lambda x: (-x[0], x[1]))
    return [(n + 1, item) for n, (_, _, item) in enumerate(items)][:len(placed) + 3]


def _rank_of(topical: np.ndarray, placed: np.ndarray, col: int) -> int:
    """1-based position of structural column `col` in the combined ranking (ties: structural first)."""
    return int((topical > placed[col]).sum() + (placed > placed[col]).sum()) + 1


def test_items_outside_the_list_come_right_below_it_and_never_enter_it():
    topical = np.array([[0.9, 0.85, 0.8, 0.78, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5]], dtype=np.float32)
    out = np.array([[0.79, 0.52, 0.51]], dtype=np.float32)  # one in the list, two below topical rank 9
    moved = right_below_the_list(out, topical, LIST_LENGTH)
    assert moved[0, 0] == out[0, 0]  # in the list: unchanged
    assert 0.78 > moved[0, 1] > moved[0, 2] > 0.75  # right below the 5th item (0.78), order kept
    assert _combined(topical[0], moved[0])[:5] == _combined(topical[0], out[0])[:5]  # the list is the same
    tight = np.array([[0.9, 0.85, 0.8, 0.7504, 0.75, 0.7]], dtype=np.float32)
    kept = right_below_the_list(out, tight, LIST_LENGTH)
    np.testing.assert_array_equal(kept, out)  # no room under the list (< MIN_GAP): left where they were


@pytest.mark.parametrize(("top_k", "after"), [(10, LIST_LENGTH), (3, 3)])
def test_capped_items_sink_below_the_list_an_opd_sees_or_the_shorter_ranking(top_k, after):
    topical = np.array([[0.9, 0.85, 0.8, 0.78, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5, 0.45]], dtype=np.float32)
    level = np.array([[ATTRIBUTES]], dtype=np.int8)
    out = place(topical, np.zeros(level.shape, np.float32), level, np.zeros(level.shape, bool), top_k=top_k)
    assert _position(topical[0], out[0, 0]) == after + 1  # capped by the OPD rule: right below the list


def test_structural_items_lead_when_the_best_topical_match_is_thin():
    topical = THIN_TEXT * np.array([[0.9, 0.85, 0.8, 0.78, 0.75, 0.7, 0.65]], dtype=np.float32)  # no real match
    level = np.array([[ATTRIBUTES, ATTRIBUTES, ATTRIBUTES, BOOSTED]], dtype=np.int8)
    out = place(topical, np.zeros(level.shape, np.float32), level, np.ones(level.shape, bool), top_k=10)
    assert out[0, 3] > out[0, 0] > topical.max()  # strong evidence first, then the first weak item
    assert _position(topical[0], out[0, 1]) == 2  # the second right after the best topical item
    assert _rank_of(topical[0], out[0], 2) == LIST_LENGTH + 1  # the cap of two weak items: right below the list


def test_steep_fall_off_lets_weak_evidence_rise_but_never_above_the_best():
    topical = np.array([[0.9, 0.3, 0.25, 0.2, 0.1]], dtype=np.float32)
    out = place(topical, np.zeros((1, 1), np.float32), np.array([[ATTRIBUTES]], np.int8), np.ones((1, 1), bool),
                top_k=5)
    assert _position(topical[0], out[0, 0]) == 2


def test_own_text_support_keeps_a_higher_place_and_the_opd_cap_sinks_the_rest():
    topical = np.array([[0.9, 0.8, 0.7, 0.6, 0.5, 0.4]], dtype=np.float32)
    level = np.array([[ATTRIBUTES, ATTRIBUTES]], dtype=np.int8)
    own = np.array([[0.95, 0.0]], dtype=np.float32)
    out = place(topical, own, level, np.array([[True, False]]), top_k=5)
    assert out[0, 0] == pytest.approx(0.95)  # the text supports it
    assert _rank_of(topical[0], out[0], 1) == 6  # not allowed for this OPD: right below the 5-item list


def test_opd_cap_keeps_the_two_rules_most_innovations_of_an_opd_meet():
    level = np.array([[1, 1, 0, 1], [1, 1, 0, 1], [1, 0, 0, 1], [1, 1, 1, 3]], dtype=np.int8)
    allowed = opd_allowed(level, ["A", "A", "A", "B"], max_per_opd=2)
    assert allowed[:3, 0].all() and allowed[:3, 3].all()  # 3 of 3 and 3 of 3
    assert not allowed[:3, 1].any()  # 2 of 3: third rule for OPD A
    assert allowed[3, 3]  # a mention is always allowed


def test_mentions_are_evidence_and_acronyms_are_case_sensitive():
    rules = load_rules()
    ids = {r.id: k for k, r in enumerate(rules)}
    inns = pd.DataFrame({
        "name": ["SIGAP", "Warung Iga", "Lapak"],
        "description": ["Masuk Top 45 KIPP 2024 dan finalis IGA.", "iga bakar khas Serang", "mendukung smart city"],
        "tahapan": ["Uji Coba", "Penerapan", "Inisiatif"], "bentuk": ["Inovasi Pelayanan Publik"] * 3,
        "jenis": ["Non Digital"] * 3,
    })
    level, found = innovation_evidence(rules, inns, [(), (), ()])
    assert level[0, ids["kompetisi_pelayanan_publik"]] == MENTIONED  # although only Uji Coba
    assert level[0, ids["indeks_inovasi"]] == MENTIONED and found[0][ids["indeks_inovasi"]] == "IGA"
    assert level[1, ids["indeks_inovasi"]] == ATTRIBUTES  # "iga bakar" (ribs) is no mention
    assert level[2, ids["kota_cerdas"]] == MENTIONED


@pytest.fixture(scope="module")
def top5(programmes, innovations) -> pd.DataFrame:
    return rank(programmes, innovations, as_of=AS_OF, top_k=5)


def test_topical_items_come_first_and_structural_items_are_few(programmes, innovations, top5):
    for _, g in top5.groupby("innovation_id"):
        ids = list(g["programme_id"])
        assert ids[0] not in STRUCTURAL
        assert sum(p in STRUCTURAL for p in ids) <= 2
    flat = rank_with(programmes, innovations, as_of=AS_OF, top_k=5, options=Options(structural_evidence=False))
    assert top5["programme_id"].isin(STRUCTURAL).mean() < flat["programme_id"].isin(STRUCTURAL).mean()


def test_an_innovation_without_topical_candidates_still_gets_its_structural_items():
    topical = np.zeros((1, 4), dtype=np.float32)
    out = place(topical, np.zeros((1, 2), np.float32), np.array([[ATTRIBUTES, MENTIONED]], np.int8),
                np.ones((1, 2), bool), top_k=5)
    assert 0 < out[0, 0] < out[0, 1]


def test_a_kipp_finalist_gets_kipp_high_with_the_reason(programmes, innovations):
    one = innovations[innovations["innovation_id"] == "D058"].copy()
    one["description"] = one["description"] + " Inovasi ini masuk Top 45 KIPP 2024."
    out = rank(programmes, one, as_of=AS_OF, top_k=5)
    kipp = out[out["programme_id"] == "P123"]
    assert not kipp.empty and int(kipp["rank"].iloc[0]) <= 2
    assert '("Top 45")' in kipp["reasons"].iloc[0] or '("KIPP")' in kipp["reasons"].iloc[0]


def test_a_capped_item_is_not_listed_when_the_topical_list_is_short():
    topical = np.array([[0.9, 0.3, 0.0, 0.0, 0.0, 0.0]], dtype=np.float32)  # two topical candidates, k = 5
    level = np.array([[ATTRIBUTES, ATTRIBUTES, ATTRIBUTES]], dtype=np.int8)
    out = place(topical, np.zeros(level.shape, np.float32), level, np.ones(level.shape, bool), top_k=5)
    assert out[0, 0] > 0 and out[0, 1] > 0  # the two allowed weak items are listed
    assert out[0, 2] == 0.0  # the third would land inside the short list: not listed


def test_weak_text_support_lifts_a_capped_item_only_below_the_weak_slots():
    topical = np.array([[0.9, 0.3, 0.25, 0.2, 0.15, 0.1, 0.05]], dtype=np.float32)  # steep fall-off
    level = np.array([[ATTRIBUTES, ATTRIBUTES, ATTRIBUTES, ATTRIBUTES]], dtype=np.int8)
    own = np.array([[0.0, 0.0, 0.6, 0.4]], dtype=np.float32)  # third: strong text; fourth: weak text
    out = place(topical, own, level, np.ones(level.shape, bool), top_k=6)
    assert _position(topical[0], out[0, 0]) == 2  # the weak slots rise with the fall-off (>= 60%/50% of best)
    assert out[0, 2] == pytest.approx(0.6)  # its text beats the weak slots: it keeps its own place
    assert _rank_of(topical[0], out[0], 3) == 6  # listed, but outside the 5-item list: right below it


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_items_are_ordered_by_row_then_score_descending_ties_by_column(dtype):
    """The bit-key sort (float32) and the lexsort (other types) give lexsort((cols, -score, rows))."""
    from nyengget.matching.structural import _by_row_score_desc

    rng = np.random.default_rng(7)
    rows = np.sort(rng.integers(0, 40, 600))
    cols = np.concatenate([np.sort(rng.choice(200, size=(rows == r).sum(), replace=False)) for r in np.unique(rows)])
    score = rng.choice(np.array([0.1, 0.25, 0.5, 0.5000001, 1e-8, 0.9], dtype=dtype), size=len(rows))  # ties
    got_rows, got_cols = _by_row_score_desc(rows, cols, score)
    order = np.lexsort((cols, -score, rows))
    np.testing.assert_array_equal(got_rows, rows[order])
    np.testing.assert_array_equal(got_cols, cols[order])
