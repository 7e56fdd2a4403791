"""Who may propose each funding line: data with sources, and the columns the ranking output carries."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from nyengget.matching import rank
from nyengget.matching.inputs import clean_programmes
from nyengget.matching.proposers import PROPOSER_COLUMNS, load_proposers, may_propose, parse_proposers

AS_OF = date(2026, 11, 1)


def _pair(frame: pd.DataFrame, inn: str, prog: str) -> pd.Series:
    row = frame[(frame["innovation_id"] == inn) & (frame["programme_id"] == prog)]
    assert not row.empty, f"{inn}/{prog} not ranked"
    return row.iloc[0]


@pytest.fixture(scope="module")
def with_proposers(programmes, innovations) -> pd.DataFrame:
    return rank(programmes, innovations, as_of=AS_OF, top_k=10, proposers=True)


def test_columns_are_added_only_on_request(programmes, innovations, with_proposers):
    assert list(with_proposers.columns) == ["innovation_id", "programme_id", "rank", "score", "reasons",
                                            *PROPOSER_COLUMNS]
    plain = rank(programmes, innovations, as_of=AS_OF, top_k=10)
    assert list(plain.columns) == ["innovation_id", "programme_id", "rank", "score", "reasons"]
    pd.testing.assert_frame_equal(plain, with_proposers[plain.columns])


def test_a_kecamatan_cannot_propose_bok_puskesmas_but_dinas_kesehatan_can(with_proposers):
    kec = _pair(with_proposers, "D001", "P071")  # Kecamatan Cipocok Jaya, latrines
    assert kec["funding_line"] == "dak_nonfisik_bok"
    assert kec["proposer_types"] == "Dinas Kesehatan" and not pd.isna(kec["own_opd_may_propose"]) and not kec["own_opd_may_propose"]
    assert kec["proposal_route"] == "usulan" and "Permenkes" in kec["proposer_source"]
    dinkes = _pair(with_proposers, "D005", "P071")  # Dinas Kesehatan
    assert bool(dinkes["own_opd_may_propose"])


def test_dak_fisik_menus_are_proposed_by_the_technical_dinas(with_proposers):
    roads = _pair(with_proposers, "D022", "P026")  # DPUPR innovation, DAK Fisik Jalan
    assert roads["proposer_types"] == "Dinas PUPR" and bool(roads["own_opd_may_propose"])
    septic = _pair(with_proposers, "D001", "P033")  # a kecamatan's latrines, DAK Fisik Sanitasi
    assert not pd.isna(septic["own_opd_may_propose"]) and not septic["own_opd_may_propose"] and septic["proposer_types"] == "Dinas PUPR"
    assert "[KRISNA]" in septic["proposer_source"]


def test_competitions_are_open_and_incentives_are_assessed(with_proposers):
    kipp = with_proposers[with_proposers["programme_id"] == "P123"]
    assert not kipp.empty and (kipp["own_opd_may_propose"] == True).all()  # noqa: E712 (nullable boolean)
    assert (kipp["proposal_route"] == "terbuka").all()
    insentif = with_proposers[with_proposers["programme_id"] == "P088"]
    assert not insentif.empty and (insentif["proposal_route"] == "dinilai").all()


def test_every_programme_of_the_catalogue_has_a_line_with_a_source(programmes):
    table = load_proposers()
    for row in clean_programmes(programmes).to_dict("records"):
        line = table.line_for(row)
        assert line is not None, row["programme_id"]
        assert line.source.strip()


def test_opd_types_from_names():
    table = load_proposers()
    assert table.opd_types("Dinas Kesehatan") == {"dinas_kesehatan"}
    assert {"dp3a", "dppkb"} <= table.opd_types("DP3AKB")
    assert {"dinas_kumkm", "disperindag"} <= table.opd_types("Dinas Koperasi UKM Perindustrian dan Perdagangan")
    assert table.opd_types("Kecamatan Curug") == {"kecamatan"}
    assert may_propose(None, frozenset({"kecamatan"})) is None
    assert may_propose(table.lines[0], frozenset()) is None  # unknown OPD type: not decided here


def test_bad_proposer_data_is_rejected():
    base = {"opd_types": {"a": {"label": "A", "match": ["a"]}}}
    with pytest.raises(ValueError, match="unknown OPD types"):
        parse_proposers({**base, "lines": [{"id": "x", "match": {}, "proposers": ["b"], "route": "usulan",
                                            "source": "s"}]})
    with pytest.raises(ValueError, match="source is required"):
        parse_proposers({**base, "lines": [{"id": "x", "match": {}, "proposers": ["a"], "route": "usulan"}]})
