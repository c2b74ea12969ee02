"""Partner levels from performance, with a protected downgrade.

A reseller earns the highest level whose thresholds its figures over the
rolling window all meet. Going up happens at once and protects the new level
for a while; going down waits until that protection has run out, so one weak
quarter does not cost a reseller its level.
"""

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class LevelRule:
    """Thresholds of one level; rules are given from lowest to highest."""

    key: int
    min_won_revenue: float = 0.0
    min_win_rate: float = 0.0
    max_response_hours: float = 0.0  # 0: no limit

    def met_by(self, metrics):
        if metrics.get("won_revenue", 0.0) < self.min_won_revenue:
            return False
        if metrics.get("win_rate", 0.0) < self.min_win_rate:
            return False
        response = metrics.get("response_hours")
        if self.max_response_hours and response is not None:
            return response <= self.max_response_hours
        return True


@dataclass(frozen=True)
class LevelDecision:
    level: int | None
    earned: int | None
    action: str  # "up", "down", "keep", "protected"
    protected_until: object


def earned_level(metrics, rules):
    """Key of the highest rule met, or None."""
    earned = None
    for rule in rules:
        if rule.met_by(metrics):
            earned = rule.key
    return earned


def evaluate_level(metrics, rules, current, protected_until, today, protect_days):
    """Decide the level of one reseller.

    ``current`` and the result are rule keys (None: no level); ``rules``
    run from lowest to highest; ``protected_until`` is a date or None.
    """
    order = {rule.key: rank for rank, rule in enumerate(rules)}
    earned = earned_level(metrics, rules)
    current_rank = order.get(current, -1)
    earned_rank = order.get(earned, -1)
    if earned_rank > current_rank:
        return LevelDecision(earned, earned, "up", today + timedelta(days=protect_days))
    if earned_rank == current_rank:
        return LevelDecision(current, earned, "keep", protected_until)
    if protected_until and today <= protected_until:
        return LevelDecision(current, earned, "protected", protected_until)
    return LevelDecision(earned, earned, "down", None)


def gap_to_next(metrics, rules, current):
    """What the reseller lacks for the level above ``current``: a dict of
    ``won_revenue`` / ``win_rate`` shortfalls, or None at the top."""
    keys = [rule.key for rule in rules]
    rank = keys.index(current) if current in keys else -1
    if rank + 1 >= len(rules):
        return None
    rule = rules[rank + 1]
    return {
        "key": rule.key,
        "won_revenue": max(0.0, rule.min_won_revenue - metrics.get("won_revenue", 0.0)),
        "win_rate": max(0.0, rule.min_win_rate - metrics.get("win_rate", 0.0)),
    }
