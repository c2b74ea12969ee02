"""When a customer should buy again, from the lifetime model's results."""

import numpy as np

DAYS_PER_MONTH = 365.25 / 12


def expected_next_purchase(last_purchase, p_alive, expected_purchases, horizon_months):
    """The day each customer's next purchase is due, NaT where unknown.

    The lifetime model gives the purchases expected over the horizon,
    weighted by the probability that the customer is still active; divided
    by that probability they are the purchases of a customer who stays, whose
    mean gap between purchases is the horizon over that count. The next
    purchase is due one gap after the last one; a date in the past means the
    customer is late.
    """
    last = np.asarray(last_purchase, dtype="datetime64[D]")
    alive = np.asarray(p_alive, dtype=float)
    expected = np.asarray(expected_purchases, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = expected / alive
        gap = horizon_months * DAYS_PER_MONTH / rate
    known = np.isfinite(gap) & (gap > 0) & ~np.isnat(last)
    days = np.where(known, np.round(np.where(known, gap, 0)), 0).astype(int)
    result = last + days.astype("timedelta64[D]")
    return np.where(known, result, np.datetime64("NaT"))
