"""Predict a round's window from earlier years: each date as days from 1 January of its round's year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median

from nyengget.forecast.rounds import Round

HISTORY_YEARS = 4  # the forecast rests on the latest rounds only: schedules drift
SOON_DAYS = 60  # "segera dibuka": the window opens within this many days


@dataclass(frozen=True)
class Forecast:
    family: str
    year: int
    opens_on: date | None  # point estimates
    closes_on: date | None
    earliest: date  # range of the expected opening (or closing when no opening is known)
    latest: date
    years: tuple[int, ...]  # the rounds it rests on
    confidence: str  # tinggi | sedang | rendah

    @property
    def anchor(self) -> date:
        """The date people plan by: the expected opening, else the expected closing."""
        return self.opens_on or self.closes_on  # type: ignore[return-value]


def _offset(d: date, year: int) -> int:
    return (d - date(year, 1, 1)).days


def _at(offset: float, year: int) -> date:
    return date(year, 1, 1) + timedelta(days=round(offset))


def confidence(n_years: int, spread_days: int) -> str:
    if n_years >= 3 and spread_days <= 21:
        return "tinggi"
    if n_years >= 2 and spread_days <= 45:
        return "sedang"
    return "rendah"


def predict(history: list[Round], year: int) -> Forecast | None:
    """The window of `year` from dated rounds of earlier years of one family (None without any)."""
    past = sorted((r for r in history if r.year < year and r.dated), key=lambda r: r.year)[-HISTORY_YEARS:]
    if not past:
        return None
    opens = [_offset(r.opens_on, r.year) for r in past if r.opens_on]
    closes = [_offset(r.closes_on, r.year) for r in past if r.closes_on]
    durations = [(r.closes_on - r.opens_on).days for r in past if r.opens_on and r.closes_on]
    opens_on = _at(median(opens), year) if opens else None
    closes_on = _at(median(closes), year) if closes else None
    if opens_on and closes_on and closes_on <= opens_on:
        closes_on = opens_on + timedelta(days=round(median(durations))) if durations else None
    spread_of = opens or closes
    return Forecast(
        family=past[0].family, year=year, opens_on=opens_on, closes_on=closes_on,
        earliest=_at(min(spread_of), year), latest=_at(max(spread_of), year),
        years=tuple(r.year for r in past), confidence=confidence(len(spread_of), max(spread_of) - min(spread_of)),
    )


def _months(first: date, last: date, d: date) -> bool:
    """`d` falls in a month from `first`'s to `last`'s."""
    after = last.replace(day=28) + timedelta(days=4)
    return first.replace(day=1) <= d < after.replace(day=1)


def hit(forecast: Forecast, actual: Round) -> bool:
    """The actual opening falls in the months the forecast names (or, when only closings are known,
    the actual closing in the forecast closing's month)."""
    if forecast.opens_on and actual.opens_on:
        return _months(forecast.earliest, forecast.latest, actual.opens_on)
    if forecast.closes_on and actual.closes_on:
        first, last = (forecast.earliest, forecast.latest) if not forecast.opens_on else (forecast.closes_on,) * 2
        return _months(first, last, actual.closes_on)
    return False


def error_days(forecast: Forecast, actual: Round) -> int | None:
    """Days between the point estimate and the actual opening (closing when no opening is known)."""
    if forecast.opens_on and actual.opens_on:
        return abs((actual.opens_on - forecast.opens_on).days)
    if forecast.closes_on and actual.closes_on:
        return abs((actual.closes_on - forecast.closes_on).days)
    return None
