"""A valuation as rows and sheets: what the CSV and the workbook show.

Kept apart from ``workbook.py`` (the layout) and ``pipeline.py`` (the numbers)
so the Odoo report can build the same content from stored records.

Every text goes through the translator ``tr`` given to ``workbook_content``
(see texts.py); constants hold English msgids marked with ``N_`` and are
translated here, where they are shown.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .forecast import model_label
from .pareto_abc import ConcentrationCurve
from .pipeline import COST_COLUMNS, TABLE_COLUMNS, Valuation
from .rfm import SEGMENTS
from .texts import N_, Number, Translator, english, join_notes
from .workbook import Column, Currency, Table, WorkbookContent, workbook_labels

COLUMNS = {
    "customer": Column(N_("Customer"), "text", 18),
    "first_purchase": Column(N_("First purchase"), "date", 12),
    "last_purchase": Column(N_("Last purchase"), "date", 12),
    "recency_days": Column(N_("Recency (days)"), "integer", 10),
    "frequency": Column(N_("Frequency (purchase days)"), "integer", 11),
    "monetary": Column(N_("Monetary (average per purchase day)"), "money", 13),
    "r_score": Column(N_("R"), "integer", 5),
    "f_score": Column(N_("F"), "integer", 5),
    "m_score": Column(N_("M"), "integer", 5),
    "rfm_cell": Column(N_("RFM cell"), "text", 7),
    "segment": Column(N_("Segment"), "text", 18),
    "revenue": Column(N_("Revenue"), "money", 13),
    "discount": Column(N_("Discounts"), "money", 12),
    "returns": Column(N_("Credit notes"), "money", 12),
    "cost_of_goods": Column(N_("Cost of goods"), "money", 13),
    "helpdesk_hours": Column(N_("Helpdesk hours"), "number", 10),
    "cost_to_serve": Column(N_("Cost to serve"), "money", 12),
    "payment_delay_cost": Column(N_("Payment delay cost"), "money", 12),
    "margin": Column(N_("Margin"), "money", 13),
    "margin_percent": Column(N_("Margin %"), "percent", 9),
    "p_alive": Column(N_("P(alive)"), "percent", 9),
    "signals_disagree": Column(N_("RFM and P(alive) disagree"), "flag", 10),
    "expected_purchases": Column(N_("Expected purchases"), "number", 11),
    "expected_spend": Column(N_("Expected spend per purchase"), "money", 12),
    "clv": Column(N_("CLV"), "money", 13),
    "future_margin": Column(N_("Expected future margin"), "money", 13),
    "abc_class": Column(N_("ABC class"), "text", 7),
    "revenue_rank_percent": Column(N_("Revenue rank %"), "percent", 9),
    "revenue_decile": Column(N_("Revenue decile"), "integer", 8),
}

METHODOLOGY = (
    N_(
        "RFM: each customer gets a score from 1 to 5 for Recency (days since the last "
        "purchase; most recent = 5), Frequency (number of purchase days) and Monetary "
        "(average amount per purchase day), by quintiles. Equal values always get "
        "equal scores; a value shared by very many customers (such as 'bought once') "
        "gets a score of its own and the others share the remaining scores."
    ),
    N_(
        "Segment: from R and the average of F and M, on Putler's 11-segment grid "
        "(Champions, Loyal Customers, ... Lost)."
    ),
    N_(
        "Margin: revenue - credit notes - cost of goods - cost to serve (helpdesk "
        "hours x hourly cost + orders x cost per order) - payment delay cost (amount "
        "x days late x yearly rate / 365)."
    ),
    N_(
        "P(alive) and expected purchases: a probability model of when customers buy "
        "and when they silently leave, fitted on everybody's purchase history: "
        "MBG/NBD (Batislam, Denizel & Filiztekin 2007) or Pareto/NBD (Schmittlein, "
        "Morrison & Colombo 1987), whichever forecast the holdout period better; "
        "both let a customer who bought once leave, so a one-time buyer silent for "
        "long is unlikely to be active. With too few repeat buyers a simple baseline "
        "is used instead: each customer's purchase rate, fading with the yearly "
        "retention seen in the data."
    ),
    N_(
        "RFM and P(alive) disagree: the segment ranks customers against each other, "
        "P(alive) judges a customer's silence against their own buying rhythm. A "
        "weekly buyer silent for two months can be a Loyal Customer by RFM and "
        "probably gone by the model; a yearly buyer can be Hibernating and still "
        "likely active. The flag marks an active segment with P(alive) below 50% and "
        "Hibernating or Lost with 50% or more."
    ),
    N_(
        "Expected spend: the Gamma-Gamma model (Fader, Hardie & Lee 2005) blends a "
        "customer's own average repeat purchase with everybody's, trusting their own "
        "more the more often they bought."
    ),
    N_(
        "CLV: expected purchases month by month over the horizon x expected spend x "
        "the share of revenue the customer leaves as margin (when costs are known), "
        "each month discounted at the yearly discount rate. A loss-making customer's "
        "CLV is 0; the expected future margin, the same sum with the customer's own "
        "margin share, shows what serving them will cost as a negative amount."
    ),
    N_(
        "ABC: customers sorted by revenue; A are those making the first share of "
        "revenue (80% by default; the customer crossing the line is still A), B the "
        "next (up to 95%), C the rest. Equal revenues get the same class."
    ),
    N_(
        "Holdout check: the model is refitted without the most recent period and its "
        "forecast of that period is compared with what customers actually bought, "
        "next to the baseline's. Grade good: average error per customer at most 0.9 "
        "x the baseline's; fair: up to 1.1 x; poor: worse."
    ),
)


# Columns the table holds in percent (0-100) that the sheet shows as percentages.
PERCENT_COLUMNS = ("margin_percent", "revenue_rank_percent")
# The holdout grade as the Odoo form shows it.
GRADE_WORDS = {"good": N_("Good"), "fair": N_("Fair"), "poor": N_("Poor")}
# ABC class -> what the sheet shows: letters, the same in every language.
ABC = {label: label for label in "ABC"}
TOP_SHARES = (0.01, 0.05, 0.10, 0.20, 0.50)
MOST = 0.80
# Per measure: what the top customers bring, and what most of it comes from.
# One sentence per measure rather than the measure as a parameter, because the
# word's grammar differs between languages.
HIGHLIGHTS = {
    "revenue": (N_("%(share)s of revenue"), N_("%(share)s of revenue comes from")),
    "margin": (N_("%(share)s of margin"), N_("%(share)s of margin comes from")),
}


def customer_columns(valuation: Valuation) -> list[str]:
    """The table's columns; profit columns only when some cost was given."""
    if valuation.costs_known:
        return list(TABLE_COLUMNS)
    return [key for key in TABLE_COLUMNS if key not in COST_COLUMNS]


