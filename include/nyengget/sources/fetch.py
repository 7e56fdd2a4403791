"""The one fetcher every adapter uses.

Retries with exponential backoff on connection errors and 5xx, `Retry-After` on 429/503 (urllib3
`Retry` on a requests `HTTPAdapter`), connect/read timeouts, a redirect limit, a streamed body-size
cap, robots.txt (RFC 9309, through protego), conditional GET (ETag / Last-Modified), a minimum delay per host, and a raw
snapshot of every response. `RecordedFetcher` answers the same calls from stored snapshots.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
from protego import Protego
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from nyengget.sources.charset import decode
from nyengget.sources.pages import error_page_reason
from nyengget.sources.storage import Snapshots

log = logging.getLogger(__name__)
# one bot for every region served: the sources are shared, so no region is named here
USER_AGENT = "NyenggetBot/0.1 (Nyengget funding-opportunity pipeline; data-engineer)"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
_LAST_REQUEST: dict[str, float] = {}
_LOCK = threading.Lock()


@dataclass(frozen=True)
class FetchPolicy:
    """Fetch limits; tests pass tiny timeouts and backoffs instead of sleeping long."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    retries: int = 3
    backoff_factor: float = 1.0
    backoff_max: float = 60.0
    retry_after_max: float = 120.0
    max_redirects: int = 5
    max_bytes: int = 25 * 2**20
    min_delay_s: float = 1.0
    polite_loopback: bool = False
    respect_robots: bool = True
    user_agent: str = USER_AGENT


TRANSIENT_KINDS = ("timeout", "connection")
TRANSIENT_STATUS = re.compile(r"^http_status: .*: HTTP (408|425|429|5\d\d)\b")


def is_transient(error: str) -> bool:
    """Whether a recorded fetch error (`str(FetchError)`) may go away on a retry: network trouble,
    timeouts, 408/425/429 and 5xx. robots.txt, 404, error pages and changed layouts do not."""
    return error.split(":", 1)[0] in TRANSIENT_KINDS or bool(TRANSIENT_STATUS.match(error))


class FetchError(Exception):
    """A fetch that produced no usable document; `kind` is a short machine-readable code."""

    def __init__(self, kind: str, url: str, message: str, status: int | None = None,
                 sha256: str | None = None) -> None:
        super().__init__(f"{kind}: {url}: {message}")
        self.kind, self.url, self.message, self.status, self.sha256 = kind, url, message, status, sha256


@dataclass
class Response:
    """A fetched (or recorded) document."""

    url: str
    method: str
    status: int
    headers: dict[str, str]
    body: bytes
    sha256: str
    fetched_at: str
    not_modified: bool = False
    _text: tuple[str, str] | None = field(default=None, repr=False)

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", self.headers.get("content-type", ""))

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = decode(self.body, self.content_type)
        return self._text[0]

    @property
    def encoding(self) -> str:
        self.text  # noqa: B018 - decodes once
        return self._text[1] if self._text else ""

    def json(self) -> Any:
        return json.loads(self.text)


def rewrite(url: str, base_url: str | None) -> str:
    """`https://host/path?q` -> `{base_url}/host/path?q` when replaying; unchanged otherwise."""
    if not base_url:
        return url
    parts = urlsplit(url)
    rest = parts.path + (f"?{parts.query}" if parts.query else "")
    return f"{base_url.rstrip('/')}/{parts.hostname}{rest}"


def _retry(policy: FetchPolicy) -> Retry:
    capped = type("CappedRetry", (Retry,), {
        "DEFAULT_BACKOFF_MAX": policy.backoff_max,
        "get_retry_after": lambda self, response: (
            None if (v := Retry.get_retry_after(self, response)) is None else min(v, policy.retry_after_max)),
    })
    return capped(
        total=policy.retries, connect=policy.retries, read=policy.retries, status=policy.retries,
        backoff_factor=policy.backoff_factor, backoff_max=policy.backoff_max,
        status_forcelist=(429, 500, 502, 503, 504), allowed_methods=None,
        respect_retry_after_header=True, raise_on_status=False, redirect=False,
    )


