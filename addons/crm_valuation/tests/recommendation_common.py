# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from odoo import Command

from .common import AS_OF, ValuationCase


class RecommendationCase(ValuationCase):
    """A small shop where printers sell with toner, a dearer printer exists,
    and one product is no longer for sale."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        category = cls.env["product.category"]
        cls.printers = category.create({"name": "Printers"})
        cls.supplies = category.create({"name": "Supplies"})
        cls.printer = cls._product("Printer S", 100.0, cls.printers)
        cls.printer_pro = cls._product("Printer Pro", 180.0, cls.printers)
        cls.toner = cls._product("Toner", 30.0, cls.supplies)
        cls.paper = cls._product("Paper", 5.0, cls.supplies)
        cls.retired = cls._product("Old Cable", 2.0, cls.supplies, sale_ok=False)
        cls.buyers = cls.env["res.partner"].create(
            [{"name": f"Buyer {index}", "is_company": True} for index in range(8)]
        )
        cls.printer_only = cls.env["res.partner"].create(
            {"name": "PT Printer Only", "is_company": True, "user_id": cls.env.uid}
        )
        for index, buyer in enumerate(cls.buyers):
            when = AS_OF - timedelta(days=200 - 10 * index)
            cls._basket(buyer, when, [cls.printer, cls.toner, cls.retired])
            cls._basket(buyer, when + timedelta(days=60), [cls.paper])
        cls._basket(cls.printer_only, AS_OF - timedelta(days=150), [cls.printer])
        cls._basket(cls.printer_only, AS_OF - timedelta(days=20), [cls.printer])

    @classmethod
    def _product(cls, name, price, category, sale_ok=True):
        return cls.env["product.product"].create(
            {
                "name": name,
                "type": "consu",
                "list_price": price,
                "standard_price": price / 2,
                "categ_id": category.id,
                "sale_ok": sale_ok,
                "taxes_id": [Command.clear()],
            }
        )

    @classmethod
    def _basket(cls, partner, when, products, company=None):
        company = company or cls.company
        order = (
            cls.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_uom_qty": 1,
                                "price_unit": product.list_price,
                                "tax_id": [Command.clear()],
                            }
                        )
                        for product in products
                    ],
                }
            )
        )
        order.action_confirm()
        order.date_order = datetime.combine(when, datetime.min.time().replace(hour=9))
        return order

    @classmethod
    def _recommend(cls, company=None):
        company = company or cls.company
        run = (
            cls.env["crm.valuation.recommendation.run"]
            .with_company(company)
            .create({"company_id": company.id})
        )
        run.action_run()
        return run

    def _recommended(self, partner, run=None):
        domain = [("partner_id", "=", partner.id)]
        if run:
            domain.append(("run_id", "=", run.id))
        return self.env["crm.valuation.recommendation"].search(domain)