def _grouped(table, classes, labels):
    """Count, revenue, margin and CLV per value of ``classes``, in the order of
    ``labels`` (value -> what the sheet shows for it)."""
    revenue = table["revenue"]
    rows = []
    for value, label in labels.items():
        mask = classes == value
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


def _group_table(table, classes, labels, first_header, costs_known, tr):
    rows = _grouped(table, classes, labels)
    customers = max(sum(r[1] for r in rows), 1)
    revenue = sum(r[2] for r in rows) or 1.0
    columns = [
        (Column(first_header, "text", 20), [r[0] for r in rows]),
        (Column(tr("Customers"), "integer", 11), [r[1] for r in rows]),
        (
            Column(tr("Share of customers"), "percent", 11),
            [r[1] / customers for r in rows],
        ),
        (Column(tr("Revenue"), "money", 14), [r[2] for r in rows]),
        (
            Column(tr("Share of revenue"), "percent", 11),
            [r[2] / revenue for r in rows],
        ),
        (Column(tr("Margin"), "money", 14), [r[3] for r in rows]),
        (Column(tr("CLV"), "money", 14), [r[4] for r in rows]),
    ]
    if not costs_known:
        del columns[5]
    return Table(*zip(*columns, strict=True))


def _pareto_table(valuation: Valuation, tr) -> Table:
    """The curves at every percent of customers (enough points for a chart)."""
    grid = np.linspace(0.0, 1.0, 101)
    curves = [(tr("Share of revenue"), valuation.revenue_curve)]
    if valuation.costs_known:
        curves.append((tr("Share of margin"), valuation.margin_curve))
    columns = [Column(tr("Share of customers"), "percent", 12)]
    values = [grid]
    for header, curve in curves:
        columns.append(Column(header, "percent", 12))
        values.append([curve.share_of_top(p) for p in grid])
    return Table(columns, values)


