# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CrmPartnerLevelHistory(models.Model):
    """Append-only log of level reviews that changed, or would have changed,
    a reseller's level."""

    _name = "crm.partner.level.history"
    _description = "Partner Level Change"
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade", readonly=True
    )
    date = fields.Date(required=True, readonly=True, default=fields.Date.context_today)
    old_grade_id = fields.Many2one("res.partner.grade", "From Level", readonly=True)
    new_grade_id = fields.Many2one("res.partner.grade", "To Level", readonly=True)
    earned_grade_id = fields.Many2one(
        "res.partner.grade", "Level Earned", readonly=True
    )
    action = fields.Selection(
        [
            ("up", "Raised"),
            ("down", "Lowered"),
            ("protected", "Kept (protected)"),
            ("manual", "Set by Hand"),
        ],
        required=True,
        readonly=True,
    )
    won_revenue = fields.Float(readonly=True)
    win_rate = fields.Float("Win Rate (%)", readonly=True)
    response_hours = fields.Float("Response Time (hours)", readonly=True)
    protected_until = fields.Date(
        readonly=True,
        help="Lowering waits until this day; for a level set by hand, the day "
        "until which reviews leave it.",
    )
    reason = fields.Text(readonly=True, help="Why a manager set the level by hand.")
    user_id = fields.Many2one(
        "res.users", "By", readonly=True, default=lambda s: s.env.user
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda s: s.env.company
    )

    @api.model
    def _prepare_history_vals(self, partner, new_grade, decision, metrics):
        return {
            "partner_id": partner.id,
            "old_grade_id": partner.grade_id.id,
            "new_grade_id": new_grade.id,
            "earned_grade_id": decision.earned or False,
            "action": decision.action,
            "won_revenue": metrics["won_revenue"],
            "win_rate": metrics["win_rate"] * 100.0,
            "response_hours": metrics["response_hours"] or 0.0,
            "protected_until": decision.protected_until,
        }
