# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from ..models.crm_tier_rule import CrmTierRule
from .common import DAY, TierCase


class TestTierRules(TierCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._order(cls.big, DAY - timedelta(days=30), 6000.0)
        cls._order(cls.small, DAY - timedelta(days=30), 300.0)
        cls.program._review(DAY)
        cls.senior_a = new_test_user(
            cls.env, login="senior_a", groups="sales_team.group_sale_salesman"
        )
        cls.senior_b = new_test_user(
            cls.env, login="senior_b", groups="sales_team.group_sale_salesman"
        )
        cls.salesman = new_test_user(
            cls.env, login="junior", groups="sales_team.group_sale_salesman"
        )
        cls.rule = cls.env["crm.tier.rule"].create(
            {
                "name": "Gold leads to senior staff",
                "target": "lead",
                "tier_ids": [Command.set([cls.gold.id, cls.platinum.id])],
                "user_ids": [Command.set([cls.senior_a.id, cls.senior_b.id])],
                "priority": "3",
                "activity_type_id": cls.env.ref("mail.mail_activity_data_call").id,
                "activity_summary": "Call within the day",
            }
        )

    def _lead(self, partner, name="Deal"):
        lead = (
            self.env["crm.lead"]
            .with_user(self.salesman)
            .create({"name": name, "partner_id": partner.id, "type": "opportunity"})
        )
        # Routed to a senior, the lead may leave the salesman's reach.
        return lead.sudo()

    def test_gold_lead_routed_with_load_balance(self):
        first = self._lead(self.big, "First")
        second = self._lead(self.big_contact, "Second")
        self.assertEqual(
            first.user_id | second.user_id,
            self.senior_a | self.senior_b,
            "in turn, to the least loaded",
        )
        self.assertEqual(first.priority, "3")
        self.assertTrue(
            first.activity_ids.filtered(lambda act: act.user_id == first.user_id)
        )
        self.assertIn("Gold leads to senior staff", first.message_ids[:1].body)
        self.assertEqual(first.tier_id, self.gold)
        # Senior A gets more open leads: the next goes to B whatever the turn.
        loaded = first.user_id
        other = (self.senior_a | self.senior_b) - loaded
        self.env["crm.lead"].create(
            [{"name": f"Load {i}", "user_id": loaded.id} for i in range(3)]
        )
        self.assertEqual(self._lead(self.big, "Third").user_id, other)

    def test_bronze_lead_untouched(self):
        lead = self._lead(self.small)
        self.assertEqual(lead.user_id, self.salesman)
        self.assertNotEqual(lead.priority, "3")

    def test_failing_rule_never_blocks_the_save(self):
        with (
            patch.object(CrmTierRule, "_apply", side_effect=ValueError("boom")),
            self.assertLogs(
                "odoo.addons.crm_tiering.models.crm_tier_badge_mixin", level="WARNING"
            ),
        ):
            lead = self._lead(self.big)
        self.assertTrue(lead.exists())
        self.assertIn("could not be applied", lead.message_ids[:1].body)
        self.assertEqual(lead.user_id, self.salesman)

    def test_big_quotation_needs_approval(self):
        self.env["crm.tier.rule"].create(
            {
                "name": "Big Gold orders approved",
                "target": "order",
                "tier_ids": [Command.set([self.gold.id])],
                "min_amount": 10000.0,
                "require_approval": True,
            }
        )
        small_order = self.env["sale.order"].create(
            {
                "partner_id": self.big.id,
                "order_line": [
                    Command.create({"product_id": self.product.id, "price_unit": 100.0})
                ],
            }
        )
        self.assertFalse(small_order.tier_approval)
        order = self.env["sale.order"].create(
            {
                "partner_id": self.big.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 1,
                            "price_unit": 20000.0,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        self.assertEqual(order.tier_approval, "required")
        with self.assertRaises(UserError):
            order.action_confirm()
        with self.assertRaises(AccessError):
            order.with_user(self.salesman).action_tier_approve()
        order.with_user(self.manager).action_tier_approve()
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_ticket_gets_tier_service(self):
        team = self.env["helpdesk.ticket.team"].create({"name": "Key Accounts"})
        self.gold.write(
            {"ticket_priority": "2", "helpdesk_team_id": team.id, "response_hours": 4}
        )
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Late delivery",
                "description": "Where is it?",
                "partner_id": self.big_contact.id,
            }
        )
        self.assertEqual(ticket.priority, "2")
        self.assertEqual(ticket.team_id, team)
        self.assertTrue(ticket.tier_response_deadline)
        self.assertEqual(ticket.tier_id, self.gold)
        plain = self.env["helpdesk.ticket"].create(
            {"name": "Question", "description": "?", "partner_id": self.small.id}
        )
        self.assertFalse(plain.tier_response_deadline)
