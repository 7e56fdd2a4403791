"""The one link rule (http(s) or nothing), the cell rules (missing is None, never a formula), record bounds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nyengget.cells import known, neutralise
from nyengget.sources.records import Invalid, normalise
from nyengget.urls import web_url

PAGE = "https://www.kemkes.go.id/feed/rss.xml"


@pytest.mark.parametrize(("link", "expected"), [
    ("https://kemkes.go.id/a?b=1", "https://kemkes.go.id/a?b=1"),
    ("  HTTP://kemkes.go.id/a ", "HTTP://kemkes.go.id/a"),
    ("/siaran-pers/hibah-2027", "https://www.kemkes.go.id/siaran-pers/hibah-2027"),
    ("hibah-2027.html", "https://www.kemkes.go.id/feed/hibah-2027.html"),
    ("//cdn.kemkes.go.id/x.pdf", "https://cdn.kemkes.go.id/x.pdf"),
    ("#", None), ("#top", None), ("", None), (None, None), (42, None),
    ("javascript:void(0)", None), ("JaVaScRiPt:alert(1)", None), ("java\tscript:alert(1)", None),
    (" javascript:alert(1)", None), ("tel:+62215201590", None), ("mailto:a@b.id", None),
    ("data:text/html;base64,PHNjcmlwdD4=", None), ("file:///etc/passwd", None), ("smb://srv/share", None),
    ("vbscript:msgbox", None), ("http://", None), ("https:///path-only", None),
])
def test_every_link_is_http_or_absent(link, expected):
    assert web_url(link, PAGE) == expected


def test_a_relative_link_without_a_usable_page_is_dropped():
    assert web_url("/a", None) is None and web_url("/a", "javascript:x") is None
    assert web_url("/a", float("nan")) is None  # a missing page as a frame gives it


def test_the_same_link_answers_the_same_on_every_call_whatever_its_page():
    """web_url keeps its answers per (link, page): another page for the same link is another answer."""
    assert web_url("/a", "https://x.go.id/p/") == "https://x.go.id/a"
    assert web_url("/a", "https://y.go.id/p/") == "https://y.go.id/a"
    assert web_url("/a", "https://x.go.id/p/") == "https://x.go.id/a"
    assert web_url("https://x.go.id/b", float("nan")) == "https://x.go.id/b"
    assert web_url(["https://x.go.id/b"]) is None  # not text (and not hashable): nothing, no TypeError


@pytest.mark.parametrize("text", ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=x", "\r=x"])
def test_formula_like_text_is_neutralised(text):
    assert neutralise(text) == "'" + text


def test_other_values_are_left_alone():
    assert [neutralise(v) for v in ("Hibah", "", 5, None, -3)] == ["Hibah", "", 5, None, -3]


def _raw(**kw):
    return {"title": "Hibah Sanitasi", "funding_type": "Hibah Daerah", "fiscal_year": 2027,
            "recipient_levels": "kota", **kw}


@pytest.mark.parametrize(("value", "expected"), [
    (2_500_000_000, 2_500_000_000), ("2500000000", 2_500_000_000), (2.5e9, 2_500_000_000),
    ("9999999999999999", 9_999_999_999_999_999),  # exact: no float rounding
])
def test_ceilings_are_exact_whole_rupiah(value, expected):
    assert normalise(_raw(ceiling_idr=value))["ceiling_idr"] == expected


@pytest.mark.parametrize("value", [2**63, 10**16 + 1, "1e999999999", "inf", "nan", "-5", 0, "Rp lima"])
def test_impossible_ceilings_are_quarantined_with_a_reason(value):
    with pytest.raises(Invalid) as exc:
        normalise(_raw(ceiling_idr=value))
    assert exc.value.field == "ceiling_idr" and exc.value.reason_id


@pytest.mark.parametrize("field", ["opens_on", "closes_on"])
@pytest.mark.parametrize("value", ["1900-01-01", "9999-12-31", "2014-12-31"])
def test_dates_outside_a_sane_window_are_quarantined(field, value):
    with pytest.raises(Invalid, match=r"outside 2015-2040") as exc:
        normalise(_raw(**{field: value}))
    assert exc.value.field == field


def test_a_record_link_is_joined_to_its_page_or_dropped():
    assert normalise(_raw(source_url="/berita/hibah", page_url="https://pu.go.id/berita/"))["source_url"] == \
        "https://pu.go.id/berita/hibah"
    assert normalise(_raw(source_url="javascript:void(0)"), "https://pu.go.id/")["source_url"] is None


@pytest.mark.parametrize("value", [None, float("nan"), pd.NA, pd.NaT, np.nan])
def test_a_missing_cell_is_none(value):
    assert known(value) is None


@pytest.mark.parametrize("value", ["", "NaN", 0, 0.0, False, "DINKES", pd.Timestamp("2026-11-23")])
def test_a_present_cell_is_itself(value):
    assert known(value) is value
