# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.tests import HttpCase, JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import PartnerPortalCase

ROUTE = "/my/registrations/products"


@tagged("post_install", "-at_install")
class TestProductSearch(HttpCase, PartnerPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]
        cls.rice = Product.create(
            [
                {"name": f"Beras Premium {i:02d}", "default_code": f"BRS-{i:02d}"}
                for i in range(30)
            ]
        )
        cls.percent = Product.create(
            {"name": "Diskon 100% Gula", "default_code": "G_1"}
        )
        cls.plain = Product.create({"name": "Gula 1000 Pasir", "default_code": "GX1"})
        cls.not_sold = Product.create({"name": "Beras Contoh", "sale_ok": False})
        cls.archived = Product.create({"name": "Beras Lama", "active": False})
        other = cls.env["res.company"].create({"name": "PT Lain"})
        cls.other_company = Product.create(
            {"name": "Beras Lain", "company_id": other.id}
        )

    def _search(self, term):
        return self.make_jsonrpc_request(ROUTE, {"term": term})

    def test_reseller_finds_products_by_name_or_code(self):
        self.authenticate("pp_alpha", "pp_alpha")
        found = self._search("beras")
        self.assertEqual(len(found["products"]), 20)
        self.assertTrue(found["more"])
        names = [row["name"] for row in found["products"]]
        self.assertEqual(names[:2], ["Beras 25 kg", "[BRS-00] Beras Premium 00"])
        for hidden in ("Beras Contoh", "Beras Lama", "Beras Lain"):
            self.assertNotIn(hidden, str(names))
        by_code = self._search("  brs-07 ")
        self.assertEqual([row["id"] for row in by_code["products"]], self.rice[7].ids)
        self.assertFalse(by_code["more"])

    def test_wildcards_are_taken_literally(self):
        self.authenticate("pp_alpha", "pp_alpha")
        self.assertEqual(
            [row["id"] for row in self._search("100%")["products"]], self.percent.ids
        )
        self.assertEqual(
            [row["id"] for row in self._search("g_1")["products"]], self.percent.ids
        )
        self.assertEqual(
            [row["id"] for row in self._search("%")["products"]], self.percent.ids
        )

    def test_empty_and_huge_terms(self):
        self.authenticate("pp_alpha", "pp_alpha")
        self.assertEqual(self._search("   "), {"products": []})
        huge = self._search("beras" * 1000)
        self.assertEqual(huge["products"], [])
        self.assertIn("at most 64 characters", huge["error"])
        self.assertIn("error", self._search(["beras"]))

    @mute_logger("odoo.http")
    def test_customer_and_visitor_are_refused(self):
        with self.assertRaises(JsonRpcException):
            self._search("beras")
        self.authenticate("pp_customer", "pp_customer")
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self._search("beras")

    def test_form_keeps_picked_products_and_refuses_forged_ones(self):
        self.authenticate("pp_alpha", "pp_alpha")
        response = self.url_open(
            "/my/registrations/new",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "submit_token": "tok1",
                "customer_name": "CV Baru Jaya",
                "contact_name": "Rudi",
                "email": "rudi@barujaya.id",
                "expected_revenue": "1500000",
                "date_expected_close": "2001-01-01",
                "product_ids": [str(self.plain.id), str(self.not_sold.id)],
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("not one we sell to you", response.text)
        self.assertIn(f'value="{self.plain.id}" selected', response.text)
        self.assertNotIn("Beras Contoh", response.text)
        self.assertFalse(
            self.env["crm.deal.registration"].search(
                [("customer_name", "=", "CV Baru Jaya")]
            )
        )
