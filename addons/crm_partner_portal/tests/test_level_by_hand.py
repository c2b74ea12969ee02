# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PartnerPortalCase


@tagged("post_install", "-at_install")
class TestLevelByHand(PartnerPortalCase):
    def _set_by_hand(self, partner, grade, hold_until=False, user=None, reason="x"):
        wizard = (
            self.env["crm.partner.level.set"]
            .with_user(user or self.manager)
            .create(
                {
                    "partner_id": partner.id,
                    "grade_id": grade.id,
                    "reason": reason,
                    "hold_until": hold_until,
                }
            )
        )
        return wizard.action_apply()

    def _notes(self, partner):
        return partner.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_note")
        ).mapped("body")

    def test_held_level_survives_reviews_until_its_day(self):
        with freeze_time("2026-06-15"):
            self._set_by_hand(
                self.reseller_b,
                self.gold,
                date(2026, 9, 30),
                reason="Strategic partner for the Java launch",
            )
        self.assertEqual(self.reseller_b.grade_id, self.gold)
        self.assertEqual(self.reseller_b.level_hold_until, date(2026, 9, 30))
        manual = self.reseller_b.level_history_ids
        self.assertEqual(manual.action, "manual")
        self.assertEqual(manual.old_grade_id, self.bronze)
        self.assertEqual(manual.new_grade_id, self.gold)
        self.assertEqual(manual.reason, "Strategic partner for the Java launch")
        self.assertEqual(manual.user_id, self.manager)
        self.assertIn(
            "Strategic partner for the Java launch", self._notes(self.reseller_b)[0]
        )
        # The figures earn Bronze only; the reviews keep Gold while it is held,
        # from the form as from the monthly job.
        with freeze_time("2026-07-01"):
            self.reseller_b.with_user(self.manager).action_review_partner_level()
        with freeze_time("2026-09-30"):
            self.env["res.partner"]._cron_review_partner_levels()
        self.assertEqual(self.reseller_b.grade_id, self.gold)
        self.assertEqual(len(self.reseller_b.level_history_ids), 1)
        # The day after, the review computes the level again and says so.
        with freeze_time("2026-10-01"):
            self.env["res.partner"]._cron_review_partner_levels()
        self.assertEqual(self.reseller_b.grade_id, self.bronze)
        self.assertFalse(self.reseller_b.level_hold_until)
        lowered = self.reseller_b.level_history_ids.sorted("id")[-1]
        self.assertEqual(lowered.action, "down")
        self.assertEqual(lowered.old_grade_id, self.gold)
        self.assertEqual(lowered.new_grade_id, self.bronze)
        self.assertIn("Gold becomes Bronze", self._notes(self.reseller_b)[0])

    def test_without_hold_the_next_review_decides(self):
        with freeze_time("2026-06-15"):
            self._set_by_hand(self.reseller_b, self.gold)
            self.assertEqual(self.reseller_b.grade_id, self.gold)
            self.reseller_b._review_partner_levels()
        self.assertEqual(self.reseller_b.grade_id, self.bronze)

    def test_hold_day_in_the_past_changes_nothing(self):
        with freeze_time("2026-06-15"), self.assertRaisesRegex(UserError, "past"):
            self._set_by_hand(self.reseller_b, self.gold, date(2026, 6, 14))
        self.assertEqual(self.reseller_b.grade_id, self.bronze)
        self.assertFalse(self.reseller_b.level_hold_until)
        self.assertFalse(self.reseller_b.level_history_ids)

    def test_blank_reason_changes_nothing(self):
        with self.assertRaisesRegex(UserError, "reason"):
            self._set_by_hand(self.reseller_b, self.gold, reason="   ")
        self.assertEqual(self.reseller_b.grade_id, self.bronze)
        self.assertFalse(self.reseller_b.level_history_ids)

    def test_salesman_cannot_set_a_level(self):
        for user in (
            self.salesman,
            self.portal_b,
            self.customer_user,
            self.env.ref("base.public_user"),
        ):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._set_by_hand(self.reseller_b, self.gold, user=user)
        with self.assertRaises(AccessError):
            self.reseller_b.with_user(self.salesman)._set_level_by_hand(
                self.gold, "no right"
            )
        self.assertEqual(self.reseller_b.grade_id, self.bronze)
        self.assertFalse(self.reseller_b.level_history_ids)

    def test_other_company_reseller_is_refused(self):
        other = self.env["res.company"].create({"name": "PT Lain"})
        reseller = self.env["res.partner"].create(
            {
                "name": "Mitra Lain",
                "is_company": True,
                "grade_id": self.bronze.id,
                "company_id": other.id,
            }
        )
        with self.assertRaises(AccessError):
            self._set_by_hand(reseller, self.gold)
        self.assertEqual(reseller.grade_id, self.bronze)
        self.assertFalse(reseller.level_history_ids)
