"""Kraljic segmentation: spend (profit impact) against supply risk.

Spend is high for the suppliers that together make ``spend_share`` (80% by
default) of the spend, largest first. Supply risk is a 0-100 score from three
inputs a buyer can correct: a single source (no other supplier of the same
products), a long lead time, and a falling score trend.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

QUADRANTS = ("strategic", "leverage", "bottleneck", "non_critical")
SINGLE_SOURCE_POINTS = 40.0
LEAD_TIME_POINTS = 30.0
LEAD_TIME_FULL_DAYS = 30.0
TREND_POINTS = 30.0
TREND_FULL_DROP = 5.0  # points lost per period that count as the whole risk
RISK_THRESHOLD = 50.0


@dataclass(frozen=True)
class RiskInputs:
    single_source: bool = False
    lead_time_days: float = 0.0
    score_trend: float | None = None  # points per period


def risk_score(inputs: RiskInputs) -> float:
    """0-100: 40 for a single source, up to 30 for a lead time (full at 30
    days), up to 30 for a falling trend (full at 5 points lost per period)."""
    score = SINGLE_SOURCE_POINTS if inputs.single_source else 0.0
    score += (
        LEAD_TIME_POINTS
        * min(max(inputs.lead_time_days, 0.0), LEAD_TIME_FULL_DAYS)
        / LEAD_TIME_FULL_DAYS
    )
    if inputs.score_trend is not None and inputs.score_trend < 0:
        score += TREND_POINTS * min(-inputs.score_trend / TREND_FULL_DROP, 1.0)
    return score


def spend_classes(spend: Mapping[int, float], spend_share: float = 0.8) -> set[int]:
    """The suppliers of high spend: largest first, until ``spend_share`` of the
    total is reached (the supplier that crosses it included)."""
    if not 0 < spend_share <= 1:
        raise ValueError("spend_share must be within (0, 1]")
    total = sum(amount for amount in spend.values() if amount > 0)
    high = set()
    if total <= 0:
        return high
    running = 0.0
    for supplier, amount in sorted(spend.items(), key=lambda item: (-item[1], item[0])):
        if amount <= 0 or running >= spend_share * total:
            break
        high.add(supplier)
        running += amount
    return high


def quadrant(high_spend: bool, risk: float, threshold: float = RISK_THRESHOLD) -> str:
    high_risk = risk >= threshold
    if high_spend:
        return "strategic" if high_risk else "leverage"
    return "bottleneck" if high_risk else "non_critical"
