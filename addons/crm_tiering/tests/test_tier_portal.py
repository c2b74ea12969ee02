# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestTierPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        program = cls.env["crm.tier.program"].create(
            {"name": "Member Card", "company_id": company.id, "metric": "revenue"}
        )
        cls.silver, cls.gold = cls.env["crm.tier"].create(
            [
                {
                    "program_id": program.id,
                    "name": "Silver Club",
                    "threshold": 0.0,
                    "benefits": "<p>Free delivery</p>",
                },
                {
                    "program_id": program.id,
                    "name": "Gold Club",
                    "threshold": 5000.0,
                    "badge_color": "warning",
                    "benefits": "<p>A personal account manager</p>",
                },
            ]
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "PT Pelanggan", "is_company": True}
        )
        contact = cls.env["res.partner"].create(
            {"name": "Dewi", "parent_id": cls.customer.id}
        )
        new_test_user(
            cls.env,
            login="card_portal",
            groups="base.group_portal",
            partner_id=contact.id,
        )
        new_test_user(cls.env, login="card_stranger", groups="base.group_portal")
        product = cls.env["product.product"].create({"name": "Gula", "list_price": 1.0})
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
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

    def test_card_on_my_home_and_tier_page(self):
        self.authenticate("card_portal", "card_portal")
        home = self.url_open("/my")
        self.assertEqual(home.status_code, 200)
        self.assertIn("Silver Club", home.text)
        self.assertIn("to reach", home.text)
        page = self.url_open("/my/tier")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Free delivery", page.text)
        self.assertIn("A personal account manager", page.text)
        self.assertIn("Tier history", page.text)

    def test_second_portal_user_sees_no_card(self):
        self.authenticate("card_stranger", "card_stranger")
        home = self.url_open("/my")
        self.assertNotIn("Silver Club", home.text)
        page = self.url_open("/my/tier", allow_redirects=False)
        self.assertIn(page.status_code, (302, 303))
        self.assertNotIn("Silver Club", page.text)
