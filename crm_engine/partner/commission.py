"""Commission arithmetic: the rate that applies and the statement totals."""

from decimal import ROUND_HALF_UP, Decimal

STATES = ("pending", "earned", "paid")


def rate_for(level_rate, category_rates=None, category_path=()):
    """Percent for a sale: the rate of the most specific product category
    that has one (``category_path`` from the product's category up to the
    root), else the level's rate."""
    for category in category_path:
        if category_rates and category in category_rates:
            return category_rates[category]
    return level_rate


def commission_amount(base, rate, digits=2):
    """``base * rate / 100`` rounded half up to the currency's digits."""
    if rate < 0 or rate > 100:
        raise ValueError(f"commission rate out of range: {rate}")
    quantum = Decimal(1).scaleb(-digits)
    amount = Decimal(str(base)) * Decimal(str(rate)) / Decimal(100)
    return float(amount.quantize(quantum, rounding=ROUND_HALF_UP))


def statement_totals(lines):
    """Sum ``(state, amount)`` pairs into pending / earned / paid and a total
    owed to the reseller (earned, not yet paid)."""
    totals = dict.fromkeys(STATES, 0.0)
    for state, amount in lines:
        if state not in totals:
            raise ValueError(f"unknown commission state: {state}")
        totals[state] += amount
    totals["owed"] = totals["earned"]
    totals["total"] = totals["pending"] + totals["earned"] + totals["paid"]
    return totals
