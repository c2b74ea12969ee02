# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields, models


class ResCompany(models.Model):
    _name = "res.company"
    _inherit = ["res.company", "crm.valuation.settings"]

    # The retention policy of the valuation snapshots (not copied onto runs).
    valuation_keep_days = fields.Integer(
        string="Keep Daily Valuations (days)",
        default=35,
        help="Valuations younger than this are all kept.",
    )
    valuation_keep_months = fields.Integer(
        string="Keep Month-End Valuations (months)",
        default=24,
        help="Of older valuations, the last of each month is kept this long. The "
        "latest valuation and those marked Keep are never deleted.",
    )

    recommend_min_support = fields.Float(
        string="Minimum Support (%)",
        default=0.1,
        help="Share of orders that must hold both products (or categories) "
        "before a rule counts; two orders at least in any case.",
    )
    recommend_min_confidence = fields.Float(
        string="Minimum Confidence (%)",
        default=5.0,
        help="Share of the orders with the first product that also hold the "
        "second one, below which a rule is dropped.",
    )
    lapse_lead_days = fields.Integer(
        string="Call Ahead (days)",
        default=7,
        help="How many days before a valuable customer's next purchase is due "
        "their account manager is asked to call.",
    )
    lapse_p_alive = fields.Float(
        string="Call Below Probability Active (%)",
        default=80.0,
        help="Only customers whose probability of still buying is below this "
        "share, and lower than in the previous valuation, get a call.",
    )

    _sql_constraints = [
        (
            "valuation_retention_positive",
            "CHECK(valuation_keep_days >= 1 AND valuation_keep_months >= 0)",
            "Keep daily valuations at least one day, month-end ones zero months "
            "or more.",
        ),
        (
            "recommend_thresholds_range",
            "CHECK(recommend_min_support >= 0 AND recommend_min_support <= 100 "
            "AND recommend_min_confidence >= 0 AND recommend_min_confidence <= 100 "
            "AND lapse_p_alive >= 0 AND lapse_p_alive <= 100 "
            "AND lapse_lead_days >= 0)",
            "Support, confidence and probability are percentages between 0 and "
            "100, and the call cannot come after the due date.",
        ),
    ]

    def _valuation_has_purchases(self):
        """Whether the company has any purchase a valuation would count."""
        self.ensure_one()
        if self.valuation_source == "invoices":
            domain = [
                ("company_id", "=", self.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
            ]
            return bool(self.env["account.move"].search_count(domain, limit=1))
        domain = [("company_id", "=", self.id), ("state", "=", "sale")]
        return bool(self.env["sale.order"].search_count(domain, limit=1))

    def _valuation_tz(self):
        """The time zone days are cut in: the company's, else the user's."""
        self.ensure_one()
        return self.partner_id.tz or self.env.user.tz or "UTC"

    def _valuation_last_complete_day(self):
        """Yesterday, in the company's time zone: the day a nightly run values."""
        today = fields.Date.context_today(self.with_context(tz=self._valuation_tz()))
        return today - timedelta(days=1)
