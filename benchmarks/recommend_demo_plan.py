"""How well the next best offer predicts the demo data set, without Odoo.

    python3 -m benchmarks.recommend_demo_plan [--seed 42 ...] [--today YYYY-MM-DD]

Draws the demo plan (as ``python3 -m datagen --size demo`` would load it),
takes its confirmed orders as a recommendation run reads them (one basket per
order, the product's category and list price) and prints the run's offline
check: hit rates at 5 and 10 of the recommender and of the most-popular
baseline on the last 90 days, with the company's default rule thresholds.
"""

import argparse
import datetime

import numpy as np

from crm_engine.recommend import Catalogue, Purchases, RecommendSettings, evaluate
from datagen import DEFAULT_SEED
from datagen.plan import demo_plan

from .bench_common import report

# res.company's defaults, in shares (the company stores percentages).
DEFAULT_SETTINGS = RecommendSettings(min_support=0.001, min_confidence=0.05)


def plan_baskets(plan):
    """(Purchases, Catalogue) of the plan's confirmed orders and its products."""
    rows = [
        (order.customer, number, product, order.day)
        for number, order in enumerate(plan.orders)
        if order.state == "sale"
        for product, _quantity, _discount in order.lines
    ]
    customer, order, product, day = zip(*rows, strict=True)
    categories = sorted({product.category for product in plan.products})
    purchases = Purchases(
        np.array(customer),
        np.array(order),
        np.array(product),
        np.array(day, dtype="datetime64[D]"),
    )
    catalogue = Catalogue(
        product=np.array([product.key for product in plan.products]),
        category=np.array(
            [categories.index(product.category) for product in plan.products]
        ),
        price=np.array([product.price for product in plan.products]),
        sellable=np.ones(len(plan.products), dtype=bool),
    )
    return purchases, catalogue


def evaluate_plan(plan, settings=DEFAULT_SETTINGS):
    return evaluate(*plan_baskets(plan), settings)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, nargs="+", default=[DEFAULT_SEED])
    parser.add_argument(
        "--today", type=datetime.date.fromisoformat, default=datetime.date.today()
    )
    args = parser.parse_args(argv)
    for seed in args.seed:
        result = evaluate_plan(demo_plan(seed, args.today))
        print(f"\nDemo plan, seed {seed}, up to {args.today}")
        report(
            [
                ("checked from", str(result.cutoff)),
                ("customers checked", str(result.customers)),
                *(
                    (
                        f"hit rate at {k}",
                        f"{getattr(result, f'hit_at_{k}'):.0%} (most popular "
                        f"{getattr(result, f'popular_hit_at_{k}'):.0%})",
                    )
                    for k in (5, 10)
                ),
            ]
        )


if __name__ == "__main__":
    main()
