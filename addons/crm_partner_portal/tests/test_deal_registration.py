# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PartnerPortalCase


@tagged("post_install", "-at_install")
class TestDealRegistration(PartnerPortalCase):
    def test_same_tax_id_and_domain_is_a_high_conflict_for_the_manager(self):
        registration = self._registration(
            customer_name="Sinar Jaya",
            customer_vat="012345678901000",
            email="budi@sinarjaya.co.id",
        )
        self.assertEqual(registration.conflict_level, "high")
        customer_hit = registration.conflict_ids.filtered(
            lambda c: c.customer_id == self.customer
        )
        self.assertEqual(customer_hit.score, 100)
        self.assertIn("same tax ID", customer_hit.reasons)
        # A second reseller claiming the same customer sees nothing of the
        # first, but its registration conflicts with it for the manager.
        second = self._registration(
            self.reseller_b, customer_name="PT Sinar Jaya", email="x@sinarjaya.co.id"
        )
        self.assertIn(registration, second.conflict_ids.other_registration_id)
        self.assertFalse(
            self.env["crm.deal.registration.conflict"]
            .with_user(self.portal_b)
            .has_access("read")
        )

    def test_unrelated_customer_has_no_conflict(self):
        registration = self._registration(customer_name="Koperasi Nelayan Bahari")
        self.assertEqual(registration.conflict_level, "none")
        self.assertFalse(registration.conflict_ids)

    def test_reseller_reads_only_its_own_registrations(self):
        mine = self._registration()
        theirs = self._registration(self.reseller_b)
        Registration = self.env["crm.deal.registration"]
        self.assertEqual(Registration.with_user(self.portal_a).search([]), mine)
        with self.assertRaises(AccessError):
            theirs.with_user(self.portal_a).read(["customer_name"])
        with self.assertRaises(AccessError):
            mine.with_user(self.portal_a).write({"state": "approved"})
        with self.assertRaises(AccessError):
            Registration.with_user(self.portal_a).create(
                {"partner_id": self.reseller_a.id, "customer_name": "X"}
            )
        with self.assertRaises(UserError):
            mine.with_user(self.portal_a).action_approve()

    def test_portal_and_public_users_cannot_press_the_buttons(self):
        mine = self._registration()
        theirs = self._registration(self.reseller_b)
        public = self.env.ref("base.public_user")
        # Approving and rejecting stop at the manager check; the others at
        # the record rules and access rights.
        buttons = {
            "action_check_conflicts": AccessError,
            "action_approve": UserError,
            "action_reject": UserError,
            "action_view_lead": AccessError,
        }
        for user in (self.portal_a, self.portal_b, self.customer_user, public):
            for registration in mine | theirs:
                for button, error in buttons.items():
                    if button == "action_view_lead" and (
                        user.commercial_partner_id == registration.partner_id
                    ):
                        continue  # its own registration: the window action only
                    with (
                        self.subTest(user=user.login, button=button),
                        self.assertRaises(error),
                    ):
                        getattr(registration.with_user(user), button)()
        self.assertEqual((mine | theirs).mapped("state"), ["submitted", "submitted"])
        self.assertFalse((mine | theirs).lead_id)
        self.assertFalse(mine.with_user(self.portal_a).action_view_lead()["res_id"])
        # The partner's button gives a window whose rows are still filtered
        # by the record rules: another reseller's list comes back empty.
        action = self.reseller_b.with_user(
            self.portal_a
        ).action_view_deal_registrations()
        self.assertFalse(
            self.env["crm.deal.registration"]
            .with_user(self.portal_a)
            .search(action["domain"])
        )

    def test_approval_creates_protected_opportunity_for_the_reseller(self):
        registration = self._registration()
        registration.with_user(self.manager).action_approve()
        self.assertEqual(registration.state, "approved")
        lead = registration.lead_id
        self.assertEqual(lead.partner_assigned_id, self.reseller_a)
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.expected_revenue, 5000.0)
        self.assertEqual(
            registration.date_protection_end,
            registration.date_decided + timedelta(days=90),
        )
        self.assertIn(
            "is approved", registration.message_ids[0].body, "the reseller is told"
        )
        self.assertIn(self.reseller_a, registration.message_ids[0].partner_ids)
        # A comment: the portal's history shows it.
        self.assertEqual(registration.message_ids[0].message_type, "comment")
        with self.assertRaises(UserError):
            registration.with_user(self.manager).action_approve()

    def test_only_channel_managers_decide_and_a_rejection_needs_a_reason(self):
        registration = self._registration()
        with self.assertRaises(UserError):
            registration.with_user(self.salesman).action_approve()
        with self.assertRaises(UserError):
            registration.with_user(self.manager).action_reject()
        self.assertEqual(registration.state, "submitted")
        registration.reject_reason = "Customer already served by our own team"
        registration.with_user(self.manager).action_reject()
        self.assertEqual(registration.state, "rejected")
        self.assertIn("our own team", registration.message_ids[0].body)

    def test_protection_warns_then_expires_and_cron_survives_a_failure(self):
        registration = self._registration()
        with freeze_time("2026-03-01"):
            registration.with_user(self.manager).action_approve()
        self.assertEqual(registration.date_protection_end, date(2026, 5, 30))
        with freeze_time("2026-05-20"):
            self.env["crm.deal.registration"]._cron_protection()
        self.assertTrue(registration.expiry_warned)
        self.assertEqual(registration.state, "approved")
        self.assertIn("ends on", registration.message_ids[0].body)
        with freeze_time("2026-05-31"):
            self.env["crm.deal.registration"]._cron_protection()
        self.assertEqual(registration.state, "expired")

    def test_the_same_form_twice_registers_once(self):
        self._registration(submit_token="abc123")
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self._registration(submit_token="abc123")
            self.env.flush_all()
