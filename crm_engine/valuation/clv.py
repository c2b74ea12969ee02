"""Customer lifetime value over a horizon, discounted month by month.

CLV = sum over months m = 1..H of
      (expected purchases in month m) x expected spend x margin ratio
      / (1 + d)^(m / 12),
with d the yearly discount rate, i.e. a monthly rate of (1 + d)^(1/12) - 1, and
each month's purchases counted at the month's end. Months are 365.25 / 12 days.
The expected purchases in month m are the model's cumulative expectation at m
months minus that at m - 1 months, so the purchase model's own shape of decay
(customers dropping out) is kept.
"""

from __future__ import annotations

import numpy as np

from .fitting import UniqueRows
from .forecast import PurchaseForecast

MONTHS_PER_YEAR = 12


def discounted_purchases(
    forecast: PurchaseForecast,
    histories: UniqueRows,
    units_per_year: float,
    horizon_months: int,
    discount_rate: float,
):
    """(discounted expected purchases, undiscounted total) over the horizon."""
    if horizon_months < 1 or discount_rate < 0:
        raise ValueError("the horizon must be >= 1 month and the rate >= 0")
    months = np.arange(horizon_months + 1)
    horizons = months * units_per_year / MONTHS_PER_YEAR
    cumulative = forecast.cumulative_purchases(horizons, histories)
    per_month = np.diff(cumulative, axis=0)
    factors = (1.0 + discount_rate) ** (-months[1:] / MONTHS_PER_YEAR)
    return factors @ per_month, cumulative[-1]
