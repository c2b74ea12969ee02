"""A valuation as rows and sheets: what the CSV and the workbook show.

Kept apart from ``workbook.py`` (the layout) and ``pipeline.py`` (the numbers)
so the Odoo report can build the same content from stored records.
"""

from __future__ import annotations

import numpy as np

from .pareto_abc import ConcentrationCurve
from .pipeline import PROFIT_COLUMNS, TABLE_COLUMNS, Valuation
from .rfm import SEGMENTS
from .workbook import Column, Table, WorkbookContent

COLUMNS = {
    "customer": Column("Customer", "text", 18),
    "first_purchase": Column("First purchase", "date", 12),
    "last_purchase": Column("Last purchase", "date", 12),
    "recency_days": Column("Recency (days)", "integer", 10),
    "frequency": Column("Frequency (purchase days)", "integer", 11),
    "monetary": Column("Monetary (average per purchase day)", "money", 13),
    "r_score": Column("R", "integer", 5),
    "f_score": Column("F", "integer", 5),
    "m_score": Column("M", "integer", 5),
    "rfm_cell": Column("RFM cell", "text", 7),
    "segment": Column("Segment", "text", 18),
    "revenue": Column("Revenue", "money", 13),
    "discount": Column("Discounts", "money", 12),
    "returns": Column("Credit notes", "money", 12),
    "cost_of_goods": Column("Cost of goods", "money", 13),
    "helpdesk_hours": Column("Helpdesk hours", "number", 10),
    "cost_to_serve": Column("Cost to serve", "money", 12),
    "payment_delay_cost": Column("Payment delay cost", "money", 12),
    "margin": Column("Margin", "money", 13),
    "margin_percent": Column("Margin %", "number", 9),
    "p_alive": Column("P(alive)", "probability", 9),
    "expected_purchases": Column("Expected purchases", "number", 11),
    "expected_spend": Column("Expected spend per purchase", "money", 12),
    "clv": Column("CLV", "money", 13),
    "abc_class": Column("ABC class", "text", 7),
    "revenue_rank_percent": Column("Revenue rank %", "number", 9),
    "revenue_decile": Column("Revenue decile", "integer", 8),
}

METHODOLOGY = (
    "RFM: each customer gets a score from 1 to 5 for Recency (days since the last "
    "purchase; most recent = 5), Frequency (number of purchase days) and Monetary "
    "(average amount per purchase day), by quintiles. Equal values always get "
    "equal scores; a value shared by very many customers (such as 'bought once') "
    "gets a score of its own and the others share the remaining scores.",
    "Segment: from R and the average of F and M, on Putler's 11-segment grid "
    "(Champions, Loyal Customers, ... Lost).",
    "Margin: revenue - credit notes - cost of goods - cost to serve (helpdesk "
    "hours x hourly cost + orders x cost per order) - payment delay cost (amount "
    "x days late x yearly rate / 365).",
    "P(alive) and expected purchases: a probability model of when customers buy "
    "and when they silently leave, fitted on everybody's purchase history: BG/NBD "
    "(Fader, Hardie & Lee 2005) or Pareto/NBD (Schmittlein, Morrison & Colombo "
    "1987). With too few repeat buyers a simple baseline is used instead: each "
    "customer's purchase rate, fading with the yearly retention seen in the data.",
    "Expected spend: the Gamma-Gamma model (Fader, Hardie & Lee 2005) blends a "
    "customer's own average repeat purchase with everybody's, trusting their own "
    "more the more often they bought.",
    "CLV: expected purchases month by month over the horizon x expected spend x "
    "the share of revenue the customer leaves as margin (when costs are known), "
    "each month discounted at the yearly discount rate.",
    "ABC: customers sorted by revenue; A are those making the first share of "
    "revenue (80% by default; the customer crossing the line is still A), B the "
    "next (up to 95%), C the rest. Equal revenues get the same class.",
    "Holdout check: the model is refitted without the most recent period and its "
    "forecast of that period is compared with what customers actually bought, "
    "next to the baseline's. Grade good: average error per customer at most 0.9 "
    "x the baseline's; fair: up to 1.1 x; poor: worse.",
)


def customer_columns(valuation: Valuation) -> list[str]:
    """The table's columns; profit columns only when some cost was given."""
    if valuation.costs_known:
        return list(TABLE_COLUMNS)
    return [key for key in TABLE_COLUMNS if key not in PROFIT_COLUMNS]


def _grouped(table, classes, labels):
    """Count, revenue, margin and CLV per label of ``classes``."""
    revenue = table["revenue"]
    rows = []
    for label in labels:
        mask = classes == label
        rows.append(
            (
                label,
                int(mask.sum()),
                float(revenue[mask].sum()),
                float(table["margin"][mask].sum()),
                float(table["clv"][mask].sum()),
            )
        )
    return rows


