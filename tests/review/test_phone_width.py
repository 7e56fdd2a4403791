"""At 360 px (a small phone) nothing scrolls sideways: the list, the detail, the calendar, an OPD's
email and the HTML report, in headless Chromium. Screenshots go to docs/ with
NYENGGET_UPDATE_SCREENSHOTS=1."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from test_browser import browser, login, shots  # noqa: F401 - fixtures shared with the browser test

from factories import W48
from nyengget.config import get_settings
from nyengget.notify.digest import load_opds, opd_digests
from nyengget.pipeline.weekly import render_reports
from nyengget.weekly import feedback
from nyengget.weekly.build import load_week
from nyengget.weeks import JAKARTA

pytestmark = pytest.mark.slow
PHONE = {"viewport": {"width": 360, "height": 780}, "is_mobile": True, "locale": "id-ID"}
SENT = datetime.combine(W48, time(6), tzinfo=JAKARTA)


def assert_fits(page, what: str) -> None:
    width = page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
    assert width <= 360, f"{what} is {width} px wide at 360 px"


@pytest.fixture
def phone(airflow, browser):  # noqa: F811
    server, _ = airflow
    desktop = browser.new_context()
    page = desktop.new_page()
    page.set_default_timeout(20_000)
    login(page, server.url, "perencana")
    context = browser.new_context(**PHONE, storage_state=desktop.storage_state())
    desktop.close()
    yield context
    context.close()


def test_review_pages_fit_a_360_px_phone(airflow, phone, shots):  # noqa: F811
    server, engine = airflow
    # A decision trail and a change, as a real item has them (the detail's history must fit too).
    feedback.record(engine, feedback.Decision(W48, "I1", "P1", "tidak_relevan", "perencana.bappeda.kota.serang",
                                              reason="sudah_didanai_sumber_lain",
                                              note="Sudah didanai APBD perubahan 2026 melalui DPA Dinkes"))
    feedback.record(engine, feedback.Decision(W48, "I1", "P1", "sedang_diusulkan", "dinkes", assigned_opd="DINKES"))
    page = phone.new_page()
    for name, path in (("phone-list", "/nyengget/?week=2026-W48"),
                       ("phone-detail", "/nyengget/item?week=2026-W48&innovation_id=I1&programme_id=P1"),
                       ("phone-calendar", "/nyengget/kalender?week=2026-W48&tahun=2027")):
        page.goto(server.url + path)
        page.wait_for_load_state()
        assert "Bappeda Kota Serang" in page.title()  # logged in, not the login page
        assert_fits(page, name)
        page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    assert page.locator("section.month").count() == 12  # the calendar's year view


def test_email_and_report_fit_a_360_px_phone(airflow, browser, shots, tmp_path):  # noqa: F811
    _, engine = airflow
    settings = get_settings()
    week = load_week(engine, W48)
    msgs = opd_digests(week, load_opds(engine), W48, settings, sent_at=SENT, backlog=True)
    assert msgs
    _, report = render_reports(engine, week, W48, settings, as_of=W48)
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_content(msgs[0].message.get_body(("html",)).get_content())
    assert_fits(page, "the OPD email")
    page.screenshot(path=str(shots / "phone-email.png"), full_page=True)
    page.goto(report.as_uri())
    assert_fits(page, "the HTML report")
    page.screenshot(path=str(shots / "phone-report.png"), full_page=True)
    context.close()
