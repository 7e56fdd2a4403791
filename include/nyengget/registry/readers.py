"""Read CSV, XLSX and YAML files safely into grids of text cells, whatever shape people gave them.

A grid keeps the row numbers a person sees (spreadsheet row, or CSV record number counting the
header and any title rows). Files that cannot be read at all raise `InputFileError` naming the file.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import charset_normalizer
import yaml
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from nyengget.errors import InputFileError
from nyengget.registry.issues import Issue, not_text

MiB = 1024 * 1024
DELIMITERS = (",", ";", "\t", "|")
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Limits:
    """Bounds against hostile or runaway files."""

    max_file_bytes: int = 20 * MiB
    max_rows: int = 20_000
    max_columns: int = 200
    max_field_chars: int = 100_000
    max_xlsx_uncompressed: int = 64 * MiB
    max_xlsx_ratio: int = 200
    max_xlsx_members: int = 1_000
    header_scan_rows: int = 30


LIMITS = Limits()


@dataclass
class Row:
    number: int
    cells: list[str]
    issue: Issue | None = None


@dataclass
class Grid:
    """One candidate table: a CSV parse with one delimiter, one worksheet, or a YAML list."""

    label: str
    rows: list[Row]
    check_width: bool = False
    header: list[str] | None = field(default=None)


def fail(path: Path, message: str) -> InputFileError:
    return InputFileError(f"{path.name}: {message}")


def read_grids(path: Path, *, allow_yaml: bool = False) -> list[Grid]:
    """All candidate grids of the file (the caller picks the one with a recognisable header)."""
    data = _read_bytes(path)
    if data.startswith(b"PK\x03\x04"):
        return read_xlsx(path, data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise fail(path, "old binary Excel (.xls) is not supported; save it as .xlsx or CSV")
    if data.startswith(b"%PDF"):
        raise fail(path, "a PDF file, not CSV or XLSX")
    text = decode_text(path, data)
    if allow_yaml and path.suffix.lower() in YAML_SUFFIXES:
        return [read_yaml(path, text)]
    return read_csv(path, text)


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > LIMITS.max_file_bytes:
            raise fail(path, f"file is {size} bytes, over the limit of {LIMITS.max_file_bytes}")
        data = path.read_bytes()
    except OSError as exc:
        raise fail(path, f"cannot open file ({exc.strerror or exc})") from exc
    if not data.strip():
        raise fail(path, "file is empty")
    return data


def decode_text(path: Path, data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, windows-1252, else charset detection."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(path, data, "utf-16")
    if data.startswith(codecs.BOM_UTF8):
        return _decode(path, data[len(codecs.BOM_UTF8) :], "utf-8")
    _reject_binary(path, data[:65536])
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise fail(path, "binary content or unknown text encoding")
    return str(best)


def _decode(path: Path, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise fail(path, f"not valid {encoding} text at byte {exc.start}") from exc


def _reject_binary(path: Path, head: bytes) -> None:
    controls = sum(1 for b in head if b < 9 or 13 < b < 32 or b == 127)
    if b"\x00" in head or controls > len(head) // 100:
        raise fail(path, "binary content, not a CSV or XLSX file")


# --- CSV -----------------------------------------------------------------------------------------


def read_csv(path: Path, text: str) -> list[Grid]:
    """One grid per plausible delimiter; the header decides which parse is right."""
    candidates = [d for d in DELIMITERS if d in text] or [","]
    return [_parse_csv(path, text, d) for d in candidates]


def _parse_csv(path: Path, text: str, delimiter: str) -> Grid:
    rows: list[Row] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=1):
            if number > LIMITS.max_rows + LIMITS.header_scan_rows + 1:
                raise fail(path, f"more than {LIMITS.max_rows} rows")
            rows.append(Row(number, [c.strip() for c in cells[: LIMITS.max_columns + 1]]))
    except csv.Error as exc:
        raise fail(path, f"CSV syntax error near line {reader.line_num}: {exc}") from exc
    label = {"\t": "tab"}.get(delimiter, delimiter)
    return Grid(f"csv delimiter {label!r}", rows, check_width=True)


# --- XLSX ----------------------------------------------------------------------------------------


def read_xlsx(path: Path, data: bytes) -> list[Grid]:
    """One grid per visible worksheet, after checking the zip and its XML (no DTD, bounded size)."""
    check_xlsx_container(path, data)
    import openpyxl  # heavy; only when an XLSX arrives

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True, keep_links=False)
    except Exception as exc:  # noqa: BLE001 - any parser failure means "cannot read"
        raise fail(path, f"cannot read the workbook ({type(exc).__name__}: {exc})") from exc
    grids = [_sheet_grid(path, ws) for ws in book.worksheets if ws.sheet_state == "visible"]
    return grids or [_sheet_grid(path, ws) for ws in book.worksheets]


def check_xlsx_container(path: Path, data: bytes) -> None:
    """Reject zip bombs, non-XLSX zips and XML with a DTD (XXE, entity expansion) before openpyxl."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise fail(path, "damaged zip/XLSX file") from exc
    infos = zf.infolist()
    if len(infos) > LIMITS.max_xlsx_members:
        raise fail(path, f"XLSX has {len(infos)} parts, over the limit of {LIMITS.max_xlsx_members}")
    if "xl/workbook.xml" not in zf.namelist():
        raise fail(path, "a zip file but not an XLSX workbook")
    total = sum(i.file_size for i in infos)
    if total > LIMITS.max_xlsx_uncompressed:
        raise fail(path, f"XLSX expands to {total} bytes, over the limit of {LIMITS.max_xlsx_uncompressed}")
    for info in infos:
        if info.file_size > MiB and info.file_size > LIMITS.max_xlsx_ratio * max(info.compress_size, 1):
            raise fail(path, f"XLSX part {info.filename} has a suspicious compression ratio (zip bomb?)")
    for info in infos:
        if info.filename.endswith((".xml", ".rels", ".vml")):
            _check_xml(path, zf, info)


