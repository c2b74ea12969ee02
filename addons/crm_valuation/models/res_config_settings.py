# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    valuation_source = fields.Selection(
        related="company_id.valuation_source", readonly=False
    )
    valuation_model = fields.Selection(
        related="company_id.valuation_model", readonly=False
    )
    valuation_horizon_months = fields.Integer(
        related="company_id.valuation_horizon_months", readonly=False
    )
    valuation_discount_rate = fields.Float(
        related="company_id.valuation_discount_rate", readonly=False
    )
    valuation_holdout_months = fields.Integer(
        related="company_id.valuation_holdout_months", readonly=False
    )
    valuation_hourly_cost = fields.Monetary(
        related="company_id.valuation_hourly_cost", readonly=False
    )
    valuation_order_cost = fields.Monetary(
        related="company_id.valuation_order_cost", readonly=False
    )
    valuation_delay_rate = fields.Float(
        related="company_id.valuation_delay_rate", readonly=False
    )
    valuation_abc_a = fields.Float(related="company_id.valuation_abc_a", readonly=False)
    valuation_abc_b = fields.Float(related="company_id.valuation_abc_b", readonly=False)
