"""Customer profit and loss: what a customer brought in minus what they cost.

Cost to serve and the cost of late payment are on no invoice, yet they eat the
margin of many "big" customers; putting them next to revenue is the point of
activity-based customer profitability. All inputs are per-customer totals
(arrays of equal length), so the same call serves grouped Odoo records and the
command line.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .texts import N_

DAYS_PER_YEAR_FOR_INTEREST = 365.0
# Where the cost of goods of invoice and credit note lines came from, by source
# (see crm_valuation's valuation_reads.costed_lines); the run says how often.
COST_SOURCE_NOTES = {
    "sale": N_(
        "%(count)s invoice or credit note lines: cost of goods from their sales "
        "order line, at the time of sale."
    ),
    "dated": N_(
        "%(count)s invoice or credit note lines had no sales order line: their "
        "cost of goods is the product's cost on the invoice date (its stock "
        "valuation)."
    ),
    "product": N_(
        "%(count)s invoice or credit note lines had neither a sales order line "
        "nor a stock valuation by their date: their cost of goods is the "
        "product's cost today."
    ),
}


@dataclass(frozen=True)
class ProfitSettings:
    """Company-wide rates that turn activities into money."""

    hourly_cost: float = 0.0  # per helpdesk hour
    order_cost: float = 0.0  # handling cost per order
    late_payment_rate: float = 0.0  # yearly interest on money paid late

    def __post_init__(self):
        if min(self.hourly_cost, self.order_cost, self.late_payment_rate) < 0:
            raise ValueError("costs and rates of the profitability cannot be negative")


@dataclass(frozen=True)
class Profitability:
    """Per-customer profit and loss, each field an array."""

    revenue: np.ndarray  # gross sales, before discounts
    discounts: np.ndarray
    returns: np.ndarray  # credit notes
    net_revenue: np.ndarray
    cost_of_goods: np.ndarray
    cost_to_serve: np.ndarray
    payment_delay_cost: np.ndarray
    margin: np.ndarray
    margin_percent: np.ndarray  # of net revenue; 0 where net revenue is 0


def customer_profitability(
    revenue,
    cost_of_goods,
    discounts=0.0,
    returns=0.0,
    helpdesk_hours=0.0,
    orders=0.0,
    late_amount_days=0.0,
    settings: ProfitSettings = ProfitSettings(),
) -> Profitability:
    """Margin = revenue - discounts - returns - cost of goods - cost to serve
    - payment delay cost.

    ``cost_of_goods`` is the cost at the time of each sale, summed.
    ``late_amount_days`` is the sum over invoices of amount x days paid late;
    times the yearly rate / 365 it is the interest the late money cost.
    """
    revenue = np.asarray(revenue, dtype=float)
    shape = revenue.shape

    def column(values):
        return np.broadcast_to(np.asarray(values, dtype=float), shape)

    discounts, returns = column(discounts), column(returns)
    net_revenue = revenue - discounts - returns
    cost_to_serve = (
        column(helpdesk_hours) * settings.hourly_cost
        + column(orders) * settings.order_cost
    )
    delay = (
        column(late_amount_days)
        * settings.late_payment_rate
        / DAYS_PER_YEAR_FOR_INTEREST
    )
    cost_of_goods = column(cost_of_goods)
    margin = net_revenue - cost_of_goods - cost_to_serve - delay
    with np.errstate(divide="ignore", invalid="ignore"):
        percent = np.where(net_revenue != 0, 100.0 * margin / net_revenue, 0.0)
    return Profitability(
        revenue=revenue,
        discounts=discounts,
        returns=returns,
        net_revenue=net_revenue,
        cost_of_goods=cost_of_goods,
        cost_to_serve=cost_to_serve,
        payment_delay_cost=delay,
        margin=margin,
        margin_percent=percent,
    )


def margin_ratio(profit: Profitability) -> np.ndarray:
    """Share of net revenue kept as margin (negative for a loss-maker; 0 where
    there is no net revenue), which turns expected revenue into margin.

    The CLV clips it to [0, 1] (see ``clv_ratio``); the expected future margin
    keeps the sign, so a loss-maker shows what serving them will cost.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(profit.net_revenue > 0, profit.margin / profit.net_revenue, 0.0)


def clv_ratio(ratio) -> np.ndarray:
    """``margin_ratio`` as the CLV counts it: a loss-making customer is worth 0
    in the future, not a negative amount, since the seller can always stop
    serving them at a loss."""
    return np.clip(np.asarray(ratio, dtype=float), 0.0, 1.0)
