# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class ResCompany(models.Model):
    _name = "res.company"
    _inherit = ["res.company", "crm.valuation.settings"]

    def _valuation_has_purchases(self):
        """Whether the company has any purchase a valuation would count."""
        self.ensure_one()
        if self.valuation_source == "invoices":
            domain = [
                ("company_id", "=", self.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
            ]
            return bool(self.env["account.move"].search_count(domain, limit=1))
        domain = [("company_id", "=", self.id), ("state", "=", "sale")]
        return bool(self.env["sale.order"].search_count(domain, limit=1))
