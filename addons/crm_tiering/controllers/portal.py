# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.http import request, route

from odoo.addons.portal.controllers.portal import CustomerPortal

# Metrics a customer may see as figures; the others (margin, lifetime value,
# RFM score) are the company's view of them and show as progress only.
CUSTOMER_METRICS = ("revenue", "loyalty_points")


class TierPortal(CustomerPortal):
    def _tier_state(self):
        """The portal user's standing in their company's active program
        (the record rules keep it to their own commercial partner)."""
        partner = request.env.user.partner_id.commercial_partner_id
        return request.env["crm.tier.partner"].search(
            [
                ("partner_id", "=", partner.id),
                ("program_id.active", "=", True),
                ("tier_id", "!=", False),
            ],
            limit=1,
        )

    def _tier_values(self, state):
        return {
            "tier_state": state,
            "tier_show_value": state.program_id.metric in CUSTOMER_METRICS,
        }

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if not counters and request.env["crm.tier.partner"].has_access("read"):
            values.update(self._tier_values(self._tier_state()))
        return values

    @route("/my/tier", type="http", auth="user", website=True)
    def portal_my_tier(self, **kw):
        if not request.env["crm.tier.partner"].has_access("read"):
            return request.redirect("/my")
        state = self._tier_state()
        if not state:
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update(self._tier_values(state))
        values.update(
            page_name="tier",
            tier_history=state.history_ids.sorted(
                lambda move: (move.date, move.id), reverse=True
            ),
        )
        return request.render("crm_tiering.portal_my_tier", values)
