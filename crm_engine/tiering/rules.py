"""Tier rules with hysteresis.

Tiers are numbered from 0 (the lowest) upwards; ``None`` is "no tier" (a value
below the lowest entry threshold). A program says:

- the entry threshold of each tier, strictly ascending;
- when standings are reviewed (the assessment model): on the first day of every
  ``review_months``-th month of the year (rolling), once a year on the first of
  ``reset_month`` (calendar), or every twelve months from the day the customer
  reached the tier (anniversary);
- the downgrade protection: upgrades happen at once, whatever the date; a
  downgrade waits for the review date, for the minimum stay in the tier to be
  over, and for the value to fall below the threshold by more than the grace
  margin, and then goes down one step only.
"""

from __future__ import annotations

import bisect
import calendar
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

ROLLING = "rolling"
CALENDAR = "calendar"
ANNIVERSARY = "anniversary"
ASSESSMENTS = (ROLLING, CALENDAR, ANNIVERSARY)

# Why a decision was taken (Decision.rule).
NO_TIER = "no_tier"  # below every threshold, and had no tier
ENTRY = "entry"  # first tier
UPGRADE = "upgrade"
DOWNGRADE = "downgrade"
EXIT = "exit"  # down from the lowest tier to none
KEPT = "kept"  # the value still earns the tier
BEFORE_REVIEW = "before_review"  # would drop, but the review date is not reached
MIN_STAY = "min_stay"  # would drop, but the minimum stay is not over
GRACE = "grace"  # below the threshold, but within the grace margin


class ProgramError(ValueError):
    """A program whose rules cannot be applied (say, thresholds out of order)."""


@dataclass(frozen=True)
class Program:
    thresholds: tuple[float, ...]
    assessment: str = ROLLING
    review_months: int = 3
    reset_month: int = 1
    min_stay_months: int = 0
    grace_percent: float = 0.0

    def __post_init__(self):
        thresholds = tuple(float(value) for value in self.thresholds)
        object.__setattr__(self, "thresholds", thresholds)
        if not thresholds:
            raise ProgramError("a program needs at least one tier")
        if any(low >= high for low, high in itertools.pairwise(thresholds)):
            raise ProgramError("tier thresholds must be strictly ascending")
        if self.assessment not in ASSESSMENTS:
            raise ProgramError(f"unknown assessment model {self.assessment!r}")
        if not 1 <= self.review_months <= 12 or 12 % self.review_months:
            raise ProgramError("review_months must divide 12 (1, 2, 3, 4, 6, 12)")
        if not 1 <= self.reset_month <= 12:
            raise ProgramError("reset_month must be 1 to 12")
        if self.min_stay_months < 0:
            raise ProgramError("the minimum stay cannot be negative")
        if not 0 <= self.grace_percent < 100:
            raise ProgramError("the grace margin must be 0 to 100 (excluded)")

    def keep_threshold(self, tier: int) -> float:
        """The lowest value that keeps ``tier`` at a review (grace applied)."""
        threshold = self.thresholds[tier]
        return threshold - abs(threshold) * self.grace_percent / 100.0


@dataclass(frozen=True)
class Standing:
    """A customer's tier as it stands before the evaluation."""

    tier: int | None = None
    since: date | None = None
    next_review: date | None = None


@dataclass(frozen=True)
class Decision:
    tier: int | None
    previous: int | None
    qualified: int | None
    rule: str
    since: date | None
    next_review: date | None

    @property
    def changed(self) -> bool:
        return self.tier != self.previous

    @property
    def direction(self) -> str | None:
        """'upgrade', 'downgrade' or None, comparing with "no tier" as lowest."""
        if not self.changed:
            return None
        before = -1 if self.previous is None else self.previous
        after = -1 if self.tier is None else self.tier
        return "upgrade" if after > before else "downgrade"


@dataclass(frozen=True)
class Progress:
    next_tier: int | None
    percent: float
    gap: float


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months``, on the month's last day where it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def qualified_tier(thresholds: Sequence[float], value: float) -> int | None:
    """The highest tier whose entry threshold ``value`` reaches (inclusive)."""
    tier = bisect.bisect_right(thresholds, value) - 1
    return tier if tier >= 0 else None


