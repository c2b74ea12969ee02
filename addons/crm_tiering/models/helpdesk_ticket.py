# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models


class HelpdeskTicket(models.Model):
    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "crm.tier.badge.mixin"]
    _tier_rule_target = "ticket"

    tier_response_deadline = fields.Datetime(
        string="Respond Before",
        readonly=True,
        copy=False,
        help="From the response target of the customer's tier when the ticket "
        "was opened.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        tickets._apply_tier_service()
        tickets._apply_tier_rules()
        return tickets

    def _apply_tier_service(self):
        """The tier's service level: priority at least the tier's, its team
        when the ticket has none, and the response deadline."""
        for ticket in self.filtered("tier_id"):
            # sudo: the service level is the program's, granted to whoever opens
            # the ticket (portal customers included).
            tier_sudo = ticket.tier_id.sudo()
            vals = {}
            if tier_sudo.ticket_priority and tier_sudo.ticket_priority > (
                ticket.priority or "0"
            ):
                vals["priority"] = tier_sudo.ticket_priority
            if tier_sudo.helpdesk_team_id and not ticket.team_id:
                vals["team_id"] = tier_sudo.helpdesk_team_id.id
            if tier_sudo.response_hours:
                vals["tier_response_deadline"] = fields.Datetime.now() + timedelta(
                    hours=tier_sudo.response_hours
                )
            if vals:
                ticket.sudo().write(vals)
