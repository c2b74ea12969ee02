# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _prepare_sellers(self, params=False):
        """Preferred suppliers first and Blocked ones last; Odoo's own order
        (sequence, quantity, price) within each standing."""
        sellers = super()._prepare_sellers(params=params)
        # sudo: the standing is for buyers, yet anyone's procurement picks a
        # vendor; only the rank is read.
        return sellers.sorted(
            lambda seller: (
                seller.sudo().partner_id.commercial_partner_id.srm_standing_id._rank()
            )
        )
