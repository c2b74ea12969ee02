# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestAccountTierCard(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        program = cls.env["crm.tier.program"].create(
            {
                "name": "Member Card",
                "company_id": cls.env.company.id,
                "metric": "revenue",
            }
        )
        cls.env["crm.tier"].create(
            [
                {"program_id": program.id, "name": "Silver Club", "threshold": 0.0},
                {"program_id": program.id, "name": "Gold Club", "threshold": 5000.0},
            ]
        )
        customer = cls.env["res.partner"].create(
            {"name": "PT Pelanggan Setia", "is_company": True}
        )
        contact = cls.env["res.partner"].create(
            {"name": "Wati", "parent_id": customer.id}
        )
        new_test_user(
            cls.env,
            login="tier_card_customer",
            groups="base.group_portal",
            partner_id=contact.id,
        )
        new_test_user(cls.env, login="tier_card_stranger", groups="base.group_portal")
        product = cls.env["product.product"].create({"name": "Kopi", "list_price": 1.0})
        order = cls.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "price_unit": 2500.0,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        order.date_order = datetime.now()
        program._review(program._today())

    def test_customer_sees_own_tier_on_account_page(self):
        self.authenticate("tier_card_customer", "tier_card_customer")
        page = self.url_open("/my/overview")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_crm_tier_card", page.text)
        self.assertIn("Silver Club", page.text)
        self.assertIn("Gold Club", page.text)

    def test_other_customer_sees_no_tier_card(self):
        self.authenticate("tier_card_stranger", "tier_card_stranger")
        page = self.url_open("/my/overview")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("o_crm_tier_card", page.text)
        self.assertNotIn("Silver Club", page.text)
