"""value_customers end to end: CDNOW, CLV discounting, fallback, holdout, extras."""

import datetime

import numpy as np
import pytest
from valuation_data import cdnow_sample

from crm_engine.valuation import (
    CustomerExtras,
    ProfitSettings,
    Transactions,
    ValuationSettings,
    forecast,
    holdout_check,
    value_customers,
)
from crm_engine.valuation.bgnbd import BgNbdFit
from crm_engine.valuation.fitting import FitError
from crm_engine.valuation.holdout import grade_for
from crm_engine.valuation.pipeline import TABLE_COLUMNS
from crm_engine.valuation.rfm import SEGMENTS
from crm_engine.valuation.summary import merge_same_day
from crm_engine.valuation.texts import join_notes

CALIBRATION_END = datetime.date(1997, 9, 30)


@pytest.fixture(scope="module")
def cdnow():
    return cdnow_sample()


@pytest.fixture(scope="module")
def calibration(cdnow):
    settings = ValuationSettings(model="bgnbd", holdout_weeks=0, horizon_months=24)
    return value_customers(cdnow, CALIBRATION_END, settings)


def test_cdnow_valuation_reproduces_the_papers(calibration):
    result = calibration
    assert result.model == "BG/NBD + Gamma-Gamma"
    assert result.note == ()
    assert result.holdout is None
    assert result.parameters["r"] == pytest.approx(0.2426, rel=1e-3)
    assert result.parameters["b"] == pytest.approx(2.4258, rel=1e-3)
    assert result.parameters["p"] == pytest.approx(6.2488, rel=1e-3)
    assert result.parameters["gamma"] == pytest.approx(15.4477, rel=1e-3)
    assert result.log_likelihood == pytest.approx(-9582.43, rel=1e-3)
    table = result.table
    assert tuple(table) == TABLE_COLUMNS
    assert all(len(column) == 2357 for column in table.values())
    assert np.all(np.diff(table["revenue"]) <= 0)
    assert set(table["segment"]) <= set(SEGMENTS)
    assert set(table["abc_class"]) == {"A", "B", "C"}
    assert np.all((table["p_alive"] > 0) & (table["p_alive"] <= 1))
    assert np.all(table["clv"] > 0)
    assert not result.costs_known
    one_timers = table["frequency"] == 1
    population_mean = 6.2488 * 15.4477 / (3.7446 - 1)
    np.testing.assert_allclose(
        table["expected_spend"][one_timers], population_mean, rtol=2e-3
    )
    cells = [
        f"{r}{f}{m}"
        for r, f, m in zip(
            *(table[k] for k in ("r_score", "f_score", "m_score")), strict=True
        )
    ]
    assert table["rfm_cell"].tolist() == cells


def test_clv_is_monthly_discounted_expected_spend(calibration):
    table, params = calibration.table, calibration.parameters
    fit = BgNbdFit(*(params[k] for k in ("r", "alpha", "a", "b")))
    row = int(np.flatnonzero(table["frequency"] == 3)[0])
    last = np.datetime64(CALIBRATION_END) - table["recency_days"][row]
    t_x = (last - table["first_purchase"][row]).astype(int) / 7
    T = (np.datetime64(CALIBRATION_END) - table["first_purchase"][row]).astype(int) / 7
    month = 365.25 / 12 / 7
    cumulative = [fit.expected_purchases(m * month, 2, t_x, T) for m in range(25)]
    per_month = np.diff(cumulative)
    factors = 1.10 ** (-np.arange(1, 25) / 12)
    expected = factors @ per_month * table["expected_spend"][row]
    assert table["clv"][row] == pytest.approx(expected, rel=1e-9)
    assert table["expected_purchases"][row] == pytest.approx(cumulative[-1])


def test_cdnow_holdout_grades_the_model_good(cdnow):
    report = holdout_check(
        merge_same_day(cdnow.customer, cdnow.date, cdnow.amount),
        CALIBRATION_END,
        "1998-06-30",
    )
    assert report.customers == 2357 and report.actual_total == 1882
    assert report.model == "BG/NBD" and report.note is None
    assert report.model_accuracy.predicted_total == pytest.approx(1653.4, rel=1e-3)
    assert report.model_accuracy.mae < report.baseline_accuracy.mae
    assert report.model_accuracy.correlation > report.baseline_accuracy.correlation
    assert report.grade == "good"
    assert "1,882" in report.describe() and "1,653" in report.describe()


def test_holdout_weeks_in_the_valuation_and_pareto_model(cdnow):
    settings = ValuationSettings(model="paretonbd", holdout_weeks=39)
    result = value_customers(cdnow, "1998-06-30", settings)
    assert result.model == "Pareto/NBD + Gamma-Gamma"
    assert result.holdout.calibration_end == np.datetime64("1997-09-30")
    assert result.holdout.model == "Pareto/NBD"
    assert result.holdout.grade == "good"
    assert np.all(np.isfinite(result.table["clv"]))


