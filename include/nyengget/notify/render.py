"""Emails: the `.txt` and `.html` of one message from the shared template environment."""

from __future__ import annotations

from nyengget.templates import environment


def render_pair(name: str, **context) -> tuple[str, str]:
    """Render `<name>.txt` and `<name>.html` with the same context: (text, html). `bappeda` (the sender
    agency's name, e.g. the region's `Region.bappeda`) defaults to the default region's."""
    if "bappeda" not in context:
        from nyengget.regions import default_region

        context["bappeda"] = default_region().bappeda
    env = environment()
    return env.get_template(f"{name}.txt").render(**context), env.get_template(f"{name}.html").render(**context)
