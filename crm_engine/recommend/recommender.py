"""Per-customer recommendations: cross-sell from similar baskets and rules,
up-sell to a dearer product of a category the customer already buys.

Cross-sell score of product j for a customer with basket P (products bought):

    mean over i in P of cos(i, j)  +  max over i in P of confidence(i -> j)
    + popularity_weight * share of customers who bought j

cos(i, j) is the cosine similarity of the two products' buyer sets: products
bought by the same customers as this customer's products ("customers with
similar baskets"). The rules part counts only rules with lift above 1 and
the minimum support. The popularity term breaks ties and carries customers
whose basket says little. Products the customer bought are never proposed.
"""

import dataclasses

import numpy as np

from .baskets import customer_items, order_items
from .rules import pair_rules

KIND_CROSS = 0
KIND_UP = 1


@dataclasses.dataclass(frozen=True)
class RecommendSettings:
    cross_sell: int = 5  # cross-sell products per customer
    up_sell: int = 1  # up-sell products per customer
    min_support: float = 0.001
    min_confidence: float = 0.05
    popularity_weight: float = 0.5
    up_sell_max_step: float = 2.5  # an up-sell costs at most this times more
    chunk: int = 4096  # customers scored at once

    def __post_init__(self):
        if self.cross_sell < 0 or self.up_sell < 0:
            raise ValueError("recommendation counts cannot be negative")
        if self.up_sell_max_step <= 1:
            raise ValueError("an up-sell step must be above 1")


@dataclasses.dataclass(frozen=True)
class Recommendations:
    """One row per (customer, product), best first within a customer."""

    customer: np.ndarray
    product: np.ndarray
    rank: np.ndarray  # 1 = best, per customer
    score: np.ndarray
    kind: np.ndarray  # KIND_CROSS or KIND_UP
    because: np.ndarray  # product id of the basket that led to it, 0 if none

    def __len__(self):
        return len(self.customer)

    def top(self, k, kind=None):
        """customer id -> list of product ids, best first."""
        mask = self.rank <= k if kind is None else self.kind == kind
        result = {}
        for customer, product in zip(
            self.customer[mask].tolist(), self.product[mask].tolist(), strict=True
        ):
            result.setdefault(customer, []).append(product)
        return result


def similarity(owned):
    """Products x products cosine similarity of buyer sets, zero diagonal."""
    together = (owned.T @ owned).toarray()
    buyers = np.sqrt(np.diag(together)).astype(np.float32)
    buyers[buyers == 0] = 1.0
    together /= buyers[:, None]
    together /= buyers[None, :]
    np.fill_diagonal(together, 0.0)
    return together


def rule_matrix(purchases, catalogue, settings):
    """Products x products confidence of the kept rules (zero elsewhere)."""
    rules = pair_rules(
        order_items(purchases, catalogue),
        np.arange(catalogue.size),
        settings.min_support,
        settings.min_confidence,
    )
    matrix = np.zeros((catalogue.size, catalogue.size), dtype=np.float32)
    matrix[rules.antecedent, rules.consequent] = rules.confidence
    return matrix


def recommend(purchases, catalogue, settings=None, customers=None):
    """Recommendations for every customer of the purchases (or ``customers``).

    ``customers`` restricts who gets recommendations (the evaluation scores
    only customers of the test period); every purchase still counts as
    evidence.
    """
    settings = settings or RecommendSettings()
    ids, owned = customer_items(purchases, catalogue)
    if not len(ids):
        return _empty()
    popularity = np.asarray(owned.sum(axis=0)).ravel() / len(ids)
    prior = (settings.popularity_weight * popularity).astype(np.float32)
    prior[~catalogue.sellable.astype(bool)] = -np.inf  # never offered
    similar = similarity(owned)
    confidence = rule_matrix(purchases, catalogue, settings)
    strength = similar + confidence
    rows = np.arange(len(ids))
    if customers is not None:
        rows = rows[np.isin(ids, customers)]
    parts = []
    for start in range(0, len(rows), settings.chunk):
        chunk = rows[start : start + settings.chunk]
        basket = owned[chunk]
        parts.append(
            _cross_sell(
                basket,
                ids[chunk],
                similar,
                confidence,
                strength,
                prior,
                catalogue,
                settings,
            )
        )
    cross = _concat(parts)
    up = up_sell(owned[rows], ids[rows], catalogue, popularity, settings)
    return _merge(cross, up, settings)


def _cross_sell(basket, ids, similar, confidence, strength, prior, catalogue, settings):
    sizes = np.asarray(basket.sum(axis=1)).ravel().astype(np.float32)
    sizes[sizes == 0] = 1.0
    score = np.asarray(basket @ similar)
    score /= sizes[:, None]
    if confidence.any():
        score += _row_max(basket, confidence)
    score += prior
    score[basket.nonzero()] = -np.inf
    width = score.shape[1]
    k = min(settings.cross_sell, width)
    if not k:
        return _empty()
    best = np.argpartition(score, width - k, axis=1)[:, width - k :]
    best_score = np.take_along_axis(score, best, axis=1)
    order = np.argsort(-best_score, axis=1, kind="stable")
    best = np.take_along_axis(best, order, axis=1)
    best_score = np.take_along_axis(best_score, order, axis=1)
    row = np.repeat(np.arange(len(ids)), k)
    product = best.ravel()
    score = best_score.ravel()
    keep = np.isfinite(score) & (score > 0)
    row, product, score = row[keep], product[keep], score[keep]
    because = _because(basket, row, product, strength)
    return Recommendations(
        customer=ids[row],
        product=catalogue.product[product],
        rank=np.zeros(len(row), dtype=np.int32),
        score=score.astype(float),
        kind=np.full(len(row), KIND_CROSS, dtype=np.int8),
        because=np.where(because >= 0, catalogue.product[because], 0),
    )