def test_grading_thresholds():
    assert grade_for(0.9, 1.0) == "good"
    assert grade_for(0.95, 1.0) == "fair"
    assert grade_for(1.1, 1.0) == "fair"
    assert grade_for(1.2, 1.0) == "poor"
    assert grade_for(0.0, 0.0) == "good"


def _small_book(cost=True):
    customer = np.array([1, 1, 1, 2, 2, 3, 4, 5])
    day = np.array(
        [
            "2024-01-05",
            "2024-01-05",
            "2024-03-01",
            "2024-02-01",
            "2024-05-01",
            "2024-04-01",
            "2024-06-01",
            "2024-07-01",
        ],
        dtype="datetime64[D]",
    )
    amount = np.array([100.0, 50.0, 200.0, 80.0, 120.0, 40.0, 10.0, 999.0])
    return Transactions(customer, day, amount, cost=amount * 0.5 if cost else None)


def test_thin_data_falls_back_to_the_baseline_and_says_so():
    result = value_customers(_small_book(), datetime.date(2024, 6, 30))
    assert result.model == "Baseline"
    note = join_notes(result.note)
    assert "2 customer(s) bought more than once" in note
    assert "baseline" in note
    assert "Holdout check skipped: no purchases on or before 2023-12-31." in note
    assert result.log_likelihood is None and result.holdout is None
    assert set(result.parameters) == {"repeat_rate", "yearly_retention"}
    table = result.table
    assert table["customer"].tolist() == [1, 2, 3, 4]  # 5 bought after as_of
    assert table["frequency"].tolist() == [2, 2, 1, 1]  # same-day rows merged
    assert table["revenue"].tolist() == [350.0, 200.0, 40.0, 10.0]
    assert table["recency_days"].tolist() == [121, 60, 90, 29]
    assert table["expected_spend"].tolist()[:2] == [200.0, 120.0]  # own repeat mean
    assert np.all(table["clv"] > 0) and np.all(np.isfinite(table["p_alive"]))


def test_a_failing_fit_falls_back_and_says_so(monkeypatch, cdnow):
    def fail(*args, **kwargs):
        raise FitError("the optimiser did not converge from any start point")

    monkeypatch.setitem(forecast.PURCHASE_MODELS, "paretonbd", ("Pareto/NBD", fail))
    settings = ValuationSettings(model="paretonbd", holdout_weeks=0)
    result = value_customers(cdnow, CALIBRATION_END, settings)
    assert result.model == "Baseline" and result.log_likelihood is None
    assert join_notes(result.note) == (
        "The Pareto/NBD fit failed (the optimiser did not converge from any start "
        "point); the baseline forecast is used."
    )
    assert np.all(result.table["clv"] > 0)


def test_holdout_on_thin_data_reports_the_fallback():
    daily = merge_same_day(
        *(getattr(_small_book(), k) for k in ("customer", "date", "amount"))
    )
    report = holdout_check(daily, "2024-03-31", "2024-06-30")
    assert report.model == "Baseline" and "baseline" in str(report.note)
    assert report.grade == "fair"
    assert report.actual_total == 1  # customer 2 on 2024-05-01


def test_extras_and_costs_flow_into_margin_and_clv():
    extras = CustomerExtras(
        customer=np.array([2, 9]),
        returns=np.array([20.0, 5.0]),
        helpdesk_hours=np.array([1.5, 3.0]),
        late_amount_days=np.array([3650.0, 0.0]),
    )
    settings = ValuationSettings(
        profit=ProfitSettings(hourly_cost=10.0, order_cost=2.0, late_payment_rate=0.1)
    )
    as_of = datetime.date(2024, 6, 30)
    result = value_customers(_small_book(), as_of, settings, extras)
    assert result.costs_known
    table = {k: v.tolist() for k, v in result.table.items()}
    row = table["customer"].index(2)
    assert table["returns"][row] == 20.0
    assert table["cost_to_serve"][row] == pytest.approx(1.5 * 10 + 2 * 2)
    assert table["payment_delay_cost"][row] == pytest.approx(1.0)
    assert table["margin"][row] == pytest.approx(200 - 20 - 100 - 19 - 1)
    assert table["margin_percent"][row] == pytest.approx(100 * 60 / 180)
    other = table["customer"].index(1)
    assert table["returns"][other] == 0.0
    assert table["cost_to_serve"][other] == pytest.approx(3 * 2.0)  # 3 order rows
    # The CLV counts the share of revenue kept as margin.
    plain = value_customers(_small_book(cost=False), as_of)
    assert not plain.costs_known
    ratio = result.table["clv"] / plain.table["clv"]
    net = result.table["revenue"] - result.table["returns"]
    np.testing.assert_allclose(ratio, np.clip(result.table["margin"] / net, 0, 1))


