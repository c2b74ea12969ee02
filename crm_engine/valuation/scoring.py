"""The fitted models as one object that scores customers and survives storage.

Fitting needs everybody's history; scoring a customer then needs only their
own ``x``, ``t_x``, ``T``, ``zbar`` and margin ratio. Keeping the two apart lets
Odoo fit once and score customers in slices (as background jobs), rebuilding
the models from the parameters stored on the valuation run (``to_json`` /
``from_json``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import baseline, bgnbd, gamma_gamma, mbgnbd, pareto_nbd
from .clv import discounted_purchases
from .fitting import unique_rows
from .forecast import (
    MODEL_JOIN,
    PurchaseForecast,
    SpendForecast,
    average_spend,
    forecast_purchases,
    forecast_spend,
)
from .profitability import clv_ratio
from .summary import DAYS_PER_YEAR, CustomerSummary, days_per_unit
from .texts import Note, note_from_json, note_json

PURCHASE_FITS = {
    "bgnbd": bgnbd.BgNbdFit,
    "paretonbd": pareto_nbd.ParetoNbdFit,
    "mbgnbd": mbgnbd.MbgNbdFit,
}


@dataclass(frozen=True)
class CustomerScores:
    """The model's view of each customer, arrays aligned with the input."""

    p_alive: np.ndarray
    expected_purchases: np.ndarray
    expected_spend: np.ndarray
    clv: np.ndarray
    future_margin: np.ndarray  # as the CLV, negative for loss-makers


@dataclass(frozen=True)
class FittedModels:
    """Purchase model (or baseline) and spend model, in one time unit."""

    purchases: PurchaseForecast
    spend: SpendForecast
    unit: str

    @property
    def units_per_year(self) -> float:
        return DAYS_PER_YEAR / days_per_unit(self.unit)

    @property
    def model(self) -> str:
        if self.purchases.is_baseline:
            return self.purchases.model
        return MODEL_JOIN.join((self.purchases.model, self.spend.model))

    @property
    def note(self) -> tuple[Note, ...]:
        """Why a fallback was used, if one was: rendered in the reader's language."""
        return tuple(note for note in (self.purchases.note, self.spend.note) if note)

    @property
    def parameters(self) -> dict[str, float]:
        return {**self.purchases.params, **self.spend.params}

    @property
    def log_likelihood(self) -> float | None:
        if self.purchases.is_baseline:
            return None
        return self.purchases.log_likelihood

    def score(
        self, x, t_x, T, zbar, margin_ratio, horizon_months, discount_rate
    ) -> CustomerScores:
        """P(alive), purchases over the horizon, spend per purchase and CLV.

        ``margin_ratio`` (per customer, or 1.0) turns the discounted expected
        revenue into margin: as it is for the expected future margin, clipped
        to [0, 1] for the CLV.
        """
        histories = unique_rows(x, t_x, T)
        discounted, expected = discounted_purchases(
            self.purchases,
            histories,
            self.units_per_year,
            horizon_months,
            discount_rate,
        )
        spend = self.spend.expected(x, zbar)
        revenue = discounted * spend
        ratio = np.asarray(margin_ratio, dtype=float)
        return CustomerScores(
            p_alive=self.purchases.p_alive(histories),
            expected_purchases=expected,
            expected_spend=spend,
            clv=revenue * clv_ratio(ratio),
            future_margin=revenue * ratio,
        )

    def to_json(self) -> dict:
        """Plain data (names, numbers, notes) that ``from_json`` turns back."""
        purchases, spend = self.purchases, self.spend
        kind = next(
            (
                key
                for key, cls in PURCHASE_FITS.items()
                if cls is type(purchases.fitted)
            ),
            "baseline",
        )
        return {
            "unit": self.unit,
            "purchases": {
                "kind": kind,
                "model": purchases.model,
                "note": note_json(purchases.note),
                "params": purchases.params,
                "log_likelihood": _number(purchases.log_likelihood),
            },
            "spend": {
                "kind": "gamma_gamma" if spend.fitted else "average",
                "model": spend.model,
                "note": note_json(spend.note),
                "params": spend.params,
                "overall": spend.overall,
            },
        }

    @classmethod
    def from_json(cls, data: dict) -> FittedModels:
        unit = data["unit"]
        units_per_year = DAYS_PER_YEAR / days_per_unit(unit)
        stored = data["purchases"]
        params = stored["params"]
        if stored["kind"] == "baseline":
            fitted = baseline.BaselineFit(
                rate=params["repeat_rate"],
                retention=params["yearly_retention"],
                units_per_year=units_per_year,
            )
        else:
            log_likelihood = stored["log_likelihood"]
            fitted = PURCHASE_FITS[stored["kind"]](
                **params,
                log_likelihood=float("nan")
                if log_likelihood is None
                else log_likelihood,
            )
        purchases = PurchaseForecast(
            stored["model"], note_from_json(stored["note"]), fitted
        )
        stored = data["spend"]
        spend_fit = (
            gamma_gamma.GammaGammaFit(**stored["params"])
            if stored["kind"] == "gamma_gamma"
            else None
        )
        spend = SpendForecast(
            stored["model"],
            note_from_json(stored["note"]),
            spend_fit,
            float(stored["overall"]),
        )
        return cls(purchases, spend, unit)


def _number(value):
    """JSON has no nan: the baseline's missing likelihood is stored as null."""
    value = float(value)
    return value if np.isfinite(value) else None


def fit_models(
    summary: CustomerSummary, model: str, min_repeaters: int
) -> FittedModels:
    """Fit the purchase model and, with it, the spend model (see forecast.py)."""
    purchases = forecast_purchases(summary, model, min_repeaters)
    spend = (
        average_spend(summary)
        if purchases.is_baseline
        else forecast_spend(summary, min_repeaters)
    )
    return FittedModels(purchases, spend, summary.unit)
