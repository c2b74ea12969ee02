"""RFM scores 1-5 and the 11 named segments.

Tie rule (``quintile_scores``): equal values always get equal scores, and a tie
block too big for one quintile does not eat the scores of its neighbours.

1. With at most five distinct values, they are spread evenly over 1..5 in
   order (one value: 3; two: 1 and 5; three: 1, 3, 5; ...).
2. Otherwise, if no value is shared by at least a fifth of the customers,
   scores are quintiles of the midrank: score = ceil(5 (midrank - 0.5) / n),
   where midrank is the average 1-based rank of the value's tie block. With
   distinct values these are exact quintiles.
3. Otherwise the largest tie block gets a score of its own and the customers
   below and above it share the other scores (in proportion to their numbers,
   at least one each), applying the same rules within each side. At the bottom
   the block gets 1, at the top 5.

So when 60% of the customers bought once (CDNOW), every one-time buyer gets
F = 1 and the repeat buyers spread over 2..5 instead of all landing on 4 and 5.
Recency is scored on minus the days since the last purchase: most recent = 5.

Segments: the 11-segment grid of Putler ("RFM Analysis For Successful Customer
Segmentation"), on R and FM = (F + M) / 2. Putler draws each segment as a
rectangle on a 0-5 x 0-5 grid where score s covers (s-1, s]; read that way the
rectangles tile the grid with two nested ones (Champions inside Loyal Customers,
Can't Lose Them inside At Risk), and the inner one wins. ``SEGMENT_GRID`` is
that tiling. Names are the commonly used variants (Putler's "Recent Customers"
and "Customers Needing Attention" are "New Customers" and "Need Attention").
They stay English in the data (they identify the segment) and are translated
where shown.
"""

from __future__ import annotations

import numpy as np

from .texts import N_

SCORES = 5

CHAMPIONS = N_("Champions")
LOYAL = N_("Loyal Customers")
POTENTIAL_LOYALIST = N_("Potential Loyalist")
NEW = N_("New Customers")
PROMISING = N_("Promising")
NEED_ATTENTION = N_("Need Attention")
ABOUT_TO_SLEEP = N_("About To Sleep")
AT_RISK = N_("At Risk")
CANT_LOSE = N_("Can't Lose Them")
HIBERNATING = N_("Hibernating")
LOST = N_("Lost")

SEGMENTS = (
    CHAMPIONS,
    LOYAL,
    POTENTIAL_LOYALIST,
    NEW,
    PROMISING,
    NEED_ATTENTION,
    ABOUT_TO_SLEEP,
    AT_RISK,
    CANT_LOSE,
    HIBERNATING,
    LOST,
)

# R score -> ((highest FM of the band, segment), ...), FM = (F + M) / 2.
SEGMENT_GRID = {
    5: ((1.0, NEW), (3.0, POTENTIAL_LOYALIST), (4.0, LOYAL), (5.0, CHAMPIONS)),
    4: ((1.0, PROMISING), (3.0, POTENTIAL_LOYALIST), (5.0, LOYAL)),
    3: ((2.0, ABOUT_TO_SLEEP), (3.0, NEED_ATTENTION), (5.0, LOYAL)),
    2: ((1.0, LOST), (2.0, HIBERNATING), (5.0, AT_RISK)),
    1: ((2.0, LOST), (4.0, AT_RISK), (5.0, CANT_LOSE)),
}


def _midrank_scores(counts, low, high):
    """Rule 2: quintile (generally: k-tile) of each tie block's midrank."""
    k = high - low + 1
    centre = np.cumsum(counts) - counts / 2.0
    tile = np.ceil(k * centre / counts.sum() - 1e-9).astype(np.int64)
    return low + np.clip(tile, 1, k) - 1


