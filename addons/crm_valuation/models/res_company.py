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

    _sql_constraints = [
        (
            "valuation_retention_positive",
            "CHECK(valuation_keep_days >= 1 AND valuation_keep_months >= 0)",
            "Keep daily valuations at least one day, month-end ones zero months "
            "or more.",
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
