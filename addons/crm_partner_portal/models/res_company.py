# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    partner_protection_days = fields.Integer(
        "Deal Protection (days)",
        default=90,
        help="How long an approved deal registration reserves the customer "
        "for the reseller who registered it.",
    )
    partner_protection_warning_days = fields.Integer(
        "Warn Before Expiry (days)",
        default=14,
        help="The reseller is told this many days before the protection ends.",
    )
    partner_offer_hours = fields.Integer(
        "Time to Accept a Lead (hours)",
        default=48,
        help="A forwarded lead not accepted within this time goes back and on "
        "to the next matching reseller.",
    )
    partner_level_window_days = fields.Integer(
        "Performance Window (days)",
        default=365,
        help="Won revenue, win rate and response time are measured over this "
        "many days up to the review.",
    )
    partner_level_protect_days = fields.Integer(
        "Level Protection (days)",
        default=180,
        help="A level reached is kept at least this long before weaker figures "
        "can lower it.",
    )
