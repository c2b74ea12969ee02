"""Transactions -> (x, t_x, T, zbar) reproduces the published CDNOW summaries."""

import numpy as np
import pytest
from valuation_data import cdnow_sample, read_csv

from crm_engine.valuation.summary import (
    merge_same_day,
    purchase_days_between,
    summarize,
)


@pytest.fixture(scope="module")
def daily():
    sample = cdnow_sample()
    assert sample.customer.size == 6919
    return merge_same_day(sample.customer, sample.date, sample.amount)


def test_cdnow_summaries_match_the_published_file(daily):
    summary = summarize(daily, "1997-09-30")
    reference = read_csv("cdnow_customers_summary_with_transactions.csv")
    assert summary.customer.size == reference.size == 2357
    np.testing.assert_array_equal(summary.customer, reference["ID"].astype(int))
    np.testing.assert_array_equal(summary.x, reference["x"].astype(int))
    np.testing.assert_allclose(summary.t_x, reference["t_x"], atol=0.01)
    np.testing.assert_allclose(summary.T, reference["T"], atol=0.01)
    np.testing.assert_allclose(summary.zbar, reference["zbar"], atol=0.01)
    np.testing.assert_array_equal(summary.frequency, summary.x + 1)
    assert daily.amount.sum() == pytest.approx(244_091.94)


def test_days_unit_is_seven_times_weeks(daily):
    weeks = summarize(daily, "1997-09-30")
    days = summarize(daily, "1997-09-30", unit="days")
    np.testing.assert_allclose(days.T, 7 * weeks.T)
    np.testing.assert_allclose(days.t_x, 7 * weeks.t_x)
    assert days.units_per_year == pytest.approx(365.25)
    with pytest.raises(ValueError, match="unknown time unit"):
        summarize(daily, "1997-09-30", unit="months")


def test_holdout_counts_match_the_readme(daily):
    summary = summarize(daily, "1997-09-30")
    counts = purchase_days_between(daily, summary.code, "1997-09-30", "1998-06-30")
    assert counts.sum() == 1882
    assert np.count_nonzero(counts) == 684


def test_same_day_rows_merge_and_later_rows_are_ignored():
    customer = np.array(["bob", "bob", "bob", "amy", "bob"])
    day = np.array(
        ["2024-01-01", "2024-01-01", "2024-01-15", "2024-01-10", "2024-03-01"],
        dtype="datetime64[D]",
    )
    daily = merge_same_day(
        customer, day, [10.0, 5.0, 20.0, 8.0, 99.0], cost=[4, 2, 9, 3, 50]
    )
    summary = summarize(daily, "2024-01-29")
    assert summary.customer.tolist() == ["amy", "bob"]
    assert summary.x.tolist() == [0, 1]
    np.testing.assert_allclose(summary.t_x, [0.0, 2.0])
    np.testing.assert_allclose(summary.T, [19 / 7, 4.0])
    np.testing.assert_allclose(summary.zbar, [0.0, 20.0])
    np.testing.assert_allclose(summary.revenue, [8.0, 35.0])
    np.testing.assert_allclose(summary.cost, [3.0, 15.0])
    np.testing.assert_allclose(summary.orders, [1.0, 3.0])  # rows, not days
    np.testing.assert_allclose(summary.monetary, [8.0, 17.5])


def test_empty_input_gives_an_empty_summary():
    daily = merge_same_day([], np.zeros(0, "datetime64[D]"), [])
    summary = summarize(daily, "2024-01-01")
    assert summary.customer.size == summary.x.size == summary.last.size == 0
