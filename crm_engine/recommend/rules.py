"""Association rules "A -> B" between pairs of items bought in one order.

For orders N, orders with A n(A), with both n(AB):
support = n(AB) / N, confidence = n(AB) / n(A), lift = confidence / (n(B) / N).
A lift above 1 means B sells more often with A than without it: only those
rules are kept. Items are products or product categories.
"""

import dataclasses
import math

import numpy as np

from .baskets import incidence, order_items


@dataclasses.dataclass(frozen=True)
class Rules:
    """Rules as parallel arrays, strongest (lift, then confidence) first."""

    antecedent: np.ndarray  # item id
    consequent: np.ndarray  # item id
    orders: np.ndarray  # n(AB)
    support: np.ndarray
    confidence: np.ndarray
    lift: np.ndarray
    basket_count: int  # N

    def __len__(self):
        return len(self.antecedent)


def pair_rules(baskets, item_ids, min_support, min_confidence=0.0, limit=None):
    """Rules of a baskets x items 0/1 matrix; ``item_ids`` names its columns.

    ``min_support`` is a share of baskets; a rule also needs two baskets at
    least, so one unusual order never makes a rule.
    """
    if not 0 <= min_support <= 1:
        raise ValueError("minimum support is a share between 0 and 1")
    count = baskets.shape[0]
    together = (baskets.T @ baskets).toarray().astype(np.float64)
    alone = np.diag(together).copy()
    np.fill_diagonal(together, 0)
    floor = max(2, math.ceil(min_support * count))
    first, second = np.nonzero(together >= floor)
    pairs = together[first, second]
    confidence = pairs / alone[first]
    lift = confidence * count / alone[second]
    keep = (confidence >= min_confidence) & (lift > 1.0)
    first, second, pairs = first[keep], second[keep], pairs[keep]
    confidence, lift = confidence[keep], lift[keep]
    order = np.lexsort((-confidence, -lift))[:limit]
    return Rules(
        antecedent=np.asarray(item_ids)[first[order]],
        consequent=np.asarray(item_ids)[second[order]],
        orders=pairs[order].astype(np.int64),
        support=pairs[order] / max(count, 1),
        confidence=confidence[order],
        lift=lift[order],
        basket_count=count,
    )


def association_rules(
    purchases, catalogue, min_support, min_confidence=0.0, limit=None
):
    """(product rules, category rules) of the purchases' orders."""
    baskets = order_items(purchases, catalogue)
    products = pair_rules(
        baskets, catalogue.product, min_support, min_confidence, limit
    )
    categories, position = catalogue.category_positions()
    rows, columns = baskets.nonzero()
    category_baskets = incidence(
        rows, position[columns], baskets.shape[0], len(categories)
    )
    return products, pair_rules(
        category_baskets, categories, min_support, min_confidence, limit
    )
