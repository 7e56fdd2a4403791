"""The `nyengget` command. Each area registers its own sub-commands via `add_commands(sub)`."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from nyengget.errors import NotConfigured, UsageError

# Modules that provide `add_commands(subparsers)`; a missing one is skipped so areas can land apart.
COMMAND_MODULES = (
    "nyengget.warehouse.cli",
    "nyengget.sources.cli",
    "nyengget.registry.cli",
    "nyengget.matching.cli",
    "nyengget.weekly.cli",
    "nyengget.orchestration.pools",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nyengget",
        description="Nyengget: central-government funding opportunities for the OPD innovations of each configured region.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if not args.verbose:
        logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        return int(args.func(args) or 0)
    except (UsageError, NotConfigured) as exc:
        print(f"nyengget {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
