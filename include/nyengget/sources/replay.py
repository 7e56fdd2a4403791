"""A replay server for recorded snapshots laid out as <dir>/<host>/<path>.

`https://host/a/b?x=1` is served from `<dir>/host/a/b@x=1` (directories give `index.html`).
A sidecar `<file>.meta.json` may set `status`, `headers` and, for POST, `require_form` (e.g. the
DJPK token). POST answers come from `<file>@POST@<sorted form without _token>`, else `<file>@POST`. ETag, Last-Modified and 304 are supported.
"""

from __future__ import annotations

import hashlib
import json
import logging
import mimetypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

log = logging.getLogger(__name__)
_TYPES = {".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8", ".rss": "application/rss+xml",
          ".xml": "application/xml", ".json": "application/json", ".pdf": "application/pdf",
          ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          ".txt": "text/plain; charset=utf-8", ".yaml": "application/yaml"}


def relpath(url: str) -> str:
    """`https://host/a/b?x=1` -> `host/a/b@x=1` (the layout of include/snapshots/<week>/)."""
    parts = urlsplit(url)
    path = unquote(parts.path) or "/"
    if path.endswith("/"):
        path += "index.html"
    return f"{parts.hostname}{path}" + (f"@{unquote(parts.query)}" if parts.query else "")


def _content_type(path: Path, body: bytes) -> str:
    suffix = path.suffix.lower() if "@" not in path.name else Path(path.name.split("@")[0]).suffix.lower()
    if suffix in _TYPES:
        return _TYPES[suffix]
    head = body.lstrip()[:20]
    if head.startswith(b"<?xml"):
        return "application/xml"
    if head[:1] in (b"{", b"["):
        return "application/json"
    if head.startswith(b"<"):
        return "text/html; charset=utf-8"
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


class _Handler(BaseHTTPRequestHandler):
    root: Path
    server_version = "NyenggetReplay/1.0"

    def log_message(self, fmt: str, *args: Any) -> None:
        log.debug("replay: " + fmt, *args)

    def _file(self, suffix: str = "") -> Path | None:
        parts = urlsplit(self.path)
        rel = unquote(parts.path.lstrip("/")) or "index.html"
        if rel.endswith("/"):
            rel += "index.html"
        if parts.query:
            rel += "@" + unquote(parts.query)
        path = (self.root / (rel + suffix)).resolve()
        if self.root not in path.parents:
            return None
        if path.is_dir():
            path = path / "index.html"
        return path if path.is_file() else None

    def _meta(self, path: Path) -> dict[str, Any]:
        meta = path.with_name(path.name + ".meta.json")
        return json.loads(meta.read_text(encoding="utf-8")) if meta.is_file() else {}

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        path = self._file()
        if path is None:
            self._send(404, b"<html><head><title>404 Not Found</title></head><body>Not Found</body></html>",
                       {"Content-Type": "text/html"})
            return
        body, meta = path.read_bytes(), self._meta(path)
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        mtime = path.stat().st_mtime
        headers = {"Content-Type": _content_type(path, body), "ETag": etag,
                   "Last-Modified": formatdate(mtime, usegmt=True), **meta.get("headers", {})}
        status = int(meta.get("status", 200))
        if status == 200 and self._not_modified(etag, mtime):
            self._send(304, b"", {"ETag": etag})
            return
        self._send(status, body, headers)

    do_HEAD = do_GET

    def _not_modified(self, etag: str, mtime: float) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm:
            return etag in [t.strip() for t in inm.split(",")]
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                return int(mtime) <= parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                return False
        return False

    def do_POST(self) -> None:  # noqa: N802 - http.server API
        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode("utf-8", "replace")).items()}
        keyed = "&".join(f"{k}={v}" for k, v in sorted(form.items()) if k != "_token")
        path = (self._file(f"@POST@{keyed}") if keyed else None) or self._file("@POST")
        if path is None:
            self._send(404, b'{"error": "not found"}', {"Content-Type": "application/json"})
            return
        meta = self._meta(path)
        for name, value in meta.get("require_form", {}).items():
            if form.get(name) != value:
                self._send(419, b'{"message": "CSRF token mismatch."}', {"Content-Type": "application/json"})
                return
        body = path.read_bytes()
        headers = {"Content-Type": _content_type(path, body), **meta.get("headers", {})}
        self._send(int(meta.get("status", 200)), body, headers)


def _server(directory: Path, port: int, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    handler = type("Handler", (_Handler,), {"root": Path(directory).resolve()})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1:<free port> in a thread; yields the base URL."""
    server = _server(directory, 0)
    thread = threading.Thread(target=server.serve_forever, name="nyengget-replay", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def serve_forever(directory: Path, port: int, host: str = "127.0.0.1") -> None:
    """Serve until interrupted (`nyengget sources serve`)."""
    server = _server(directory, port, host)
    log.info("serving %s on http://%s:%d", directory, host, server.server_address[1])
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
