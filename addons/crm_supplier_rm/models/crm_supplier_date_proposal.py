# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime

from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmSupplierDateProposal(models.Model):
    """A new delivery date the supplier proposes for an order line, accepted or
    refused by the purchaser; both are logged on the order."""

    _name = "crm.supplier.date.proposal"
    _description = "Supplier Date Proposal"
    _order = "create_date desc, id desc"

    order_id = fields.Many2one(
        "purchase.order", required=True, ondelete="cascade", index=True, readonly=True
    )
    line_id = fields.Many2one(
        "purchase.order.line", required=True, ondelete="cascade", readonly=True
    )
    partner_id = fields.Many2one(related="order_id.partner_id", store=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    product_id = fields.Many2one(related="line_id.product_id")
    previous_date = fields.Datetime(string="Date Before", readonly=True)
    proposed_date = fields.Date(required=True, readonly=True)
    note = fields.Text(readonly=True)
    proposed_by = fields.Many2one("res.users", readonly=True)
    state = fields.Selection(
        [("pending", "Pending"), ("accepted", "Accepted"), ("refused", "Refused")],
        default="pending",
        required=True,
        readonly=True,
    )
    decided_by = fields.Many2one("res.users", readonly=True)
    decided_on = fields.Datetime(readonly=True)

    @api.depends("line_id", "proposed_date")
    def _compute_display_name(self):
        for proposal in self:
            proposal.display_name = f"{proposal.line_id.name}: {proposal.proposed_date}"

    def _check_pending(self):
        if any(proposal.state != "pending" for proposal in self):
            raise UserError(self.env._("This proposal has been answered already."))
        self.order_id.check_access("write")

    def action_accept(self):
        self._check_pending()
        for proposal in self:
            proposal.line_id._update_date_planned(
                datetime.datetime.combine(proposal.proposed_date, datetime.time(12))
            )
            proposal._decide("accepted")
        return True

    def action_refuse(self):
        self._check_pending()
        for proposal in self:
            proposal._decide("refused")
        return True

    def _decide(self, state):
        # sudo: proposals are read-only records; a buyer answers them only
        # through these actions, after the order write check above.
        self.sudo().write(
            {
                "state": state,
                "decided_by": self.env.uid,
                "decided_on": fields.Datetime.now(),
            }
        )
        body = (
            self.env._(
                "New date %(date)s for %(line)s accepted.",
                date=self.proposed_date,
                line=self.line_id.name,
            )
            if state == "accepted"
            else self.env._(
                "New date %(date)s for %(line)s refused.",
                date=self.proposed_date,
                line=self.line_id.name,
            )
        )
        self.order_id.message_post(body=body, subtype_xmlid="mail.mt_note")
