"""Tier rules at every edge: thresholds, grace, minimum stay, review dates."""

from datetime import date

import pytest

from crm_engine.tiering import (
    ANNIVERSARY,
    CALENDAR,
    Program,
    ProgramError,
    Standing,
    add_months,
    downgrade_risk,
    evaluate,
    evaluate_many,
    progress,
    qualified_tier,
    review_after,
)

THRESHOLDS = (0.0, 1000.0, 5000.0, 20000.0)  # Bronze, Silver, Gold, Platinum
BRONZE, SILVER, GOLD, PLATINUM = range(4)
QUARTERLY = Program(THRESHOLDS, review_months=3)
DAY = date(2026, 5, 10)


@pytest.mark.parametrize(
    ("value", "tier"),
    [
        (-0.01, None),
        (0.0, BRONZE),
        (999.99, BRONZE),
        (1000.0, SILVER),
        (4999.99, SILVER),
        (5000.0, GOLD),
        (19999.99, GOLD),
        (20000.0, PLATINUM),
        (1e12, PLATINUM),
    ],
)
def test_qualified_tier_at_each_threshold(value, tier):
    assert qualified_tier(THRESHOLDS, value) == tier


def test_program_rejects_bad_rules():
    with pytest.raises(ProgramError):
        Program(())
    with pytest.raises(ProgramError):
        Program((0.0, 100.0, 100.0))
    with pytest.raises(ProgramError):
        Program((100.0, 50.0))
    with pytest.raises(ProgramError):
        Program(THRESHOLDS, assessment="weekly")
    with pytest.raises(ProgramError):
        Program(THRESHOLDS, review_months=5)
    with pytest.raises(ProgramError):
        Program(THRESHOLDS, grace_percent=100)
    with pytest.raises(ProgramError):
        Program(THRESHOLDS, min_stay_months=-1)
    with pytest.raises(ProgramError):
        Program(THRESHOLDS, reset_month=13)


def test_entry_and_no_tier():
    program = Program((100.0, 1000.0))
    none = evaluate(program, Standing(), 99.99, DAY)
    assert (none.tier, none.rule, none.changed) == (None, "no_tier", False)
    entry = evaluate(program, Standing(), 100.0, DAY)
    assert (entry.tier, entry.rule, entry.since) == (0, "entry", DAY)
    assert entry.direction == "upgrade"
    assert entry.next_review == date(2026, 7, 1)
    jump = evaluate(program, Standing(), 5000.0, DAY)
    assert jump.tier == 1


def test_upgrade_is_immediate_and_may_skip_tiers():
    standing = Standing(BRONZE, date(2026, 5, 1), date(2026, 7, 1))
    just_below = evaluate(QUARTERLY, standing, 999.99, DAY)
    assert (just_below.tier, just_below.changed) == (BRONZE, False)
    at = evaluate(QUARTERLY, standing, 1000.0, DAY)
    assert (at.tier, at.rule, at.since, at.direction) == (
        SILVER,
        "upgrade",
        DAY,
        "upgrade",
    )
    jump = evaluate(QUARTERLY, standing, 20000.0, DAY)
    assert jump.tier == PLATINUM


def test_no_downgrade_before_the_review_date():
    standing = Standing(GOLD, date(2025, 1, 1), date(2026, 7, 1))
    before = evaluate(QUARTERLY, standing, 0.0, date(2026, 6, 30))
    assert (before.tier, before.rule, before.next_review) == (
        GOLD,
        "before_review",
        date(2026, 7, 1),
    )
    on = evaluate(QUARTERLY, standing, 0.0, date(2026, 7, 1))
    assert (on.tier, on.rule, on.direction) == (SILVER, "downgrade", "downgrade")
    assert on.since == date(2026, 7, 1)
    assert on.next_review == date(2026, 10, 1)


def test_one_step_down_per_review():
    standing = Standing(PLATINUM, date(2025, 1, 1), date(2026, 7, 1))
    first = evaluate(QUARTERLY, standing, 0.0, date(2026, 7, 1))
    assert first.tier == GOLD
    again_same_day = evaluate(
        QUARTERLY,
        Standing(first.tier, first.since, first.next_review),
        0.0,
        date(2026, 7, 1),
    )
    assert (again_same_day.tier, again_same_day.rule) == (GOLD, "before_review")
    second = evaluate(
        QUARTERLY,
        Standing(first.tier, first.since, first.next_review),
        0.0,
        date(2026, 10, 1),
    )
    assert second.tier == SILVER


def test_drop_to_qualified_tier_when_only_one_step():
    standing = Standing(PLATINUM, date(2025, 1, 1), date(2026, 7, 1))
    decision = evaluate(QUARTERLY, standing, 6000.0, date(2026, 7, 1))
    assert (decision.tier, decision.qualified) == (GOLD, GOLD)


def test_exit_from_lowest_tier():
    program = Program((100.0, 1000.0))
    standing = Standing(0, date(2025, 1, 1), date(2026, 7, 1))
    decision = evaluate(program, standing, 99.99, date(2026, 7, 1))
    assert (decision.tier, decision.rule, decision.direction) == (
        None,
        "exit",
        "downgrade",
    )
    kept = evaluate(program, standing, 100.0, date(2026, 7, 1))
    assert kept.tier == 0


