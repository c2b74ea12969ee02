# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .common import DAY, TierCase


class TestTierSecurity(TierCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._order(cls.big, DAY - timedelta(days=30), 6000.0)
        cls._order(cls.small, DAY - timedelta(days=30), 1500.0)
        cls.program._review(DAY)
        cls.big_state = cls._state(cls.big)
        cls.small_state = cls._state(cls.small)

    def test_user_cannot_write_tier_history_or_override(self):
        state = self.big_state.with_user(self.tier_user)
        self.assertEqual(state.tier_id, self.gold, "users read tiers")
        for vals in (
            {"tier_id": self.platinum.id},
            {"value": 1e9},
            {"override_tier_id": self.platinum.id, "override_reason": "vip"},
        ):
            with self.assertRaises(AccessError):
                state.write(vals)
        with self.assertRaises(AccessError):
            self.env["crm.tier.partner"].with_user(self.tier_user).create(
                {
                    "partner_id": self.small.id,
                    "program_id": self.program.id,
                    "override_tier_id": self.gold.id,
                    "override_reason": "vip",
                }
            )
        move = self.big_state.history_ids.with_user(self.tier_user)
        with self.assertRaises(AccessError):
            move.write({"to_tier_id": self.platinum.id})
        with self.assertRaises(AccessError):
            move.unlink()
        with self.assertRaises(AccessError):
            self.program.with_user(self.tier_user).action_review()
        self.assertEqual(self.big_state.tier_id, self.gold)

    def test_manager_cannot_rewrite_tier_or_history(self):
        state = self.big_state.with_user(self.manager)
        with self.assertRaises(AccessError):
            state.write({"tier_id": self.platinum.id})
        with self.assertRaises(AccessError):
            state.unlink()
        move = self.big_state.history_ids.with_user(self.manager)
        with self.assertRaises(AccessError):
            move.write({"value": 0.0})
        with self.assertRaises(AccessError):
            move.unlink()
        with self.assertRaises(AccessError):
            self.env["crm.tier.history"].with_user(self.manager).create(
                {
                    "partner_id": self.big.id,
                    "program_id": self.program.id,
                    "company_id": self.company.id,
                    "date": DAY,
                    "reason_type": "upgrade",
                }
            )

    def test_history_is_append_only_even_for_the_superuser(self):
        move = self.big_state.history_ids
        with self.assertRaises(UserError):
            move.sudo().write({"value": 0.0})
        with self.assertRaises(UserError):
            move.sudo().unlink()
        self.assertEqual(move.value, 6000.0)

    def test_portal_sees_only_own_tier_and_history(self):
        states = self.env["crm.tier.partner"].with_user(self.portal_user).search([])
        self.assertEqual(states, self.big_state)
        moves = self.env["crm.tier.history"].with_user(self.portal_user).search([])
        self.assertEqual(moves, self.big_state.history_ids)
        with self.assertRaises(AccessError):
            self.small_state.with_user(self.portal_user).read(["value"])
        with self.assertRaises(AccessError):
            self.small_state.history_ids.with_user(self.portal_user).read(["value"])
        other = self.env["crm.tier.partner"].with_user(self.portal_other).search([])
        self.assertEqual(other, self.small_state)

    def test_portal_cannot_write_anything(self):
        with self.assertRaises(AccessError):
            self.big_state.with_user(self.portal_user).write(
                {"override_tier_id": self.platinum.id, "override_reason": "vip"}
            )
        with self.assertRaises(AccessError):
            self.gold.with_user(self.portal_user).write({"threshold": 0.0})
        with self.assertRaises(AccessError):
            self.program.with_user(self.portal_user).action_review()

    def test_portal_tier_facts_only_for_own_company(self):
        facts = self.big_contact.with_user(self.portal_user).get_tier_facts()
        self.assertEqual(facts[self.big_contact.id]["tier"], "Gold")
        with self.assertRaises(AccessError):
            self.small.with_user(self.portal_user).get_tier_facts()

    def test_other_company_sees_nothing(self):
        outsider = new_test_user(
            self.env,
            login="tier_outsider",
            groups="base.group_user,crm_tiering.group_tier_manager",
            company_id=self.other_company.id,
            company_ids=[self.other_company.id],
        )
        self.assertFalse(self.env["crm.tier.partner"].with_user(outsider).search([]))
        self.assertFalse(self.env["crm.tier.history"].with_user(outsider).search([]))
        self.assertFalse(self.env["crm.tier.program"].with_user(outsider).search([]))
        with self.assertRaises(AccessError):
            self.big_state.with_user(outsider).read(["value"])
        # Their screens show no tier of another company's program.
        self.assertFalse(self.big.with_user(outsider).tier_id)
