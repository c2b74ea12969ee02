"""A supplier's scores for one period, from the raw figures of that period.

Each criterion turns two or more figures into a score from 0 to 100:

- on time: quantity received by the promised day / quantity received;
- in full: quantity received (at most what was ordered, per line) / quantity
  ordered, over the lines due in the period;
- quality: 1 - quantity returned to the supplier / quantity received;
- price: what was paid against the products' average purchase price in the
  period (all suppliers); 100 at or below the average, 5 points less for each
  percent above it;
- responsiveness: average days from sending the request for quotation to the
  order's confirmation; 100 within a day, down to 0 at 15 days;
- invoice accuracy: billed amount matching the quantity received / billed amount.

A criterion whose denominator is zero has no data and is left out; the total
is the weighted average of the criteria that have data, the weights scaled up
to cover the missing ones. A period where no weighted criterion has data is a
"no data" period: it gets no score, no standing, and the trend skips it
(scoring an empty period as 0 or 100 would punish or reward nothing).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass

from .config import CRITERIA, SCORE_MAX, Criterion, weights_by_code

PRICE_POINTS_PER_PERCENT = 5.0
RESPONSE_FULL_DAYS = 1.0
RESPONSE_ZERO_DAYS = 15.0


@dataclass(frozen=True)
class PeriodInputs:
    """A supplier's raw figures for one period (quantities in product units,
    amounts in company currency, untaxed)."""

    ordered_qty: float = 0.0
    received_qty: float = 0.0
    on_time_qty: float = 0.0
    returned_qty: float = 0.0
    paid_amount: float = 0.0
    reference_amount: float = 0.0
    rfq_count: int = 0
    response_days: float = 0.0
    billed_amount: float = 0.0
    billed_accurate_amount: float = 0.0

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Driver:
    """What one criterion did to the total: its score, its share of the weight
    and the points it cost against a perfect 100."""

    code: str
    score: float
    weight: float
    points_lost: float
    target: float | None
    below_target: bool

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class PeriodScore:
    """Criterion scores (None: no data), the total (None: a no-data period) and
    the drivers, the criterion that cost most first."""

    criteria: Mapping[str, float | None]
    total: float | None
    drivers: tuple[Driver, ...]

    @property
    def has_data(self) -> bool:
        return self.total is not None


def _ratio(numerator: float, denominator: float) -> float | None:
    if denominator <= 0:
        return None
    return _clamp(SCORE_MAX * numerator / denominator)


def _clamp(score: float) -> float:
    return min(max(score, 0.0), SCORE_MAX)


def criterion_scores(inputs: PeriodInputs) -> dict[str, float | None]:
    """Each criterion's score from the figures, None where it has no data."""
    price = None
    if inputs.reference_amount > 0:
        percent_above = (inputs.paid_amount / inputs.reference_amount - 1.0) * 100.0
        price = _clamp(SCORE_MAX - PRICE_POINTS_PER_PERCENT * max(percent_above, 0.0))
    responsiveness = None
    if inputs.rfq_count > 0:
        days = inputs.response_days / inputs.rfq_count
        late = max(days - RESPONSE_FULL_DAYS, 0.0)
        responsiveness = _clamp(
            SCORE_MAX * (1.0 - late / (RESPONSE_ZERO_DAYS - RESPONSE_FULL_DAYS))
        )
    quality = None
    if inputs.received_qty > 0:
        quality = _clamp(SCORE_MAX * (1.0 - inputs.returned_qty / inputs.received_qty))
    return {
        "on_time": _ratio(inputs.on_time_qty, inputs.received_qty),
        "in_full": _ratio(inputs.received_qty, inputs.ordered_qty),
        "quality": quality,
        "price": price,
        "responsiveness": responsiveness,
        "invoice_accuracy": _ratio(inputs.billed_accurate_amount, inputs.billed_amount),
    }


def score_period(inputs: PeriodInputs, criteria: Iterable[Criterion]) -> PeriodScore:
    """The period's scores with ``criteria`` (validated beforehand: see
    ``config.validate_weights``)."""
    settings = weights_by_code(criteria)
    scores = criterion_scores(inputs)
    counted = {
        code: score
        for code, score in scores.items()
        if score is not None and code in settings and settings[code].weight > 0
    }
    if not counted:
        return PeriodScore(scores, None, ())
    weight_total = sum(settings[code].weight for code in counted)
    total = sum(settings[code].weight * score for code, score in counted.items())
    drivers = []
    for code in CRITERIA:
        if code not in counted:
            continue
        setting = settings[code]
        share = setting.weight / weight_total
        drivers.append(
            Driver(
                code=code,
                score=counted[code],
                weight=100.0 * share,
                points_lost=share * (SCORE_MAX - counted[code]),
                target=setting.target,
                below_target=setting.target is not None
                and counted[code] < setting.target,
            )
        )
    drivers.sort(key=lambda driver: (-driver.points_lost, CRITERIA.index(driver.code)))
    return PeriodScore(scores, total / weight_total, tuple(drivers))


def trend(totals: Sequence[float | None]) -> float | None:
    """Points gained (or lost, negative) per period: the least-squares slope of
    the scored periods in order, skipping no-data periods. None with fewer
    than two scored periods."""
    points = [(index, total) for index, total in enumerate(totals) if total is not None]
    if len(points) < 2:
        return None
    count = len(points)
    mean_x = sum(x for x, _ in points) / count
    mean_y = sum(y for _, y in points) / count
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread
