# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    """The settings screen edits the current company's valuation settings."""

    _name = "res.config.settings"
    _inherit = ["res.config.settings", "crm.valuation.settings"]

    valuation_keep_days = fields.Integer(
        related="company_id.valuation_keep_days", readonly=False
    )
    valuation_keep_months = fields.Integer(
        related="company_id.valuation_keep_months", readonly=False
    )

    @api.model
    def get_values(self):
        values = super().get_values()
        company = self.env.company
        values.update(
            {name: company[name] for name in self._valuation_setting_fields()}
        )
        return values

    def set_values(self):
        result = super().set_values()
        changed = {
            name: self[name]
            for name in self._valuation_setting_fields()
            if self[name] != self.company_id[name]
        }
        if changed:
            self.company_id.write(changed)
        return result
