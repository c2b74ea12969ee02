"""Per-customer cross-sell and up-sell on the synthetic shop."""

import dataclasses

import numpy as np
import pytest
from recommend_data import catalogue, purchases

from crm_engine.recommend import Catalogue, Purchases, RecommendSettings, recommend
from crm_engine.recommend.recommender import KIND_CROSS, KIND_UP


@pytest.fixture(scope="module")
def shop():
    return purchases(customers=300), catalogue()


@pytest.fixture(scope="module")
def recommended(shop):
    return recommend(*shop)


def test_nothing_bought_already_is_proposed(shop, recommended):
    data, _catalogue = shop
    bought = set(zip(data.customer.tolist(), data.product.tolist(), strict=True))
    proposed = set(
        zip(recommended.customer.tolist(), recommended.product.tolist(), strict=True)
    )
    assert proposed and not proposed & bought


def test_each_customer_gets_ranked_lists(shop, recommended):
    data, _catalogue = shop
    assert set(recommended.customer.tolist()) == set(data.customer.tolist())
    for customer in (1, 2, 150):
        mine = recommended.customer == customer
        assert recommended.rank[mine].tolist() == list(range(1, mine.sum() + 1))
        cross = mine & (recommended.kind == KIND_CROSS)
        assert cross.sum() == 5
        assert np.all(np.diff(recommended.score[cross]) <= 1e-9)
        assert mine.sum() <= 6


def test_cross_sell_says_which_bought_product_led_to_it(shop, recommended):
    data, _catalogue = shop
    cross = recommended.kind == KIND_CROSS
    bought = set(zip(data.customer.tolist(), data.product.tolist(), strict=True))
    reasons = list(
        zip(
            recommended.customer[cross].tolist(),
            recommended.because[cross].tolist(),
            strict=True,
        )
    )
    assert all(pair in bought for pair in reasons if pair[1])
    assert sum(1 for _customer, because in reasons if because) > 0.9 * len(reasons)


def test_up_sell_is_dearer_in_a_category_the_customer_buys(shop, recommended):
    data, products = shop
    up = np.flatnonzero(recommended.kind == KIND_UP)
    assert len(up) > 100
    price = dict(zip(products.product.tolist(), products.price.tolist(), strict=True))
    category = dict(
        zip(products.product.tolist(), products.category.tolist(), strict=True)
    )
    for index in up[:200]:
        customer, product = (
            int(recommended.customer[index]),
            int(recommended.product[index]),
        )
        mine = data.product[data.customer == customer].tolist()
        same = [item for item in mine if category[item] == category[product]]
        assert same, "up-sell in a category the customer never bought"
        top = max(price[item] for item in same)
        assert top < price[product] <= 2.5 * top


def test_products_not_for_sale_are_never_proposed(shop):
    data, products = shop
    blocked = products.product[:10]
    closed = dataclasses.replace(products, sellable=~np.isin(products.product, blocked))
    result = recommend(data, closed)
    assert not np.isin(result.product, blocked).any()


def test_only_the_asked_customers_are_scored(shop):
    result = recommend(*shop, customers=np.array([3, 4]))
    assert set(result.customer.tolist()) == {3, 4}


def test_counts_follow_the_settings(shop):
    settings = RecommendSettings(cross_sell=3, up_sell=0)
    result = recommend(*shop, settings)
    assert (result.kind == KIND_CROSS).all()
    assert np.bincount(result.customer).max() == 3


def test_no_purchases_gives_no_recommendations():
    empty = np.zeros(0, dtype=np.int64)
    result = recommend(
        Purchases(empty, empty, empty, empty.astype("datetime64[D]")), catalogue()
    )
    assert len(result) == 0


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="negative"):
        RecommendSettings(cross_sell=-1)
    with pytest.raises(ValueError, match="above 1"):
        RecommendSettings(up_sell_max_step=1.0)


def test_catalogue_positions_of_unknown_ids_are_minus_one():
    shop = Catalogue(
        product=np.array([30, 10, 20]),
        category=np.array([1, 1, 1]),
        price=np.array([1.0, 2.0, 3.0]),
        sellable=np.ones(3, dtype=bool),
    )
    assert shop.positions(np.array([10, 20, 30, 99, 5])).tolist() == [1, 2, 0, -1, -1]
