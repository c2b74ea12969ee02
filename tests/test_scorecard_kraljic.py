"""Kraljic segmentation: spend classes, supply risk, quadrants."""

import pytest

from crm_engine.scorecard import RiskInputs, quadrant, risk_score, spend_classes


def test_high_spend_until_80_percent_of_the_total():
    spend = {1: 500, 2: 300, 3: 150, 4: 50, 5: 0}
    assert spend_classes(spend) == {1, 2}
    assert spend_classes(spend, 0.9) == {1, 2, 3}
    assert spend_classes({}) == set()
    assert spend_classes({1: 0, 2: -10}) == set()
    with pytest.raises(ValueError, match="spend_share"):
        spend_classes(spend, 0)


def test_risk_from_single_source_lead_time_and_falling_trend():
    assert risk_score(RiskInputs()) == 0
    assert risk_score(RiskInputs(single_source=True)) == 40
    assert risk_score(RiskInputs(lead_time_days=15)) == pytest.approx(15)
    assert risk_score(RiskInputs(lead_time_days=90)) == pytest.approx(30)
    assert risk_score(RiskInputs(score_trend=-2.5)) == pytest.approx(15)
    assert risk_score(RiskInputs(score_trend=3)) == 0
    assert risk_score(RiskInputs(True, 60, -10)) == pytest.approx(100)


def test_quadrants():
    assert quadrant(True, 70) == "strategic"
    assert quadrant(True, 10) == "leverage"
    assert quadrant(False, 50) == "bottleneck"
    assert quadrant(False, 49.9) == "non_critical"
