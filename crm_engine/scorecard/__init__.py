"""Supplier scorecards: criterion scores, weighted totals, standings, periods,
Kraljic segmentation.

Plain Python, no Odoo. The crm_supplier_rm addon reads each supplier's raw
figures per period with set-based SQL, hands them to ``score_period`` and
stores what comes back together with the figures, so that every score can be
audited. Errors carry a code and parameters (``ScorecardError``) so that the
caller can word them in its user's language.
"""

from .config import (
    CRITERIA,
    Criterion,
    ScorecardError,
    StandingRange,
    standing_finder,
    standing_for,
    validate_ranges,
    validate_weights,
)
from .kraljic import QUADRANTS, RiskInputs, quadrant, risk_score, spend_classes
from .periods import period_of, periods_between
from .scoring import PeriodInputs, PeriodScore, criterion_scores, score_period, trend
