"""`nyengget innovations import PATH [--partial]` and `nyengget opds import PATH`."""

from __future__ import annotations

import argparse

from nyengget.registry.result import ImportResult


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register the `innovations` and `opds` command groups."""
    inn = sub.add_parser("innovations", help="the OPD innovation registry")
    inn_sub = inn.add_subparsers(dest="action", required=True, metavar="ACTION")
    cmd = inn_sub.add_parser(
        "import", help="import innovations from CSV or XLSX (canonical or IID-portal headers)"
    )
    cmd.add_argument("path", help="CSV or XLSX file")
    cmd.add_argument(
        "--partial",
        action="store_true",
        help="the file is not a full export: do not mark missing innovations inactive",
    )
    cmd.set_defaults(func=_import_innovations)
    cmd.add_argument("--region", help="Kemendagri code of a configured region (default: the default region)")

    opd = sub.add_parser("opds", help="the OPD directory")
    opd_sub = opd.add_subparsers(dest="action", required=True, metavar="ACTION")
    cmd = opd_sub.add_parser("import", help="import the OPD directory from CSV, XLSX or YAML")
    cmd.add_argument("path", help="CSV, XLSX or YAML file")
    cmd.set_defaults(func=_import_opds)
    cmd.add_argument("--region", help="Kemendagri code of a configured region (default: the default region)")


def _import_innovations(args: argparse.Namespace) -> int:
    from nyengget.regions import region_of
    from nyengget.registry import import_innovations
    from nyengget.warehouse.db import get_engine

    return _report(import_innovations(get_engine(), args.path, full_export=not args.partial,
                                      region=region_of(args.region)))


def _import_opds(args: argparse.Namespace) -> int:
    from nyengget.regions import region_of
    from nyengget.registry import import_opds
    from nyengget.warehouse.db import get_engine

    return _report(import_opds(get_engine(), args.path, region=region_of(args.region)))


def _report(result: ImportResult) -> int:
    print(result.summary())
    for item in result.rejected:
        print(item.line(result.file))
    return 0
