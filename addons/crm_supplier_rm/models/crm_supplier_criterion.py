# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

CRITERION_CODES = [
    ("on_time", "On Time"),
    ("in_full", "In Full"),
    ("quality", "Quality"),
    ("price", "Price"),
    ("responsiveness", "Responsiveness"),
    ("invoice_accuracy", "Invoice Accuracy"),
]


class CrmSupplierCriterion(models.Model):
    """A criterion of the company's scorecard: how much it weighs, what score
    the buyers aim for."""

    _name = "crm.supplier.criterion"
    _description = "Supplier Scorecard Criterion"
    _order = "sequence, id"

    config_id = fields.Many2one(
        "crm.supplier.scorecard.config", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="config_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    code = fields.Selection(CRITERION_CODES, string="Criterion", required=True)
    weight = fields.Float(
        string="Weight (%)",
        digits=(5, 2),
        help="Share of the total score; the weights of a scorecard sum to 100. "
        "A weight of 0 shows the criterion without counting it.",
    )
    target = fields.Float(
        string="Target Score",
        digits=(5, 2),
        help="Score the supplier should reach (0-100); a criterion below its "
        "target is flagged on the scorecard. 0: no target.",
    )
    description = fields.Char(compute="_compute_description")

    _sql_constraints = [
        (
            "code_unique",
            "UNIQUE(config_id, code)",
            "Each criterion appears once on a scorecard.",
        ),
        (
            "weight_range",
            "CHECK(weight >= 0 AND weight <= 100)",
            "A weight is between 0 and 100.",
        ),
        (
            "target_range",
            "CHECK(target >= 0 AND target <= 100)",
            "A target is a score between 0 and 100.",
        ),
    ]

    @api.depends("code")
    def _compute_description(self):
        texts = self._descriptions()
        for criterion in self:
            criterion.description = texts.get(criterion.code, "")

    def _descriptions(self):
        return {
            "on_time": self.env._(
                "Quantity received by the promised day / quantity received"
            ),
            "in_full": self.env._(
                "Quantity received / quantity ordered, lines due in the period"
            ),
            "quality": self.env._(
                "1 - quantity returned to the supplier / quantity received"
            ),
            "price": self.env._(
                "Price paid against the product's average purchase price; "
                "5 points off per percent above it"
            ),
            "responsiveness": self.env._(
                "Days from request for quotation to confirmation: 100 within a "
                "day, 0 at 15 days"
            ),
            "invoice_accuracy": self.env._(
                "Billed amount matching the quantity received"
            ),
        }
