"""The programme side of matching, read once per content: every region's match task of a week reads the same
shared programmes, so their analysis (BM25 weights, the analyzer's vocabulary, physical-work and rule flags,
urusan links) is kept in a cache directory, one file per (programmes, reading settings, matcher code and data) key.

A file holds arrays and strings only (`.npz`, loaded without pickle: reading it runs no code). It is written
to a temporary file and renamed, so two workers missing the same key at once both write a whole file; a
missing, unreadable or mismatched file is analysed again (logged), never an error. The newest KEEP files stay.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from nyengget.matching.model import ProgrammeModel
from nyengget.matching.text import Analyzer

log = logging.getLogger(__name__)
FORMAT = 2  # raise when the file's layout changes
KEEP = 8  # files kept in the directory (a week's catalogue and its reruns, a few weeks back)
PACKAGE = Path(__file__).resolve().parent
_STATE = ("terms", "forms", "stem_ids", "tokens", "entry_stems", "entry_terms", "entry_phrase")


@dataclass
class Catalogue:
    """What matching reads from the cleaned programmes alone, per programme row (before eligibility)."""

    model: ProgrammeModel
    physical: np.ndarray | None  # bool: pays for physical work (None: that signal is off)
    rule_of: np.ndarray  # first matching rule, -1 for none
    links: tuple[list[str], np.ndarray, np.ndarray]  # codes.programme_links: urusan, weights, kinds
    funding_line: np.ndarray  # str: proposers.line_ids ("" for none)


def read(analyzer: Analyzer, programmes: pd.DataFrame, settings: str, build: Callable[[], Catalogue],
         cache_dir: Path | None) -> Catalogue:
    """`build()` (which reads the programmes with `analyzer`), or the file a previous `build()` of the same key
    left in `cache_dir`, with `analyzer` continued as if it had read them. `settings`: everything besides the
    programmes and the matcher's files that `build` depends on (repr of the options)."""
    if cache_dir is None:
        return build()
    path = Path(cache_dir) / f"programmes-{key(programmes, settings)}.npz"
    if path.exists():
        try:
            return _load(path, analyzer)
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:  # torn, foreign: again
            log.warning("programme analysis %s unreadable, analysing again: %s", path, exc)
    built = build()
    try:
        _store(path, analyzer, built)
    except OSError as exc:
        log.warning("programme analysis not kept in %s: %s", path.parent, exc)
    return built


def key(programmes: pd.DataFrame, settings: str) -> str:
    """Hash of the cleaned programmes (columns, rows, values), the settings and the matcher's code and data."""
    h = hashlib.sha256(f"{FORMAT}\0{settings}\0{code_fingerprint()}\0{list(programmes.columns)}".encode())
    h.update(pd.util.hash_pandas_object(programmes, index=False).to_numpy().tobytes())
    return h.hexdigest()[:32]


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of the matching package's modules and data files and of the stemmer's version."""
    h = hashlib.sha256(metadata.version("PySastrawi").encode())
    for path in sorted(PACKAGE.glob("*.py")) + sorted(PACKAGE.glob("*.yaml")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _store(path: Path, analyzer: Analyzer, cat: Catalogue) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    w = cat.model.weights
    arrays = {"data": w.data, "indices": w.indices, "indptr": w.indptr, "shape": np.array(w.shape),
              "idf": cat.model.idf, "purpose_idf": cat.model.purpose_idf, "rule_of": cat.rule_of,
              "link_names": np.array(cat.links[0], dtype=str), "link_weights": cat.links[1], "link_kinds": cat.links[2],
              "funding_line": np.array(cat.funding_line, dtype=str)}
    if cat.physical is not None:
        arrays["physical"] = cat.physical
    for name, values in analyzer.reading_state().items():  # lists of str, int or bool: plain arrays
        arrays[f"state_{name}"] = np.array(values)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **arrays)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _prune(path.parent)


def _load(path: Path, analyzer: Analyzer) -> Catalogue:
    with np.load(path, allow_pickle=False) as f:
        shape = tuple(int(n) for n in f["shape"])
        weights = sparse.csr_matrix((f["data"], f["indices"], f["indptr"]), shape=shape)
        model = ProgrammeModel(weights, f["idf"], f["purpose_idf"])
        physical = f["physical"] if "physical" in f.files else None
        state = {name: f[f"state_{name}"].tolist() for name in _STATE}
        rule_of = f["rule_of"]
        links = (f["link_names"].tolist(), f["link_weights"], f["link_kinds"])
        funding_line = f["funding_line"]
    if len(state["terms"]) != shape[1]:
        raise ValueError(f"{len(state['terms'])} terms for a model of {shape[1]}")
    if len(funding_line) != shape[0]:
        raise ValueError(f"{len(funding_line)} funding lines for {shape[0]} programmes")
    analyzer.continue_reading(state)
    log.info("programme analysis read from %s", path)
    return Catalogue(model, physical, rule_of, links, funding_line)


def _prune(directory: Path) -> None:
    """Keep the newest KEEP files (by modification time)."""
    dated = []
    for path in directory.glob("programmes-*.npz"):
        try:
            dated.append((path.stat().st_mtime, path))
        except FileNotFoundError:  # another worker pruned it meanwhile
            continue
    for _, old in sorted(dated)[:-KEEP]:
        old.unlink(missing_ok=True)
