# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmPartnerLevelSet(models.TransientModel):
    """A channel manager gives a reseller its level by hand, with the reason,
    and may keep the reviews from changing it until a day."""

    _name = "crm.partner.level.set"
    _description = "Set Partner Level by Hand"

    partner_id = fields.Many2one(
        "res.partner", "Reseller", required=True, ondelete="cascade", readonly=True
    )
    current_grade_id = fields.Many2one(
        related="partner_id.grade_id", string="Level Now"
    )
    grade_id = fields.Many2one("res.partner.grade", "New Level", required=True)
    reason = fields.Text(required=True)
    hold_until = fields.Date(
        help="Reviews leave the level as it is until this day included, then "
        "compute it again. Empty: the next review may change it.",
    )

    def action_apply(self):
        self.ensure_one()
        self.partner_id._set_level_by_hand(self.grade_id, self.reason, self.hold_until)
        return {"type": "ir.actions.act_window_close"}
