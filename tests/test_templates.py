"""One template environment for emails, reports and the review page."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources

import pytest
from jinja2 import UndefinedError

from nyengget.templates import TEMPLATE_PACKAGES, environment, render


def _names(package: str) -> set[str]:
    return {p.name for p in resources.files(package).joinpath("templates").iterdir() if p.is_file()}


def test_a_template_name_lives_in_one_folder_only():
    seen: dict[str, str] = {}
    for package in TEMPLATE_PACKAGES:
        for name in _names(package):
            assert name not in seen, f"{name} is in both {seen[name]} and {package}: the loader would hide one"
            seen[name] = package
    assert {"summary.txt", "report.html", "detail.html"} <= set(environment().list_templates())


def test_filters_are_registered_once_for_every_kind_of_template():
    env = environment()
    assert environment() is env
    assert env.from_string("{{ 1500000 | rupiah }}").render() == "Rp1,5 juta"
    assert env.from_string("{{ m | waktu }}").render(m=datetime(2026, 11, 30, 1, 0, tzinfo=UTC)) == \
        "2026-11-30 08:00 WIB"


def test_html_is_escaped_and_text_is_not():
    env = environment()
    assert env.autoescape("summary.html") and not env.autoescape("summary.txt")
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
    page = render("link_done.html", root="", already=False, programme_title="<script>x</script>",
                  innovation_name="Inovasi", week_label="2026-W48", scope=None,
                  bappeda="Bappeda Kota Contoh")
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x" not in page


def test_a_dict_reads_as_jinja_reads_it():
    """Keys by dot, the dict's own methods first (`d.items` is the method even with an "items" key), a
    missing key is an error (StrictUndefined), and other objects keep attribute-then-item."""
    env = environment()
    d = {"name": "Dinkes", "items": "key", "nested": {"a": 1}}
    assert env.from_string("{{ d.name }} {{ d.nested.a }} {{ d['items'] }}").render(d=d) == "Dinkes 1 key"
    assert env.from_string("{{ d.items() | list | length }} {{ d.get('x', 0) }}").render(d=d) == "3 0"
    with pytest.raises(UndefinedError, match="no attribute 'missing'"):
        env.from_string("{{ d.missing }}").render(d=d)

    class Row(dict):
        label = "attribute"

    assert env.from_string("{{ r.label }} {{ r.other }}").render(r=Row(label="item", other="x")) == "attribute x"
