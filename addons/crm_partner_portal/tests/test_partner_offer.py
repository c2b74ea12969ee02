# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.crm_partner_portal.models.crm_lead import CrmLead

from .common import PartnerPortalCase


@tagged("post_install", "-at_install")
class TestPartnerOffer(PartnerPortalCase):
    def test_forwarding_by_hand_opens_an_offer_with_a_deadline(self):
        lead = self._lead()
        with freeze_time("2026-06-01 08:00:00"):
            lead.partner_assigned_id = self.reseller_b
        offer = lead.partner_offer_id
        self.assertEqual(offer.partner_id, self.reseller_b)
        self.assertEqual(offer.date_deadline, datetime(2026, 6, 3, 8, 0))
        self.assertIn(self.portal_b.partner_id, lead.message_partner_ids)

    def test_forward_by_rule_prefers_the_higher_level(self):
        lead = self._lead()
        lead.action_offer_to_reseller()
        self.assertEqual(lead.partner_assigned_id, self.reseller_a)
        with self.assertRaises(UserError):
            lead.action_offer_to_reseller()

    def test_accepting_in_time_converts_the_lead(self):
        lead = self._lead()
        with freeze_time("2026-06-01 08:00:00"):
            lead.partner_assigned_id = self.reseller_a
            offer = lead.partner_offer_id
        with freeze_time("2026-06-01 14:00:00"):
            lead.with_user(self.portal_a).partner_interested("We know them")
        self.assertEqual(offer.state, "accepted")
        self.assertEqual(offer.response_hours, 6.0)
        self.assertEqual(lead.type, "opportunity")

    def test_late_answer_is_refused_and_changes_nothing(self):
        lead = self._lead()
        with freeze_time("2026-06-01 08:00:00"):
            lead.partner_assigned_id = self.reseller_a
        with freeze_time("2026-06-04 08:00:00"), self.assertRaises(UserError):
            lead.with_user(self.portal_a).partner_interested()
        self.assertEqual(lead.partner_offer_id.state, "offered")
        self.assertEqual(lead.type, "lead")

    def test_another_reseller_cannot_answer(self):
        lead = self._lead()
        lead.partner_assigned_id = self.reseller_a
        with self.assertRaises(AccessError):
            lead.with_user(self.portal_b).partner_interested()
        with self.assertRaises(AccessError):
            lead.with_user(self.portal_b).partner_desinterested("no")
        with self.assertRaises(AccessError):
            lead.with_user(self.customer_user).partner_interested()
        # Forwarding again: the owner is told the lead is taken, the others
        # cannot read it.
        for user, error in (
            (self.portal_a, UserError),
            (self.portal_b, AccessError),
            (self.customer_user, AccessError),
        ):
            with self.subTest(user=user.login), self.assertRaises(error):
                lead.with_user(user).action_offer_to_reseller()
        # The offers stay the owner's to read.
        Offer = self.env["crm.partner.offer"]
        self.assertEqual(
            Offer.with_user(self.portal_a).search([]), lead.partner_offer_id
        )
        self.assertFalse(Offer.with_user(self.portal_b).search([]))
        self.assertFalse(Offer.with_user(self.customer_user).search([]))
        with self.assertRaises(AccessError):
            lead.partner_offer_id.with_user(self.portal_b).read(["state"])
        with self.assertRaises(AccessError):
            lead.partner_offer_id.with_user(self.portal_a).write({"state": "accepted"})
        self.assertEqual(lead.partner_offer_id.state, "offered")

    def test_declining_needs_a_reason_and_forwards_to_the_next_match(self):
        lead = self._lead()
        lead.partner_assigned_id = self.reseller_a
        with self.assertRaises(UserError):
            lead.with_user(self.portal_a).partner_desinterested("  ")
        lead.with_user(self.portal_a).partner_desinterested("Too far from us")
        declined = lead.partner_offer_ids.filtered(lambda o: o.state == "declined")
        self.assertEqual(declined.partner_id, self.reseller_a)
        self.assertEqual(declined.reason, "Too far from us")
        self.assertIn(self.reseller_a, lead.partner_declined_ids)
        self.assertEqual(lead.partner_assigned_id, self.reseller_b)
        self.assertEqual(lead.partner_offer_id.partner_id, self.reseller_b)

    def test_expiry_returns_the_lead_and_offers_it_to_the_next(self):
        lead = self._lead()
        with freeze_time("2026-06-01 08:00:00"):
            lead.partner_assigned_id = self.reseller_a
        with freeze_time("2026-06-03 09:00:00"):
            expired = self.env["crm.lead"]._cron_expire_partner_offers()
        self.assertEqual(expired, 1)
        states = {o.partner_id: o.state for o in lead.partner_offer_ids}
        self.assertEqual(
            states, {self.reseller_a: "expired", self.reseller_b: "offered"}
        )
        self.assertEqual(lead.partner_assigned_id, self.reseller_b)
        self.assertIn(
            "did not answer in time", "\n".join(lead.message_ids.mapped("body"))
        )

    def test_expiry_cron_survives_a_failing_lead(self):
        broken, fine = self._lead(name="Broken"), self._lead(name="Fine")
        with freeze_time("2026-06-01 08:00:00"):
            (broken | fine).partner_assigned_id = self.reseller_b
        original = CrmLead._expire_partner_offer

        def expire(lead, offer):
            if lead == broken:
                raise ValueError("boom")
            return original(lead, offer)

        with (
            freeze_time("2026-06-05 08:00:00"),
            patch.object(CrmLead, "_expire_partner_offer", expire),
            mute_logger("odoo.addons.crm_partner_portal.models.crm_lead"),
        ):
            self.env["crm.lead"]._cron_expire_partner_offers()
        self.assertEqual(broken.partner_offer_ids.state, "offered")
        self.assertEqual(
            fine.partner_offer_ids.filtered(
                lambda o: o.partner_id == self.reseller_b
            ).state,
            "expired",
        )
