# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models

# Days to resolve a ticket by priority (helpdesk_mgmt: 0 low ... 3 very high).
TARGET_DAYS = {"0": 10, "1": 5, "2": 2, "3": 1}


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    target_date = fields.Date(
        compute="_compute_target_date",
        store=True,
        help="When we aim to have solved the ticket, from its priority.",
    )

    @api.depends("create_date", "priority")
    def _compute_target_date(self):
        for ticket in self:
            start = ticket.create_date or fields.Datetime.now()
            days = TARGET_DAYS.get(ticket.priority or "1", 5)
            ticket.target_date = (start + timedelta(days=days)).date()