def build_session(policy: FetchPolicy) -> requests.Session:
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=_retry(policy))
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = policy.user_agent
    session.headers["Accept-Language"] = "id,en;q=0.5"
    session.max_redirects = policy.max_redirects
    return session


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _request_key(method: str, url: str, data: dict[str, Any] | None) -> str:
    return f"{method} {url}" + (f" {urlencode(sorted(data.items()))}" if data else "")


class Fetcher:
    """Fetches for one source run; remembers what it used in a manifest for `reparse`."""

    def __init__(self, snapshots: Snapshots, source: str, policy: FetchPolicy | None = None,
                 base_url: str | None = None) -> None:
        self.snapshots, self.source = snapshots, source
        self.policy = policy or FetchPolicy()
        self.base_url = base_url
        self.session = build_session(self.policy)
        self.validators: dict[str, dict[str, str]] = snapshots.get_json(f"validators/{source}.json") or {}
        self.manifest: list[dict[str, Any]] = []
        self.robots: dict[str, Protego | FetchError | None] = {}
        self.fetched = self.not_modified = 0

    # -- public -----------------------------------------------------------------------------
    def get(self, url: str, *, conditional: bool = True, check_page: bool = True) -> Response:
        return self._fetch("GET", url, None, conditional=conditional, check_page=check_page)

    def post(self, url: str, data: dict[str, Any], *, check_page: bool = False) -> Response:
        return self._fetch("POST", url, data, conditional=False, check_page=check_page)

    def read_local(self, path: str) -> Response:
        """A curated local file (relative to the sources file), snapshotted like a fetched page."""
        from nyengget.sources.registry import sources_file

        full = (sources_file().parent / path).resolve()
        entry: dict[str, Any] = {"key": f"FILE {path}", "method": "FILE", "url": str(full)}
        self.manifest.append(entry)
        try:
            body = full.read_bytes()
        except OSError as exc:
            entry.update(error_kind="missing_file", error=str(exc))
            raise FetchError("missing_file", str(full), str(exc)) from exc
        return self._finish_local(full, body, entry)

    def _finish_local(self, full: Any, body: bytes, entry: dict[str, Any]) -> Response:
        fetched_at = _now()
        headers = {"Content-Type": "application/yaml"}
        digest = self.snapshots.put(body, {"url": full.as_uri(), "method": "FILE", "status": 200,
                                           "headers": headers, "fetched_at": fetched_at})
        entry.update(status=200, sha256=digest, fetched_at=fetched_at, headers=headers)
        self.fetched += 1
        if not body:
            raise FetchError("empty", str(full), "0-byte file", 200, digest)
        return Response(full.as_uri(), "FILE", 200, headers, body, digest, fetched_at)

    def save_state(self, week_label: str) -> None:
        """Persist validators (conditional GET) and this run's manifest."""
        self.snapshots.put_json(f"validators/{self.source}.json", self.validators)
        self.snapshots.put_json(f"manifests/{week_label}/{self.source}.json", self.manifest)

    def close(self) -> None:
        self.session.close()

    # -- internals --------------------------------------------------------------------------
    def _fetch(self, method: str, url: str, data: dict[str, Any] | None, *, conditional: bool,
               check_page: bool) -> Response:
        entry: dict[str, Any] = {"key": _request_key(method, url, data), "method": method, "url": url}
        self.manifest.append(entry)
        try:
            self._check_robots(url)
            response = self._request(method, url, data, conditional, entry)
            if check_page:
                _check_page(response)
            return response
        except FetchError as exc:
            entry.update(error_kind=exc.kind, error=exc.message, status=exc.status, sha256=exc.sha256)
            raise

    def _request(self, method: str, url: str, data: dict[str, Any] | None, conditional: bool,
                 entry: dict[str, Any]) -> Response:
        target = rewrite(url, self.base_url)
        headers = self._conditional_headers(url) if conditional else {}
        self._wait_politely(target)
        timeout = (self.policy.connect_timeout, self.policy.read_timeout)
        try:
            with self.session.request(method, target, data=data, headers=headers, timeout=timeout,
                                      stream=True) as resp:
                body = self._read_capped(resp, url)
                status, resp_headers = resp.status_code, dict(resp.headers)
        except requests.TooManyRedirects as exc:
            raise FetchError("redirects", url, f"more than {self.policy.max_redirects} redirects") from exc
        except (requests.Timeout, requests.exceptions.RetryError) as exc:
            raise FetchError("timeout", url, f"timed out after retries: {exc}") from exc
        except requests.ConnectionError as exc:
            kind = "timeout" if "timed out" in str(exc).lower() or "Read timed out" in str(exc) else "connection"
            raise FetchError(kind, url, f"{type(exc).__name__}: {exc}") from exc
        return self._finish(method, url, status, resp_headers, body, entry)

    def _finish(self, method: str, url: str, status: int, headers: dict[str, str], body: bytes,
                entry: dict[str, Any]) -> Response:
        self.fetched += 1
        fetched_at = _now()
        if status == 304 and url in self.validators:
            digest = self.validators[url]["sha256"]
            body = self.snapshots.body(digest) or b""
            self.not_modified += 1
        meta = {"url": url, "method": method, "status": status, "headers": headers, "fetched_at": fetched_at}
        digest = self.snapshots.put(body, meta)
        entry.update(status=status, sha256=digest, fetched_at=fetched_at, headers=headers,
                     not_modified=status == 304)
        if status >= 400 or (status >= 300 and status != 304):
            raise FetchError("http_status", url, f"HTTP {status}", status=status, sha256=digest)
        if not body:
            raise FetchError("empty", url, "0-byte body", status=status, sha256=digest)
        if method == "GET" and status == 200:
            self._remember(url, headers, digest)
        return Response(url, method, 200 if status == 304 else status, headers, body, digest, fetched_at,
                        not_modified=status == 304)

    def _read_capped(self, resp: requests.Response, url: str) -> bytes:
        limit = self.policy.max_bytes
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise FetchError("too_large", url, f"Content-Length {declared} exceeds {limit} bytes",
                             status=resp.status_code)
        chunks, size = [], 0
        for chunk in resp.iter_content(64 * 1024):
            size += len(chunk)
            if size > limit:
                raise FetchError("too_large", url, f"body exceeds {limit} bytes", status=resp.status_code)
            chunks.append(chunk)
        return b"".join(chunks)

    def _conditional_headers(self, url: str) -> dict[str, str]:
        known = self.validators.get(url)
        if not known or self.snapshots.body(known["sha256"]) is None:
            return {}
        headers = {}
        if known.get("etag"):
            headers["If-None-Match"] = known["etag"]
        if known.get("last_modified"):
            headers["If-Modified-Since"] = known["last_modified"]
        return headers

    def _remember(self, url: str, headers: dict[str, str], digest: str) -> None:
        lower = {k.lower(): v for k, v in headers.items()}
        if lower.get("etag") or lower.get("last-modified"):
            self.validators[url] = {"etag": lower.get("etag", ""), "last_modified": lower.get("last-modified", ""),
                                    "sha256": digest}
        else:
            self.validators.pop(url, None)

    def _wait_politely(self, target: str) -> None:
        host = urlsplit(target).hostname or ""
        delay = self.policy.min_delay_s
        if host in LOOPBACK and not self.policy.polite_loopback:
            delay = 0.0
        with _LOCK:
            wait = _LAST_REQUEST.get(host, 0.0) + delay - time.monotonic()
            _LAST_REQUEST[host] = time.monotonic() + max(wait, 0.0)
        if wait > 0:
            time.sleep(wait)

    def _check_robots(self, url: str) -> None:
        if not self.policy.respect_robots:
            return
        parts = urlsplit(url)
        host = f"{parts.scheme}://{parts.netloc}"
        if host not in self.robots:
            self.robots[host] = self._load_robots(host, url)
        rules = self.robots[host]
        if isinstance(rules, FetchError):  # unreachable this run: every page of the host waits for a retry
            raise FetchError(rules.kind, url, rules.message, status=rules.status)
        if rules is not None and not rules.can_fetch(url, self.policy.user_agent):
            raise FetchError("robots", url, "disallowed by robots.txt")

    def _load_robots(self, host: str, url: str) -> Protego | FetchError | None:
        """RFC 9309 §2.3.1: 2xx → its rules; 4xx → no rules (allowed); 5xx or no answer → unreachable,
        which means "try later" (a transient FetchError), never "allowed". Redirects are followed."""
        target = rewrite(host + "/robots.txt", self.base_url)
        try:
            resp = self.session.get(target, timeout=(self.policy.connect_timeout, self.policy.read_timeout))
        except requests.RequestException as exc:
            kind = "timeout" if isinstance(exc, requests.Timeout) else "connection"
            log.warning("robots.txt of %s unreachable (%s); the source waits for a retry", host, exc)
            return FetchError(kind, url, f"robots.txt of {host} unreachable: {type(exc).__name__}: {exc}")
        if resp.status_code >= 500:
            log.warning("robots.txt of %s answered HTTP %s; the source waits for a retry", host, resp.status_code)
            return FetchError("http_status", url, f"HTTP {resp.status_code} on {host}/robots.txt (RFC 9309: "
                              "unreachable, try later)", status=resp.status_code)
        if not 200 <= resp.status_code < 300:
            return None
        return Protego.parse(resp.text)


