"""Raw snapshot stores (local and object storage via file://) and the `sources` CLI."""

from __future__ import annotations

from pathlib import Path

from nyengget.cli import main
from nyengget.sources.storage import LocalStore, ObjectStore, Snapshots, get_snapshots, sha256


def _roundtrip(snaps: Snapshots) -> None:
    digest = snaps.put(b"<html>x</html>", {"url": "https://a/b", "status": 200, "headers": {}, "fetched_at": "t"})
    snaps.put(b"<html>x</html>", {"url": "https://a/b", "status": 200, "headers": {}, "fetched_at": "t"})
    assert digest == sha256(b"<html>x</html>") and snaps.body(digest) == b"<html>x</html>"
    assert len(snaps.get_json(snaps.blob_key(digest) + ".json")) == 1
    snaps.put_json("manifests/2026-W47/s.json", [{"key": "GET https://a/b"}])
    assert snaps.manifest_weeks() == ["2026-W47"]


def test_local_store(tmp_path: Path) -> None:
    _roundtrip(Snapshots(LocalStore(tmp_path)))
    assert (tmp_path / "blobs").is_dir()


def test_object_store_via_file_url(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("NYENGGET_RAW_URL", f"file://{tmp_path}/bucket")
    snaps = get_snapshots()
    assert isinstance(snaps.store, ObjectStore)
    _roundtrip(snaps)
    assert list((tmp_path / "bucket" / "blobs").rglob("*.json"))


def test_cli_list_run_reparse(capsys) -> None:
    assert main(["sources", "list"]) == 0
    assert "juknis_dak_fisik" in capsys.readouterr().out
    assert main(["sources", "run", "--week", "2026-W47", "--source", "krisna_dak_calendar", "--replay"]) == 0
    assert main(["sources", "reparse", "--week", "2026-W47"]) == 0
    assert "krisna_dak_calendar" in capsys.readouterr().err
    assert main(["sources", "run", "--week", "2026-W99"]) == 2
