# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmTierSimulatorLine(models.TransientModel):
    _name = "crm.tier.simulator.line"
    _description = "Tier Simulator Line"
    _order = "threshold, id"

    simulator_id = fields.Many2one(
        "crm.tier.simulator", required=True, ondelete="cascade"
    )
    tier_id = fields.Many2one("crm.tier", required=True, readonly=True)
    threshold = fields.Float(string="Threshold Now", readonly=True)
    new_threshold = fields.Float(string="Draft Threshold", required=True)
    count_now = fields.Integer(string="Customers Now", readonly=True)
    count_simulated = fields.Integer(string="Customers Simulated", readonly=True)
    up_count = fields.Integer(string="Arrive From Below", readonly=True)
    down_count = fields.Integer(string="Arrive From Above", readonly=True)

    def _discount(self):
        """Share of the price the tier's pricelist takes off everything (its
        global percentage rules), 0 without one."""
        items = self.tier_id.pricelist_id.item_ids.filtered(
            lambda item: (
                item.applied_on == "3_global" and item.compute_price == "percentage"
            )
        )
        return max(items.mapped("percent_price"), default=0.0) / 100.0
