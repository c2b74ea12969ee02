"""Association rules: support, confidence and lift on orders counted by hand."""

import numpy as np
import pytest

from crm_engine.recommend import Catalogue, Purchases, association_rules


def _purchases(orders):
    rows = [
        (order, product)
        for order, products in enumerate(orders)
        for product in products
    ]
    order, product = (np.array(column) for column in zip(*rows, strict=True))
    return Purchases(
        customer=order % 3,
        order=order,
        product=product,
        date=np.full(len(order), np.datetime64("2026-01-01", "D")),
    )


CATALOGUE = Catalogue(
    product=np.array([1, 2, 3, 4]),
    category=np.array([10, 10, 20, 20]),
    price=np.array([5.0, 6.0, 7.0, 8.0]),
    sellable=np.ones(4, dtype=bool),
)
# 1 and 2 go together; 3 and 4 come alone; a line repeated in an order counts once.
ORDERS = [[1, 2], [1, 2, 2], [1, 2], [1], [3], [4], [3], [4], [2, 3], [4]]


def test_pair_measures_match_a_count_by_hand():
    products, _categories = association_rules(_purchases(ORDERS), CATALOGUE, 0.2)
    rules = dict(
        zip(
            zip(
                products.antecedent.tolist(), products.consequent.tolist(), strict=True
            ),
            range(len(products)),
            strict=True,
        )
    )
    assert set(rules) == {(1, 2), (2, 1)}
    one_two = rules[(1, 2)]
    # 10 orders; 1 in 4, 2 in 4, both in 3.
    assert products.orders[one_two] == 3
    assert products.support[one_two] == pytest.approx(0.3)
    assert products.confidence[one_two] == pytest.approx(3 / 4)
    assert products.lift[one_two] == pytest.approx((3 / 4) / (4 / 10))
    assert products.basket_count == 10


def test_category_level_rules_and_no_rule_below_lift_one():
    _products, categories = association_rules(_purchases(ORDERS), CATALOGUE, 0.0)
    # Categories 10 and 20 meet only in order [2, 3]: lift below 1, no rule.
    assert len(categories) == 0


def test_minimum_support_drops_rare_pairs_and_one_order_never_makes_a_rule():
    orders = [*ORDERS, [3, 4]]
    products, _categories = association_rules(_purchases(orders), CATALOGUE, 0.0)
    pairs = set(
        zip(products.antecedent.tolist(), products.consequent.tolist(), strict=True)
    )
    assert (3, 4) not in pairs  # one order only
    strict, _categories = association_rules(_purchases(orders), CATALOGUE, 0.5)
    assert len(strict) == 0


def test_rules_are_sorted_by_lift():
    products, _categories = association_rules(_purchases(ORDERS * 3), CATALOGUE, 0.0)
    assert np.all(np.diff(products.lift) <= 1e-12)


@pytest.mark.parametrize("support", [-0.1, 1.5])
def test_support_outside_zero_one_is_refused(support):
    with pytest.raises(ValueError, match="minimum support"):
        association_rules(_purchases(ORDERS), CATALOGUE, support)


def test_products_outside_the_catalogue_are_ignored():
    purchases = _purchases([*ORDERS, [99, 1]])
    products, _categories = association_rules(purchases, CATALOGUE, 0.2)
    assert 99 not in products.consequent
    assert 99 not in products.antecedent


def test_a_catalogue_with_a_duplicate_is_refused():
    with pytest.raises(ValueError, match="unique"):
        Catalogue(
            product=np.array([1, 1]),
            category=np.array([1, 1]),
            price=np.array([1.0, 1.0]),
            sellable=np.ones(2, dtype=bool),
        )
