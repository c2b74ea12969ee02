"""Offline check of the recommender: train on the orders before a cut-off,
see what customers bought in the following days.

A customer counts when they bought before the cut-off and bought at least one
product new to them after it (nothing else can be a hit: recommendations
leave out what a customer has bought). Hit rate at k: the share of those
customers who bought at least one of their first k recommendations. The
yardstick recommends everybody the most popular products they have not bought.
"""

import dataclasses

import numpy as np

from .baskets import customer_items
from .recommender import KIND_CROSS, RecommendSettings, recommend

DEFAULT_WINDOW_DAYS = 90


@dataclasses.dataclass(frozen=True)
class Evaluation:
    cutoff: np.datetime64
    window_days: int
    customers: int  # customers checked
    hit_at_5: float
    hit_at_10: float
    popular_hit_at_5: float
    popular_hit_at_10: float

    def to_json(self):
        data = dataclasses.asdict(self)
        data["cutoff"] = str(self.cutoff)
        return data


def evaluate(
    purchases, catalogue, settings=None, window_days=DEFAULT_WINDOW_DAYS, cutoff=None
):
    """Hit rates at 5 and 10 of ``recommend`` and of the popularity baseline.

    Without ``cutoff`` the last ``window_days`` of the purchases are the test
    period. Returns None when either side of the split is empty.
    """
    settings = dataclasses.replace(
        settings or RecommendSettings(), cross_sell=10, up_sell=0
    )
    if not len(purchases.date):
        return None
    if cutoff is None:
        cutoff = purchases.date.max() - np.timedelta64(window_days - 1, "D")
    cutoff = np.datetime64(cutoff, "D")
    train = purchases.where(purchases.date < cutoff)
    test = purchases.where(
        (purchases.date >= cutoff)
        & (purchases.date < cutoff + np.timedelta64(window_days, "D"))
    )
    bought = _new_products(train, test, catalogue)
    if not bought:
        return None
    customers = np.fromiter(bought, dtype=np.int64)
    ours = recommend(train, catalogue, settings, customers=customers)
    ours = ours.top(10, kind=KIND_CROSS)
    popular = _popular(train, catalogue, customers)
    hits = {
        name: [_hit_rate(lists, bought, k) for k in (5, 10)]
        for name, lists in (("ours", ours), ("popular", popular))
    }
    return Evaluation(
        cutoff=cutoff,
        window_days=window_days,
        customers=len(bought),
        hit_at_5=hits["ours"][0],
        hit_at_10=hits["ours"][1],
        popular_hit_at_5=hits["popular"][0],
        popular_hit_at_10=hits["popular"][1],
    )


def _new_products(train, test, catalogue):
    """customer -> set of products bought in the test period and never before,
    for customers who bought in both periods."""
    known = set(np.unique(train.customer).tolist())
    before = set(zip(train.customer.tolist(), train.product.tolist(), strict=True))
    inside = np.isin(test.product, catalogue.product)
    result = {}
    for customer, product in zip(
        test.customer[inside].tolist(), test.product[inside].tolist(), strict=True
    ):
        if customer in known and (customer, product) not in before:
            result.setdefault(customer, set()).add(product)
    return result


def _popular(train, catalogue, customers):
    """customer -> the 10 most-bought sellable products they have not bought."""
    ids, owned = customer_items(train, catalogue)
    popularity = np.asarray(owned.sum(axis=0)).ravel()
    ranking = np.argsort(-popularity, kind="stable")
    ranking = ranking[catalogue.sellable[ranking].astype(bool)].tolist()
    result = {}
    for row in np.flatnonzero(np.isin(ids, customers)):
        mine = set(owned.indices[owned.indptr[row] : owned.indptr[row + 1]].tolist())
        picks = []
        for item in ranking:
            if item not in mine:
                picks.append(int(catalogue.product[item]))
                if len(picks) == 10:
                    break
        result[int(ids[row])] = picks
    return result


def _hit_rate(lists, bought, k):
    hits = sum(
        1
        for customer, products in bought.items()
        if products.intersection(lists.get(customer, ())[:k])
    )
    return hits / len(bought)
