# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "crm.tier.badge.mixin"]
    _tier_rule_target = "lead"

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads._apply_tier_rules()
        return leads

    def _tier_amount(self):
        return self.expected_revenue
