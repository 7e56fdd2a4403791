"""The `nyengget` command. Each area registers its own sub-commands via `add_commands(sub)`."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from nyengget.errors import NotConfigured, UsageError

# Modules that provide `add_commands(subparsers)`, with the commands each registers (test_cli checks
# them), so that one command imports only its own module; a missing module is skipped so areas can
# land apart.
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "nyengget.warehouse.cli": ("db",),
    "nyengget.sources.cli": ("sources",),
    "nyengget.registry.cli": ("innovations", "opds"),
    "nyengget.matching.cli": ("match",),
    "nyengget.weekly.cli": ("weekly", "match-week", "show", "review"),
    "nyengget.orchestration.pools": ("airflow",),
}


def modules_for(argv: list[str]) -> list[str]:
    """The module of the command `argv` names (its first word not starting with "-"), else all (help,
    a typo): a command does not pay for importing the others (the warehouse, Alembic, the pipeline)."""
    word = next((a for a in argv if not a.startswith("-")), None)
    owner = [name for name, commands in COMMAND_MODULES.items() if word in commands]
    return owner or list(COMMAND_MODULES)


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The `nyengget` parser; with `argv`, only the sub-commands of the module it calls are registered."""
    parser = argparse.ArgumentParser(
        prog="nyengget",
        description="Nyengget: central-government funding opportunities for the OPD innovations of each configured region.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES if argv is None else modules_for(argv):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
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
