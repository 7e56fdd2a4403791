"""analysis.py reads many texts at once exactly as text.tokenize / Analyzer.analyze read one."""

from __future__ import annotations

import numpy as np

from nyengget.matching import analysis
from nyengget.matching.text import tokenize

TRICKY = [
    "", "Jamban sehat", "SPALD-S 2024: ODF!", "résumé naïve café — 100%", "x" * 40 + " pengarusutamaangender",
    "a", "Kota  Serang\n\nBanten", "ÄÖÜ ß İstanbul x", "SPALD-S 2024: ODF!", "1a2b3c 12345678901234567890",
    "pengarusutamaangender", "   ", "ab\u00a0cd\tef",
]


def test_token_codes_equal_tokenize_text_by_text():
    codes, lengths, distinct = analysis.token_codes(TRICKY)
    assert lengths.tolist() == [len(tokenize(t)) for t in TRICKY]
    assert [distinct[c] for c in codes] == [tok for t in TRICKY for tok in tokenize(t)]
    assert len(distinct) == len(set(distinct))  # one entry per distinct token, in order of first appearance
    seen = list(dict.fromkeys(tok for t in TRICKY for tok in tokenize(t)))
    assert distinct == seen


def test_repeated_texts_are_read_once_and_get_the_same_terms(analyzer):
    texts = ["Warga bangun jamban dan tangki septik", "posyandu KIA untuk ibu hamil",
             "Warga bangun jamban dan tangki septik"]
    many = analysis.analyze_many(analyzer, texts, surfaces=True)
    once = analysis.analyze_distinct(analyzer, texts, surfaces=True)
    for field in ("doc", "term", "tf", "surface_doc", "surface_term", "surface_form"):
        assert np.array_equal(getattr(many, field), getattr(once, field)), field
    first, third = (many.doc == 0), (many.doc == 2)
    assert many.term[first].tolist() == many.term[third].tolist()