def test_string_ids_and_default_as_of():
    book = _small_book()
    labels = np.array(["c1", "c1", "c1", "c2", "c2", "c3", "c4", "c5"])
    result = value_customers(Transactions(labels, book.date, book.amount))
    assert result.as_of == datetime.date(2024, 7, 1)
    assert sorted(result.table["customer"].tolist()) == ["c1", "c2", "c3", "c4", "c5"]


def test_bad_requests_raise_value_error(cdnow):
    with pytest.raises(ValueError, match="unknown model"):
        ValuationSettings(model="x")
    with pytest.raises(ValueError, match="horizon"):
        ValuationSettings(horizon_months=0)
    with pytest.raises(ValueError, match="no purchases on or before"):
        value_customers(cdnow, "1990-01-01")
    empty = Transactions(np.zeros(0, int), np.zeros(0, "datetime64[D]"), np.zeros(0))
    with pytest.raises(ValueError, match="no transactions"):
        value_customers(empty)


def test_auto_model_is_chosen_by_the_holdout_and_says_why(cdnow):
    """The default picks MBG/NBD or Pareto/NBD, whichever forecast the holdout
    period better; one-time buyers are then no longer all 100 % active."""
    settings = ValuationSettings(holdout_weeks=39)
    result = value_customers(cdnow, "1998-06-30", settings)
    errors = {}
    for model in ("mbgnbd", "paretonbd"):
        explicit = ValuationSettings(model=model, holdout_weeks=39)
        report = value_customers(cdnow, "1998-06-30", explicit).holdout
        errors[report.model] = report.model_accuracy.mae
    chosen = min(errors, key=errors.get)
    assert result.model == f"{chosen} + Gamma-Gamma"
    assert result.holdout.model == chosen
    (reason,) = result.note
    other = next(name for name in errors if name != chosen)
    assert reason.render() == (
        f"{chosen} was chosen by the holdout check: its forecast of the recent "
        f"purchases missed by {errors[chosen]:.3f} purchases per customer on "
        f"average, {other} by {errors[other]:.3f}."
    )
    table = result.table
    once = table["frequency"] == 1
    assert np.all(table["p_alive"][once] < 0.5)
    lost = table["segment"] == "Lost"
    champions = table["segment"] == "Champions"
    assert table["p_alive"][lost].mean() < 0.5 < table["p_alive"][champions].mean()


def test_auto_model_without_holdout_says_which_it_used(cdnow):
    result = value_customers(cdnow, CALIBRATION_END, ValuationSettings(holdout_weeks=0))
    assert result.model == "MBG/NBD + Gamma-Gamma" and result.holdout is None
    assert join_notes(result.note) == (
        "MBG/NBD is used: without a holdout check there is nothing to choose the "
        "model by."
    )


def test_goods_that_came_back_give_their_cost_back():
    as_of = datetime.date(2024, 6, 30)
    extras = CustomerExtras(
        customer=np.array([2]),
        returns=np.array([20.0]),
        helpdesk_hours=np.array([0.0]),
        late_amount_days=np.array([0.0]),
        returned_cost=np.array([12.0]),
    )
    result = value_customers(_small_book(), as_of, extras=extras)
    table = {k: v.tolist() for k, v in result.table.items()}
    row = table["customer"].index(2)
    assert table["cost_of_goods"][row] == pytest.approx(100 - 12)
    assert table["margin"][row] == pytest.approx(200 - 20 - 88 - 2 * 0)


def test_grade_counts_the_error_of_the_total_too():
    # The demo data: 639 purchase days forecast for 415 made (+54%), with a
    # per-customer error below the baseline's.
    assert grade_for(0.8, 1.0, 639.0, 415.0) == "poor"
    assert grade_for(0.8, 1.0, 500.0, 415.0) == "fair"  # +20%
    assert grade_for(0.8, 1.0, 430.0, 415.0) == "good"  # +4%
    assert grade_for(1.2, 1.0, 415.0, 415.0) == "poor"


def test_holdout_report_explains_its_grade_in_one_sentence(cdnow):
    report = holdout_check(
        merge_same_day(cdnow.customer, cdnow.date, cdnow.amount),
        CALIBRATION_END,
        "1998-06-30",
    )
    reason = report.grade_reason()
    assert reason.startswith(f"Graded {report.grade}: the total forecast is ")
    assert reason.endswith("against the baseline's.") and reason.count(".") == 1
    assert reason in report.describe()
