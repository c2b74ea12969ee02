"""RFM tie rule and segments, profitability arithmetic, Pareto curves and ABC."""

import numpy as np
import pytest
from valuation_data import read_csv

from crm_engine.valuation import pareto_abc, profitability, rfm


def test_distinct_values_give_exact_quintiles():
    scores = rfm.quintile_scores(np.arange(10))
    np.testing.assert_array_equal(scores, [1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
    assert rfm.quintile_scores([]).size == 0


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([7, 7, 7], [3, 3, 3]),  # rule 1: one value -> the middle
        ([1] * 9 + [2], [1] * 9 + [5]),  # two values -> 1 and 5
        ([1, 2, 3, 3], [1, 3, 5, 5]),
        # rule 2: no value fills a fifth -> midrank quintiles
        ([1, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]),
        # rule 3: a big tie block at the top takes 5, the rest share 1..4
        (list(range(8)) + [9] * 12, [1, 1, 2, 2, 3, 3, 4, 4] + [5] * 12),
        # a big block in the middle, sides share the other scores
        (
            [0, 1, 2, 3] + [5] * 12 + [6, 7, 8, 9],
            [1, 1, 2, 2] + [3] * 12 + [4, 4, 5, 5],
        ),
    ],
)
def test_tie_rule(values, expected):
    assert rfm.quintile_scores(values).tolist() == expected


def test_equal_values_always_share_a_score():
    rng = np.random.default_rng(4)
    for _ in range(50):
        values = rng.integers(0, rng.integers(2, 30), rng.integers(1, 300))
        scores = rfm.quintile_scores(values)
        assert scores.min() >= 1 and scores.max() <= 5
        for value in np.unique(values):
            assert np.unique(scores[values == value]).size == 1
        # Monotone: a higher value never gets a lower score.
        order = np.argsort(values, kind="stable")
        assert np.all(np.diff(scores[order]) >= 0)


def test_sixty_percent_one_time_buyers_like_cdnow():
    data = read_csv("cdnow_customers_summary_with_transactions.csv")
    frequency = data["x"] + 1
    assert np.mean(frequency == 1) == pytest.approx(0.6, abs=0.01)
    scores = rfm.quintile_scores(frequency)
    assert set(scores[frequency == 1]) == {1}
    repeat = scores[frequency > 1]
    assert set(repeat) == {2, 3, 4, 5}
    counts = np.bincount(repeat)[2:]
    assert counts.min() > 0.1 * repeat.size  # spread, not all on 5


def test_recency_reversed_and_cells():
    r, f, m = rfm.rfm_scores([1, 100, 400, 30, 10], [1, 2, 3, 4, 5], [5, 4, 3, 2, 1])
    assert r.tolist() == [5, 2, 1, 3, 4]
    assert rfm.rfm_cells(r, f, m).tolist() == ["515", "224", "133", "342", "451"]


@pytest.mark.parametrize(
    ("r", "f", "m", "segment"),
    [
        (5, 5, 4, rfm.CHAMPIONS),  # FM 4.5
        (5, 4, 4, rfm.LOYAL),  # FM 4: Champions need FM > 4
        (4, 5, 5, rfm.LOYAL),  # Champions need R = 5
        (3, 3, 4, rfm.LOYAL),
        (5, 3, 3, rfm.POTENTIAL_LOYALIST),
        (4, 1, 2, rfm.POTENTIAL_LOYALIST),
        (5, 1, 1, rfm.NEW),
        (4, 1, 1, rfm.PROMISING),
        (3, 2, 3, rfm.NEED_ATTENTION),
        (3, 1, 3, rfm.ABOUT_TO_SLEEP),
        (2, 3, 4, rfm.AT_RISK),
        (1, 3, 3, rfm.AT_RISK),
        (1, 5, 4, rfm.CANT_LOSE),
        (2, 2, 1, rfm.HIBERNATING),
        (2, 1, 1, rfm.LOST),
        (1, 2, 2, rfm.LOST),
    ],
)
def test_segment_grid(r, f, m, segment):
    assert rfm.segments([r], [f], [m])[0] == segment


