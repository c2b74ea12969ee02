# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmSupplierStanding(models.Model):
    """A standing suppliers get from their score (Preferred, Approved, Watch,
    Blocked ...) and what it does to purchasing."""

    _name = "crm.supplier.standing"
    _description = "Supplier Standing"
    _order = "min_score desc, id"

    config_id = fields.Many2one(
        "crm.supplier.scorecard.config", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="config_id.company_id", store=True)
    name = fields.Char(required=True, translate=True)
    min_score = fields.Float(
        string="From Score", digits=(5, 2), help="Lowest score of the range."
    )
    max_score = fields.Float(
        string="Below Score",
        digits=(5, 2),
        default=100.0,
        help="The range ends below this score; a range ending at 100 includes 100.",
    )
    control = fields.Selection(
        [
            ("preferred", "Preferred: chosen first"),
            ("none", "No control"),
            ("watch", "Watch: warn buyers"),
            ("blocked", "Blocked: a purchase manager confirms orders"),
        ],
        string="Purchasing Control",
        required=True,
        default="none",
    )
    color = fields.Integer()
    decoration = fields.Selection(
        [
            ("success", "Green"),
            ("info", "Blue"),
            ("warning", "Orange"),
            ("danger", "Red"),
        ],
        default="info",
        help="Colour of the standing's badge.",
    )

    _sql_constraints = [
        (
            "range_order",
            "CHECK(min_score >= 0 AND max_score <= 100 AND min_score < max_score)",
            "A standing's range lies within 0-100 and starts below its end.",
        ),
    ]

    def _rank(self):
        """Sort key for vendor selection: preferred first, blocked last."""
        return {"preferred": 0, "none": 1, "watch": 2, "blocked": 3}.get(
            self.control, 1
        )
