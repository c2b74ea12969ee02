"""Scorecard settings: the criteria with their weights and targets, and the
standings with their score ranges, with the checks both must pass."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# The criteria a scorecard can weigh, in the order screens show them.
CRITERIA = (
    "on_time",
    "in_full",
    "quality",
    "price",
    "responsiveness",
    "invoice_accuracy",
)
SCORE_MAX = 100.0
# Rounding tolerance when weights or range bounds are compared.
EPSILON = 1e-6


class ScorecardError(ValueError):
    """Settings that cannot be used, with a code and the numbers behind it.

    ``code`` is one of: ``unknown_criterion``, ``negative_weight``,
    ``weights_sum``, ``target_range``, ``no_ranges``, ``range_order``,
    ``range_bounds``, ``range_start``, ``range_end``, ``range_gap``,
    ``range_overlap``.
    """

    def __init__(self, code: str, **params):
        super().__init__(f"{code}: {params}")
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Criterion:
    """One criterion's weight (percent of the total) and optional target score."""

    code: str
    weight: float
    target: float | None = None


@dataclass(frozen=True)
class StandingRange:
    """A standing (``key``) for scores from ``low`` to below ``high``; the range
    that ends at 100 includes 100."""

    key: str
    low: float
    high: float
    name: str = field(default="", compare=False)


def validate_weights(criteria: Iterable[Criterion]) -> tuple[Criterion, ...]:
    """The criteria, checked: known codes, weights >= 0 summing to 100, targets
    within 0-100. Criteria with weight 0 are kept (they are shown, not counted)."""
    criteria = tuple(criteria)
    total = 0.0
    for criterion in criteria:
        if criterion.code not in CRITERIA:
            raise ScorecardError("unknown_criterion", criterion=criterion.code)
        if criterion.weight < 0:
            raise ScorecardError(
                "negative_weight", criterion=criterion.code, weight=criterion.weight
            )
        if criterion.target is not None and not 0 <= criterion.target <= SCORE_MAX:
            raise ScorecardError(
                "target_range", criterion=criterion.code, target=criterion.target
            )
        total += criterion.weight
    if abs(total - SCORE_MAX) > EPSILON:
        raise ScorecardError("weights_sum", total=round(total, 4))
    return criteria


def validate_ranges(ranges: Iterable[StandingRange]) -> tuple[StandingRange, ...]:
    """The ranges sorted from the lowest, checked to cover 0-100 exactly once."""
    ordered = tuple(sorted(ranges, key=lambda item: (item.low, item.high)))
    if not ordered:
        raise ScorecardError("no_ranges")
    for item in ordered:
        if item.low >= item.high:
            raise ScorecardError(
                "range_order",
                standing=item.name or item.key,
                low=item.low,
                high=item.high,
            )
        if item.low < 0 or item.high > SCORE_MAX:
            raise ScorecardError(
                "range_bounds",
                standing=item.name or item.key,
                low=item.low,
                high=item.high,
            )
    if ordered[0].low > EPSILON:
        raise ScorecardError("range_start", low=ordered[0].low)
    if ordered[-1].high < SCORE_MAX - EPSILON:
        raise ScorecardError("range_end", high=ordered[-1].high)
    for before, after in itertools.pairwise(ordered):
        if after.low > before.high + EPSILON:
            raise ScorecardError("range_gap", low=before.high, high=after.low)
        if after.low < before.high - EPSILON:
            raise ScorecardError(
                "range_overlap",
                first=before.name or before.key,
                second=after.name or after.key,
            )
    return ordered


def standing_finder(ranges: Iterable[StandingRange]):
    """``find(score) -> key`` for the ranges, checked once: the key of the
    standing whose range holds ``score``, None without a score."""
    ordered = validate_ranges(ranges)
    lows = [item.low for item in ordered]

    def find(score: float | None) -> str | None:
        if score is None:
            return None
        index = bisect.bisect_right(lows, score + EPSILON) - 1
        return ordered[max(index, 0)].key

    return find


def standing_for(score: float | None, ranges: Iterable[StandingRange]) -> str | None:
    """The key of the standing whose range holds ``score``; None without a score."""
    return standing_finder(ranges)(score)


def weights_by_code(criteria: Iterable[Criterion]) -> Mapping[str, Criterion]:
    return {criterion.code: criterion for criterion in criteria}