def pareto_highlights(
    measure: str, curve: ConcentrationCurve, tr: Translator = english
):
    """Handy sentences such as "top 20% of customers bring 63% of revenue"."""
    brought, most = HIGHLIGHTS[measure]
    rows = [
        (
            tr("Top %(share)s of customers bring", share=Number(p, 0, True)),
            tr(brought, share=Number(curve.share_of_top(p), 1, True)),
        )
        for p in TOP_SHARES
    ]
    rows.append(
        (
            tr(most, share=Number(MOST, 0, True)),
            tr(
                "the top %(share)s of customers",
                share=Number(curve.customers_for(MOST), 1, True),
            ),
        )
    )
    return rows


def _summary_rows(valuation: Valuation, tr):
    settings, table = valuation.settings, valuation.table
    profit = settings.profit
    rows = [
        (tr("Valuation date"), valuation.as_of.isoformat()),
        (tr("Customers"), len(table["customer"]), "integer"),
        (tr("Model"), model_label(valuation.model, tr)),
        (tr("Note"), join_notes(valuation.note, tr) or "-"),
        (tr("Time unit of the models"), tr(settings.unit)),
        (tr("CLV horizon (months)"), settings.horizon_months, "integer"),
        (tr("Yearly discount rate"), settings.discount_rate, "percent"),
        (
            tr("CLV counts"),
            tr("margin") if valuation.costs_known else tr("revenue"),
        ),
        (
            tr("ABC cut-offs (cumulative revenue)"),
            tr(
                "%(a)s / %(b)s",
                a=Number(settings.abc_cutoffs[0], 0, True),
                b=Number(settings.abc_cutoffs[1], 0, True),
            ),
        ),
        (tr("Hourly helpdesk cost"), profit.hourly_cost, "money"),
        (tr("Cost per order"), profit.order_cost, "money"),
        (tr("Yearly rate on late payments"), profit.late_payment_rate, "percent"),
        (tr("Total revenue"), float(table["revenue"].sum()), "money"),
        (tr("Total CLV"), float(table["clv"].sum()), "money"),
    ]
    if valuation.costs_known:
        rows.append((tr("Total margin"), float(table["margin"].sum()), "money"))
    rows += [
        (tr("Parameter %(name)s", name=name), value, "decimal")
        for name, value in valuation.parameters.items()
    ]
    ll = valuation.log_likelihood
    rows.append((tr("Log-likelihood"), "-" if ll is None else ll, "number"))
    rows += _holdout_rows(valuation.holdout, tr)
    rows += pareto_highlights("revenue", valuation.revenue_curve, tr)
    if valuation.costs_known:
        rows += pareto_highlights("margin", valuation.margin_curve, tr)
    return rows


def grade_word(grade: str, tr: Translator = english) -> str:
    """The holdout grade as a heading shows it ("Good"), as on the Odoo form."""
    word = GRADE_WORDS[grade]
    return tr(word)


