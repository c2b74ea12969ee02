# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, new_test_user, tagged

from .recommendation_common import RecommendationCase


@tagged("post_install", "-at_install")
class TestRecommendationPortal(HttpCase, RecommendationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.recommend_min_support = 10.0
        cls._recommend()
        cls.customer = new_test_user(
            cls.env,
            login="nbo_customer",
            password="nbo_customer",
            groups="base.group_portal",
            partner_id=cls.env["res.partner"]
            .create({"name": "Rina", "parent_id": cls.printer_only.id})
            .id,
        )
        cls.stranger = new_test_user(
            cls.env,
            login="nbo_stranger",
            password="nbo_stranger",
            groups="base.group_portal",
            partner_id=cls.env["res.partner"]
            .create({"name": "Joko", "parent_id": cls.buyers[0].id})
            .id,
        )
        cls.order = cls.env["sale.order"].search(
            [("partner_id", "=", cls.printer_only.id)], limit=1
        )

    def test_home_shows_own_recommendations_at_pricelist_price(self):
        self.authenticate("nbo_customer", "nbo_customer")
        page = self.url_open("/my/home")
        self.assertEqual(page.status_code, 200)
        self.assertIn("You may also need", page.text)
        self.assertIn("Toner", page.text)
        self.assertIn("30.00", page.text)
        self.assertNotIn("Old Cable", page.text)

    def test_other_customer_sees_only_theirs(self):
        self.authenticate("nbo_stranger", "nbo_stranger")
        page = self.url_open("/my/home")
        self.assertNotIn("Toner", page.text, "buyers bought toner already")
        self.assertIn("Printer Pro", page.text)

    def test_order_page_leaves_out_what_the_order_holds(self):
        self.authenticate("nbo_customer", "nbo_customer")
        page = self.url_open(f"/my/orders/{self.order.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("You may also need", page.text)
        self.assertIn("Toner", page.text)

    def test_another_customers_order_link_shows_no_recommendation(self):
        self.order._portal_ensure_token()
        url = f"/my/orders/{self.order.id}?access_token={self.order.access_token}"
        self.authenticate("nbo_stranger", "nbo_stranger")
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("You may also need", page.text)
        self.authenticate(None, None)
        page = self.url_open(url)
        self.assertNotIn("You may also need", page.text)
        self.authenticate("nbo_stranger", "nbo_stranger")
        page = self.url_open(f"/my/orders/{self.order.id}")
        self.assertNotIn("Toner", page.text)
