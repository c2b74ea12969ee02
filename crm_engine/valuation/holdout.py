"""Holdout check: fit on older purchases, forecast the recent ones, compare.

The model is fitted on the purchases up to the calibration end and asked how
many purchase days each of those customers will have up to the holdout end;
the answer is compared, customer by customer, with what they actually did. The
baseline (average purchase rate x retention) is scored the same way. The
grade looks at two errors: the mean absolute error per customer (MAE) against
the baseline's, and how far the forecast total is from the actual total. A
model can beat the naive rate customer by customer and still forecast half as
many purchases again as were made; that is not good.

* good: model MAE <= 0.9 x baseline MAE and the total within 15%;
* fair: model MAE <= 1.1 x baseline MAE and the total within 30%: trust the
  ranking more than the individual numbers;
* poor: otherwise.

When the model itself had to fall back to the baseline, the two forecasts are
the same and the grade is "fair"; the note says why.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np

from . import baseline
from .forecast import MIN_REPEATERS, forecast_purchases, model_label
from .summary import DailyPurchases, days_per_unit, purchase_days_between, summarize
from .texts import (
    N_,
    Note,
    Number,
    TextError,
    Translator,
    english,
    note_from_json,
    note_json,
)

GOOD = 0.9
FAIR = 1.1
TOTAL_GOOD = 0.15
TOTAL_FAIR = 0.30


def total_error(predicted_total: float, actual_total: float) -> float:
    """Signed relative error of the forecast total (+0.54: 54% too many)."""
    if actual_total <= 0:
        return 0.0 if predicted_total <= 0 else float("inf")
    return (predicted_total - actual_total) / actual_total


def grade_for(
    model_mae: float,
    baseline_mae: float,
    predicted_total: float = 0.0,
    actual_total: float = 0.0,
) -> str:
    """Apply the thresholds above; a perfect baseline can only be matched.

    The grade is stored as it is and translated where shown.
    """
    off = abs(total_error(predicted_total, actual_total))
    if baseline_mae <= 0:
        ratio = 0.0 if model_mae <= 0 else float("inf")
    else:
        ratio = model_mae / baseline_mae
    if ratio <= GOOD and off <= TOTAL_GOOD:
        return N_("good")
    return N_("fair") if ratio <= FAIR and off <= TOTAL_FAIR else N_("poor")


@dataclass(frozen=True)
class Accuracy:
    """How one forecast of holdout purchases compares with what happened."""

    predicted_total: float
    mae: float  # mean absolute error per customer, in purchases
    correlation: float  # Pearson, customers' forecast vs actual; nan if flat

    @classmethod
    def of(cls, predicted, actual) -> Accuracy:
        if np.ptp(predicted) > 0 and np.ptp(actual) > 0:
            correlation = float(np.corrcoef(predicted, actual)[0, 1])
        else:
            correlation = float("nan")
        return cls(
            predicted_total=float(predicted.sum()),
            mae=float(np.mean(np.abs(predicted - actual))),
            correlation=correlation,
        )


@dataclass(frozen=True)
class HoldoutReport:
    calibration_end: np.datetime64
    holdout_end: np.datetime64
    customers: int
    actual_total: float
    model: str
    note: Note | None
    model_accuracy: Accuracy
    baseline_accuracy: Accuracy
    grade: str

    def to_json(self) -> dict:
        """Plain data for storage; ``from_json`` gives the report back."""
        return {
            "calibration_end": str(self.calibration_end),
            "holdout_end": str(self.holdout_end),
            "customers": self.customers,
            "actual_total": self.actual_total,
            "model": self.model,
            "note": note_json(self.note),
            "model_accuracy": _accuracy_json(self.model_accuracy),
            "baseline_accuracy": _accuracy_json(self.baseline_accuracy),
            "grade": self.grade,
        }

    @classmethod
    def from_json(cls, data: dict) -> HoldoutReport:
        return cls(
            calibration_end=np.datetime64(data["calibration_end"], "D"),
            holdout_end=np.datetime64(data["holdout_end"], "D"),
            customers=data["customers"],
            actual_total=data["actual_total"],
            model=data["model"],
            note=note_from_json(data["note"]),
            model_accuracy=_accuracy_from_json(data["model_accuracy"]),
            baseline_accuracy=_accuracy_from_json(data["baseline_accuracy"]),
            grade=data["grade"],
        )

    def describe(self, tr: Translator = english) -> str:
        """The check for a sales manager, in their language: what was
        forecast and made, both errors, and why the grade is what it is."""
        model, base = self.model_accuracy, self.baseline_accuracy
        facts = tr(
            "Fitted on purchases up to %(calibration_end)s, %(model)s predicted "
            "%(predicted)s purchases by these %(customers)s customers up to "
            "%(holdout_end)s; they made %(actual)s. Average error per customer: "
            "%(model_mae)s purchases with the model, %(baseline_mae)s with the "
            "average-rate baseline.",
            calibration_end=self.calibration_end.astype(datetime.date),
            model=model_label(self.model, tr),
            predicted=Number(model.predicted_total),
            customers=self.customers,
            holdout_end=self.holdout_end.astype(datetime.date),
            actual=Number(self.actual_total),
            model_mae=Number(model.mae, 3),
            baseline_mae=Number(base.mae, 3),
        )
        return f"{facts} {self.grade_reason(tr)}"

    def grade_reason(self, tr: Translator = english) -> str:
        """The grade in one sentence, with both errors that make it."""
        off = total_error(self.model_accuracy.predicted_total, self.actual_total)
        base = self.baseline_accuracy.mae
        versus = (self.model_accuracy.mae - base) / base if base > 0 else float("nan")
        return tr(
            "Graded %(grade)s: the total forecast is %(total_error)s against the "
            "actual total, the error per customer %(versus)s against the "
            "baseline's.",
            grade=tr(self.grade),
            total_error=f"{off:+.0%}" if np.isfinite(off) else "∞",
            versus=f"{versus:+.0%}" if np.isfinite(versus) else "-",
        )


def _accuracy_json(accuracy: Accuracy) -> dict:
    """JSON has no nan: a flat forecast's missing correlation is stored as null."""
    correlation = accuracy.correlation
    return {
        "predicted_total": accuracy.predicted_total,
        "mae": accuracy.mae,
        "correlation": correlation if np.isfinite(correlation) else None,
    }


