# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CrmPartnerCommissionRate(models.Model):
    """A level's commission rate on the products of one category (and its
    sub-categories, unless one of them has its own rate)."""

    _name = "crm.partner.commission.rate"
    _description = "Commission Rate by Product Category"
    _order = "grade_id, categ_id"

    grade_id = fields.Many2one(
        "res.partner.grade", "Level", required=True, index=True, ondelete="cascade"
    )
    categ_id = fields.Many2one(
        "product.category", "Product Category", required=True, ondelete="cascade"
    )
    rate = fields.Float("Rate (%)", required=True)

    _sql_constraints = [
        (
            "rate_range",
            "CHECK(rate >= 0 AND rate <= 100)",
            "A commission rate is between 0 and 100%.",
        ),
        (
            "grade_categ_unique",
            "UNIQUE(grade_id, categ_id)",
            "A level has one rate per product category.",
        ),
    ]

    @api.model
    def _rates_by_grade(self):
        """``{grade id: {category id: rate}}`` of every rate, in one query."""
        rates = {}
        for grade, categ, rate in self.sudo()._read_group(
            [], ["grade_id", "categ_id"], ["rate:max"]
        ):
            rates.setdefault(grade.id, {})[categ.id] = rate
        return rates
