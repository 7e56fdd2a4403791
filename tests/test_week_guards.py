"""Guards that keep a run to its own week's data, and failures a retry cannot fix from being retried."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pytest

from factories import W47, W48
from nyengget.config import get_settings
from nyengget.errors import PermanentError, WeekRefused
from nyengget.orchestration.dag_support import INNOVATIONS, NO_RETRY, PROGRAMMES, common_week, ingest_week_of
from nyengget.pipeline.sources import SourceBroken, SourceFailed
from nyengget.pipeline.weekly import match_if_missing
from nyengget.sources.fetch import is_transient
from nyengget.warehouse.schema import source_runs
from nyengget.weekly import readiness
from nyengget.weeks import JAKARTA


@dataclass
class Event:
    extra: dict[str, Any]


@dataclass
class Run:
    conf: dict[str, Any] = field(default_factory=dict)
    run_after: datetime | None = None


def _context(events: dict | None = None, conf: dict | None = None, logical: datetime | None = None) -> dict:
    return {"dag_run": Run(conf or {}), "triggering_asset_events": events or {}, "logical_date": logical,
            "params": {"week": None}}


def test_match_takes_the_latest_week_both_assets_name():
    events = {PROGRAMMES: [Event({"week": "2026-W47"}), Event({"week": "2026-W48"})],
              INNOVATIONS: [Event({"week": "2026-W48"})]}
    assert common_week(_context(events), PROGRAMMES, INNOVATIONS) == W48


def test_match_refuses_events_of_different_weeks():
    events = {PROGRAMMES: [Event({"week": "2026-W47"})], INNOVATIONS: [Event({"week": "2026-W48"})]}
    with pytest.raises(WeekRefused, match="no common week"):
        common_week(_context(events), PROGRAMMES, INNOVATIONS)


def test_the_conf_week_wins_over_events():
    events = {PROGRAMMES: [Event({"week": "2026-W47"})]}
    assert common_week(_context(events, {"week": "2026-W48"}), PROGRAMMES, INNOVATIONS) == W48


@pytest.mark.parametrize("week", ["2062-W48", "2025-W48", "2026-W40"])
def test_ingestion_refuses_a_week_far_from_its_run_or_before_the_data(week):
    logical = datetime(2026, 11, 23, 4, tzinfo=JAKARTA)
    with pytest.raises(WeekRefused) as info:
        ingest_week_of(_context(conf={"week": week}, logical=logical))
    assert week in str(info.value) and isinstance(info.value, PermanentError)


def test_ingestion_takes_its_week_from_conf_or_logical_date():
    logical = datetime(2026, 11, 23, 4, tzinfo=JAKARTA)
    assert ingest_week_of(_context(conf={"week": "2026-W47"}, logical=logical)) == W47
    assert ingest_week_of(_context(logical=logical)) == W48


def _ingested(engine, week: date, health: str = "ok") -> None:
    with engine.begin() as conn:
        conn.execute(source_runs.insert().values(source="ann_a", week_start=week, parsed=3, health=health, fetched=1))


def test_the_weekly_list_never_uses_another_weeks_programmes(engine):
    _ingested(engine, W47)
    _ingested(engine, W48, health="unhealthy")  # W48's only source broke: W48 has no programmes
    with pytest.raises(WeekRefused, match="no programmes ingested for 2026-W48 .latest: 2026-W47"):
        match_if_missing(engine, W48, get_settings())
    with pytest.raises(WeekRefused, match="more than a year away"):
        readiness.require_programmes(engine, date(2028, 1, 3))


def test_transient_and_permanent_fetch_errors():
    assert is_transient("timeout: https://x.go.id/: timed out after retries")
    assert is_transient("connection: https://x.go.id/: ConnectionError")
    assert is_transient("http_status: https://x.go.id/a: HTTP 503")
    assert is_transient("http_status: https://x.go.id/a: HTTP 429")
    assert not is_transient("http_status: https://x.go.id/a: HTTP 404")
    assert not is_transient("robots: https://x.go.id/a: disallowed by robots.txt")
    assert not is_transient("error_page: https://x.go.id/a: HTTP 200 but a login page")


def test_the_retry_policy_fails_permanent_errors_at_once():
    from airflow.sdk.definitions.retry_policy import RetryAction

    assert NO_RETRY.evaluate(SourceBroken("404"), 1, 3).action == RetryAction.FAIL
    assert NO_RETRY.evaluate(WeekRefused("W"), 1, 3).action == RetryAction.FAIL
    assert NO_RETRY.evaluate(SourceFailed("HTTP 503"), 1, 3).action == RetryAction.DEFAULT
    assert NO_RETRY.evaluate(ConnectionError("db"), 1, 3).action == RetryAction.DEFAULT
