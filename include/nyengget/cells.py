"""The one rule for text cells the project writes to XLSX or CSV: never a formula.

A spreadsheet treats text starting with `=`, `+`, `-`, `@` (and, in some, a tab or carriage return) as a
formula or DDE command (OWASP "CSV injection"); such text gets a leading apostrophe, which Excel and
LibreOffice show as text and do not evaluate.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """`value` unchanged unless it is text a spreadsheet would evaluate; then prefixed with `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
