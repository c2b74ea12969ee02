# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

APPROVERS = ("crm_tiering.group_tier_manager", "sales_team.group_sale_manager")


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "crm.tier.badge.mixin"]
    _tier_rule_target = "order"

    tier_approval = fields.Selection(
        [("required", "Approval Required"), ("approved", "Approved")],
        readonly=True,
        copy=False,
        help="Set by a tier rule: a manager approves before the order is confirmed.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._apply_tier_rules()
        return orders

    def _tier_amount(self):
        return self.amount_untaxed

    def _tier_categories(self):
        return self.order_line.product_id.categ_id

    def action_confirm(self):
        waiting = self.filtered(lambda order: order.tier_approval == "required")
        if waiting:
            raise UserError(
                self.env._(
                    "%(orders)s need a manager's approval before confirmation "
                    "(tier rule).",
                    orders=", ".join(waiting.mapped("name")),
                )
            )
        return super().action_confirm()

    def action_tier_approve(self):
        if not any(self.env.user.has_group(group) for group in APPROVERS):
            raise AccessError(self.env._("Only sales or tier managers approve."))
        for order in self.filtered(lambda order: order.tier_approval == "required"):
            # sudo: the approval field is read-only for everyone but this action.
            order.sudo().tier_approval = "approved"
            order.message_post(
                body=Markup("<p>%s</p>")
                % self.env._("Approved by %(user)s.", user=self.env.user.name)
            )
        return True
