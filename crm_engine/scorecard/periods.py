"""Scorecard periods: calendar months or quarters, as (first day, last day)."""

from __future__ import annotations

import datetime

PERIOD_KINDS = ("month", "quarter")


def period_of(day: datetime.date, kind: str) -> tuple[datetime.date, datetime.date]:
    """The month or quarter that holds ``day``."""
    if kind not in PERIOD_KINDS:
        raise ValueError(f"unknown period kind {kind!r}")
    months = 1 if kind == "month" else 3
    first_month = (day.month - 1) // months * months + 1
    start = day.replace(month=first_month, day=1)
    return start, _add_months(start, months) - datetime.timedelta(days=1)


def periods_between(
    first: datetime.date, last: datetime.date, kind: str
) -> list[tuple[datetime.date, datetime.date]]:
    """Every period from the one holding ``first`` to the one holding ``last``."""
    if last < first:
        return []
    periods = []
    start, end = period_of(first, kind)
    while start <= last:
        periods.append((start, end))
        start, end = period_of(end + datetime.timedelta(days=1), kind)
    return periods


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return day.replace(year=index // 12, month=index % 12 + 1)
