# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    srm_pending_date = fields.Date(
        string="Date Proposed by Supplier",
        compute="_compute_srm_pending_date",
        help="A new date the supplier proposed and the purchaser has not answered yet.",
    )

    def _compute_srm_pending_date(self):
        pending = self.env["crm.supplier.date.proposal"].search(
            [("line_id", "in", self.ids), ("state", "=", "pending")], order="id"
        )
        dates = {proposal.line_id.id: proposal.proposed_date for proposal in pending}
        for line in self:
            line.srm_pending_date = dates.get(line.id, False)
