# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def action_add_recommended_product(self, product_id):
        """Add one unit of a recommended product to the quotation (the panel's
        one-click button)."""
        self.ensure_one()
        if self.state not in ("draft", "sent"):
            raise UserError(self.env._("Products can only be added to a quotation."))
        self.check_access("write")
        product = (
            self.env["product.product"].browse(product_id).exists()
            if isinstance(product_id, int) and not isinstance(product_id, bool)
            else self.env["product.product"]
        )
        if (
            not product
            or not product.sale_ok
            or (product.company_id and product.company_id != self.company_id)
        ):
            raise UserError(
                self.env._("This product cannot be sold on this quotation.")
            )
        self.write(
            {
                "order_line": [
                    Command.create(self._prepare_recommended_line_vals(product))
                ]
            }
        )
        return True

    def _prepare_recommended_line_vals(self, product):
        return {"product_id": product.id, "product_uom_qty": 1.0}