def test_grace_margin_edges():
    program = Program(THRESHOLDS, grace_percent=10.0)
    standing = Standing(GOLD, date(2025, 1, 1), date(2026, 7, 1))
    at_edge = evaluate(program, standing, 4500.0, date(2026, 7, 1))
    assert (at_edge.tier, at_edge.rule) == (GOLD, "grace")
    assert at_edge.next_review == date(2026, 10, 1)
    below = evaluate(program, standing, 4499.99, date(2026, 7, 1))
    assert (below.tier, below.rule) == (SILVER, "downgrade")
    # Grace keeps a tier; it does not grant one.
    assert evaluate(program, Standing(SILVER, DAY, DAY), 4500.0, DAY).tier == SILVER


def test_grace_on_negative_threshold():
    program = Program((-100.0, 0.0), grace_percent=50.0)
    assert program.keep_threshold(0) == -150.0


def test_minimum_stay_edges():
    program = Program(THRESHOLDS, min_stay_months=6)
    since = date(2026, 3, 15)
    standing = Standing(GOLD, since, date(2026, 7, 1))
    held = evaluate(program, standing, 0.0, date(2026, 7, 1))
    assert (held.tier, held.rule) == (GOLD, "min_stay")
    # The stay ends 15 September: the first review on or after it is 1 October.
    assert held.next_review == date(2026, 10, 1)
    after = evaluate(
        program, Standing(GOLD, since, held.next_review), 0.0, date(2026, 10, 1)
    )
    assert after.tier == SILVER
    exact = Program(THRESHOLDS, min_stay_months=3)
    on_end = evaluate(
        exact, Standing(GOLD, date(2026, 4, 1), date(2026, 7, 1)), 0, date(2026, 7, 1)
    )
    assert on_end.tier == SILVER


def test_kept_tier_rolls_the_review_forward():
    standing = Standing(SILVER, date(2025, 1, 1), date(2026, 7, 1))
    before = evaluate(QUARTERLY, standing, 1000.0, date(2026, 6, 1))
    assert (before.rule, before.next_review, before.since) == (
        "kept",
        date(2026, 7, 1),
        date(2025, 1, 1),
    )
    on = evaluate(QUARTERLY, standing, 1000.0, date(2026, 7, 1))
    assert on.next_review == date(2026, 10, 1)
    assert not on.changed


@pytest.mark.parametrize(
    ("months", "day", "review"),
    [
        (3, date(2026, 1, 1), date(2026, 4, 1)),
        (3, date(2026, 3, 31), date(2026, 4, 1)),
        (3, date(2026, 12, 31), date(2027, 1, 1)),
        (1, date(2026, 2, 28), date(2026, 3, 1)),
        (6, date(2026, 6, 30), date(2026, 7, 1)),
        (12, date(2026, 7, 1), date(2027, 1, 1)),
    ],
)
def test_rolling_reviews(months, day, review):
    assert review_after(Program(THRESHOLDS, review_months=months), day) == review


def test_calendar_reviews():
    program = Program(THRESHOLDS, assessment=CALENDAR, reset_month=4)
    assert review_after(program, date(2026, 3, 31)) == date(2026, 4, 1)
    assert review_after(program, date(2026, 4, 1)) == date(2027, 4, 1)


def test_anniversary_reviews():
    program = Program(THRESHOLDS, assessment=ANNIVERSARY)
    since = date(2024, 2, 29)
    assert review_after(program, since, since) == date(2025, 2, 28)
    assert review_after(program, date(2025, 2, 28), since) == date(2026, 2, 28)
    assert review_after(program, date(2026, 5, 1), since) == date(2027, 2, 28)
    entry = evaluate(program, Standing(), 6000.0, DAY)
    assert entry.next_review == date(2027, 5, 10)


def test_add_months_keeps_month_ends():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 5, 10), -5) == date(2025, 12, 10)


def test_progress():
    assert progress(THRESHOLDS, SILVER, 3000.0).percent == 50.0
    assert progress(THRESHOLDS, SILVER, 3000.0).next_tier == GOLD
    assert progress(THRESHOLDS, SILVER, 3000.0).gap == 2000.0
    # Held by protection below the tier's threshold: no negative progress.
    assert progress(THRESHOLDS, GOLD, 100.0).percent == 0.0
    top = progress(THRESHOLDS, PLATINUM, 1e9)
    assert (top.next_tier, top.percent, top.gap) == (None, 100.0, 0.0)
    none = progress((100.0, 1000.0), None, 50.0)
    assert (none.next_tier, none.percent, none.gap) == (0, 50.0, 50.0)


def test_downgrade_risk_warns_ahead_of_the_review():
    standing = Standing(GOLD, date(2025, 1, 1), date(2026, 7, 1))
    missing = downgrade_risk(QUARTERLY, standing, 4000.0, date(2026, 6, 1), days=30)
    assert missing == 1000.0
    assert downgrade_risk(QUARTERLY, standing, 4000.0, date(2026, 5, 31), 30) is None
    assert downgrade_risk(QUARTERLY, standing, 5000.0, date(2026, 6, 1), 30) is None
    assert downgrade_risk(QUARTERLY, Standing(), 0.0, date(2026, 6, 1), 30) is None


def test_evaluate_many_matches_evaluate():
    standings = [Standing(), Standing(GOLD, date(2025, 1, 1), date(2026, 7, 1))]
    decisions = evaluate_many(QUARTERLY, standings, [1500.0, 0.0], date(2026, 7, 1))
    assert [decision.tier for decision in decisions] == [SILVER, SILVER]
    with pytest.raises(ValueError):
        evaluate_many(QUARTERLY, standings, [1.0], date(2026, 7, 1))


def test_unknown_tier_is_an_error():
    with pytest.raises(ProgramError):
        evaluate(QUARTERLY, Standing(7, DAY, DAY), 0.0, DAY)
