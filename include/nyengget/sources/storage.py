"""Raw snapshot storage: content-addressed blobs (sha256) plus JSON metadata and manifests.

Local directory (NYENGGET_HOME/raw) by default; object storage (Airflow `ObjectStoragePath`,
s3:// gs:// or file://) when NYENGGET_RAW_URL is set. Layout under the root:

    blobs/ab/<sha256>            the body as received
    blobs/ab/<sha256>.json       every observation of that body: url, status, headers, time
    manifests/<week>/<source>.json   the responses one run of a source used (for reparse)
    validators/<source>.json     ETag / Last-Modified / sha per URL (conditional GET)
    parsed/<key>.json            parse cache for bodies answered by 304 Not Modified
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Protocol


def sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


class RawStore(Protocol):
    """The few operations ingestion needs from a storage backend."""

    def write(self, key: str, data: bytes) -> None: ...

    def read(self, key: str) -> bytes | None: ...

    def list(self, prefix: str) -> list[str]: ...


class LocalStore:
    """A directory on the local file system."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def write(self, key: str, data: bytes) -> None:
        path = self.root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + f".tmp{os.getpid()}")
        tmp.write_bytes(data)
        tmp.replace(path)

    def read(self, key: str) -> bytes | None:
        path = self.root / key
        return path.read_bytes() if path.is_file() else None

    def list(self, prefix: str) -> list[str]:
        base = self.root / prefix
        if not base.is_dir():
            return []
        return sorted(str(p.relative_to(self.root)) for p in base.rglob("*") if p.is_file())


class ObjectStore:
    """Object storage through Airflow's `ObjectStoragePath` (s3://, gs://, file://)."""

    def __init__(self, url: str) -> None:
        from airflow.sdk import ObjectStoragePath

        self.root = ObjectStoragePath(url)

    def write(self, key: str, data: bytes) -> None:
        path = self.root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            fh.write(data)

    def read(self, key: str) -> bytes | None:
        path = self.root / key
        if not path.exists():
            return None
        with path.open("rb") as fh:
            return fh.read()

    def list(self, prefix: str) -> list[str]:
        base = self.root / prefix
        if not base.exists():
            return []
        root = str(self.root).rstrip("/") + "/"
        return sorted(str(p).removeprefix(root) for p in base.rglob("*") if p.is_file())


class Snapshots:
    """Raw snapshots on top of a `RawStore`."""

    def __init__(self, store: RawStore) -> None:
        self.store = store

    @staticmethod
    def blob_key(digest: str) -> str:
        return f"blobs/{digest[:2]}/{digest}"

    def put(self, body: bytes, meta: dict[str, Any]) -> str:
        """Keep `body` (once) and add `meta` (url, status, headers, time) to its observations."""
        digest = sha256(body)
        key = self.blob_key(digest)
        if self.store.read(key) is None:
            self.store.write(key, body)
        observations = self.get_json(key + ".json") or []
        if meta not in observations:
            observations.append(meta)
            self.put_json(key + ".json", observations)
        return digest

    def body(self, digest: str) -> bytes | None:
        return self.store.read(self.blob_key(digest))

    def get_json(self, key: str) -> Any:
        data = self.store.read(key)
        return json.loads(data) if data is not None else None

    def put_json(self, key: str, obj: Any) -> None:
        self.store.write(key, json.dumps(obj, ensure_ascii=False, indent=1, default=str).encode("utf-8"))

    def manifest_weeks(self) -> list[str]:
        return sorted({k.split("/")[1] for k in self.store.list("manifests")})


def get_snapshots() -> Snapshots:
    """The configured snapshot store (NYENGGET_RAW_URL, else NYENGGET_HOME/raw)."""
    from nyengget.config import get_settings

    settings = get_settings()
    return Snapshots(ObjectStore(settings.raw_url) if settings.raw_url else LocalStore(settings.raw_dir))
