"""Make the README's pictures from a finished `make run`: one OPD email and the report's charts.

    .venv/bin/python scripts/readme_images.py [--week 2026-W48] [--opd dinkes]

Needs Debian's chromium (/usr/bin/chromium) for the email screenshot.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import subprocess
import tempfile
from pathlib import Path

from nyengget.config import REPO_ROOT, get_settings
from nyengget.report.html import chart_images
from nyengget.warehouse.db import get_engine
from nyengget.weekly.build import load_week
from nyengget.weeks import parse_week

DOCS = REPO_ROOT / "docs"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]


def email_png(eml: Path, out: Path) -> None:
    msg = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "email.html"
        page.write_text(msg.get_body(("html",)).get_content(), encoding="utf-8")
        subprocess.run(["/usr/bin/chromium", *CHROMIUM_FLAGS, f"--user-data-dir={tmp}/profile",
                        f"--screenshot={out}", "--window-size=760,1500", page.as_uri()],
                       check=True, capture_output=True, timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--week", default="2026-W48")
    parser.add_argument("--opd", default="dinkes")
    args = parser.parse_args()
    DOCS.mkdir(exist_ok=True)
    week_start = parse_week(args.week)
    for name, png in chart_images(load_week(get_engine(), week_start), week_start).items():
        (DOCS / f"report-{name}.png").write_bytes(png)
    eml = sorted(get_settings().outbox_dir.glob(f"{week_start}_opd_digest_{args.opd}@*.eml"))[0]
    email_png(eml, DOCS / "email-opd.png")
    print(f"pictures written to {DOCS}")


if __name__ == "__main__":
    main()
