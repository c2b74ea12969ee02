"""Synthetic order lines with a planted structure, for the recommender tests.

Customers belong to one of a few tastes; each taste favours its own products,
and some products come in pairs bought together (a printer and its toner).
Popularity alone misses the taste; the recommender should find it.
"""

import numpy as np

from crm_engine.recommend import Catalogue, Purchases

START = np.datetime64("2025-01-01", "D")


def catalogue(products=60, categories=6, seed=3):
    rng = np.random.default_rng(seed)
    ids = np.arange(101, 101 + products)
    return Catalogue(
        product=ids,
        category=ids % categories + 1,
        price=np.round(rng.uniform(10, 500, products), 2),
        sellable=np.ones(products, dtype=bool),
    )


def purchases(customers=600, days=360, tastes=4, seed=7, products=60):
    """About 10 orders per customer; each line from the customer's taste with
    probability 0.8; product 2k+1 follows product 2k into the order half the
    time."""
    rng = np.random.default_rng(seed)
    ids = np.arange(101, 101 + products)
    taste_of = rng.integers(0, tastes, customers)
    per_taste = np.array_split(rng.permutation(products), tastes)
    popularity = 1.0 / (1 + np.arange(products) % 15)
    rows = []
    order = 0
    for customer in range(customers):
        favourite = per_taste[taste_of[customer]]
        for _ in range(rng.poisson(10) + 1):
            order += 1
            day = START + np.timedelta64(int(rng.integers(0, days)), "D")
            for _ in range(rng.integers(1, 4)):
                if rng.random() < 0.8:
                    item = rng.choice(favourite)
                else:
                    item = rng.choice(products, p=popularity / popularity.sum())
                rows.append((customer + 1, order, ids[item], day))
                if item % 2 == 0 and item + 1 < products and rng.random() < 0.5:
                    rows.append((customer + 1, order, ids[item + 1], day))
    customer, order_id, product, date = zip(*rows, strict=True)
    return Purchases(
        np.array(customer),
        np.array(order_id),
        np.array(product),
        np.array(date, dtype="datetime64[D]"),
    )
