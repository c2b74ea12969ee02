# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from crm_engine.partner import LevelRule


class ResPartnerGrade(models.Model):
    """Odoo's partner levels, given the thresholds that earn them and the
    commission rate they pay."""

    _inherit = "res.partner.grade"

    min_won_revenue = fields.Float(
        "Minimum Won Revenue",
        help="Expected revenue of the deals won over the performance window.",
    )
    min_win_rate = fields.Float(
        "Minimum Win Rate (%)", help="Won deals out of the deals closed, in percent."
    )
    max_response_hours = fields.Float(
        "Maximum Response Time (hours)",
        help="Average time to answer a forwarded lead; 0 means no limit.",
    )
    commission_rate = fields.Float(
        "Commission (%)",
        help="Paid on the untaxed amount of paid invoices, for products of a "
        "category without a rate of its own.",
    )
    commission_rate_ids = fields.One2many(
        "crm.partner.commission.rate", "grade_id", "Rates by Product Category"
    )
    lead_capacity = fields.Integer(
        "Open Lead Capacity",
        help="Forwarded leads a reseller of this level may hold unanswered at "
        "once; 0 means no limit.",
    )

    _sql_constraints = [
        (
            "commission_rate_range",
            "CHECK(commission_rate >= 0 AND commission_rate <= 100)",
            "A commission rate is between 0 and 100%.",
        ),
        (
            "win_rate_range",
            "CHECK(min_win_rate >= 0 AND min_win_rate <= 100)",
            "A win rate is between 0 and 100%.",
        ),
    ]

    @api.model
    def _level_rules(self):
        """The active levels as engine rules, lowest first. Odoo lists its
        levels best first (Gold has sequence 1), so the order is reversed."""
        return [
            LevelRule(
                grade.id,
                min_won_revenue=grade.min_won_revenue,
                min_win_rate=grade.min_win_rate / 100.0,
                max_response_hours=grade.max_response_hours,
            )
            for grade in self.search_fetch(
                [],
                ["min_won_revenue", "min_win_rate", "max_response_hours"],
                order="sequence desc, id desc",
            )
        ]
