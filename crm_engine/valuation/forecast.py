"""Choose and fit the purchase and spend models, falling back when data are thin.

A probability model fitted on a handful of repeat buyers gives confident
nonsense, so below ``min_repeaters`` repeat buyers -- or when a fit does not
converge or gives unusable forecasts -- the baseline (average spend x purchase
rate x retention) is used instead. The result always says which model was
used (``model``) and why (``note``), because a CLV is only as credible as the
model behind it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import baseline, bgnbd, gamma_gamma, pareto_nbd
from .fitting import FitError
from .summary import CustomerSummary

MIN_REPEATERS = 20
PURCHASE_MODELS = {
    "bgnbd": (bgnbd.BgNbdFit.name, bgnbd.fit),
    "paretonbd": (pareto_nbd.ParetoNbdFit.name, pareto_nbd.fit),
}
GAMMA_GAMMA = "Gamma-Gamma"
AVERAGE_SPEND = "Average spend"


def check_model(model: str) -> None:
    if model not in PURCHASE_MODELS:
        raise ValueError(
            f"unknown model {model!r}; use one of {', '.join(PURCHASE_MODELS)}"
        )


@dataclass(frozen=True)
class PurchaseForecast:
    """The fitted purchase model, or the baseline, with the reason for it."""

    model: str
    note: str
    fitted: bgnbd.BgNbdFit | pareto_nbd.ParetoNbdFit | baseline.BaselineFit

    @property
    def is_baseline(self) -> bool:
        return isinstance(self.fitted, baseline.BaselineFit)

    @property
    def params(self) -> dict[str, float]:
        return self.fitted.params

    @property
    def log_likelihood(self) -> float:
        return self.fitted.log_likelihood

    def p_alive(self, summary: CustomerSummary) -> np.ndarray:
        rows = summary.histories
        return rows.expand(self.fitted.p_alive(*rows.columns))

    def cumulative_purchases(self, horizons, summary: CustomerSummary) -> np.ndarray:
        """Expected purchases up to each horizon: shape (len(horizons), customers).

        Computed once per distinct (x, t_x, T) history, which makes a million
        customers cheap.
        """
        rows = summary.histories
        t = np.asarray(horizons, dtype=float).reshape(-1, 1)
        return self.fitted.expected_purchases(t, *rows.columns)[:, rows.inverse]


def forecast_purchases(
    summary: CustomerSummary, model: str = "bgnbd", min_repeaters: int = MIN_REPEATERS
) -> PurchaseForecast:
    """Fit ``model`` ("bgnbd" or "paretonbd") or fall back to the baseline."""
    check_model(model)
    fallback = baseline.fit(summary.x, summary.t_x, summary.T, summary.units_per_year)
    repeaters = int(np.count_nonzero(summary.x > 0))
    if repeaters < min_repeaters:
        return PurchaseForecast(
            baseline.BaselineFit.name,
            f"{repeaters} customer(s) bought more than once, fewer than the "
            f"{min_repeaters} needed to fit a purchase model: the baseline "
            "forecast is used.",
            fallback,
        )
    name, fit = PURCHASE_MODELS[model]
    try:
        rows = summary.histories
        fitted = fit(*rows.columns, weights=rows.counts)
    except (FitError, FloatingPointError, ValueError) as error:
        return PurchaseForecast(
            baseline.BaselineFit.name,
            f"The {name} fit failed ({error}); the baseline forecast is used.",
            fallback,
        )
    forecast = PurchaseForecast(fitted.name, "", fitted)
    check = forecast.cumulative_purchases([summary.units_per_year], summary)
    if not np.all(np.isfinite(check)):
        return PurchaseForecast(
            baseline.BaselineFit.name,
            f"The {name} fit gave unusable forecasts; the baseline forecast is used.",
            fallback,
        )
    return forecast


@dataclass(frozen=True)
class SpendForecast:
    """Expected value of each customer's future purchases."""

    model: str
    note: str
    expected: np.ndarray
    params: dict[str, float]


def average_spend(summary: CustomerSummary, note: str = "") -> SpendForecast:
    """Own repeat average, or everybody's average purchase for one-time buyers."""
    repeat = (summary.x > 0) & (summary.zbar > 0)
    overall = summary.revenue.sum() / max(summary.frequency.sum(), 1)
    expected = np.where(repeat, summary.zbar, overall)
    return SpendForecast(AVERAGE_SPEND, note, expected, {})


def forecast_spend(
    summary: CustomerSummary, min_repeaters: int = MIN_REPEATERS
) -> SpendForecast:
    """Gamma-Gamma when there are enough positive repeat purchases."""
    repeat = (summary.x > 0) & (summary.zbar > 0)
    if np.count_nonzero(repeat) < min_repeaters:
        return average_spend(summary)
    try:
        fitted = gamma_gamma.fit(summary.x, summary.zbar)
    except (FitError, FloatingPointError, ValueError) as error:
        return average_spend(
            summary, f"The Gamma-Gamma fit failed ({error}); average spend is used."
        )
    if fitted.q <= 1.0:
        return average_spend(
            summary,
            "The Gamma-Gamma fit has no finite average spend (q <= 1); average "
            "spend is used.",
        )
    expected = np.where(
        repeat,
        fitted.expected_spend(summary.x, summary.zbar),
        fitted.population_mean,
    )
    return SpendForecast(GAMMA_GAMMA, "", expected, fitted.params)