def _block_scores(counts, low, high):
    """Scores low..high for sorted tie blocks of the given sizes (rules 1-3)."""
    k = high - low + 1
    blocks = counts.shape[0]
    if blocks == 1:
        return np.array([(low + high) // 2])
    if blocks <= k:
        steps = np.floor(np.arange(blocks) * (k - 1) / (blocks - 1) + 0.5)
        return low + steps.astype(np.int64)
    big = int(np.argmax(counts))
    if counts[big] * k < counts.sum():
        return _midrank_scores(counts, low, high)
    below, above = counts[:big], counts[big + 1 :]
    if below.size and above.size:
        if k < 3:
            return _midrank_scores(counts, low, high)
        share = below.sum() / (below.sum() + above.sum())
        k_below = int(np.clip(np.floor((k - 1) * share + 0.5), 1, k - 2))
        k_above = k - 1 - k_below
    else:
        k_below = k_above = k - 1
    k_below = min(k_below, below.size)
    k_above = min(k_above, above.size)
    own = high if not above.size else low + k_below
    parts = [np.array([own])]
    if below.size:
        parts.insert(0, _block_scores(below, low, low + k_below - 1))
    if above.size:
        parts.append(_block_scores(above, high - k_above + 1, high))
    return np.concatenate(parts)


def quintile_scores(values) -> np.ndarray:
    """Scores 1..5, higher value -> higher score, by the tie rule above."""
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return np.zeros(0, dtype=np.int64)
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    return _block_scores(counts, 1, SCORES)[inverse.ravel()].astype(np.int64)


def rfm_scores(recency_days, frequency, monetary):
    """(R, F, M) score arrays; fewer days since the last purchase scores higher."""
    recency = quintile_scores(-np.asarray(recency_days, dtype=float))
    return recency, quintile_scores(frequency), quintile_scores(monetary)


def rfm_cells(r, f, m) -> np.ndarray:
    """Three-digit cell codes such as "545"."""
    r, f, m = (np.asarray(v, dtype=np.int64) for v in (r, f, m))
    return (r * 100 + f * 10 + m).astype("<U3")


def segments(r, f, m) -> np.ndarray:
    """Segment name of each customer from ``SEGMENT_GRID``."""
    r = np.asarray(r, dtype=np.int64)
    fm = (np.asarray(f, dtype=float) + np.asarray(m, dtype=float)) / 2.0
    names = np.full(r.shape, LOST, dtype=object)
    for score, bands in SEGMENT_GRID.items():
        row = r == score
        tops = np.array([top for top, _ in bands])
        band = np.searchsorted(tops, fm[row], side="left")
        names[row] = np.array([name for _, name in bands], dtype=object)[band]
    return names.astype(str) if names.size else np.zeros(0, dtype="<U16")


# Segments that say "buys from us" and "has stopped", for the comparison with
# the purchase model's P(alive) (``signals_disagree``).
ACTIVE_SEGMENTS = (CHAMPIONS, LOYAL, POTENTIAL_LOYALIST, NEW, PROMISING)
DORMANT_SEGMENTS = (HIBERNATING, LOST)
LIKELY_ACTIVE = 0.5


def signals_disagree(segment, p_alive) -> np.ndarray:
    """Where the RFM segment and the purchase model tell different stories.

    RFM ranks customers against each other; P(alive) judges a silence against
    the customer's own rhythm. A weekly buyer silent for two months can be
    "Loyal Customers" by RFM and probably gone by the model; a customer who
    buys once a year can be "Hibernating" and still very likely active. True
    where an active segment meets P(alive) below 50 % or a dormant one meets
    50 % or more: worth a look before acting on either.
    """
    segment = np.asarray(segment)
    p_alive = np.asarray(p_alive, dtype=float)
    likely = p_alive >= LIKELY_ACTIVE
    active = np.isin(segment, ACTIVE_SEGMENTS)
    dormant = np.isin(segment, DORMANT_SEGMENTS)
    return (active & ~likely & ~np.isnan(p_alive)) | (dormant & likely)
