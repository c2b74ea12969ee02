# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.http import request

from odoo.addons.sale.controllers.portal import CustomerPortal


class RecommendationPortal(CustomerPortal):
    """The "you may also need" block on the portal home and order pages."""

    @http.route()
    def home(self, **kw):
        response = super().home(**kw)
        if getattr(response, "qcontext", None) is not None:
            response.qcontext["recommended_products"] = self._recommended_products()
        return response

    @http.route()
    def portal_order_page(self, order_id, *args, **kw):
        response = super().portal_order_page(order_id, *args, **kw)
        qcontext = getattr(response, "qcontext", None)
        if qcontext and qcontext.get("sale_order"):
            qcontext["recommended_products"] = self._recommended_products(
                qcontext["sale_order"]
            )
        return response

    def _recommended_products(self, order_sudo=None):
        """Recommendations of the logged-in customer; on an order, only when
        it is their own (never through another customer's access link)."""
        user = request.env.user
        if user._is_public():
            return []
        partner = user.partner_id
        if order_sudo and (
            order_sudo.partner_id.commercial_partner_id != partner.commercial_partner_id
        ):
            return []
        return request.env["crm.valuation.recommendation"]._portal_offers(
            partner, order_sudo
        )
