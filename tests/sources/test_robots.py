"""robots.txt through protego (RFC 9309), against a real server on 127.0.0.1 (pytest-httpserver)."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from nyengget.sources.fetch import Fetcher, FetchError, is_transient

PAGE = "<html><body><p>Pengumuman bantuan</p></body></html>"


def _fetcher(snapshots, policy) -> Fetcher:
    return Fetcher(snapshots, "test", policy)


def _pages(httpserver: HTTPServer) -> list[str]:
    return [r.path for r, _ in httpserver.log if r.path != "/robots.txt"]


def test_wildcard_and_end_anchor_rules(httpserver: HTTPServer, snapshots, fast_policy) -> None:
    """`*` and `$` (RFC 9309 §2.2.3) and the longest match winning (§2.2.2); the stdlib parser reads
    `/*.pdf$` as a literal prefix and would allow the PDF."""
    httpserver.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /*.pdf$\nDisallow: /arsip/\nAllow: /arsip/*/publik\n")
    httpserver.expect_request("/juknis/dak.pdf").respond_with_data(b"%PDF-1.4", content_type="application/pdf")
    for path in ("/juknis/dak.pdf.html", "/arsip/2026/publik"):
        httpserver.expect_request(path).respond_with_data(PAGE, content_type="text/html")
    fetcher = _fetcher(snapshots, fast_policy)
    for path in ("/juknis/dak.pdf", "/arsip/2026/rahasia"):
        with pytest.raises(FetchError) as err:
            fetcher.get(httpserver.url_for(path), check_page=False)
        assert err.value.kind == "robots"
    assert fetcher.get(httpserver.url_for("/juknis/dak.pdf.html")).status == 200
    assert fetcher.get(httpserver.url_for("/arsip/2026/publik")).status == 200
    assert _pages(httpserver) == ["/juknis/dak.pdf.html", "/arsip/2026/publik"]


def test_rules_for_our_user_agent(httpserver: HTTPServer, snapshots, fast_policy) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data(
        "User-agent: NyenggetBot\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
    with pytest.raises(FetchError) as err:
        _fetcher(snapshots, fast_policy).get(httpserver.url_for("/p"))
    assert err.value.kind == "robots" and _pages(httpserver) == []


@pytest.mark.parametrize("status", [500, 503])
def test_5xx_on_robots_txt_means_try_later(httpserver: HTTPServer, snapshots, fast_policy, status) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("down", status=status)
    httpserver.expect_request("/p").respond_with_data(PAGE, content_type="text/html")
    fetcher = _fetcher(snapshots, fast_policy)
    for path in ("/p", "/p"):
        with pytest.raises(FetchError) as err:
            fetcher.get(httpserver.url_for(path))
        assert err.value.kind == "http_status" and err.value.status == status
        assert is_transient(str(err.value)), str(err.value)  # the task retries; never "allowed"
    assert _pages(httpserver) == []
    robots = [r for r, _ in httpserver.log if r.path == "/robots.txt"]
    assert len(robots) == fast_policy.retries + 1  # retried once per run, then remembered for the run


def test_404_on_robots_txt_allows_everything(httpserver: HTTPServer, snapshots, fast_policy) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("not here", status=404)
    httpserver.expect_request("/p").respond_with_data(PAGE, content_type="text/html")
    assert _fetcher(snapshots, fast_policy).get(httpserver.url_for("/p")).status == 200


def test_a_redirected_robots_txt_is_followed(httpserver: HTTPServer, snapshots, fast_policy) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=301, headers={"Location": "/r.txt"})
    httpserver.expect_request("/r.txt").respond_with_data("User-agent: *\nDisallow: /private\n")
    with pytest.raises(FetchError) as err:
        _fetcher(snapshots, fast_policy).get(httpserver.url_for("/private/x"))
    assert err.value.kind == "robots"


def test_an_unreachable_robots_txt_is_transient(snapshots, fast_policy) -> None:
    with pytest.raises(FetchError) as err:
        _fetcher(snapshots, fast_policy).get("http://127.0.0.1:9/p")  # discard port: nothing listens
    assert err.value.kind in ("connection", "timeout") and is_transient(str(err.value))
