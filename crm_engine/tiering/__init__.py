"""Loyalty tier rules: which tier a customer's value earns, with the upgrade and
downgrade protections of a program, and the progress towards the next tier.

Imports nothing from Odoo: the crm_tiering addon reads values and standings with
SQL, hands them to ``evaluate`` and writes back only the partners that change.
"""

from .rules import (
    ANNIVERSARY,
    ASSESSMENTS,
    CALENDAR,
    ROLLING,
    Decision,
    Program,
    Progress,
    ProgramError,
    Standing,
    add_months,
    downgrade_risk,
    evaluate,
    evaluate_many,
    progress,
    qualified_tier,
    review_after,
)
