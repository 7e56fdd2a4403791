"""End to end in headless Chromium (Debian's package) against the real Airflow api-server.

Logs in on Airflow's login page, filters, marks an item "Tidak relevan" with a reason, rebuilds the
next week and sees the item gone. With NYENGGET_UPDATE_SCREENSHOTS=1 the screenshots go to docs/.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from airflow_server import PASSWORDS, REPO
from review_helpers import W49

from factories import W48
from nyengget.review import links
from nyengget.weekly.build import build_week
from nyengget.weekly.matches import run_matching

pytestmark = pytest.mark.slow
CHROMIUM = Path(os.environ.get("NYENGGET_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} missing: CI must `apt-get install -y chromium`")
        pytest.skip(f"{CHROMIUM} missing (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def shots(tmp_path: Path):
    """Where screenshots go; copied to docs/ on request."""
    yield tmp_path
    if os.environ.get("NYENGGET_UPDATE_SCREENSHOTS") == "1":
        for png in tmp_path.glob("*.png"):
            shutil.copy(png, REPO / "docs" / png.name)


def login(page, base: str, user: str) -> None:
    page.goto(f"{base}/nyengget/?week=2026-W48")
    page.wait_for_url("**/auth/login**")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORDS[user])
    page.click("button[type=submit]")
    page.wait_for_url("**/nyengget/**")


def test_planner_dismisses_an_item_and_it_is_gone_next_week(airflow, browser, shots):
    server, engine = airflow
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(20_000)
    login(page, server.url, "perencana")
    assert "Daftar peluang pekan 2026-W48" in page.text_content("h1")

    page.select_option("select[name=opd]", "DINKES")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**opd=DINKES**")
    cards = page.locator("article.card")
    assert cards.count() >= 1
    assert all("(DINKES" in text for text in cards.all_inner_texts())
    assert page.locator("article[data-pair='I2|P2']").count() == 0
    page.screenshot(path=str(shots / "review-list.png"), full_page=True)

    card = page.locator("article[data-pair='I1|P1']")
    card.locator("summary").click()
    card.locator("select[name=status]").select_option("tidak_relevan")
    card.locator("select[name=reason]").select_option("bukan_kewenangan")
    card.locator("textarea[name=note]").fill("Ditangani Dinas Sosial")
    card.locator("button[type=submit]").click()
    page.wait_for_url("**ok=1**")
    assert "Keputusan tersimpan" in page.content()
    assert "Tidak relevan" in page.locator("article[data-pair='I1|P1'] .status").inner_text()

    page.click("article[data-pair='I1|P1'] h3 a")
    page.wait_for_url("**/nyengget/item?**")
    assert "Ditangani Dinas Sosial" in page.content() and "perencana" in page.content()
    page.screenshot(path=str(shots / "review-detail.png"), full_page=True)

    run_matching(engine, W49)
    build_week(engine, W49)
    page.goto(f"{server.url}/nyengget/?week=2026-W49")
    assert page.locator("article.card").count() >= 1
    assert page.locator("article[data-pair='I1|P1']").count() == 0

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                storage_state=context.storage_state())
    mobile = phone.new_page()
    mobile.goto(f"{server.url}/nyengget/?week=2026-W48")
    mobile.screenshot(path=str(shots / "review-phone.png"), full_page=True)
    phone.close()
    context.close()


def test_an_opd_user_sees_only_its_items_in_the_browser(airflow, browser, shots):
    server, _ = airflow
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(20_000)
    login(page, server.url, "dinkes")
    assert page.locator("article[data-pair='I2|P2']").count() == 0
    assert page.locator("article.card").count() >= 1
    assert page.locator("select[name=opd]").count() == 0
    token = links.make_token(links.DismissLink(W48, "I1", "P3", "DINKES"))
    page.goto(f"{server.url}/nyengget/tautan/{token}")
    assert "Konfirmasi: tidak relevan" in page.content()
    page.screenshot(path=str(shots / "review-email-link.png"), full_page=True)
    context.close()
