"""Field-level normalisation and validation: lenient on case and spacing, strict on meaning."""

from __future__ import annotations

import hashlib
import json
import re

from email_validator import EmailNotValidError, validate_email

from nyengget.registry import issues
from nyengget.registry.issues import Issue
from nyengget.registry.vocab import Vocabulary, vocab

FORMULA_ERRORS = frozenset(
    {"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#SPILL!", "#CALC!"}
)
MAX_CHARS = {
    "innovation_id": 80,
    "name": 300,
    "opd": 200,
    "description": 10_000,
    "opd_code": 40,
    "short_name": 80,
    "kecamatan": 80,
}
_SPACE = re.compile(r"\s+")
_URUSAN_SPLIT = re.compile(r"[;|\n]+")
_KEC_PREFIX = re.compile(r"^\s*(kecamatan\s+|kec\.\s*|kec\s+)", re.IGNORECASE)
_EMAIL_SPLIT = re.compile(r"[;,\s]+")
TRUE_WORDS = frozenset({"true", "ya", "yes", "y", "1", "benar", "jeda"})
FALSE_WORDS = frozenset({"false", "tidak", "no", "n", "0", "salah", ""})


def clean(text: str) -> str:
    """Collapse runs of whitespace (line breaks from Alt+Enter, non-breaking spaces) to one space."""
    return _SPACE.sub(" ", text.replace("\u00a0", " ")).strip()


def check_text(field: str, text: str, *, required: bool) -> Issue | None:
    """Problems of a free-text field: missing, an Excel formula error, or too long."""
    if not text:
        return issues.required(field) if required else None
    if text in FORMULA_ERRORS:
        return issues.formula_error(field, text)
    limit = MAX_CHARS.get(field)
    if limit and len(text) > limit:
        return issues.too_long(field, limit)
    return None


def enum_value(field: str, text: str) -> tuple[str | None, Issue | None]:
    """Canonical tahapan / jenis / bentuk / kecamatan, or the reason it is not one."""
    if not text:
        return None, issues.required(field)
    words = vocab(field)
    value = words.canonical(text)
    return (value, None) if value else (None, issues.not_in_list(field, text, words.values))


def kecamatan_value(text: str, kecamatan: tuple[str, ...] | None = None) -> tuple[str | None, Issue | None]:
    """One of the region's kecamatan (`regions.yaml`; default: the default region's); `Kecamatan X` and
    `Kec. X` are accepted for X."""
    if kecamatan is None:
        from nyengget.regions import default_region

        kecamatan = default_region().kecamatan
    text = _KEC_PREFIX.sub("", text)
    if not text:
        return None, issues.required("kecamatan")
    words = Vocabulary("kecamatan", dict.fromkeys(kecamatan))
    value = words.canonical(text)
    return (value, None) if value else (None, issues.not_in_list("kecamatan", text, words.values))


def urusan_value(text: str) -> tuple[str | None, Issue | None]:
    """One or more urusan pemerintahan separated by `;`, canonicalised and joined with `;`."""
    parts = [clean(p) for p in _URUSAN_SPLIT.split(text) if clean(p)]
    if not parts:
        return None, issues.required("urusan")
    words = vocab("urusan")
    found: list[str] = []
    for part in parts:
        value = words.canonical(part)
        if value is None:
            return None, issues.not_in_list("urusan", part, words.values)
        if value not in found:
            found.append(value)
    return ";".join(found), None


def email_list(text: str) -> tuple[str | None, Issue | None]:
    """Addresses separated by `;`, `,` or spaces; each must be valid syntax. Joined with `;`."""
    addresses: list[str] = []
    for part in (p for p in _EMAIL_SPLIT.split(text) if p):
        try:
            address = validate_email(part, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            return None, Issue(
                "emails", f"Alamat email '{part}' tidak valid", f"invalid e-mail address '{part}': {exc}"
            )
        if address.lower() not in {a.lower() for a in addresses}:
            addresses.append(address)
    if not addresses:
        return None, issues.required("emails")
    return ";".join(addresses), None


def flag_value(field: str, text: str) -> tuple[bool, Issue | None]:
    """true/false, ya/tidak, yes/no, 1/0 (empty = false)."""
    word = text.strip().casefold()
    if word in TRUE_WORDS:
        return True, None
    if word in FALSE_WORDS:
        return False, None
    return False, Issue(
        field,
        f"Nilai {field} '{text}' harus true/false (ya/tidak)",
        f"{field} '{text}' must be true or false",
    )


def content_hash(values: dict[str, object]) -> str:
    """sha256 of the normalised fields (stable key order), to tell unchanged rows from changed ones."""
    text = json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
