"""Recognise the header row (below any title rows) and map its columns to canonical fields."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from nyengget.registry import readers
from nyengget.registry.issues import wrong_width
from nyengget.registry.readers import Grid, Row, fail
from nyengget.registry.vocab import value_key


@dataclass(frozen=True)
class HeaderSpec:
    """Accepted header texts per field, and the fields a header row must have to be recognised."""

    kind: str
    aliases: dict[str, tuple[str, ...]]
    anchors: tuple[str, ...]

    @cached_property
    def _lookup(self) -> dict[str, str]:
        return {value_key(t): name for name, texts in self.aliases.items() for t in (name, *texts)}

    def field_for(self, header_text: str) -> str | None:
        """The canonical field of a header text (case-, space- and punctuation-insensitive)."""
        return self._lookup.get(value_key(header_text))


INNOVATION_HEADERS = HeaderSpec(
    kind="innovation",
    aliases={
        "innovation_id": ("id", "id inovasi", "kode inovasi", "no registrasi", "nomor registrasi"),
        "name": ("nama inovasi", "nama", "judul inovasi", "inovasi"),
        "opd": ("perangkat daerah", "nama perangkat daerah", "nama opd", "opd pengampu", "unit kerja"),
        "urusan": ("urusan pemerintahan", "urusan inovasi", "urusan pemerintahan inovasi"),
        "bentuk": ("bentuk inovasi", "bentuk inovasi daerah"),
        "jenis": ("jenis inovasi",),
        "tahapan": ("tahapan inovasi", "tahap inovasi", "tahap"),
        "description": ("deskripsi", "deskripsi inovasi", "uraian", "uraian inovasi", "ringkasan"),
        "tujuan": ("tujuan inovasi",),
        "manfaat": ("manfaat inovasi", "manfaat yang diperoleh"),
        "hasil": ("hasil inovasi", "hasil yang diperoleh"),
    },
    anchors=("name", "opd"),
)

OPD_HEADERS = HeaderSpec(
    kind="opd",
    aliases={
        "opd_code": ("code", "kode", "kode opd", "kode perangkat daerah"),
        "name": ("nama", "nama opd", "nama perangkat daerah", "perangkat daerah", "opd"),
        "short_name": ("singkatan", "nama singkat", "nama pendek", "akronim", "alias"),
        "emails": ("email", "e-mail", "surel", "alamat email", "alamat surel", "emails"),
        "kecamatan": ("wilayah kecamatan",),
        "paused": ("jeda", "dijeda", "ditunda"),
    },
    anchors=("opd_code", "name"),
)


@dataclass
class Sheet:
    """The located table: header texts, field -> column index, and the data rows below the header."""

    source: str
    header: list[str]
    columns: dict[str, int]
    rows: list[Row]

    def raw(self, row: Row) -> dict[str, str]:
        """The row as header -> cell text (for quarantine.raw); unnamed or repeated headers get `_colN`."""
        out: dict[str, str] = {}
        for i, cell in enumerate(row.cells):
            name = self.header[i] if i < len(self.header) else ""
            out[name if name and name not in out else f"_col{i + 1}"] = cell
        return out

    def value(self, row: Row, name: str) -> str:
        i = self.columns.get(name)
        return row.cells[i] if i is not None and i < len(row.cells) else ""


def map_header(cells: list[str], spec: HeaderSpec) -> dict[str, int]:
    """Field -> column index for a candidate header row (first column wins for a repeated field)."""
    columns: dict[str, int] = {}
    for i, text in enumerate(cells):
        name = spec.field_for(text) if text else None
        if name and name not in columns:
            columns[name] = i
    return columns


def locate(grids: list[Grid], spec: HeaderSpec, source: str, path) -> Sheet:
    """Pick the grid and row whose header maps the most fields; raise when none is recognisable."""
    best: tuple[int, Grid, int, dict[str, int]] | None = None
    for grid in grids:
        for pos, row in enumerate(grid.rows[: readers.LIMITS.header_scan_rows]):
            columns = map_header(row.cells, spec)
            if all(a in columns for a in spec.anchors) and (best is None or len(columns) > best[0]):
                best = (len(columns), grid, pos, columns)
                break
    if best is None:
        wanted = " and ".join(spec.anchors)
        raise fail(path, f"no recognisable header row (need at least {wanted} columns)")
    _, grid, pos, columns = best
    header = _trim(grid.rows[pos].cells)
    rows = grid.rows[pos + 1 :]
    if len(rows) > readers.LIMITS.max_rows:
        raise fail(path, f"more than {readers.LIMITS.max_rows} data rows")
    if grid.check_width:
        for row in rows:
            _check_width(row, len(header))
    return Sheet(source, header, columns, rows)


def _trim(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]


def _check_width(row: Row, width: int) -> None:
    """CSV rows must have the header's number of fields (trailing empty cells are tolerated)."""
    if not any(row.cells) or row.issue:
        return
    found = len(row.cells)
    if found > width and not any(row.cells[width:]):
        row.cells = row.cells[:width]
        found = width
    if found != width:
        row.issue = wrong_width(found, width)
