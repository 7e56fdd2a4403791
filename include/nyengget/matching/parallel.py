"""Ranking written to CSV by several processes (the `match` command): the programmes, eligibility, codes,
rules and feedback are prepared once; forked processes then each read the texts of a contiguous part of
the innovations, score it and write its CSV rows to a file of its own, which this process copies into the
output in order (and removes). The file has the bytes `write_csv(rank(...))` writes (rows depend only on
their innovation and the shared preparation); the reading of texts and the reasons, most of the time and
pure Python, run in parallel this way and not on threads."""

from __future__ import annotations

import functools
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from nyengget.errors import InputFileError
from nyengget.matching import output
from nyengget.matching import proposers as who_proposes
from nyengget.matching.forked import AVAILABLE as CAN_FORK
from nyengget.matching.forked import Forked
from nyengget.matching.ranking import (
    OUTPUT_COLUMNS,
    Options,
    Prepared,
    nothing_to_match,
    prepare_programmes,
    ranked_columns,
    ranked_rows,
)

log = logging.getLogger(__name__)
MIN_PART = 2_000  # fewer innovations per process than this: one process (forking costs more than it saves)


def write_ranked(programmes: pd.DataFrame, innovations: pd.DataFrame, out: Path, *, as_of: date, level: str,
                 top_k: int = 10, feedback_rows: pd.DataFrame | None = None, proposers: bool = False,
                 processes: int = 2, options: Options | None = None) -> int:
    """Write `rank(...)` to `out` as `output.write_csv` does, on up to `processes` processes; the rows written.
    The file is replaced only once complete."""
    opts = options or Options()
    n_parts = max(1, min(processes, len(innovations) // MIN_PART)) if CAN_FORK else 1
    prep = prepare_programmes(programmes, innovations, as_of=as_of, level=level, feedback_rows=feedback_rows,
                              opts=opts, fork=n_parts > 1)
    if nothing_to_match(prep):
        n_parts = 0
    bounds = np.linspace(0, len(prep.innovations), n_parts + 1).astype(int).tolist()
    parts = list(zip(bounds[:-1], bounds[1:], strict=True))
    columns = OUTPUT_COLUMNS + (who_proposes.PROPOSER_COLUMNS if proposers else [])
    with _writing(out):
        tmp = tempfile.NamedTemporaryFile("wb", dir=out.parent, prefix=f".{out.name}.", delete=False)
    spill = [Path(tmp.name + f".part{k}") for k in range(len(parts))] if len(parts) > 1 else []
    written = 0
    try:
        with tmp:
            with _writing(out):
                tmp.write(output.csv_header(columns))
            for k, n in enumerate(_parts(prep, parts, top_k, opts, proposers, _Sink(tmp, out, spill)), start=1):
                written += n
                log.info("part %d of %d: %d rows", k, len(parts), n)
        with _writing(out):
            os.chmod(tmp.name, _mode_for(out))
            os.replace(tmp.name, out)
    except BaseException:
        Path(tmp.name).unlink(missing_ok=True)
        raise
    finally:
        for path in spill:
            path.unlink(missing_ok=True)
    return written


def _mode_for(out: Path) -> int:
    """The permissions the output gets: those of the file it replaces, else what the umask allows for a new
    file (a temporary file is created private, 0600)."""
    try:
        return out.stat().st_mode & 0o777
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


@contextmanager
def _writing(out: Path) -> Iterator[None]:
    """An OSError of the output file as a usage error naming it."""
    try:
        yield
    except OSError as exc:
        raise InputFileError(f"{out}: cannot write output ({exc.strerror})") from exc


@dataclass(frozen=True)
class _Sink:
    """Where the rows go: the open temporary file, the output it becomes (named in errors), and per forked
    part the file it writes its rows to (a file is read back faster than a pipe carries pickled rows)."""

    file: BinaryIO
    target: Path
    spill: list[Path]


def _parts(prep: Prepared, parts: list[tuple[int, int]], top_k: int, opts: Options, proposers: bool,
           sink: _Sink) -> Iterator[int]:
    """Write the CSV rows of each part to the sink, in order, yielding its number of rows; more than one
    part: each in a forked process, its spill file copied once it is done."""
    if len(parts) <= 1:
        for a, b in parts:
            rows, n = _rows(prep, a, b, top_k, opts, proposers)
            with _writing(sink.target):
                sink.file.write(rows)
            yield n
        return
    log.info("scoring %d innovations in %d processes", len(prep.innovations), len(parts))
    one = replace(opts, workers=1)
    running = [Forked(functools.partial(_spilled, prep, a, b, top_k, one, proposers, path, sink.target))
               for (a, b), path in zip(parts, sink.spill, strict=True)]
    try:
        for part, path in zip(running, sink.spill, strict=True):
            n = part.result()
            with _writing(sink.target), open(path, "rb") as rows:
                shutil.copyfileobj(rows, sink.file, 1 << 22)
            path.unlink()
            yield n
    finally:
        for part in running:
            part.cancel()


def _spilled(prep: Prepared, a: int, b: int, top_k: int, opts: Options, proposers: bool, path: Path,
             target: Path) -> int:
    """_rows written to `path` (errors name `target`, the output); the number of rows."""
    rows, n = _rows(prep, a, b, top_k, opts, proposers)
    with _writing(target), open(path, "wb") as fh:
        fh.write(rows)
    return n


def _rows(prep: Prepared, a: int, b: int, top_k: int, opts: Options, proposers: bool) -> tuple[bytes, int]:
    """The CSV rows of innovations [a, b) (the queries of lift sources are read too)."""
    part = prep.with_queries(np.union1d(np.arange(a, b), prep.fb.sources), opts)
    if proposers:
        ranked = ranked_rows(part, a, b, top_k, opts, proposers=True)
        return output.csv_rows(ranked), len(ranked)
    columns = ranked_columns(part, a, b, top_k, opts)
    return output.csv_rows_of(columns), len(columns["rank"])
