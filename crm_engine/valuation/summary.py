"""Raw purchase rows -> the per-customer summaries the models need.

The buy-till-you-die models only look at a customer's number of repeat purchases
``x``, the time of the last one ``t_x`` and the length of observation ``T``, both
measured from the first purchase; the Gamma-Gamma spend model adds ``zbar``, the
mean value of the repeat purchases. As in the CDNOW papers a purchase is a
purchase *day*: several orders of one customer on one day are summed into one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .fitting import UniqueRows, unique_rows
from .texts import N_

# The unit names are also shown to people (translated where shown).
DAYS_PER_UNIT = {N_("weeks"): 7.0, N_("days"): 1.0}
DAYS_PER_YEAR = 365.25


def days_per_unit(unit: str) -> float:
    try:
        return DAYS_PER_UNIT[unit]
    except KeyError:
        raise ValueError(f"unknown time unit {unit!r}; use weeks or days") from None


@dataclass(frozen=True)
class DailyPurchases:
    """One row per customer and purchase day, sorted by customer then day.

    ``code`` indexes ``labels`` (the caller's customer ids, sorted), so any id
    type works -- Odoo partner ids as well as strings from a CSV.
    """

    labels: np.ndarray
    code: np.ndarray
    date: np.ndarray
    amount: np.ndarray
    cost: np.ndarray
    discount: np.ndarray
    orders: np.ndarray


def _run_starts(*keys):
    """Where each run of equal (already sorted) keys begins."""
    n = keys[0].shape[0]
    change = np.zeros(n, dtype=bool)
    change[:1] = True
    for key in keys:
        change[1:] |= key[1:] != key[:-1]
    return np.flatnonzero(change)


def _run_sums(values, starts):
    """Sum of each run; reduceat refuses empty input, hence the guard."""
    return np.add.reduceat(values, starts) if starts.size else values[:0]


def _column(values, n, default):
    if values is None:
        return np.full(n, default, dtype=float)
    return np.asarray(values, dtype=float)


def merge_same_day(customer, date, amount, cost=None, discount=None, orders=None):
    """Sum the rows of one customer and day. Without ``orders`` each row is one."""
    labels, code = np.unique(np.asarray(customer), return_inverse=True)
    code = code.ravel().astype(np.int64)
    day = np.asarray(date, dtype="datetime64[D]").astype(np.int64)
    n = code.shape[0]
    values = [
        np.asarray(amount, dtype=float),
        _column(cost, n, 0.0),
        _column(discount, n, 0.0),
        _column(orders, n, 1.0),
    ]
    order = np.lexsort((day, code))
    code, day = code[order], day[order]
    starts = _run_starts(code, day)
    sums = [_run_sums(v[order], starts) for v in values]
    return DailyPurchases(
        labels, code[starts], day[starts].astype("datetime64[D]"), *sums
    )


@dataclass(frozen=True)
class CustomerSummary:
    """One entry per customer who bought on or before ``end``, sorted by id.

    ``t_x`` and ``T`` are in ``unit``; ``frequency`` counts every purchase day
    (x + 1), which is what a sales manager calls frequency.
    """

    customer: np.ndarray
    code: np.ndarray
    first: np.ndarray
    last: np.ndarray
    frequency: np.ndarray
    x: np.ndarray
    t_x: np.ndarray
    T: np.ndarray
    zbar: np.ndarray
    revenue: np.ndarray
    cost: np.ndarray
    discount: np.ndarray
    orders: np.ndarray
    end: np.datetime64
    unit: str

    @property
    def units_per_year(self) -> float:
        return DAYS_PER_YEAR / days_per_unit(self.unit)

    @cached_property
    def histories(self) -> UniqueRows:
        """Distinct (x, t_x, T) rows with counts, shared by fits and forecasts."""
        return unique_rows(self.x, self.t_x, self.T)

    @property
    def monetary(self) -> np.ndarray:
        """Average value of a purchase day (the M of RFM)."""
        return self.revenue / np.maximum(self.frequency, 1)


def summarize(daily: DailyPurchases, end, unit: str = "weeks") -> CustomerSummary:
    """Summaries of the purchases on or before ``end`` (the calibration end).

    ``T`` runs from the first purchase to ``end``, so a customer whose first
    purchase is on ``end`` itself has T = 0.
    """
    scale = days_per_unit(unit)
    end = np.datetime64(end, "D")
    keep = daily.date <= end
    code = daily.code[keep]
    day = daily.date[keep].astype(np.int64)
    starts = _run_starts(code)
    stops = np.append(starts[1:], code.shape[0])[: starts.size] - 1

    def total(values):
        return _run_sums(values[keep], starts)

    frequency = stops - starts + 1
    x = frequency - 1
    revenue = total(daily.amount)
    repeat_value = revenue - daily.amount[keep][starts]
    return CustomerSummary(
        customer=daily.labels[code[starts]],
        code=code[starts],
        first=day[starts].astype("datetime64[D]"),
        last=day[stops].astype("datetime64[D]"),
        frequency=frequency,
        x=x,
        t_x=(day[stops] - day[starts]) / scale,
        T=(end.astype(np.int64) - day[starts]) / scale,
        zbar=np.where(x > 0, repeat_value / np.maximum(x, 1), 0.0),
        revenue=revenue,
        cost=total(daily.cost),
        discount=total(daily.discount),
        orders=total(daily.orders),
        end=end,
        unit=unit,
    )


def purchase_days_between(daily: DailyPurchases, code, start, end) -> np.ndarray:
    """Purchase days of each customer (by ``code``) in the window (start, end].

    The holdout check compares these actual counts with the forecast.
    """
    start, end = np.datetime64(start, "D"), np.datetime64(end, "D")
    inside = (daily.date > start) & (daily.date <= end)
    counts = np.bincount(daily.code[inside], minlength=daily.labels.shape[0])
    return counts[np.asarray(code, dtype=np.int64)]
