# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CrmPartnerOffer(models.Model):
    """One forwarding of a lead to a reseller, with its deadline and answer.

    A lead may be offered to several resellers in turn; these rows are what
    acceptance rates and response times are measured on."""

    _name = "crm.partner.offer"
    _description = "Lead Forwarded to a Reseller"
    _order = "date_offered desc, id desc"
    _rec_name = "lead_id"

    lead_id = fields.Many2one(
        "crm.lead", required=True, index=True, ondelete="cascade", readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner", "Reseller", required=True, index=True, readonly=True
    )
    date_offered = fields.Datetime(
        "Offered On", required=True, readonly=True, default=fields.Datetime.now
    )
    date_deadline = fields.Datetime("Answer By", required=True, readonly=True)
    date_answered = fields.Datetime("Answered On", readonly=True)
    state = fields.Selection(
        [
            ("offered", "Waiting for Answer"),
            ("accepted", "Accepted"),
            ("declined", "Declined"),
            ("expired", "Expired"),
        ],
        required=True,
        default="offered",
        readonly=True,
        index=True,
    )
    reason = fields.Text("Decline Reason", readonly=True)
    response_hours = fields.Float(
        "Response Time (hours)",
        compute="_compute_response_hours",
        store=True,
        aggregator="avg",
    )
    company_id = fields.Many2one(related="lead_id.company_id", store=True)

    @api.depends("date_offered", "date_answered")
    def _compute_response_hours(self):
        for offer in self:
            if offer.date_answered and offer.date_offered:
                delta = offer.date_answered - offer.date_offered
                offer.response_hours = delta.total_seconds() / 3600.0
            else:
                offer.response_hours = 0.0
