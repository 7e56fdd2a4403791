"""`nyengget sources ...`: run, reparse, extract, serve, list, check."""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from nyengget.errors import InputFileError, UsageError


def add_commands(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("sources", help="ingest central-government funding programmes")
    cmds = parser.add_subparsers(dest="sources_command", required=True, metavar="ACTION")
    run = cmds.add_parser("run", help="fetch, parse and store sources for one ISO week")
    run.add_argument("--week", required=True, help="ISO week, e.g. 2026-W48")
    run.add_argument("--source", help="only this source (default: all enabled)")
    run.add_argument("--replay", action="store_true", help="serve include/snapshots/<week> and fetch from it")
    run.set_defaults(func=cmd_run)
    rep = cmds.add_parser("reparse", help="rebuild parsed tables from stored raw snapshots (no fetching)")
    rep.add_argument("--week", help="only this ISO week (default: every stored week, from scratch)")
    rep.set_defaults(func=cmd_reparse)
    ext = cmds.add_parser("extract", help="print what the announcements adapter takes from one document")
    ext.add_argument("file", help="an announcement as HTML or plain text")
    ext.set_defaults(func=cmd_extract)
    srv = cmds.add_parser("serve", help="serve recorded snapshots of a week over HTTP")
    srv.add_argument("--week", required=True)
    srv.add_argument("--port", type=int, default=8765)
    srv.add_argument("--host", default="127.0.0.1", help="address to bind (0.0.0.0 inside a container)")
    srv.set_defaults(func=cmd_serve)
    lst = cmds.add_parser("list", help="list the configured sources")
    lst.set_defaults(func=cmd_list)
    chk = cmds.add_parser("check", help="fetch each source once and print what it yields (nothing stored)")
    chk.add_argument("--source", help="only this source (default: all enabled)")
    chk.add_argument("--replay", metavar="WEEK", help="check against include/snapshots/WEEK instead of the web")
    chk.set_defaults(func=cmd_check)


def _week(label: str) -> Any:
    from nyengget.weeks import parse_week

    try:
        return parse_week(label)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc


def _snapshot_dir(label: str) -> Path:
    from nyengget.config import get_settings

    path = get_settings().snapshots_dir / label
    if not path.is_dir():
        raise UsageError(f"no recorded snapshots for {label} in {path}")
    return path


def _progress(row: dict[str, Any]) -> None:
    print(f"{row['source']:<28} {row['health']:<10} fetched={row['fetched']} parsed={row['parsed']} "
          f"new={row['new']} changed={row['changed']} disappeared={row['disappeared']} "
          f"quarantined={row['quarantined']} errors={row['errors']} {row['duration_s']}s  {row['message']}",
          file=sys.stderr, flush=True)


def cmd_run(args: argparse.Namespace) -> int:
    from nyengget.sources.ingest import ingest_source
    from nyengget.sources.registry import get_source, list_sources
    from nyengget.sources.replay import serve
    from nyengget.warehouse.db import get_engine

    week = _week(args.week)
    names = [get_source(args.source).name] if args.source else [s.name for s in list_sources()]
    engine = get_engine()
    failed = 0
    with serve(_snapshot_dir(args.week)) if args.replay else nullcontext(None) as base_url:
        for name in names:
            row = ingest_source(engine, name, week, base_url=base_url)
            _progress(row)
            failed += bool(row["failed"])
    print(f"{args.week}: {len(names)} source(s), {failed} failed", file=sys.stderr)
    return 1 if failed else 0


def cmd_reparse(args: argparse.Namespace) -> int:
    from nyengget.sources.ingest import reparse
    from nyengget.warehouse.db import get_engine

    rows = reparse(get_engine(), _week(args.week) if args.week else None)
    for row in rows:
        _progress(row)
    if not rows:
        print("no stored raw snapshots to reparse", file=sys.stderr)
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from nyengget.sources.extract import extract_document

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"cannot read {path}: {exc.strerror or exc}") from exc
    print(json.dumps(extract_document(data), ensure_ascii=False))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from nyengget.sources.replay import serve_forever

    print(f"serving {args.week} on http://{args.host}:{args.port}/<host>/<path> (Ctrl-C to stop)", file=sys.stderr)
    serve_forever(_snapshot_dir(args.week), args.port, host=args.host)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from nyengget.sources.registry import list_sources

    for s in list_sources(include_disabled=True):
        state = "" if s.enabled else " (disabled)"
        print(f"{s.name:<28} {s.adapter:<14} {s.pool:<40} {s.urls[0]}{state}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Exit 1 when any checked source yields nothing usable."""
    from datetime import date

    from nyengget.sources.check import check_source
    from nyengget.sources.registry import get_source, list_sources
    from nyengget.sources.replay import serve
    from nyengget.weeks import week_start

    names = [get_source(args.source).name] if args.source else [s.name for s in list_sources()]
    week = _week(args.replay) if args.replay else week_start(date.today())
    unusable = []
    with serve(_snapshot_dir(args.replay)) if args.replay else nullcontext(None) as base_url:
        for name in names:
            result = check_source(name, week, base_url=base_url)
            print("\n".join(result.lines()), flush=True)
            if not result.usable:
                unusable.append(name)
    print(f"{len(names)} source(s) checked, {len(unusable)} with nothing usable"
          + (f": {', '.join(unusable)}" if unusable else ""), file=sys.stderr)
    return 1 if unusable else 0
