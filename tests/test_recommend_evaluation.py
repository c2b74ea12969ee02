"""Offline evaluation on a time split, and the timing of the next purchase."""

import numpy as np
import pytest
from recommend_data import catalogue, purchases

from crm_engine.recommend import Purchases, evaluate, expected_next_purchase


def test_recommender_beats_the_most_popular_baseline_where_tastes_differ():
    result = evaluate(purchases(), catalogue())
    assert result.customers > 400
    assert result.window_days == 90
    assert result.hit_at_10 >= result.hit_at_5
    assert result.hit_at_5 > result.popular_hit_at_5 + 0.05
    assert result.hit_at_10 > result.popular_hit_at_10 + 0.05
    assert result.to_json()["cutoff"] == "2025-09-28"


def test_without_structure_it_stays_close_to_the_baseline():
    """Products drawn independently of the customer: nothing to learn beyond
    popularity, and the recommender must not do much worse than it."""
    rng = np.random.default_rng(5)
    count = 20_000
    products = catalogue()
    weights = 1.0 / (1 + np.arange(products.size))
    data = Purchases(
        customer=rng.integers(1, 1500, count),
        order=np.arange(count),
        product=rng.choice(products.product, count, p=weights / weights.sum()),
        date=np.datetime64("2025-01-01", "D")
        + rng.integers(0, 360, count).astype("timedelta64[D]"),
    )
    result = evaluate(data, products)
    assert result.hit_at_10 > result.popular_hit_at_10 - 0.05


def test_an_empty_side_of_the_split_gives_no_evaluation():
    data = purchases(customers=50)
    assert evaluate(data, catalogue(), cutoff="2030-01-01") is None
    empty = np.zeros(0, dtype=np.int64)
    nothing = Purchases(empty, empty, empty, empty.astype("datetime64[D]"))
    assert evaluate(nothing, catalogue()) is None


def test_next_purchase_is_one_gap_after_the_last():
    due = expected_next_purchase(
        np.array(
            ["2026-01-01", "2026-01-01", "2026-03-01", "NaT"], dtype="datetime64[D]"
        ),
        [0.5, 1.0, 0.0, 0.9],
        [6.0, 12.0, 0.0, 3.0],
        12,
    )
    # 6 / 0.5 = 12 purchases a year: one every 30.4 days.
    assert due[0] == np.datetime64("2026-01-31")
    assert due[1] == np.datetime64("2026-01-31")
    assert np.isnat(due[2]) and np.isnat(due[3])


@pytest.mark.parametrize("horizon", [6, 24])
def test_the_gap_does_not_depend_on_the_horizon_for_a_steady_rate(horizon):
    due = expected_next_purchase(
        np.array(["2026-01-01"], dtype="datetime64[D]"),
        [1.0],
        [horizon / 12 * 4],
        horizon,
    )
    assert due[0] == np.datetime64("2026-01-01") + np.timedelta64(91, "D")