def _row_max(basket, matrix):
    """For each customer, the column-wise max of ``matrix`` over their rows."""
    result = np.zeros((basket.shape[0], matrix.shape[1]), dtype=np.float32)
    for row in range(basket.shape[0]):
        items = basket.indices[basket.indptr[row] : basket.indptr[row + 1]]
        if len(items):
            result[row] = matrix[items].max(axis=0)
    return result


def _because(basket, row, product, strength):
    """The basket product most tied to each recommended product (-1: none)."""
    counts = np.diff(basket.indptr)[row]
    pair_row = np.repeat(np.arange(len(row)), counts)
    starts = basket.indptr[row]
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    item = basket.indices[np.repeat(starts, counts) + offsets]
    value = strength[item, product[pair_row]]
    result = np.full(len(row), -1)
    if not len(value):
        return result
    order = np.lexsort((value, pair_row))
    last = np.r_[pair_row[order][1:] != pair_row[order][:-1], True]
    winners = order[last]
    good = value[winners] > 0
    result[pair_row[winners][good]] = item[winners][good]
    return result


def up_sell(owned, ids, catalogue, popularity, settings):
    """For each category a customer buys, the cheapest product for sale that
    is dearer than the dearest one they bought there (at most
    ``up_sell_max_step`` times its price): the next step up. The customer's
    busiest categories first."""
    if not settings.up_sell or not len(ids):
        return _empty()
    _categories, category = catalogue.category_positions()
    row, item = owned.nonzero()
    width = int(category.max()) + 1
    key = row.astype(np.int64) * width + category[item]
    order = np.argsort(key, kind="stable")
    keys, starts, counts = np.unique(key[order], return_index=True, return_counts=True)
    # Dearest product bought per (customer, category).
    top = np.maximum.reduceat(catalogue.price[item][order], starts)
    pair_row, pair_category = keys // width, keys % width
    candidate = np.full(len(keys), -1)
    offerable = catalogue.sellable.astype(bool)
    for value in np.unique(pair_category):
        in_category = np.flatnonzero((category == value) & offerable)
        if not len(in_category):
            continue
        in_category = in_category[
            np.argsort(catalogue.price[in_category], kind="stable")
        ]
        prices = catalogue.price[in_category]
        pairs = np.flatnonzero(pair_category == value)
        step = np.searchsorted(prices, top[pairs], side="right")
        inside = step < len(in_category)
        found = in_category[np.minimum(step, len(in_category) - 1)]
        inside &= catalogue.price[found] <= top[pairs] * settings.up_sell_max_step
        candidate[pairs[inside]] = found[inside]
    keep = candidate >= 0
    # A binary search in the sorted (row, item) keys: bought already?
    bought = np.sort(row.astype(np.int64) * catalogue.size + item)
    asked = pair_row[keep].astype(np.int64) * catalogue.size + candidate[keep]
    found = np.minimum(np.searchsorted(bought, asked), max(len(bought) - 1, 0))
    keep[keep] = bought[found] != asked if len(bought) else True
    pair_row, candidate, counts = pair_row[keep], candidate[keep], counts[keep]
    order = np.lexsort((-counts, pair_row))
    pair_row, candidate, counts = pair_row[order], candidate[order], counts[order]
    place = np.arange(len(pair_row)) - np.searchsorted(pair_row, pair_row)
    keep = place < settings.up_sell
    return Recommendations(
        customer=ids[pair_row[keep]],
        product=catalogue.product[candidate[keep]],
        rank=np.zeros(int(keep.sum()), dtype=np.int32),
        score=popularity[candidate[keep]].astype(float),
        kind=np.full(int(keep.sum()), KIND_UP, dtype=np.int8),
        because=np.zeros(int(keep.sum()), dtype=np.int64),
    )


def _merge(cross, up, settings):
    """Cross-sell first, then up-sell products not proposed already; ranks."""
    both = _concat([cross, up])
    key = both.customer.astype(np.int64)
    order = np.lexsort((-both.score, both.kind, key))
    both = _take(both, order)
    width = int(both.product.max(initial=0)) + 1
    pair = both.customer.astype(np.int64) * width + both.product
    _unique, first = np.unique(pair, return_index=True)
    keep = np.zeros(len(both), dtype=bool)
    keep[first] = True
    both = _take(both, np.flatnonzero(keep))
    start = np.searchsorted(both.customer, both.customer)
    rank = (np.arange(len(both)) - start + 1).astype(np.int32)
    return dataclasses.replace(both, rank=rank)


def _take(recommendations, index):
    return Recommendations(
        **{
            field.name: getattr(recommendations, field.name)[index]
            for field in dataclasses.fields(Recommendations)
        }
    )


def _concat(parts):
    parts = [part for part in parts if len(part)]
    if not parts:
        return _empty()
    return Recommendations(
        **{
            field.name: np.concatenate([getattr(part, field.name) for part in parts])
            for field in dataclasses.fields(Recommendations)
        }
    )


def _empty():
    return Recommendations(
        customer=np.zeros(0, dtype=np.int64),
        product=np.zeros(0, dtype=np.int64),
        rank=np.zeros(0, dtype=np.int32),
        score=np.zeros(0),
        kind=np.zeros(0, dtype=np.int8),
        because=np.zeros(0, dtype=np.int64),
    )
