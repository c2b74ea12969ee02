# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CrmValuationProductRule(models.Model):
    """An association rule "customers who order A also order B" of a run."""

    _name = "crm.valuation.product.rule"
    _description = "Association Rule"
    _order = "run_id desc, level desc, lift desc, confidence desc, id"
    _log_access = False

    run_id = fields.Many2one(
        "crm.valuation.recommendation.run",
        required=True,
        ondelete="cascade",
        readonly=True,
        index=True,
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    level = fields.Selection(
        [("product", "Products"), ("category", "Categories")],
        required=True,
        readonly=True,
    )
    name = fields.Char(string="Rule", compute="_compute_name")
    antecedent_product_id = fields.Many2one(
        "product.product", string="If They Order", readonly=True
    )
    consequent_product_id = fields.Many2one(
        "product.product", string="They Also Order", readonly=True
    )
    antecedent_categ_id = fields.Many2one(
        "product.category", string="If They Order from", readonly=True
    )
    consequent_categ_id = fields.Many2one(
        "product.category", string="They Also Order from", readonly=True
    )
    orders = fields.Integer(readonly=True, help="Orders holding both.")
    support = fields.Float(
        readonly=True, digits=(16, 5), help="Share of all orders holding both."
    )
    confidence = fields.Float(
        readonly=True,
        help="Share of the orders with the first that also hold the second.",
    )
    lift = fields.Float(
        readonly=True,
        digits=(16, 2),
        help="How many times more often the second comes with the first than "
        "in orders in general; above 1 means they sell together.",
    )

    @api.depends(
        "antecedent_product_id",
        "consequent_product_id",
        "antecedent_categ_id",
        "consequent_categ_id",
    )
    def _compute_name(self):
        for rule in self:
            first = rule.antecedent_product_id or rule.antecedent_categ_id
            second = rule.consequent_product_id or rule.consequent_categ_id
            rule.name = f"{first.display_name} → {second.display_name}"
