"""explain.Items and words_phrases: matched words as written, concepts with their label, no repeats."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from nyengget.matching.explain import Items, words_phrases

TABLE = ["jamban", "tangki septik", "septik", "Jamban"]
LABELS = [None, "SPALD-S", None, "Sanitasi", None, "jamban"]  # term id -> concept label


def _rows(items: Items, terms: list[list[int]], forms: list[list[int]]) -> list[str]:
    return words_phrases(np.array(terms), np.array(forms), items).tolist()


def test_words_as_written_concepts_labelled_and_words_inside_a_shown_phrase_skipped():
    items = Items(TABLE, LABELS)
    got = _rows(items, [[0, 1, 2, 3, -1], [2, -1, -1, -1, -1], [-1] * 5, [0, 2, 3, 1, 4]],
                [[0, 1, 2, -1, -1], [2, -1, -1, -1, -1], [-1] * 5, [0, 2, -1, 1, -1]])
    assert got == ["jamban, tangki septik→SPALD-S, Sanitasi", "septik", "",
                   "jamban, septik, Sanitasi, tangki septik→SPALD-S"]  # a phrase after one of its words is shown


def test_a_label_equal_to_the_form_is_shown_once_and_a_term_with_neither_is_skipped():
    items = Items(TABLE, LABELS)
    assert _rows(items, [[5, 4, 0]], [[3, -1, 0]]) == ["jamban"]  # the label (same as the form); jamban then seen


def test_at_most_four_items():
    table = [f"kata{i}" for i in range(6)]
    items = Items(table, [None] * 6)
    assert _rows(items, [list(range(6))], [list(range(6))]) == ["kata0, kata1, kata2, kata3"]


def test_cached_items_and_forms_added_later_give_the_same_rows_from_several_threads():
    table = list(TABLE)
    items = Items(table, LABELS)
    first = _rows(items, [[0, 1, 2, 3, -1]], [[0, 1, 2, -1, -1]])
    table.append("tangki")  # the forms table may still grow
    with ThreadPoolExecutor(max_workers=4) as pool:
        runs = list(pool.map(lambda _: _rows(items, [[0, 1, 2, 3, -1], [2, 0, -1, -1, -1]],
                                             [[0, 1, 2, -1, -1], [4, 0, -1, -1, -1]]), range(8)))
    assert all(r == [first[0], "tangki, jamban"] for r in runs)
