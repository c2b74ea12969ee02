# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import Form, new_test_user, tagged

from .recommendation_common import RecommendationCase


@tagged("post_install", "-at_install")
class TestRecommendationPrice(RecommendationCase):
    """A recommended product is offered at the customer's pricelist price on
    every screen: the partner's Recommendations tab, the customer panel and
    the portal; on a quotation, at the quotation's pricelist price."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.recommend_min_support = 10.0
        cls._recommend()
        # Customers without a pricelist of their own get the first one.
        cls.public = cls._pricelist("Public", 0.0, sequence=1)
        cls.members = cls._pricelist("Members", 20.0)
        cls.printer_only.property_product_pricelist = cls.members
        cls.portal_user = new_test_user(
            cls.env,
            login="nbo_price_portal",
            groups="base.group_portal",
            partner_id=cls.env["res.partner"]
            .create({"name": "Rina", "parent_id": cls.printer_only.id})
            .id,
        )

    @classmethod
    def _pricelist(cls, name, discount, sequence=50):
        return cls.env["product.pricelist"].create(
            {
                "name": name,
                "sequence": sequence,
                "company_id": cls.company.id,
                "currency_id": cls.company.currency_id.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "3_global",
                            "compute_price": "percentage",
                            "percent_price": discount,
                        }
                    )
                ],
            }
        )

    def _toner(self, offers, key="product_id"):
        return next(offer for offer in offers if offer[key] == self.toner.id)

    def test_tab_shows_the_customers_pricelist_price(self):
        toner = self.printer_only.with_user(self.salesman).recommendation_ids.filtered(
            lambda line: line.product_id == self.toner
        )
        self.assertEqual(toner.list_price, 30.0)
        self.assertEqual(toner.offer_price, 24.0, "30 less the members' 20%")
        self.assertEqual(toner.offer_currency_id, self.members.currency_id)
        # A contact's tab shows its company's offers at the company's price.
        contact = self.env["res.partner"].create(
            {"name": "Dewi", "parent_id": self.printer_only.id}
        )
        self.assertEqual(
            contact.recommendation_ids.filtered(
                lambda line: line.product_id == self.toner
            ).offer_price,
            24.0,
        )
        # Others pay the default pricelist's price: the sales price.
        buyer_lines = self.buyers[0].recommendation_ids
        self.assertTrue(buyer_lines)
        for line in buyer_lines:
            self.assertEqual(line.offer_price, line.product_id.lst_price)

    def test_partner_form_renders_the_tab_with_the_price(self):
        form = Form(self.printer_only.with_user(self.salesman))
        prices = {line.product_id: line.offer_price for line in form.recommendation_ids}
        self.assertEqual(prices[self.toner], 24.0)

    def test_panel_and_portal_offer_the_same_price(self):
        panel = self.env["crm.valuation.customer.panel"].with_user(self.salesman)
        data = panel.get_panel_data("res.partner", self.printer_only.id)
        self.assertEqual(self._toner(data["recommendations"])["price"], 24.0)
        offers = self.env["crm.valuation.recommendation"]._portal_offers(
            self.portal_user.partner_id.with_user(self.portal_user)
        )
        portal_toner = next(o for o in offers if o["product"] == self.toner)
        self.assertEqual(portal_toner["price"], 24.0)

    def test_quotation_offers_at_its_own_pricelist(self):
        promotion = self._pricelist("Promotion", 50.0)
        quotation = self.env["sale.order"].create(
            {
                "partner_id": self.printer_only.id,
                "pricelist_id": promotion.id,
                "user_id": self.salesman.id,
            }
        )
        panel = self.env["crm.valuation.customer.panel"].with_user(self.salesman)
        data = panel.get_panel_data("sale.order", quotation.id)
        self.assertEqual(self._toner(data["recommendations"])["price"], 15.0)
