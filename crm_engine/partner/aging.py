"""Receivable aging: what a customer owes, by how late it is."""

# (key, first day late, last day late); None: no upper bound.
AGING_BUCKETS = (
    ("not_due", None, 0),
    ("1_30", 1, 30),
    ("31_60", 31, 60),
    ("61_90", 61, 90),
    ("over_90", 91, None),
)


def _bucket(days_late):
    for key, low, high in AGING_BUCKETS:
        if (low is None or days_late >= low) and (high is None or days_late <= high):
            return key
    raise ValueError(days_late)


def aging(open_items, today):
    """Sum ``(due_date, residual)`` pairs into the buckets of :data:`AGING_BUCKETS`.

    Returns ``{"buckets": {key: amount}, "due": total, "overdue": late part}``;
    an item without due date counts as not due.
    """
    buckets = dict.fromkeys((key for key, _low, _high in AGING_BUCKETS), 0.0)
    for due_date, residual in open_items:
        days_late = (today - due_date).days if due_date else 0
        buckets[_bucket(days_late)] += residual
    total = sum(buckets.values())
    return {"buckets": buckets, "due": total, "overdue": total - buckets["not_due"]}
