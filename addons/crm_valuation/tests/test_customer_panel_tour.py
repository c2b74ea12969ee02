# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from .recommendation_common import RecommendationCase


@tagged("post_install", "-at_install")
class TestCustomerPanelTour(HttpCase, RecommendationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.recommend_min_support = 10.0
        cls._run()
        cls._recommend()
        cls.quotation = cls.env["sale.order"].create(
            {"partner_id": cls.printer_only.id}
        )

    def test_add_a_recommended_product_from_the_panel(self):
        self.start_tour(
            f"/odoo/action-sale.action_quotations_with_onboarding/{self.quotation.id}",
            "crm_valuation_customer_panel",
            login="admin",
        )
        self.assertIn(self.toner, self.quotation.order_line.product_id)
