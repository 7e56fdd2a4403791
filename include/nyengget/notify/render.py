"""Emails: the `.txt` and `.html` of one message from the shared template environment."""

from __future__ import annotations

from nyengget.templates import environment


def render_pair(name: str, **context) -> tuple[str, str]:
    """Render `<name>.txt` and `<name>.html` with the same context: (text, html)."""
    env = environment()
    return env.get_template(f"{name}.txt").render(**context), env.get_template(f"{name}.html").render(**context)
