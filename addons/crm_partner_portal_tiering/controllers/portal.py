# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.http import request

from odoo.addons.crm_partner_portal.controllers.portal import PartnerPortal
from odoo.addons.crm_tiering.controllers.portal import TierPortal


class PartnerPortalTierCard(PartnerPortal, TierPortal):
    def _account_overview_values(self):
        values = super()._account_overview_values()
        # The tier's record rules keep the state to the user's own company.
        if request.env["crm.tier.partner"].has_access("read"):
            values.update(self._tier_values(self._tier_state()))
        return values
