"""Bad inputs at the HTTP level, each against a real server on 127.0.0.1 (pytest-httpserver)."""

from __future__ import annotations

import time

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response as WResponse

from nyengget.sources.fetch import Fetcher, FetchError, FetchPolicy


def no_robots_txt(httpserver: HTTPServer) -> None:
    """A host without robots.txt (404: everything allowed, RFC 9309 §2.3.1.3)."""
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)


def _fetcher(snapshots, policy: FetchPolicy) -> Fetcher:
    return Fetcher(snapshots, "test", policy)


def test_http_500_retried_then_recorded(httpserver: HTTPServer, snapshots, fast_policy) -> None:
    no_robots_txt(httpserver)
    httpserver.expect_request("/page").respond_with_data("boom", status=500)
    with pytest.raises(FetchError) as err:
        _fetcher(snapshots, fast_policy).get(httpserver.url_for("/page"))
    assert err.value.kind == "http_status" and err.value.status == 500
    assert len([r for r, _ in httpserver.log if r.path == "/page"]) == fast_policy.retries + 1
    assert snapshots.body(err.value.sha256) == b"boom"  # the error body is kept as a snapshot


def test_429_with_retry_after_is_honoured(httpserver: HTTPServer, snapshots, fast_policy) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_oneshot_request("/busy").respond_with_data("slow down", status=429, headers={"Retry-After": "1"})
    httpserver.expect_oneshot_request("/busy").respond_with_data("<html><body><p>ok</p></body></html>",
                                                                 content_type="text/html")
    start = time.monotonic()
    resp = _fetcher(snapshots, fast_policy).get(httpserver.url_for("/busy"))
    assert resp.status == 200 and b"ok" in resp.body
    assert time.monotonic() - start >= 0.9  # waited as told, not the tiny backoff


def test_timeout(httpserver: HTTPServer, snapshots, fast_policy) -> None:
    no_robots_txt(httpserver)
    def slow(_request):
        time.sleep(0.8)
        return WResponse("late", status=200)

    httpserver.expect_request("/slow").respond_with_handler(slow)
    policy = FetchPolicy(**{**fast_policy.__dict__, "retries": 0, "read_timeout": 0.2})
    with pytest.raises(FetchError) as err:
        _fetcher(snapshots, policy).get(httpserver.url_for("/slow"))
    assert err.value.kind == "timeout"


def test_redirect_loop(httpserver: HTTPServer, snapshots, fast_policy) -> None:
    no_robots_txt(httpserver)
    httpserver.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    with pytest.raises(FetchError) as err:
        _fetcher(snapshots, fast_policy).get(httpserver.url_for("/a"))
    assert err.value.kind == "redirects"


def test_zero_byte_body(httpserver: HTTPServer, snapshots, fast_policy) -> None:
    no_robots_txt(httpserver)
    httpserver.expect_request("/empty").respond_with_data(b"", content_type="text/html")
    with pytest.raises(FetchError) as err:
        _fetcher(snapshots, fast_policy).get(httpserver.url_for("/empty"))
    assert err.value.kind == "empty"


def test_body_over_size_limit(httpserver: HTTPServer, snapshots, fast_policy) -> None:
    no_robots_txt(httpserver)
    httpserver.expect_request("/big").respond_with_data(b"x" * (fast_policy.max_bytes + 1))

    def chunked(_request):
        return WResponse((b"y" * 8192 for _ in range(20)), status=200)  # no Content-Length

    httpserver.expect_request("/stream").respond_with_handler(chunked)
    for path in ("/big", "/stream"):
        with pytest.raises(FetchError) as err:
            _fetcher(snapshots, fast_policy).get(httpserver.url_for(path))
        assert err.value.kind == "too_large"


@pytest.mark.parametrize("page", [
    "<html><head><title>Login - Portal</title></head><body><form><input type='password' name='p'></form></body></html>",
    "<html><head><title>404 Halaman tidak ditemukan</title></head><body><h1>Oops</h1></body></html>",
    "<html><head><title>Sedang dalam perbaikan</title></head><body>Maintenance</body></html>",
])
def test_200_error_or_login_page(httpserver: HTTPServer, snapshots, fast_policy, page: str) -> None:
    no_robots_txt(httpserver)
    httpserver.expect_request("/p").respond_with_data(page, content_type="text/html")
    with pytest.raises(FetchError) as err:
        _fetcher(snapshots, fast_policy).get(httpserver.url_for("/p"))
    assert err.value.kind == "error_page"


def test_conditional_get_and_snapshot_metadata(httpserver: HTTPServer, snapshots, fast_policy) -> None:
    no_robots_txt(httpserver)
    body = "<html><body><p>Pengumuman bantuan</p></body></html>"
    httpserver.expect_request("/c", headers={"If-None-Match": '"v1"'}).respond_with_data("", status=304)
    httpserver.expect_request("/c").respond_with_data(body, content_type="text/html", headers={"ETag": '"v1"'})
    first = _fetcher(snapshots, fast_policy)
    r1 = first.get(httpserver.url_for("/c"))
    first.save_state("2026-W47")
    second = _fetcher(snapshots, fast_policy)
    r2 = second.get(httpserver.url_for("/c"))
    assert not r1.not_modified and r2.not_modified and r2.body == r1.body and second.not_modified == 1
    observations = snapshots.get_json(snapshots.blob_key(r1.sha256) + ".json")
    assert {o["status"] for o in observations} == {200, 304}
    assert all(o["url"].endswith("/c") and o["fetched_at"] and "headers" in o for o in observations)


def test_robots_txt_is_respected(httpserver: HTTPServer, snapshots, fast_policy) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n")
    with pytest.raises(FetchError) as err:
        _fetcher(snapshots, fast_policy).get(httpserver.url_for("/private/x"))
    assert err.value.kind == "robots"


def test_user_agent_and_politeness_delay(httpserver: HTTPServer, snapshots, fast_policy) -> None:
    no_robots_txt(httpserver)
    httpserver.expect_request("/ua").respond_with_data("<html><body>ok</body></html>", content_type="text/html")
    policy = FetchPolicy(**{**fast_policy.__dict__, "min_delay_s": 0.3, "polite_loopback": True})
    fetcher = _fetcher(snapshots, policy)
    start = time.monotonic()
    fetcher.get(httpserver.url_for("/ua"), conditional=False)
    fetcher.get(httpserver.url_for("/ua"), conditional=False)
    assert time.monotonic() - start >= 0.3
    request = [r for r, _ in httpserver.log if r.path == "/ua"][0]
    assert request.headers["User-Agent"].startswith("NyenggetBot/")
