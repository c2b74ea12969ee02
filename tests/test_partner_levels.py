"""Partner levels: earned from the figures, downgraded only when unprotected."""

from datetime import date, timedelta

from crm_engine.partner import LevelRule, evaluate_level
from crm_engine.partner.levels import earned_level, gap_to_next

RULES = (
    LevelRule(1),
    LevelRule(2, min_won_revenue=100.0, min_win_rate=0.2),
    LevelRule(3, min_won_revenue=1000.0, min_win_rate=0.3, max_response_hours=24),
)
TODAY = date(2026, 6, 30)


def test_highest_level_whose_every_threshold_is_met():
    assert earned_level({"won_revenue": 5000, "win_rate": 0.5}, RULES) == 3
    slow = {"won_revenue": 5000, "win_rate": 0.5, "response_hours": 48}
    assert earned_level(slow, RULES) == 2
    assert earned_level({"won_revenue": 5000, "win_rate": 0.1}, RULES) == 1


def test_upgrade_is_immediate_and_protected():
    decision = evaluate_level(
        {"won_revenue": 200, "win_rate": 0.25}, RULES, 1, None, TODAY, 90
    )
    assert (decision.level, decision.action) == (2, "up")
    assert decision.protected_until == TODAY + timedelta(days=90)


def test_downgrade_waits_for_protection_to_run_out():
    weak = {"won_revenue": 0, "win_rate": 0.0}
    held = evaluate_level(weak, RULES, 3, TODAY + timedelta(days=1), TODAY, 90)
    assert (held.level, held.earned, held.action) == (3, 1, "protected")
    dropped = evaluate_level(weak, RULES, 3, TODAY - timedelta(days=1), TODAY, 90)
    assert (dropped.level, dropped.action) == (1, "down")


def test_gap_to_next_level():
    gap = gap_to_next({"won_revenue": 40, "win_rate": 0.25}, RULES, 1)
    assert gap == {"key": 2, "won_revenue": 60, "win_rate": 0.0}
    assert gap_to_next({}, RULES, 3) is None