def _check_page(response: Response) -> None:
    kind = response.content_type.lower()
    if "html" not in kind and not response.body.lstrip()[:1] == b"<":
        return
    if "xml" in kind or response.body.lstrip()[:5] == b"<?xml":
        return
    reason = error_page_reason(response.text)
    if reason:
        raise FetchError("error_page", response.url, f"HTTP 200 but {reason}", status=response.status,
                         sha256=response.sha256)


class RecordedFetcher:
    """Answers `get`/`post` from a stored manifest: no network (used by `sources reparse`)."""

    def __init__(self, snapshots: Snapshots, manifest: list[dict[str, Any]]) -> None:
        self.snapshots = snapshots
        self.entries = {e["key"]: e for e in manifest}
        self.fetched = self.not_modified = 0

    def get(self, url: str, **_: Any) -> Response:
        return self._answer(_request_key("GET", url, None), url, "GET")

    def post(self, url: str, data: dict[str, Any], **_: Any) -> Response:
        return self._answer(_request_key("POST", url, data), url, "POST")

    def read_local(self, path: str) -> Response:
        return self._answer(f"FILE {path}", path, "FILE")

    def _answer(self, key: str, url: str, method: str) -> Response:
        entry = self.entries.get(key)
        if entry is None:
            raise FetchError("not_recorded", url, "no stored snapshot for this request")
        if entry.get("error_kind"):
            raise FetchError(entry["error_kind"], url, entry.get("error", ""), entry.get("status"),
                             entry.get("sha256"))
        body = self.snapshots.body(entry["sha256"])
        if body is None:
            raise FetchError("not_recorded", url, f"snapshot blob {entry['sha256']} missing")
        return Response(url, method, 200, entry.get("headers") or {}, body, entry["sha256"],
                        entry.get("fetched_at", ""), not_modified=True)

    def save_state(self, week_label: str) -> None:
        """Nothing to save: replaying a manifest changes nothing."""

    def close(self) -> None:
        """Nothing to close."""
