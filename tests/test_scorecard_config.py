"""Scorecard settings: weights sum to 100, standing ranges cover 0-100 once."""

import datetime

import pytest

from crm_engine.scorecard import (
    Criterion,
    ScorecardError,
    StandingRange,
    period_of,
    periods_between,
    standing_for,
    validate_ranges,
    validate_weights,
)

RANGES = [
    StandingRange("watch", 50, 70),
    StandingRange("preferred", 85, 100),
    StandingRange("blocked", 0, 50),
    StandingRange("approved", 70, 85),
]


def _error(function, *args):
    with pytest.raises(ScorecardError) as caught:
        function(*args)
    return caught.value


def test_weights_must_sum_to_100():
    validate_weights([Criterion("on_time", 60), Criterion("in_full", 40)])
    error = _error(
        validate_weights, [Criterion("on_time", 60), Criterion("in_full", 30)]
    )
    assert error.code == "weights_sum"
    assert error.params == {"total": 90}


@pytest.mark.parametrize(
    ("criteria", "code"),
    [
        ([Criterion("speed", 100)], "unknown_criterion"),
        ([Criterion("on_time", 110), Criterion("in_full", -10)], "negative_weight"),
        ([Criterion("on_time", 100, target=120)], "target_range"),
        ([], "weights_sum"),
    ],
)
def test_bad_weights_say_why(criteria, code):
    assert _error(validate_weights, criteria).code == code


def test_ranges_sorted_and_scores_placed():
    ordered = validate_ranges(RANGES)
    assert [item.key for item in ordered] == [
        "blocked",
        "watch",
        "approved",
        "preferred",
    ]
    assert standing_for(0, RANGES) == "blocked"
    assert standing_for(49.99, RANGES) == "blocked"
    assert standing_for(50, RANGES) == "watch"
    assert standing_for(85, RANGES) == "preferred"
    assert standing_for(100, RANGES) == "preferred"
    assert standing_for(None, RANGES) is None


@pytest.mark.parametrize(
    ("ranges", "code"),
    [
        ([], "no_ranges"),
        ([StandingRange("a", 10, 100)], "range_start"),
        ([StandingRange("a", 0, 90)], "range_end"),
        ([StandingRange("a", 0, 40), StandingRange("b", 50, 100)], "range_gap"),
        ([StandingRange("a", 0, 60), StandingRange("b", 50, 100)], "range_overlap"),
        ([StandingRange("a", 0, 0), StandingRange("b", 0, 100)], "range_order"),
        ([StandingRange("a", -10, 100)], "range_bounds"),
        ([StandingRange("a", 0, 120)], "range_bounds"),
    ],
)
def test_ranges_must_cover_0_to_100_without_overlap(ranges, code):
    assert _error(validate_ranges, ranges).code == code


def test_overlap_names_both_standings():
    error = _error(
        validate_ranges,
        [StandingRange("a", 0, 60, "Watch"), StandingRange("b", 50, 100, "Good")],
    )
    assert error.params == {"first": "Watch", "second": "Good"}


def test_months_and_quarters():
    day = datetime.date(2026, 5, 17)
    assert period_of(day, "month") == (
        datetime.date(2026, 5, 1),
        datetime.date(2026, 5, 31),
    )
    assert period_of(day, "quarter") == (
        datetime.date(2026, 4, 1),
        datetime.date(2026, 6, 30),
    )
    quarters = periods_between(
        datetime.date(2025, 11, 3), datetime.date(2026, 2, 1), "quarter"
    )
    assert quarters == [
        (datetime.date(2025, 10, 1), datetime.date(2025, 12, 31)),
        (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
    ]
    months = periods_between(
        datetime.date(2025, 12, 31), datetime.date(2026, 2, 1), "month"
    )
    assert [start.month for start, _end in months] == [12, 1, 2]
    assert periods_between(day, day - datetime.timedelta(days=1), "month") == []
    with pytest.raises(ValueError, match="unknown period kind"):
        period_of(day, "week")
