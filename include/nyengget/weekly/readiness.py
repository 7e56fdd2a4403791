"""Is a week's data in? Guards that keep a task from building one week out of another week's data."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Connection, Engine, func, select

from nyengget.errors import WeekRefused
from nyengget.warehouse.schema import matches, source_runs
from nyengget.weeks import week_label, week_start

FIRST_WEEK = week_start(date(2026, 11, 1))  # the week of the DAGs' start_date: no data exists before it
MAX_DISTANCE = timedelta(days=366)


def check_range(week: date, reference: date | None, what: str) -> None:
    """Refuse a week before the project's data starts or more than a year away from `reference`."""
    if week < FIRST_WEEK:
        raise WeekRefused(f"week {week_label(week)} is before the project's data starts "
                          f"({week_label(FIRST_WEEK)})")
    if reference is not None and abs(week - reference) > MAX_DISTANCE:
        raise WeekRefused(f"week {week_label(week)} is more than a year away from {what} "
                          f"({week_label(reference)}); check the week you asked for")


def programmes_weeks(conn: Connection) -> list[date]:
    """Weeks with at least one source ingested successfully, latest first."""
    rows = conn.execute(select(source_runs.c.week_start).where(source_runs.c.health != "unhealthy")
                        .group_by(source_runs.c.week_start).order_by(source_runs.c.week_start.desc())).all()
    return [r.week_start for r in rows]


def require_programmes(engine: Engine, week: date) -> None:
    """The week's programmes are in (one source at least), or WeekRefused names the latest week that is."""
    with engine.connect() as conn:
        weeks = programmes_weeks(conn)
    check_range(week, weeks[0] if weeks else None, "the latest programmes")
    if week not in weeks:
        latest = week_label(weeks[0]) if weeks else "none yet"
        raise WeekRefused(f"no programmes ingested for {week_label(week)} (latest: {latest}); run "
                          f"nyengget_programmes for {week_label(week)} first")


def matched_rows(engine: Engine, week: date, region_code: str | None = None) -> int:
    """The region's matches of the week (default: the default region's)."""
    from nyengget.regions import region_of

    region_code = region_of(region_code).code
    with engine.connect() as conn:
        return conn.execute(select(func.count()).where(matches.c.week_start == week)
                            .where(matches.c.region_code == region_code)).scalar_one()


def week_is_out(engine: Engine, week: date, region_code: str | None = None) -> bool:
    """The region's list of the week (default: the default region's) is built and its planners' summary sent."""
    from nyengget.regions import region_of
    from nyengget.warehouse.schema import nyengget_weekly, outbox

    region_code = region_of(region_code).code
    with engine.connect() as conn:
        rows = conn.execute(select(func.count()).where(nyengget_weekly.c.week_start == week)
                            .where(nyengget_weekly.c.region_code == region_code)).scalar_one()
        sent = conn.execute(select(func.count()).where(outbox.c.week_start == week)
                            .where(outbox.c.region_code == region_code)
                            .where(outbox.c.kind == "planner_summary").where(outbox.c.status == "sent")).scalar_one()
    return bool(rows and sent)
