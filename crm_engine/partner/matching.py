"""Which reseller gets a lead: rank the candidates by level, place, free
capacity and track record."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    partner_id: int
    weight: int  # the level's weight; 0: takes no leads
    same_country: bool
    same_state: bool
    open_offers: int
    capacity: int  # 0: no limit
    acceptance_rate: float | None  # 0..1, None: no history yet
    win_rate: float | None


NEUTRAL_RATE = 0.5


def candidate_score(candidate):
    """Higher is better; None when the reseller cannot take the lead."""
    if candidate.weight <= 0 or not candidate.same_country:
        return None
    if candidate.capacity and candidate.open_offers >= candidate.capacity:
        return None
    acceptance = (
        NEUTRAL_RATE if candidate.acceptance_rate is None else candidate.acceptance_rate
    )
    win = NEUTRAL_RATE if candidate.win_rate is None else candidate.win_rate
    load = candidate.open_offers / candidate.capacity if candidate.capacity else 0.0
    return (
        candidate.weight
        * (1.0 + (0.5 if candidate.same_state else 0.0))
        * (0.5 + acceptance)
        * (0.5 + win)
        * (1.0 - 0.5 * load)
    )


def rank_candidates(candidates, excluded=()):
    """Partner ids that may take the lead, the best first (ties by id)."""
    scored = []
    for candidate in candidates:
        if candidate.partner_id in excluded:
            continue
        score = candidate_score(candidate)
        if score is not None:
            scored.append((-score, candidate.partner_id))
    scored.sort()
    return [partner_id for _score, partner_id in scored]
