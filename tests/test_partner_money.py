"""Commissions and receivable aging."""

from datetime import date

import pytest

from crm_engine.partner import aging, commission_amount, rate_for, statement_totals
from crm_engine.partner.matching import Candidate, rank_candidates


def test_category_rate_wins_over_level_rate_most_specific_first():
    rates = {10: 7.5, 1: 2.0}
    assert rate_for(5.0, rates, (11, 10, 1)) == 7.5
    assert rate_for(5.0, rates, (12, 1)) == 2.0
    assert rate_for(5.0, rates, (99,)) == 5.0
    assert rate_for(5.0) == 5.0


def test_commission_rounds_half_up_to_currency():
    assert commission_amount(1234.5, 5) == 61.73
    assert commission_amount(1_000_000, 2.5, digits=0) == 25000.0
    with pytest.raises(ValueError):
        commission_amount(100, 120)


def test_statement_totals():
    totals = statement_totals([("pending", 10.0), ("earned", 5.0), ("paid", 2.0)])
    assert totals == {
        "pending": 10.0,
        "earned": 5.0,
        "paid": 2.0,
        "owed": 5.0,
        "total": 17.0,
    }
    with pytest.raises(ValueError):
        statement_totals([("lost", 1.0)])


def test_aging_buckets():
    today = date(2026, 6, 30)
    result = aging(
        [
            (date(2026, 7, 10), 100.0),
            (date(2026, 6, 30), 1.0),
            (date(2026, 6, 1), 10.0),
            (date(2026, 4, 1), 20.0),
            (date(2026, 1, 1), 40.0),
            (None, 5.0),
        ],
        today,
    )
    assert result["buckets"] == {
        "not_due": 106.0,
        "1_30": 10.0,
        "31_60": 0.0,
        "61_90": 20.0,
        "over_90": 40.0,
    }
    assert result["due"] == 176.0
    assert result["overdue"] == 70.0


def _candidate(pid, **kw):
    base = dict(
        partner_id=pid,
        weight=10,
        same_country=True,
        same_state=False,
        open_offers=0,
        capacity=0,
        acceptance_rate=None,
        win_rate=None,
    )
    base.update(kw)
    return Candidate(**base)


def test_matching_prefers_region_and_record_and_skips_full_or_declined():
    ranked = rank_candidates(
        [
            _candidate(1),
            _candidate(2, same_state=True),
            _candidate(3, acceptance_rate=0.0, win_rate=0.0),
            _candidate(4, capacity=2, open_offers=2),
            _candidate(5, same_country=False),
            _candidate(6, weight=0),
            _candidate(7, same_state=True),
        ],
        excluded={7},
    )
    assert ranked == [2, 1, 3]
