# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    partner_protection_days = fields.Integer(
        related="company_id.partner_protection_days", readonly=False
    )
    partner_protection_warning_days = fields.Integer(
        related="company_id.partner_protection_warning_days", readonly=False
    )
    partner_offer_hours = fields.Integer(
        related="company_id.partner_offer_hours", readonly=False
    )
    partner_level_window_days = fields.Integer(
        related="company_id.partner_level_window_days", readonly=False
    )
    partner_level_protect_days = fields.Integer(
        related="company_id.partner_level_protect_days", readonly=False
    )