def _holdout_rows(report, tr):
    if report is None:
        return [(tr("Holdout grade"), tr("Not checked"))]
    model, base = report.model_accuracy, report.baseline_accuracy
    return [
        (tr("Holdout grade"), grade_word(report.grade, tr)),
        (tr("Holdout check"), report.describe(tr)),
        (tr("Holdout purchases: actual"), report.actual_total, "number"),
        (tr("Holdout purchases: model"), model.predicted_total, "number"),
        (tr("Holdout purchases: baseline"), base.predicted_total, "number"),
        (tr("Holdout MAE per customer: model"), model.mae, "decimal"),
        (tr("Holdout MAE per customer: baseline"), base.mae, "decimal"),
        (tr("Holdout correlation: model"), model.correlation, "probability"),
        (tr("Holdout correlation: baseline"), base.correlation, "probability"),
    ]


def _customers_table(table, keys, segments, tr, names=None) -> Table:
    """The customer columns in the reader's words; with ``names``, the table's
    customer ids in a column of their own before the names, since customers
    can share a name."""
    columns = [replace(COLUMNS[k], header=tr(COLUMNS[k].header)) for k in keys]
    values = [_column_shown(table, key, segments) for key in keys]
    if names is not None:
        position = keys.index("customer")
        values[position] = names
        columns.insert(position, Column(tr("Customer ID"), "text", 10))
        values.insert(position, table["customer"])
    return Table(columns, values)


def _column_shown(table, key, segments):
    if key == "segment":
        return _shown(table[key], segments)
    if key in PERCENT_COLUMNS:
        return np.asarray(table[key], dtype=float) / 100.0
    return table[key]


def _shown(values, names: dict[str, str]) -> np.ndarray:
    """``values`` with every name of ``names`` replaced by its translation.

    Looked up once per distinct value, which keeps a million rows cheap;
    values that are not in ``names`` are kept as they are.
    """
    distinct, inverse = np.unique(np.asarray(values), return_inverse=True)
    shown = [names.get(value, value) for value in distinct.tolist()]
    return np.array(shown, dtype=object)[inverse.reshape(-1)]


def pareto_note(valuation: Valuation, tr: Translator = english) -> str | None:
    """What a margin curve above 100 % means, when it rises above 100 %."""
    return (
        margin_curve_note(valuation.margin_curve, tr) if valuation.costs_known else None
    )


def margin_curve_note(curve: ConcentrationCurve, tr: Translator = english):
    """The sentence for a margin curve that rises above 100 % (the "whale
    curve"), or None when it does not."""
    peak = float(np.nanmax(curve.value_share, initial=np.nan))
    if not peak > 1.0:
        return None
    return tr(
        "The margin curve rises to %(peak)s: the most profitable customers earn "
        "more than the whole margin, and the loss-making customers at the end "
        "give back the difference.",
        peak=Number(peak, 0, True),
    )


def workbook_content(
    valuation: Valuation,
    title: str | None = None,
    tr: Translator = english,
    currency: Currency | None = None,
    customer_names=None,
) -> WorkbookContent:
    """The workbook of ``valuation`` in the language of ``tr`` (see texts.py).

    ``title`` is shown as given (default: "Customer valuation", translated);
    ``currency`` (default: none) is shown on every amount; ``customer_names``
    (one per row of the table), when given, are shown beside the customer ids.
    """
    table = valuation.table
    segments = {name: tr(name) for name in SEGMENTS}
    costs = valuation.costs_known
    keys = customer_columns(valuation)
    return WorkbookContent(
        title=title or tr("Customer valuation"),
        summary=_summary_rows(valuation, tr),
        methodology=[tr(paragraph) for paragraph in METHODOLOGY],
        customers=_customers_table(table, keys, segments, tr, customer_names),
        segments=_group_table(
            table, table["segment"], segments, tr("Segment"), costs, tr
        ),
        pareto=_pareto_table(valuation, tr),
        abc=_group_table(table, table["abc_class"], ABC, tr("ABC class"), costs, tr),
        labels=workbook_labels(tr),
        currency=currency,
        pareto_note=pareto_note(valuation, tr),
    )
