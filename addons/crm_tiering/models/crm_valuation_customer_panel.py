# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class CrmValuationCustomerPanel(models.AbstractModel):
    _inherit = "crm.valuation.customer.panel"

    def _panel_data(self, partner, record):
        data = super()._panel_data(partner, record)
        data["tier"] = (
            partner.get_tier_facts()[partner.id]
            if self.env["crm.tier.partner"].has_access("read")
            else False
        )
        return data
