"""Jinja2 rendering with autoescape on for HTML; Indonesian filters for dates and rupiah."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from nyengget import fmt
from nyengget.forecast.calendar import describe


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("nyengget.notify", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(tanggal=fmt.tanggal, rupiah=fmt.rupiah, pagu=fmt.pagu, sisa_hari=fmt.sisa_hari,
                       alasan=fmt.alasan)
    env.globals.update(jadwal=describe)
    return env


def render_pair(name: str, **context) -> tuple[str, str]:
    """Render `<name>.txt` and `<name>.html` with the same context: (text, html). `bappeda` (the sender
    agency's name, e.g. the region's `Region.bappeda`) defaults to the default region's."""
    if "bappeda" not in context:
        from nyengget.regions import default_region

        context["bappeda"] = default_region().bappeda
    env = environment()
    return env.get_template(f"{name}.txt").render(**context), env.get_template(f"{name}.html").render(**context)
