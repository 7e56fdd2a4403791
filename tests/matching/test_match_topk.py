"""top_k_pairs: the k best quantised scores per row (ties by lower column), as a plain sort gives them."""

from __future__ import annotations

import numpy as np
import pytest

from nyengget.matching.ranking import SCALE, quantise, top_k_pairs


def _plain(score: np.ndarray, k: int):
    """Every score quantised, each row sorted by (score descending, column), the first k positive ones."""
    quant = np.rint(np.clip(score.astype(np.result_type(score.dtype, np.float16)), 0, 1) * SCALE).astype(np.int64)
    out = [(r, c, int(quant[r, c])) for r in range(score.shape[0])
           for c in sorted(range(score.shape[1]), key=lambda c: (-quant[r, c], c))[:k] if quant[r, c] > 0]
    return tuple(np.array([o[i] for o in out], dtype=np.int64) for i in range(3))


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
@pytest.mark.parametrize("k", [1, 3, 10, 40])
def test_same_pairs_as_sorting_every_row(dtype, k):
    rng = np.random.default_rng(k)
    score = rng.random((60, 30)) ** 3 * 1.2 - 0.05  # some above 1, some below 0
    score[::7] = np.round(score[::7], 3)  # ties in the quantised scores (and in the raw ones)
    score[5] = 0.0  # a row without a candidate
    score[6, :4] = [0.00004, 0.00005, 0.00006, 0.5]  # around the smallest positive quantum
    score[8] = (np.arange(30) % 4 + 0.5) / SCALE + 0.2  # exact half quanta (round half to even)
    if dtype is np.int64:
        score = rng.integers(-1, 3, size=score.shape)
    score = score.astype(dtype)
    kept = score.copy()
    for g, w in zip(top_k_pairs(score, k), _plain(score, k), strict=True):
        np.testing.assert_array_equal(g, w)
    np.testing.assert_array_equal(score, kept)


def test_quantise_clips_and_rounds_to_the_scale():
    np.testing.assert_array_equal(quantise(np.array([-0.2, 0.0, 0.00004, 0.00006, 0.12345, 1.0, 3.0])),
                                  [0, 0, 0, 1, 1234, SCALE, SCALE])


@pytest.mark.parametrize("k", [1, 4, 30])
def test_a_known_kth_score_or_any_lower_bound_gives_the_same_pairs(k):
    rng = np.random.default_rng(7)
    score = np.round(rng.random((40, 25)) ** 2, 3).astype(np.float32)
    kth = np.sort(score, axis=1)[:, -min(k, 25)]
    want = top_k_pairs(score, k)
    for bound in (kth, kth * 0.5, np.zeros(40, np.float32)):
        for g, w in zip(top_k_pairs(score, k, kth_score=bound), want, strict=True):
            np.testing.assert_array_equal(g, w)
