"""The one Jinja2 environment of emails, reports and the review page, with its filters registered once.

Templates live beside the code that renders them (`notify/templates`, `report/templates`,
`review/templates`) and are found by name through one loader; a name may exist in only one folder
(tests/test_templates.py). Autoescape is on for `.html` and strings, off for the `.txt` of emails;
an undefined variable is an error, never an empty string.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from urllib.parse import urlencode

from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined, select_autoescape

from nyengget import fmt
from nyengget.decisions import OPD_SCOPES, REASONS, SCOPES, STATUSES
from nyengget.forecast.calendar import describe
from nyengget.urls import web_url
from nyengget.weeks import JAKARTA, week_label

TEMPLATE_PACKAGES = ("nyengget.notify", "nyengget.report", "nyengget.review")


def safe_url(url: str | None) -> str:
    """Only http(s) links (`nyengget.urls.web_url`); anything else (javascript:, data:) becomes `#`."""
    return web_url(url) or "#"


def waktu(moment: datetime | None) -> str:
    """A decision time in WIB (stored in UTC; SQLite gives it back without a zone)."""
    if moment is None:
        return "-"
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(JAKARTA).strftime("%Y-%m-%d %H:%M WIB")


def detail_href(it: dict) -> str:
    """App-relative link to an item's detail page."""
    return "/item?" + urlencode({"week": week_label(it["week_start"]), "innovation_id": it["innovation_id"],
                                 "programme_id": it["programme_id"], "region_code": it.get("region_code") or ""})


def query(params: dict) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


FILTERS = {
    "tanggal": fmt.tanggal, "rupiah": fmt.rupiah, "pagu": fmt.pagu, "sisa_hari": fmt.sisa_hari,
    "alasan": fmt.alasan, "berubah": fmt.bidang_berubah, "week_label": week_label, "safe_url": safe_url,
    "waktu": waktu, "status_label": lambda s: STATUSES.get(s, s or "Belum diputuskan"),
    "reason_label": lambda r: REASONS.get(r, r or ""),
    "scope_label": lambda s: SCOPES.get(s or "", ""),
}
GLOBALS = {"jadwal": describe, "bulan": fmt.bulan, "STATUSES": STATUSES, "REASONS": REASONS, "SCOPES": SCOPES,
           "OPD_SCOPES": OPD_SCOPES, "query": query,
           "detail_href": detail_href}


_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(Environment):
    def getattr(self, obj, attribute: str):
        """`obj.attribute` as Jinja reads it (an attribute, else the item), without raising and catching an
        AttributeError for each key of a plain dict (a fifth of rendering a digest): a plain dict has no
        attributes but its class's, so this is the same result."""
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Templates are read once per process (auto_reload off: they ship with the package)."""
    env = _Environment(
        loader=ChoiceLoader([PackageLoader(package, "templates") for package in TEMPLATE_PACKAGES]),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update(FILTERS)
    env.globals.update(GLOBALS)
    return env


def render(name: str, **context) -> str:
    return environment().get_template(name).render(**context)
