# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from .common import PartnerPortalCase


@tagged("post_install", "-at_install")
class TestPortalTours(HttpCase, PartnerPortalCase):
    def test_register_a_deal(self):
        self.start_tour(
            "/my/registrations", "crm_partner_portal_register_deal", login="pp_alpha"
        )
        registration = self.env["crm.deal.registration"].search(
            [("customer_name", "=", "Toko Tour Sejahtera")]
        )
        self.assertEqual(len(registration), 1)
        self.assertEqual(registration.partner_id, self.reseller_a)
        self.assertEqual(registration.email, "sari@tokotour.co.id")
        self.assertEqual(registration.submitted_by_id, self.portal_a)
        self.assertEqual(registration.product_ids, self.product)

    def test_accept_a_forwarded_lead(self):
        lead = self._lead()
        lead.partner_assigned_id = self.reseller_a
        offer = lead.partner_offer_id
        self.start_tour(
            f"/my/lead/{lead.id}", "crm_partner_portal_accept_lead", login="pp_alpha"
        )
        self.assertEqual(offer.state, "accepted")
        self.assertEqual(lead.type, "opportunity")

    def test_phone_dashboard_to_new_registration(self):
        self._registration()
        self.browser_size = "390x844"
        self.touch_enabled = True
        self.start_tour("/my/partner", "crm_partner_portal_phone", login="pp_alpha")