def _accuracy_from_json(data: dict) -> Accuracy:
    correlation = data["correlation"]
    return Accuracy(
        predicted_total=data["predicted_total"],
        mae=data["mae"],
        correlation=float("nan") if correlation is None else correlation,
    )


def holdout_check(
    daily: DailyPurchases,
    calibration_end,
    holdout_end,
    model: str = "bgnbd",
    unit: str = "weeks",
    min_repeaters: int = MIN_REPEATERS,
) -> HoldoutReport:
    """Fit up to ``calibration_end``, score the forecast up to ``holdout_end``.

    Raises TextError (a ValueError) when there is nothing to check, so the
    valuation can say why in the reader's language.
    """
    calibration_end = np.datetime64(calibration_end, "D")
    holdout_end = np.datetime64(holdout_end, "D")
    if holdout_end <= calibration_end:
        raise TextError(Note("the holdout must end after the calibration period"))
    summary = summarize(daily, calibration_end, unit)
    if summary.customer.size == 0:
        raise TextError(
            Note("no purchases on or before %(date)s", {"date": str(calibration_end)})
        )
    forecast = forecast_purchases(summary, model, min_repeaters)
    naive = baseline.fit(summary.x, summary.t_x, summary.T, summary.units_per_year)
    length = (holdout_end - calibration_end).astype(int) / days_per_unit(unit)
    actual = purchase_days_between(
        daily, summary.code, calibration_end, holdout_end
    ).astype(float)
    predicted = forecast.cumulative_purchases([length], summary.histories)[0]
    base = naive.expected_purchases(length, summary.x, summary.t_x, summary.T)
    model_accuracy = Accuracy.of(predicted, actual)
    baseline_accuracy = Accuracy.of(base, actual)
    return HoldoutReport(
        calibration_end=calibration_end,
        holdout_end=holdout_end,
        customers=int(summary.customer.size),
        actual_total=float(actual.sum()),
        model=forecast.model,
        note=forecast.note,
        model_accuracy=model_accuracy,
        baseline_accuracy=baseline_accuracy,
        grade=grade_for(
            model_accuracy.mae,
            baseline_accuracy.mae,
            model_accuracy.predicted_total,
            float(actual.sum()),
        ),
    )
