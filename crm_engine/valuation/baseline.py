"""The no-model forecast: average spend x purchase rate x retention.

Used when there are too few repeat buyers to fit a probability model, and as
the yardstick of the holdout check (a model that cannot beat it is not worth its
complexity). A customer's rate is their own repeat rate shrunk towards the
population's with the weight of half a year of observation, so a customer seen
for two weeks is not extrapolated from one lucky order; future purchases fade
with the yearly retention seen in the data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .fitting import as_arrays
from .texts import N_


@dataclass(frozen=True)
class BaselineFit:
    """Population repeat rate (per time unit) and yearly retention."""

    rate: float
    retention: float
    units_per_year: float

    name = N_("Baseline")
    log_likelihood = float("nan")

    @property
    def params(self) -> dict[str, float]:
        return {"repeat_rate": self.rate, "yearly_retention": self.retention}

    def customer_rate(self, x, T):
        """(x + prior x population rate) / (T + prior), prior = half a year."""
        x, T = as_arrays(x, T)
        prior = self.units_per_year / 2.0
        return (x + prior * self.rate) / (T + prior)

    def p_alive(self, x, t_x, T):
        """Chance of a silence as long as the customer's at their own rate.

        Not a dropout model, only a monotone "how overdue" score, so the column
        still means something when the baseline is in use.
        """
        x, t_x, T = as_arrays(x, t_x, T)
        return np.exp(-self.customer_rate(x, T) * (T - t_x))

    def expected_purchases(self, t, x, t_x, T):
        """Rate x the integral of retention^(u / year) over the next ``t`` units."""
        x, t_x, T, t = as_arrays(x, t_x, T, t)
        rate = self.customer_rate(x, T)
        if self.retention >= 1.0 or self.retention <= 0.0:
            return rate * t * self.retention
        decay = np.log(self.retention) / self.units_per_year
        return rate * np.expm1(decay * t) / decay


def fit(x, t_x, T, units_per_year) -> BaselineFit:
    """Rate = repeat purchases / time observed, over all customers.

    Yearly retention = share of the customers observed for a year or more who
    bought in their last year; 1 when nobody has been observed that long.
    """
    x, t_x, T = as_arrays(x, t_x, T)
    observed = T.sum()
    rate = float(x.sum() / observed) if observed > 0 else 0.0
    veteran = T >= units_per_year
    retention = (
        float(np.mean(T[veteran] - t_x[veteran] < units_per_year))
        if veteran.any()
        else 1.0
    )
    return BaselineFit(rate=rate, retention=retention, units_per_year=units_per_year)
