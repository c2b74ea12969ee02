"""Supplier scorecard arithmetic: criteria, weighted totals, no-data periods."""

import pytest

from crm_engine.scorecard import (
    CRITERIA,
    Criterion,
    PeriodInputs,
    criterion_scores,
    score_period,
    trend,
)

EQUAL = [Criterion(code, 100 / len(CRITERIA)) for code in CRITERIA]


def test_each_criterion_from_its_figures():
    scores = criterion_scores(
        PeriodInputs(
            ordered_qty=100,
            received_qty=80,
            on_time_qty=60,
            returned_qty=8,
            paid_amount=1_100,
            reference_amount=1_000,
            rfq_count=2,
            response_days=8,
            billed_amount=500,
            billed_accurate_amount=450,
        )
    )
    assert scores["on_time"] == pytest.approx(75.0)  # 60 of the 80 received
    assert scores["in_full"] == pytest.approx(80.0)
    assert scores["quality"] == pytest.approx(90.0)
    assert scores["price"] == pytest.approx(50.0)  # 10% above: 5 points a percent
    assert scores["responsiveness"] == pytest.approx(100 * (1 - 3 / 14))
    assert scores["invoice_accuracy"] == pytest.approx(90.0)


def test_cheaper_than_average_is_full_marks_and_far_above_is_zero():
    cheap = criterion_scores(PeriodInputs(paid_amount=80, reference_amount=100))
    dear = criterion_scores(PeriodInputs(paid_amount=150, reference_amount=100))
    assert cheap["price"] == 100.0
    assert dear["price"] == 0.0


def test_slow_answers_bottom_out_at_zero():
    fast = criterion_scores(PeriodInputs(rfq_count=1, response_days=0.5))
    slow = criterion_scores(PeriodInputs(rfq_count=1, response_days=40))
    assert fast["responsiveness"] == 100.0
    assert slow["responsiveness"] == 0.0


def test_a_criterion_without_figures_is_left_out_and_weights_rescaled():
    inputs = PeriodInputs(ordered_qty=10, received_qty=10, on_time_qty=5)
    result = score_period(inputs, EQUAL)
    assert result.criteria["price"] is None
    assert result.criteria["responsiveness"] is None
    # on time 50, in full 100, quality 100: equal weights over the three.
    assert result.total == pytest.approx(250 / 3)
    assert {driver.code for driver in result.drivers} == {
        "on_time",
        "in_full",
        "quality",
    }
    assert sum(driver.weight for driver in result.drivers) == pytest.approx(100)


def test_a_period_without_transactions_is_no_data_not_zero():
    result = score_period(PeriodInputs(), EQUAL)
    assert result.total is None
    assert not result.has_data
    assert result.drivers == ()
    assert all(score is None for score in result.criteria.values())


def test_figures_only_of_unweighted_criteria_are_no_data():
    weights = [Criterion("on_time", 50), Criterion("in_full", 50)]
    weights += [Criterion(code, 0) for code in CRITERIA[2:]]
    result = score_period(
        PeriodInputs(billed_amount=10, billed_accurate_amount=10), weights
    )
    assert result.total is None


def test_drivers_cost_most_first_and_flag_missed_targets():
    weights = [
        Criterion("on_time", 40, target=95),
        Criterion("in_full", 30, target=90),
        Criterion("quality", 30),
    ]
    weights += [Criterion(code, 0) for code in CRITERIA[3:]]
    inputs = PeriodInputs(
        ordered_qty=100, received_qty=100, on_time_qty=50, returned_qty=10
    )
    result = score_period(inputs, weights)
    assert result.total == pytest.approx(0.4 * 50 + 0.3 * 100 + 0.3 * 90)
    first = result.drivers[0]
    assert first.code == "on_time"
    assert first.points_lost == pytest.approx(20.0)
    assert first.below_target
    in_full = next(driver for driver in result.drivers if driver.code == "in_full")
    assert not in_full.below_target
    quality = next(driver for driver in result.drivers if driver.code == "quality")
    assert not quality.below_target  # no target set
    assert first.to_json()["code"] == "on_time"


def test_trend_skips_no_data_periods():
    assert trend([80, None, 70, None, 60]) == pytest.approx(-5.0)
    assert trend([None, 50, None]) is None
    assert trend([]) is None
    assert trend([60, 60, 60]) == pytest.approx(0.0)