def _group_table(table, classes, labels, first_header, costs_known):
    rows = _grouped(table, classes, labels)
    customers = max(sum(r[1] for r in rows), 1)
    revenue = sum(r[2] for r in rows) or 1.0
    columns = [
        (Column(first_header, "text", 20), [r[0] for r in rows]),
        (Column("Customers", "integer", 11), [r[1] for r in rows]),
        (Column("Share of customers", "percent", 11), [r[1] / customers for r in rows]),
        (Column("Revenue", "money", 14), [r[2] for r in rows]),
        (Column("Share of revenue", "percent", 11), [r[2] / revenue for r in rows]),
        (Column("Margin", "money", 14), [r[3] for r in rows]),
        (Column("CLV", "money", 14), [r[4] for r in rows]),
    ]
    if not costs_known:
        del columns[5]
    return Table(*zip(*columns, strict=True))


def _pareto_table(valuation: Valuation) -> Table:
    """The curves at every percent of customers (enough points for a chart)."""
    grid = np.linspace(0.0, 1.0, 101)
    curves = [("Share of revenue", valuation.revenue_curve)]
    if valuation.costs_known:
        curves.append(("Share of margin", valuation.margin_curve))
    columns = [Column("Share of customers", "percent", 12)]
    values = [grid]
    for header, curve in curves:
        columns.append(Column(header, "percent", 12))
        values.append([curve.share_of_top(p) for p in grid])
    return Table(columns, values)


def pareto_highlights(label: str, curve: ConcentrationCurve):
    """Handy sentences such as "top 20% of customers bring 63% of revenue"."""
    return [
        (
            f"Top {p:.0%} of customers bring",
            f"{curve.share_of_top(p):.1%} of {label}",
        )
        for p in (0.01, 0.05, 0.10, 0.20, 0.50)
    ] + [
        (
            f"80% of {label} comes from",
            f"the top {curve.customers_for(0.80):.1%} of customers",
        )
    ]


def _summary_rows(valuation: Valuation):
    settings, table = valuation.settings, valuation.table
    profit = settings.profit
    rows = [
        ("Valuation date", valuation.as_of.isoformat()),
        ("Customers", len(table["customer"])),
        ("Model", valuation.model),
        ("Note", valuation.note or "-"),
        ("Time unit of the models", settings.unit),
        ("CLV horizon (months)", settings.horizon_months),
        ("Yearly discount rate", settings.discount_rate),
        ("CLV counts", "margin" if valuation.costs_known else "revenue"),
        (
            "ABC cut-offs (cumulative revenue)",
            "{:.0%} / {:.0%}".format(*settings.abc_cutoffs),
        ),
        ("Hourly helpdesk cost", profit.hourly_cost),
        ("Cost per order", profit.order_cost),
        ("Yearly rate on late payments", profit.late_payment_rate),
        ("Total revenue", float(table["revenue"].sum())),
        ("Total CLV", float(table["clv"].sum())),
    ]
    if valuation.costs_known:
        rows.append(("Total margin", float(table["margin"].sum())))
    rows += [(f"Parameter {k}", v) for k, v in valuation.parameters.items()]
    ll = valuation.log_likelihood
    rows.append(("Log-likelihood", "-" if ll is None else ll))
    report = valuation.holdout
    if report is None:
        rows.append(("Holdout grade", "not run"))
    else:
        rows += [
            ("Holdout grade", report.grade),
            ("Holdout check", report.text),
            ("Holdout purchases: actual", report.actual_total),
            ("Holdout purchases: model", report.model_accuracy.predicted_total),
            ("Holdout purchases: baseline", report.baseline_accuracy.predicted_total),
            ("Holdout MAE per customer: model", report.model_accuracy.mae),
            ("Holdout MAE per customer: baseline", report.baseline_accuracy.mae),
            ("Holdout correlation: model", report.model_accuracy.correlation),
            ("Holdout correlation: baseline", report.baseline_accuracy.correlation),
        ]
    rows += pareto_highlights("revenue", valuation.revenue_curve)
    if valuation.costs_known:
        rows += pareto_highlights("margin", valuation.margin_curve)
    return rows


def workbook_content(valuation: Valuation, title="Customer valuation"):
    table = valuation.table
    keys = customer_columns(valuation)
    costs = valuation.costs_known
    return WorkbookContent(
        title=title,
        summary=_summary_rows(valuation),
        methodology=METHODOLOGY,
        customers=Table([COLUMNS[k] for k in keys], [table[k] for k in keys]),
        segments=_group_table(table, table["segment"], SEGMENTS, "Segment", costs),
        pareto=_pareto_table(valuation),
        abc=_group_table(table, table["abc_class"], "ABC", "ABC class", costs),
    )
