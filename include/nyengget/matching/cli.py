"""`nyengget match`: rank programmes for each innovation from CSV files (same code as the DAG)."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from datetime import date
from pathlib import Path

from nyengget.errors import InputFileError, UsageError
from nyengget.funding import DEFAULT_LEVEL, LEVELS

log = logging.getLogger(__name__)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {text!r}") from exc


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from exc
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def add_commands(subparsers) -> None:
    """Register `match` on the `nyengget` sub-command parser."""
    parser = subparsers.add_parser(
        "match", help="rank funding programmes for each innovation",
        description="Rank eligible programmes for each innovation; writes "
                    "innovation_id,programme_id,rank,score,reasons.")
    parser.add_argument("--programmes", required=True, type=Path, help="programmes CSV")
    parser.add_argument("--innovations", required=True, type=Path, help="innovations CSV")
    parser.add_argument("--as-of", required=True, type=_iso_date, dest="as_of", help="reference date YYYY-MM-DD")
    parser.add_argument("--level", default=DEFAULT_LEVEL, choices=LEVELS,
                        help=f"the applicant's level (default {DEFAULT_LEVEL})")
    parser.add_argument("--top", default=10, type=_positive, help="programmes per innovation (default 10)")
    parser.add_argument("--out", required=True, type=Path, help="output CSV")
    parser.add_argument("--feedback", type=Path, help="optional planners' feedback CSV "
                        "(innovation_id,programme_id,status)")
    parser.add_argument("--proposers", action="store_true",
                        help="also write who may propose each programme: funding_line, proposer_types, "
                             "own_opd_may_propose, proposal_route, proposer_source (after the five contract columns)")
    parser.add_argument("--workers", default=2, type=_positive,
                        help="processes that score parts of the innovations (default 2; 1: this process only; "
                             "the output is the same)")
    parser.set_defaults(func=_run_match)


def _run_match(args: argparse.Namespace) -> int:
    from nyengget.matching.inputs import FEEDBACK_COLUMNS, INNOVATION_COLUMNS, PROGRAMME_COLUMNS, read_csv
    from nyengget.matching.parallel import write_ranked

    started = time.perf_counter()
    programmes = read_csv(args.programmes, PROGRAMME_COLUMNS)
    innovations = read_csv(args.innovations, INNOVATION_COLUMNS)
    feedback = read_csv(args.feedback, FEEDBACK_COLUMNS) if args.feedback else None
    try:
        written = write_ranked(programmes, innovations, args.out, as_of=args.as_of, level=args.level, top_k=args.top,
                               feedback_rows=feedback, proposers=args.proposers, processes=args.workers)
    except InputFileError as exc:
        raise InputFileError(_with_file(str(exc), args)) from exc
    log.info("wrote %d matches for %d innovations to %s in %.1f s", written, len(innovations), args.out,
             time.perf_counter() - started)
    return 0


def _with_file(message: str, args: argparse.Namespace) -> str:
    """Replace the frame name used inside `rank` by the file the user gave."""
    for name, path in (("programmes", args.programmes), ("innovations", args.innovations),
                       ("feedback", args.feedback)):
        if path is not None and message.startswith(f"{name}:"):
            return f"{path}{message[len(name):]}"
    return message


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry (`python -m nyengget.matching.cli match ...`), same behaviour as `nyengget match`."""
    parser = argparse.ArgumentParser(prog="nyengget")
    add_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"nyengget {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