def review_after(program: Program, day: date, since: date | None = None) -> date:
    """The first review date strictly after ``day``."""
    if program.assessment == ANNIVERSARY:
        anchor = since or day
        years = max(day.year - anchor.year - 1, 1)
        review = add_months(anchor, 12 * years)
        while review <= day:
            years += 1
            review = add_months(anchor, 12 * years)
        return review
    if program.assessment == CALENDAR:
        review = date(day.year, program.reset_month, 1)
        return review if review > day else date(day.year + 1, program.reset_month, 1)
    step = program.review_months
    month = (day.month - 1) // step * step + step  # 0-based month of the next review
    return date(day.year + month // 12, month % 12 + 1, 1)


def _review_from(program: Program, day: date, since: date | None) -> date:
    """The first review date on or after ``day``."""
    return review_after(program, day - timedelta(days=1), since)


def evaluate(
    program: Program, standing: Standing, value: float, as_of: date
) -> Decision:
    """The tier a customer holds after a review on ``as_of``."""
    qualified = qualified_tier(program.thresholds, value)
    tier = standing.tier
    if tier is not None and not 0 <= tier < len(program.thresholds):
        raise ProgramError(f"tier {tier} is not in the program")

    def decide(new_tier, rule, since, next_review=None):
        if next_review is None and new_tier is not None:
            next_review = review_after(program, as_of, since)
        return Decision(new_tier, tier, qualified, rule, since, next_review)

    if tier is None:
        if qualified is None:
            return Decision(None, None, None, NO_TIER, None, None)
        return decide(qualified, ENTRY, as_of)
    since = standing.since or as_of
    if qualified is not None and qualified > tier:
        return decide(qualified, UPGRADE, as_of)
    due = standing.next_review or review_after(program, since, since)
    if qualified == tier:
        return decide(tier, KEPT, since, due if as_of < due else None)
    if as_of < due:
        return decide(tier, BEFORE_REVIEW, since, due)
    stay_end = add_months(since, program.min_stay_months)
    if as_of < stay_end:
        return decide(tier, MIN_STAY, since, _review_from(program, stay_end, since))
    if value >= program.keep_threshold(tier):
        return decide(tier, GRACE, since)
    if tier == 0:
        return Decision(None, tier, qualified, EXIT, as_of, None)
    lower = tier - 1 if qualified is None else max(qualified, tier - 1)
    return decide(lower, DOWNGRADE, as_of)


def evaluate_many(
    program: Program,
    standings: Iterable[Standing],
    values: Iterable[float],
    as_of: date,
) -> list[Decision]:
    """``evaluate`` for each pair of standing and value, in order."""
    return [
        evaluate(program, standing, value, as_of)
        for standing, value in zip(standings, values, strict=True)
    ]


def progress(thresholds: Sequence[float], tier: int | None, value: float) -> Progress:
    """How far ``value`` has come from the tier's threshold to the next one."""
    next_tier = 0 if tier is None else tier + 1
    if next_tier >= len(thresholds):
        return Progress(None, 100.0, 0.0)
    target = thresholds[next_tier]
    floor = min(0.0, target) if tier is None else thresholds[tier]
    span = target - floor
    share = (value - floor) / span if span > 0 else 1.0
    return Progress(
        next_tier, round(100.0 * min(max(share, 0.0), 1.0), 1), max(target - value, 0.0)
    )


def downgrade_risk(
    program: Program, standing: Standing, value: float, as_of: date, days: int
) -> float | None:
    """What the customer must add before the review to keep the tier, when
    the review is within ``days`` and the value as it stands would drop them;
    None otherwise."""
    if standing.tier is None or standing.next_review is None:
        return None
    if not as_of <= standing.next_review <= as_of + timedelta(days=days):
        return None
    at_review = evaluate(program, standing, value, standing.next_review)
    if at_review.direction != "downgrade":
        return None
    return program.keep_threshold(standing.tier) - value