def test_every_cell_has_one_segment_and_every_segment_a_cell():
    cells = np.array(
        [(r, f, m) for r in range(1, 6) for f in range(1, 6) for m in range(1, 6)]
    )
    names = rfm.segments(*cells.T)
    assert set(names) == set(rfm.SEGMENTS) and len(rfm.SEGMENTS) == 11


def test_profitability_arithmetic():
    settings = profitability.ProfitSettings(
        hourly_cost=30.0, order_cost=5.0, late_payment_rate=0.10
    )
    profit = profitability.customer_profitability(
        revenue=[1100.0, 0.0],
        cost_of_goods=[600.0, 0.0],
        discounts=[100.0, 0.0],
        returns=[50.0, 0.0],
        helpdesk_hours=[2.0, 1.0],
        orders=[4.0, 0.0],
        late_amount_days=[36500.0, 0.0],
        settings=settings,
    )
    assert profit.net_revenue.tolist() == pytest.approx([950.0, 0.0])
    assert profit.cost_to_serve.tolist() == pytest.approx([80.0, 30.0])
    assert profit.payment_delay_cost.tolist() == pytest.approx([10.0, 0.0])
    assert profit.margin.tolist() == pytest.approx([260.0, -30.0])
    assert profit.margin_percent.tolist() == pytest.approx([100 * 260 / 950, 0.0])
    assert profitability.margin_ratio(profit).tolist() == pytest.approx(
        [260 / 950, 0.0]
    )
    with pytest.raises(ValueError):
        profitability.ProfitSettings(hourly_cost=-1)


def test_concentration_curves_and_highlights():
    revenue = np.array([50.0, 5.0, 30.0, 5.0, 10.0])
    curve = pareto_abc.concentration_curve(revenue)
    np.testing.assert_allclose(curve.customer_share, [0, 0.2, 0.4, 0.6, 0.8, 1.0])
    np.testing.assert_allclose(curve.value_share, [0, 0.5, 0.8, 0.9, 0.95, 1.0])
    assert curve.share_of_top(0.2) == pytest.approx(0.5)
    assert curve.share_of_top(0.3) == pytest.approx(0.65)  # interpolated
    assert curve.customers_for(0.8) == pytest.approx(0.4)
    whale = pareto_abc.concentration_curve([80.0, 40.0, -20.0])
    assert whale.value_share.max() == pytest.approx(1.2)
    assert whale.value_share[-1] == pytest.approx(1.0)


def test_abc_default_cutoffs_and_ties():
    revenue = np.array([50.0, 25.0, 10.0, 10.0, 3.0, 2.0, 0.0])
    # revenue before each: 0, .50, .75, .75 (tie), .95, .98
    classes = pareto_abc.abc_classes(revenue)
    assert classes.tolist() == ["A", "A", "A", "A", "C", "C", "C"]
    classes = pareto_abc.abc_classes(revenue, (0.70, 0.96))
    assert classes.tolist() == ["A", "A", "B", "B", "B", "C", "C"]
    shuffled = pareto_abc.abc_classes(revenue[::-1], (0.70, 0.96))
    assert shuffled.tolist() == classes[::-1].tolist()
    assert pareto_abc.abc_classes(np.zeros(3)).tolist() == ["C"] * 3
    with pytest.raises(ValueError):
        pareto_abc.abc_classes(revenue, (0.9, 0.8))


def test_rank_percent_and_deciles_share_ties():
    revenue = np.arange(20, 0, -1, dtype=float)
    assert pareto_abc.revenue_rank_percent(revenue)[[0, -1]].tolist() == [5.0, 100.0]
    deciles = pareto_abc.revenue_deciles(revenue)
    assert deciles.tolist() == [d for d in range(1, 11) for _ in range(2)]
    assert pareto_abc.revenue_deciles([5.0, 5.0, 1.0, 1.0]).tolist() == [3, 3, 8, 8]


def test_rfm_and_p_alive_disagree_where_they_tell_different_stories():
    segment = np.array(
        ["Loyal Customers", "Loyal Customers", "Lost", "Lost", "At Risk"]
    )
    p_alive = np.array([0.04, 0.9, 0.7, 0.1, 0.05])
    assert rfm.signals_disagree(segment, p_alive).tolist() == [
        True,
        False,
        True,
        False,
        False,
    ]
    assert not rfm.signals_disagree(["Champions"], [np.nan])[0]
