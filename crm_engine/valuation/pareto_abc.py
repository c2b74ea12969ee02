"""Concentration (Pareto) curves, ABC classes, revenue ranks and deciles.

Tie handling: customers with equal revenue are interchangeable in the sorted
order, so the curves do not depend on how ties are ordered; in the ABC classes
a block of equal revenue gets the class of its first member (ties are never
split between classes), and in the ranks and deciles the position of its first
member.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DEFAULT_ABC_CUTOFFS = (0.80, 0.95)


@dataclass(frozen=True)
class ConcentrationCurve:
    """Share of a total held by the top k customers, for k = 0..n.

    Customers are sorted by the same quantity, best first. For margin the curve
    can rise above 1 and fall back (the "whale curve"): the most profitable
    customers earn more than the total, which loss-makers then give back.
    """

    customer_share: np.ndarray
    value_share: np.ndarray

    def share_of_top(self, fraction: float) -> float:
        """Share of the total brought by the top ``fraction`` of customers."""
        return float(np.interp(fraction, self.customer_share, self.value_share))

    def customers_for(self, fraction: float) -> float:
        """Smallest share of customers (best first) that brings ``fraction``."""
        reached = np.flatnonzero(self.value_share >= fraction - 1e-12)
        return float(self.customer_share[reached[0]]) if reached.size else 1.0


def concentration_curve(values) -> ConcentrationCurve:
    """Curve of ``values`` sorted descending; shares are nan if the total <= 0."""
    values = np.sort(np.asarray(values, dtype=float))[::-1]
    n = values.shape[0]
    total = values.sum()
    cumulative = np.r_[0.0, np.cumsum(values)]
    share = cumulative / total if total > 0 else np.full(n + 1, np.nan)
    return ConcentrationCurve(np.arange(n + 1) / max(n, 1), share)


def abc_classes(revenue, cutoffs=DEFAULT_ABC_CUTOFFS) -> np.ndarray:
    """ "A"/"B"/"C" by cumulative revenue share, best customers first.

    A customer's class is set by the share of revenue made *before* them: A
    while it is below the first cut-off (so the customer who crosses 80% is
    still A: A is "the customers making the first 80%"), B below the second,
    C after. Customers with zero or negative revenue are always C.
    """
    low, high = cutoffs
    if not 0.0 < low < high <= 1.0:
        raise ValueError("ABC cut-offs must satisfy 0 < A < B <= 1")
    revenue = np.asarray(revenue, dtype=float)
    classes = np.full(revenue.shape[0], "C", dtype="<U1")
    total = revenue[revenue > 0].sum()
    if total <= 0:
        return classes
    order = np.argsort(-revenue, kind="stable")
    ordered = revenue[order]
    before = (np.cumsum(np.maximum(ordered, 0.0)) - np.maximum(ordered, 0.0)) / total
    first_of_tie = np.searchsorted(-ordered, -ordered, side="left")
    before = before[first_of_tie]
    label = np.where(before < low, "A", np.where(before < high, "B", "C"))
    classes[order] = np.where(ordered > 0, label, "C")
    return classes


def _position_of_tie_block(revenue):
    """1-based position, best first, of the first customer with this revenue."""
    ascending = np.sort(revenue)
    return revenue.shape[0] - np.searchsorted(ascending, revenue, side="right") + 1


def revenue_rank_percent(revenue) -> np.ndarray:
    """Position as a share (%) of customers, best first: the best is 100/n."""
    revenue = np.asarray(revenue, dtype=float)
    return 100.0 * _position_of_tie_block(revenue) / max(revenue.shape[0], 1)


def revenue_deciles(revenue) -> np.ndarray:
    """1..10, 1 = best tenth; equal revenues share the decile of the first."""
    revenue = np.asarray(revenue, dtype=float)
    share = _position_of_tie_block(revenue) / max(revenue.shape[0], 1)
    return np.clip(np.ceil(10.0 * share - 1e-9), 1, 10).astype(np.int64)
