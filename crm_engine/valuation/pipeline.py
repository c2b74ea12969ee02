"""Transactions -> one valuation row per customer: the call Odoo and the CLI make.

Steps: merge same-day purchases, summarise each customer up to ``as_of``, score
RFM, compute the profit and loss, fit the purchase model (BG/NBD or Pareto/NBD,
with the baseline as fallback) and the Gamma-Gamma spend model, value the next
``horizon_months`` with discounting, classify A/B/C, and check the purchase
model on a holdout period.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import numpy as np

from .forecast import AUTO, AUTO_CANDIDATES, MIN_REPEATERS, PURCHASE_MODELS, check_model
from .holdout import HoldoutReport, holdout_check
from .pareto_abc import (
    DEFAULT_ABC_CUTOFFS,
    ConcentrationCurve,
    abc_classes,
    concentration_curve,
    revenue_deciles,
    revenue_rank_percent,
)
from .profitability import ProfitSettings, customer_profitability, margin_ratio
from .rfm import rfm_cells, rfm_scores, segments, signals_disagree
from .scoring import FittedModels, fit_models
from .summary import (
    CustomerSummary,
    DailyPurchases,
    days_per_unit,
    merge_same_day,
    summarize,
)
from .texts import Note, Number, TextError

# Zero (or a copy of revenue) without any cost information: not exported then.
PROFIT_COLUMNS = (
    "discount",
    "returns",
    "cost_of_goods",
    "helpdesk_hours",
    "cost_to_serve",
    "payment_delay_cost",
    "margin",
    "margin_percent",
)
TABLE_COLUMNS = (
    "customer",
    "first_purchase",
    "last_purchase",
    "recency_days",
    "frequency",
    "monetary",
    "r_score",
    "f_score",
    "m_score",
    "rfm_cell",
    "segment",
    "revenue",
    *PROFIT_COLUMNS,
    "p_alive",
    "signals_disagree",
    "expected_purchases",
    "expected_spend",
    "clv",
    "future_margin",
    "abc_class",
    "revenue_rank_percent",
    "revenue_decile",
)
# Filled by the fitted models; the other columns describe the past.
SCORE_COLUMNS = (
    "p_alive",
    "expected_purchases",
    "expected_spend",
    "clv",
    "future_margin",
)
# Copies of CLV (or zeros) without cost information: not exported then.
COST_COLUMNS = (*PROFIT_COLUMNS, "future_margin")


@dataclass(frozen=True)
class Transactions:
    """Purchase rows. ``amount`` is what the customer paid (after discounts);
    ``cost`` the cost of goods at the time of sale, ``discount`` the discount
    granted on top of ``amount``, ``orders`` the number of orders in the row
    (1 per row when absent)."""

    customer: np.ndarray
    date: np.ndarray
    amount: np.ndarray
    cost: np.ndarray | None = None
    discount: np.ndarray | None = None
    orders: np.ndarray | None = None


@dataclass(frozen=True)
class CustomerExtras:
    """Per-customer totals not found on the sales: credit notes (without tax)
    and the cost of the goods they took back, helpdesk hours, and the sum over
    invoices of amount x days paid late."""

    customer: np.ndarray
    returns: np.ndarray
    helpdesk_hours: np.ndarray
    late_amount_days: np.ndarray
    returned_cost: np.ndarray | float = 0.0


@dataclass(frozen=True)
class ValuationSettings:
    # "auto" (the holdout check picks MBG/NBD or Pareto/NBD), or one of
    # forecast.PURCHASE_MODELS: "mbgnbd", "paretonbd", "bgnbd"
    model: str = AUTO
    unit: str = "weeks"  # time unit of the models: "weeks" or "days"
    horizon_months: int = 12
    discount_rate: float = 0.10  # yearly
    holdout_weeks: float = 26.0  # 0: no holdout check
    abc_cutoffs: tuple[float, float] = DEFAULT_ABC_CUTOFFS
    profit: ProfitSettings = field(default_factory=ProfitSettings)
    min_repeaters: int = MIN_REPEATERS

    def __post_init__(self):
        check_model(self.model, auto=True)
        days_per_unit(self.unit)
        if self.horizon_months < 1:
            raise ValueError("the horizon must be at least one month")
        if self.discount_rate < 0 or self.holdout_weeks < 0:
            raise ValueError("the discount rate and holdout cannot be negative")
        low, high = self.abc_cutoffs
        if not 0.0 < low < high <= 1.0:
            raise ValueError("ABC cut-offs must satisfy 0 < A < B <= 1")


@dataclass(frozen=True)
class Valuation:
    """Everything the reports show. ``table`` maps TABLE_COLUMNS to arrays, one
    entry per customer, sorted by revenue (highest first); ``note`` says why a
    model fell back or the holdout check was skipped, rendered when shown."""

    as_of: datetime.date
    settings: ValuationSettings
    table: dict[str, np.ndarray]
    model: str
    note: tuple[Note, ...]
    parameters: dict[str, float]
    log_likelihood: float | None
    holdout: HoldoutReport | None
    costs_known: bool
    revenue_curve: ConcentrationCurve
    margin_curve: ConcentrationCurve


def _extras_by_customer(extras: CustomerExtras | None, customers: np.ndarray):
    """The extras aligned with ``customers`` (sorted); missing ones are 0."""
    names = ("returns", "helpdesk_hours", "late_amount_days", "returned_cost")
    aligned = {name: np.zeros(customers.shape[0]) for name in names}
    if extras is None or customers.size == 0:
        return aligned
    ids = np.asarray(extras.customer)
    pos = np.searchsorted(customers, ids)
    found = pos < customers.shape[0]
    found[found] = customers[pos[found]] == ids[found]
    for name in names:
        values = np.broadcast_to(
            np.asarray(getattr(extras, name), dtype=float), ids.shape
        )
        np.add.at(aligned[name], pos[found], values[found])
    return aligned


def _holdout(daily, as_of, settings, calibration_end, model):
    """The holdout report of ``model``, or None and the reason it could not
    be run."""
    if calibration_end is None:
        if settings.holdout_weeks <= 0:
            return None, None
        days = round(settings.holdout_weeks * 7)
        calibration_end = np.datetime64(as_of, "D") - np.timedelta64(days, "D")
    try:
        report = holdout_check(
            daily,
            calibration_end,
            as_of,
            model,
            settings.unit,
            settings.min_repeaters,
        )
    except ValueError as error:
        reason = error.note if isinstance(error, TextError) else str(error)
        return None, Note("Holdout check skipped: %(reason)s.", {"reason": reason})
    return report, None


@dataclass(frozen=True)
class CustomerBase:
    """What the past says of each customer, before any model: RFM, profit and
    loss, ABC class and ranks in ``table`` (every column but SCORE_COLUMNS, in
    customer order), the model inputs in ``summary`` and, per customer, the
    share of net revenue kept as margin that turns a forecast into a CLV."""

    as_of: datetime.date
    settings: ValuationSettings
    daily: DailyPurchases
    summary: CustomerSummary
    table: dict[str, np.ndarray]
    margin_ratio: np.ndarray
    costs_known: bool


def describe_customers(
    transactions: Transactions,
    as_of=None,
    settings: ValuationSettings | None = None,
    extras: CustomerExtras | None = None,
) -> CustomerBase:
    """Summaries, RFM, profitability and ranks of every customer who bought on
    or before ``as_of`` (default: the last purchase date). Raises ValueError
    when nobody bought by then."""
    settings = settings or ValuationSettings()
    daily = merge_same_day(
        transactions.customer,
        transactions.date,
        transactions.amount,
        cost=transactions.cost,
        discount=transactions.discount,
        orders=transactions.orders,
    )
    if as_of is None:
        if daily.date.size == 0:
            raise ValueError("no transactions")
        as_of = daily.date.max()
    as_of = np.datetime64(as_of, "D").astype(datetime.date)
    summary = summarize(daily, as_of, settings.unit)
    if summary.customer.size == 0:
        raise ValueError(f"no purchases on or before {as_of}")

    recency_days = (summary.end - summary.last).astype(np.int64)
    r, f, m = rfm_scores(recency_days, summary.frequency, summary.monetary)
    extra = _extras_by_customer(extras, summary.customer)
    profit = customer_profitability(
        revenue=summary.revenue + summary.discount,
        cost_of_goods=summary.cost - extra["returned_cost"],
        discounts=summary.discount,
        returns=extra["returns"],
        helpdesk_hours=extra["helpdesk_hours"],
        orders=summary.orders,
        late_amount_days=extra["late_amount_days"],
        settings=settings.profit,
    )
    costs_known = (
        transactions.cost is not None
        or transactions.discount is not None
        or extras is not None
        or settings.profit != ProfitSettings()
    )
    table = {
        "customer": summary.customer,
        "first_purchase": summary.first,
        "last_purchase": summary.last,
        "recency_days": recency_days,
        "frequency": summary.frequency,
        "monetary": summary.monetary,
        "r_score": r,
        "f_score": f,
        "m_score": m,
        "rfm_cell": rfm_cells(r, f, m),
        "segment": segments(r, f, m),
        "revenue": summary.revenue,
        "discount": summary.discount,
        "returns": profit.returns,
        "cost_of_goods": profit.cost_of_goods,
        "helpdesk_hours": extra["helpdesk_hours"],
        "cost_to_serve": profit.cost_to_serve,
        "payment_delay_cost": profit.payment_delay_cost,
        "margin": profit.margin,
        "margin_percent": profit.margin_percent,
        "abc_class": abc_classes(summary.revenue, settings.abc_cutoffs),
        "revenue_rank_percent": revenue_rank_percent(summary.revenue),
        "revenue_decile": revenue_deciles(summary.revenue),
    }
    ratio = margin_ratio(profit) if costs_known else np.ones(summary.customer.size)
    return CustomerBase(as_of, settings, daily, summary, table, ratio, costs_known)


@dataclass(frozen=True)
class ModelChoice:
    """The purchase model to fit on everybody and its holdout report, with why
    the check was skipped (``skipped``) and why this model (``reason``)."""

    model: str  # a key of forecast.PURCHASE_MODELS
    report: HoldoutReport | None
    skipped: Note | None = None
    reason: Note | None = None

    def notes(self, models: FittedModels) -> tuple[Note, ...]:
        """What to say on the valuation fitted with ``models``: the reason for
        the model only where it was used, not where it fell back."""
        reason = None if models.purchases.is_baseline else self.reason
        return tuple(note for note in (self.skipped, reason) if note)


def select_model(base: CustomerBase, calibration_end=None) -> ModelChoice:
    """The settings' model with its holdout check; with "auto", the candidate
    whose holdout forecast missed the actual purchases least (MAE per
    customer), a candidate that fell back to the baseline only when both did.
    """
    settings = base.settings

    def check(model):
        return _holdout(base.daily, base.as_of, settings, calibration_end, model)

    if settings.model != AUTO:
        return ModelChoice(settings.model, *check(settings.model))
    first, *others = AUTO_CANDIDATES
    report, skipped = check(first)
    if report is None:
        reason = Note(
            "%(model)s is used: without a holdout check there is nothing to "
            "choose the model by.",
            {"model": PURCHASE_MODELS[first][0]},
        )
        return ModelChoice(first, None, skipped, reason)
    reports = {first: report, **{model: check(model)[0] for model in others}}
    fitted = [model for model, report in reports.items() if report.note is None]
    chosen = min(fitted or reports, key=lambda model: reports[model].model_accuracy.mae)
    other = next(model for model in reports if model != chosen)
    names = {model: PURCHASE_MODELS[model][0] for model in reports}
    if other in fitted:
        reason = Note(
            "%(chosen)s was chosen by the holdout check: its forecast of the "
            "recent purchases missed by %(chosen_error)s purchases per customer "
            "on average, %(other)s by %(other_error)s.",
            {
                "chosen": names[chosen],
                "chosen_error": Number(reports[chosen].model_accuracy.mae, 3),
                "other": names[other],
                "other_error": Number(reports[other].model_accuracy.mae, 3),
            },
        )
    else:
        reason = Note(
            "%(chosen)s was chosen: %(other)s could not be fitted on the older "
            "purchases of the holdout check.",
            {"chosen": names[chosen], "other": names[other]},
        )
    return ModelChoice(chosen, reports[chosen], None, reason)


def fit_customer_models(base: CustomerBase, model: str | None = None) -> FittedModels:
    """The purchase and spend models, fitted on everybody (see scoring.py).

    ``model`` is the one ``select_model`` chose (default: the settings' own,
    chosen here when it is "auto").
    """
    model = model or base.settings.model
    if model == AUTO:
        model = select_model(base).model
    return fit_models(base.summary, model, base.settings.min_repeaters)


def score_base(base: CustomerBase, models: FittedModels):
    """The fitted models applied to every customer of ``base``."""
    summary, settings = base.summary, base.settings
    return models.score(
        summary.x,
        summary.t_x,
        summary.T,
        summary.zbar,
        base.margin_ratio,
        settings.horizon_months,
        settings.discount_rate,
    )


def holdout_report(base: CustomerBase, calibration_end=None, model=None):
    """The holdout check of ``model`` (default: the settings' model, chosen
    when it is "auto"): (report or None, Note or None)."""
    if (model or base.settings.model) == AUTO:
        choice = select_model(base, calibration_end)
        return choice.report, choice.skipped
    return _holdout(
        base.daily,
        base.as_of,
        base.settings,
        calibration_end,
        model or base.settings.model,
    )


def value_customers(
    transactions: Transactions,
    as_of=None,
    settings: ValuationSettings | None = None,
    extras: CustomerExtras | None = None,
    calibration_end=None,
) -> Valuation:
    """Value every customer with a purchase on or before ``as_of``.

    ``as_of`` defaults to the last purchase date. The holdout check ends at
    ``as_of`` and starts at ``calibration_end`` (default: ``as_of`` minus
    ``settings.holdout_weeks``). Raises ValueError when nobody bought by then.
    """
    base = describe_customers(transactions, as_of, settings, extras)
    choice = select_model(base, calibration_end)
    models = fit_customer_models(base, choice.model)
    scores = score_base(base, models)
    table = {
        **base.table,
        **{name: getattr(scores, name) for name in SCORE_COLUMNS},
        "signals_disagree": signals_disagree(base.table["segment"], scores.p_alive),
    }
    revenue = base.summary.revenue
    order = np.lexsort((np.arange(revenue.size), -revenue))
    return Valuation(
        as_of=base.as_of,
        settings=base.settings,
        table={key: np.asarray(table[key])[order] for key in TABLE_COLUMNS},
        model=models.model,
        note=models.note + choice.notes(models),
        parameters=models.parameters,
        log_likelihood=models.log_likelihood,
        holdout=choice.report,
        costs_known=base.costs_known,
        revenue_curve=concentration_curve(revenue),
        margin_curve=concentration_curve(base.table["margin"]),
    )