def _check_xml(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    try:
        with zf.open(info) as stream:
            for _event, elem in iterparse(
                stream, forbid_dtd=True, forbid_entities=True, forbid_external=True
            ):
                elem.clear()
    except DefusedXmlException as exc:
        raise fail(path, f"XLSX part {info.filename} declares a DTD or entities (refused)") from exc
    except Exception as exc:  # noqa: BLE001 - malformed XML, CRC errors, ...
        raise fail(path, f"XLSX part {info.filename} is not well-formed ({exc})") from exc


def _sheet_grid(path: Path, ws) -> Grid:
    """Cells as text, merged ranges filled with their top-left value, only rows that hold data."""
    values: dict[int, dict[int, str]] = {}
    # `_cells` holds only the cells present in the file; iterating max_row x max_column could be
    # millions of formatted-but-empty cells.
    for (r, c), cell in ws._cells.items():  # noqa: SLF001
        text = cell_text(cell.value)
        if text and c <= LIMITS.max_columns:
            values.setdefault(r, {})[c] = text
    if len(values) > LIMITS.max_rows + LIMITS.header_scan_rows:
        raise fail(path, f"sheet {ws.title!r} has more than {LIMITS.max_rows} rows")
    _fill_merged(ws, values)
    rows = [Row(r, [cols.get(c, "") for c in range(1, max(cols) + 1)]) for r, cols in sorted(values.items())]
    return Grid(f"sheet {ws.title!r}", rows)


def _fill_merged(ws, values: dict[int, dict[int, str]]) -> None:
    last_row = max(values, default=0)
    for rng in ws.merged_cells.ranges:
        top = values.get(rng.min_row, {}).get(rng.min_col)
        if not top:
            continue
        for r in range(rng.min_row, min(rng.max_row, last_row) + 1):
            for c in range(rng.min_col, min(rng.max_col, LIMITS.max_columns) + 1):
                values.setdefault(r, {})[c] = top


def cell_text(value: object) -> str:
    """A cell value as people read it: integers without `.0`, dates as ISO, text stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


# --- YAML ----------------------------------------------------------------------------------------


def read_yaml(path: Path, text: str) -> Grid:
    """A YAML list of mappings (or `{opds: [...]}`) as a grid; row numbers are the entries' lines."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise fail(path, f"YAML syntax error: {exc}") from exc
    if isinstance(root, yaml.MappingNode) and len(root.value) == 1:
        root = root.value[0][1]
    if not isinstance(root, yaml.SequenceNode):
        raise fail(path, "YAML must be a list of entries (or a mapping with one list)")
    if len(root.value) > LIMITS.max_rows:
        raise fail(path, f"more than {LIMITS.max_rows} entries")
    entries = [(node.start_mark.line + 1, _yaml_entry(node)) for node in root.value]
    header: list[str] = []
    for _line, entry in entries:
        header += [k for k in entry if k not in header]
    rows = [
        Row(line, [_yaml_cell(entry.get(k)) for k in header], _yaml_issue(entry)) for line, entry in entries
    ]
    return Grid("yaml", [Row(0, header), *rows], header=header)


def _yaml_entry(node: yaml.Node) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _yaml_cell(node: yaml.Node | None) -> str:
    if isinstance(node, yaml.ScalarNode):
        return "" if node.tag.endswith(":null") else str(node.value).strip()
    if isinstance(node, yaml.SequenceNode) and all(isinstance(n, yaml.ScalarNode) for n in node.value):
        return ";".join(str(n.value).strip() for n in node.value)
    return ""


def _yaml_issue(entry: dict[str, yaml.Node]) -> Issue | None:
    if not entry:
        return Issue(None, "Entri YAML harus berupa pasangan kunci: nilai", "YAML entry must be a mapping")
    for key, node in entry.items():
        if not isinstance(node, yaml.ScalarNode) and _yaml_cell(node) == "":
            if not (isinstance(node, yaml.SequenceNode) and not node.value):
                return not_text(key)
    return None
