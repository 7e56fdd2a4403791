"""`nyengget weekly`, `nyengget show`, `nyengget review set`: the weekly stage from the command line."""

from __future__ import annotations

import argparse

from nyengget import decisions
from nyengget.config import get_settings
from nyengget.decisions import REASONS, SCOPES, STATUSES
from nyengget.pipeline.weekly import run_week
from nyengget.regions import region_of
from nyengget.warehouse.db import get_engine
from nyengget.weekly.build import load_week
from nyengget.weekly.matches import run_matching
from nyengget.weekly.table import render_week
from nyengget.weeks import parse_week


def _week(value: str):
    try:
        return parse_week(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def add_commands(sub: argparse._SubParsersAction) -> None:
    weekly = sub.add_parser("weekly", help="build a week's list, report and emails, and send them")
    weekly.add_argument("--week", type=_week, required=True, help="ISO week, e.g. 2026-W48")
    weekly.add_argument("--dry-run", action="store_true", help="render list, report and emails; send nothing")
    weekly.add_argument("--resend", action="store_true", help="send again emails already sent for this week")
    weekly.set_defaults(func=_weekly)
    _region_arg(weekly)

    match_week = sub.add_parser("match-week", help="rank programmes for the warehouse's innovations for a week")
    match_week.add_argument("--week", type=_week, required=True)
    match_week.set_defaults(func=_match_week)
    _region_arg(match_week)

    show = sub.add_parser("show", help="print a week's list: top opportunities per owner OPD, partners named")
    show.add_argument("--week", type=_week, required=True)
    show.add_argument("--per-opd", type=int, default=3)
    show.set_defaults(func=_show)
    _region_arg(show)

    review = sub.add_parser("review", help="record planners' decisions")
    review_sub = review.add_subparsers(dest="review_command", required=True)
    rset = review_sub.add_parser("set", help="record one decision (appended; the history is kept)")
    rset.add_argument("--week", type=_week, required=True)
    rset.add_argument("--innovation", required=True)
    rset.add_argument("--programme", required=True)
    rset.add_argument("--status", required=True, choices=sorted(STATUSES))
    rset.add_argument("--reason", choices=sorted(REASONS))
    rset.add_argument("--note")
    rset.add_argument("--scope", choices=sorted(SCOPES),
                      help="what a tidak_relevan covers: inovasi (default), opd (every item of its OPD), region "
                           "(the whole pemda)")
    rset.add_argument("--assign-opd", help="move the item to another OPD (code)")
    rset.add_argument("--actor", default="cli")
    rset.set_defaults(func=_review_set)
    _region_arg(rset)


def _region_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--region", help="Kemendagri code of a configured region (default: the default region)")


def _weekly(args: argparse.Namespace) -> int:
    result = run_week(get_engine(), args.week, dry_run=args.dry_run, resend=args.resend,
                      region=region_of(args.region))
    s = result.summary
    print(f"week {args.week}: {s.rows} rows for {s.opds} OPDs ({s.new} new, {s.changed} changed, "
          f"{s.closing_soon} closing soon)")
    print(f"report: {result.xlsx}\n        {result.html}")
    if args.dry_run:
        print(f"dry run: emails rendered under {get_settings().home / 'preview'}; nothing queued or sent")
    else:
        print(f"emails: {result.queued} queued, {result.sent} sent, {result.failed} failed, "
              f"{result.already_sent} already sent earlier (use --resend to send again)")
    return 1 if result.failed else 0


def _match_week(args: argparse.Namespace) -> int:
    settings = get_settings()
    n = run_matching(get_engine(), args.week, top_k=settings.top_k, region=region_of(args.region),
                     cache_dir=settings.matcher_cache_dir)
    print(f"week {args.week}: {n} matches")
    return 0


def _show(args: argparse.Namespace) -> int:
    engine, region = get_engine(), region_of(args.region).code
    print(render_week(engine, load_week(engine, args.week, region), args.week, region, per_opd=args.per_opd))
    return 0


def _review_set(args: argparse.Namespace) -> int:
    decision = decisions.Decision(
        week_start=args.week, innovation_id=args.innovation, programme_id=args.programme, status=args.status,
        actor=args.actor, reason=args.reason, note=args.note, assigned_opd=args.assign_opd,
        dismissal_scope=args.scope, region_code=region_of(args.region).code,
    )
    new_id = decisions.record(get_engine(), decision)  # as Bappeda: any item, never an older week
    print(f"recorded decision #{new_id}: {args.innovation} × {args.programme} → {STATUSES[args.status]}")
    return 0
