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

from . import baseline, bgnbd, gamma_gamma, mbgnbd, pareto_nbd
from .fitting import FitError, UniqueRows
from .summary import CustomerSummary
from .texts import N_, Note, Translator, english

MIN_REPEATERS = 20
PURCHASE_MODELS = {
    "bgnbd": (bgnbd.BgNbdFit.name, bgnbd.fit),
    "paretonbd": (pareto_nbd.ParetoNbdFit.name, pareto_nbd.fit),
    "mbgnbd": (mbgnbd.MbgNbdFit.name, mbgnbd.fit),
}
# "auto": the holdout check picks one of these (see pipeline.select_model).
# Both let customers leave before their first repeat purchase, so a one-time
# buyer silent for years is not shown as certainly active, as BG/NBD would.
AUTO = "auto"
AUTO_CANDIDATES = ("mbgnbd", "paretonbd")
GAMMA_GAMMA = "Gamma-Gamma"
AVERAGE_SPEND = N_("Average spend")
# Model names that are words, translated where shown; the others are names of
# published models and stay as they are.
MODEL_WORDS = (baseline.BaselineFit.name, AVERAGE_SPEND)
MODEL_JOIN = " + "


def model_label(model: str, tr: Translator = english) -> str:
    """``model`` (such as "Pareto/NBD + Average spend") in the reader's words."""
    return MODEL_JOIN.join(
        tr(part) if part in MODEL_WORDS else part for part in model.split(MODEL_JOIN)
    )


def check_model(model: str, auto: bool = False) -> None:
    """Refuse an unknown model name; ``auto`` accepts AUTO as well."""
    names = (*PURCHASE_MODELS, AUTO) if auto else tuple(PURCHASE_MODELS)
    if model not in names:
        raise ValueError(f"unknown model {model!r}; use one of {', '.join(names)}")


@dataclass(frozen=True)
class PurchaseForecast:
    """The fitted purchase model, or the baseline, with the reason for it."""

    model: str
    note: Note | None
    fitted: (
        bgnbd.BgNbdFit
        | mbgnbd.MbgNbdFit
        | pareto_nbd.ParetoNbdFit
        | baseline.BaselineFit
    )

    @property
    def is_baseline(self) -> bool:
        return isinstance(self.fitted, baseline.BaselineFit)

    @property
    def params(self) -> dict[str, float]:
        return self.fitted.params

    @property
    def log_likelihood(self) -> float:
        return self.fitted.log_likelihood

    def p_alive(self, histories: UniqueRows) -> np.ndarray:
        """P(alive) of each customer of the distinct (x, t_x, T) ``histories``."""
        return histories.expand(self.fitted.p_alive(*histories.columns))

    def cumulative_purchases(self, horizons, histories: UniqueRows) -> np.ndarray:
        """Expected purchases up to each horizon: shape (len(horizons), customers).

        Computed once per distinct (x, t_x, T) history, which makes a million
        customers cheap.
        """
        t = np.asarray(horizons, dtype=float).reshape(-1, 1)
        rows = self.fitted.expected_purchases(t, *histories.columns)
        return rows[:, histories.inverse]


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
            Note(
                "%(repeaters)s customer(s) bought more than once, fewer than the "
                "%(needed)s needed to fit a purchase model: the baseline forecast "
                "is used.",
                {"repeaters": repeaters, "needed": min_repeaters},
            ),
            fallback,
        )
    name, fit = PURCHASE_MODELS[model]
    try:
        rows = summary.histories
        fitted = fit(*rows.columns, weights=rows.counts)
    except (FitError, FloatingPointError, ValueError) as error:
        return PurchaseForecast(
            baseline.BaselineFit.name,
            Note(
                "The %(model)s fit failed (%(error)s); the baseline forecast is used.",
                {"model": name, "error": str(error)},
            ),
            fallback,
        )
    forecast = PurchaseForecast(fitted.name, None, fitted)
    check = forecast.cumulative_purchases([summary.units_per_year], summary.histories)
    if not np.all(np.isfinite(check)):
        return PurchaseForecast(
            baseline.BaselineFit.name,
            Note(
                "The %(model)s fit gave unusable forecasts; the baseline forecast "
                "is used.",
                {"model": name},
            ),
            fallback,
        )
    return forecast


@dataclass(frozen=True)
class SpendForecast:
    """How much a customer's future purchases are expected to be worth.

    Customers with positive repeat purchases get the Gamma-Gamma blend of their
    own average and everybody's (or, without the model, their own average);
    the others get ``overall``: the model's population mean, or the average
    purchase of all customers.
    """

    model: str
    note: Note | None
    fitted: gamma_gamma.GammaGammaFit | None
    overall: float

    @property
    def params(self) -> dict[str, float]:
        return self.fitted.params if self.fitted else {}

    def expected(self, x, zbar) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        zbar = np.asarray(zbar, dtype=float)
        repeat = (x > 0) & (zbar > 0)
        own = self.fitted.expected_spend(x, zbar) if self.fitted else zbar
        return np.where(repeat, own, self.overall)


def average_spend(summary: CustomerSummary, note: Note | None = None) -> SpendForecast:
    """Own repeat average, or everybody's average purchase for one-time buyers."""
    overall = summary.revenue.sum() / max(summary.frequency.sum(), 1)
    return SpendForecast(AVERAGE_SPEND, note, None, float(overall))


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
            summary,
            Note(
                "The Gamma-Gamma fit failed (%(error)s); average spend is used.",
                {"error": str(error)},
            ),
        )
    if fitted.q <= 1.0:
        return average_spend(
            summary,
            Note(
                "The Gamma-Gamma fit has no finite average spend (q <= 1); average "
                "spend is used."
            ),
        )
    return SpendForecast(GAMMA_GAMMA, None, fitted, fitted.population_mean)
