# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import io
from datetime import date, timedelta

import openpyxl

from odoo import Command, http
from odoo.tests import HttpCase, JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import PartnerPortalCase

PAGES = ("/my/partner", "/my/registrations", "/my/registrations/new", "/my/commissions")


@tagged("post_install", "-at_install")
class TestPortalRoutes(HttpCase, PartnerPortalCase):
    def _form(self, **vals):
        form = {
            "csrf_token": http.Request.csrf_token(self),
            "submit_token": "tok1",
            "customer_name": "CV Baru Jaya",
            "contact_name": "Rudi",
            "email": "rudi@barujaya.id",
            "phone": "",
            "expected_revenue": "1500000",
            "date_expected_close": (date.today() + timedelta(days=30)).isoformat(),
            "description": "",
            "product_ids": [str(self.product.id)],
        }
        form.update(vals)
        return form

    def _post(self, **vals):
        return self.url_open("/my/registrations/new", data=self._form(**vals))

    def _registrations(self):
        return self.env["crm.deal.registration"].search(
            [("partner_id", "=", self.reseller_a.id)]
        )

    def _offered_lead(self):
        lead = self._lead(name="Gudang rahasia Alpha")
        lead.partner_assigned_id = self.reseller_a
        return lead

    def _call_kw(self, lead, method, *args):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/crm.lead/{method}",
            {
                "model": "crm.lead",
                "method": method,
                "args": [lead.ids, *args],
                "kwargs": {},
            },
        )

    def test_public_visitor_is_sent_to_login(self):
        registration = self._registration()
        lead = self._offered_lead()
        urls = (
            *PAGES,
            "/my/overview",
            f"/my/registrations/{registration.id}",
            "/my/commissions/xlsx",
            "/my/leads",
            "/my/opportunities",
            f"/my/lead/{lead.id}",
        )
        for url in urls:
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 303, url)
            self.assertIn("/web/login", response.headers["Location"], url)
        # A visitor's post registers nothing, token or not.
        self.authenticate(None, None)
        response = self.url_open(
            "/my/registrations/new", data=self._form(), allow_redirects=False
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])
        self.assertEqual(len(self._registrations()), 1)
        # Nor can it answer a lead over RPC.
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
            self._call_kw(lead, "partner_interested")
        self.assertEqual(lead.partner_offer_id.state, "offered")

    def test_reseller_pages_render_with_own_data(self):
        mine = self._registration(customer_name="CV Milik Alpha")
        self._registration(self.reseller_b, customer_name="CV Milik Beta")
        self.authenticate("pp_alpha", "pp_alpha")
        for url in (*PAGES, "/my/overview", "/my"):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertNotIn("CV Milik Beta", response.text, url)
        listing = self.url_open(
            "/my/registrations?search=Alpha&sortby=revenue&filterby=submitted"
        )
        self.assertIn("CV Milik Alpha", listing.text)
        self.assertIn(mine.name, self.url_open(f"/my/registrations/{mine.id}").text)
        # Bad sort, filter and search values fall back to the defaults.
        odd = self.url_open(
            "/my/registrations?sortby=x;drop&filterby=nope&search_in=zz&search=%27"
        )
        self.assertEqual(odd.status_code, 200)

    def test_other_reseller_customer_and_forged_ids_get_nothing(self):
        theirs = self._registration(self.reseller_b, customer_name="CV Rahasia Beta")
        self.authenticate("pp_alpha", "pp_alpha")
        for url in (f"/my/registrations/{theirs.id}", "/my/registrations/999999"):
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 303, url)
            self.assertNotIn("Rahasia", response.text)
        # A forged access token opens nothing either.
        response = self.url_open(
            f"/my/registrations/{theirs.id}?access_token=forged", allow_redirects=False
        )
        self.assertEqual(response.status_code, 303)
        self.authenticate("pp_customer", "pp_customer")
        for url in (*PAGES, f"/my/registrations/{theirs.id}"):
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 303, url)
            self.assertTrue(response.headers["Location"].endswith("/my"), url)
            self.assertNotIn("Rahasia", response.text)

    def test_home_counters_count_own_rows_only(self):
        self._registration()
        self._registration(self.reseller_b)
        self._registration(self.reseller_b)
        counters = {"counters": ["registration_count", "commission_count"]}
        expected = {"pp_alpha": 1, "pp_beta": 2, "pp_customer": 0}
        for login, count in expected.items():
            self.authenticate(login, login)
            values = self.make_jsonrpc_request("/my/counters", counters)
            self.assertEqual(values["registration_count"], count, login)
            self.assertEqual(values["commission_count"], 0, login)
        self.authenticate(None, None)
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request("/my/counters", counters)

    def test_customer_cannot_register_a_deal(self):
        self.authenticate("pp_customer", "pp_customer")
        response = self._post(partner_id=str(self.reseller_a.id))
        self.assertTrue(response.url.endswith("/my"))
        self.assertFalse(
            self.env["crm.deal.registration"].search(
                [("submitted_by_id", "=", self.customer_user.id)]
            )
        )
        self.assertFalse(self._registrations())

    def test_forwarded_lead_is_shown_to_its_reseller_only(self):
        lead = self._offered_lead()
        self.authenticate("pp_alpha", "pp_alpha")
        self.assertIn("Gudang rahasia Alpha", self.url_open("/my/leads").text)
        page = self.url_open(f"/my/lead/{lead.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_partner_offer_deadline", page.text)
        self.assertIn("Gudang rahasia Alpha", self.url_open("/my/partner").text)
        for login in ("pp_beta", "pp_customer"):
            self.authenticate(login, login)
            for url in ("/my/leads", "/my/opportunities", "/my/partner", "/my"):
                self.assertNotIn(
                    "Gudang rahasia Alpha", self.url_open(url).text, f"{login} {url}"
                )
            with mute_logger("odoo.http"):
                response = self.url_open(f"/my/lead/{lead.id}")
            self.assertIn(response.status_code, (403, 404), login)
            self.assertNotIn("Gudang rahasia Alpha", response.text, login)

    def test_opportunity_page_is_its_resellers_only(self):
        opportunity = self._lead(
            name="Peluang rahasia Alpha",
            type="opportunity",
            partner_assigned_id=self.reseller_a.id,
        )
        url = f"/my/opportunity/{opportunity.id}"
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])
        self.authenticate("pp_alpha", "pp_alpha")
        self.assertIn("Peluang rahasia Alpha", self.url_open(url).text)
        for login in ("pp_beta", "pp_customer"):
            self.authenticate(login, login)
            with mute_logger("odoo.http"):
                response = self.url_open(url)
            self.assertIn(response.status_code, (403, 404), login)
            self.assertNotIn("Peluang rahasia Alpha", response.text, login)

    def test_other_users_cannot_answer_a_lead_over_rpc(self):
        lead = self._offered_lead()
        offer = lead.partner_offer_id
        for login in ("pp_beta", "pp_customer"):
            self.authenticate(login, login)
            for method, args in (
                ("partner_interested", ("mine now",)),
                ("partner_desinterested", ("no",)),
                ("update_lead_portal", ({"expected_revenue": 1},)),
            ):
                with (
                    self.subTest(login=login, method=method),
                    mute_logger("odoo.http"),
                    self.assertRaises(JsonRpcException),
                ):
                    self._call_kw(lead, method, *args)
        self.assertEqual(offer.state, "offered")
        self.assertEqual(lead.partner_assigned_id, self.reseller_a)
        self.assertEqual(lead.type, "lead")
        # The owner answers the same way and it counts.
        self.authenticate("pp_alpha", "pp_alpha")
        self._call_kw(lead, "partner_interested", "We know them")
        self.assertEqual(offer.state, "accepted")

    def test_customer_cannot_create_an_opportunity_over_rpc(self):
        self.authenticate("pp_customer", "pp_customer")
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/crm.lead/create_opp_portal",
                {
                    "model": "crm.lead",
                    "method": "create_opp_portal",
                    "args": [{"title": "Curang", "contact_name": "X"}],
                    "kwargs": {},
                },
            )
        self.assertFalse(self.env["crm.lead"].search([("name", "=", "Curang")]))

    def test_valid_registration_is_created_once(self):
        self.authenticate("pp_alpha", "pp_alpha")
        response = self._post()
        self.assertEqual(response.status_code, 200)
        registration = self._registrations()
        self.assertEqual(len(registration), 1)
        self.assertEqual(registration.customer_name, "CV Baru Jaya")
        self.assertEqual(registration.product_ids, self.product)
        self.assertEqual(registration.expected_revenue, 1500000)
        again = self._post()
        self.assertIn("already sent", again.text)
        self.assertEqual(len(self._registrations()), 1)

    def test_bad_input_is_refused_kept_and_explained(self):
        self.authenticate("pp_alpha", "pp_alpha")
        other_company_product = self.env["product.product"].create(
            {"name": "Not for sale", "sale_ok": False}
        )
        cases = {
            "email": ({"email": "rudi at barujaya"}, "not an email address"),
            "revenue": ({"expected_revenue": "-5"}, "above zero"),
            "revenue_text": ({"expected_revenue": "lots"}, "above zero"),
            "date": ({"date_expected_close": "2001-01-01"}, "cannot be in the past"),
            "date_text": ({"date_expected_close": "tomorrow"}, "Enter a date"),
            "empty": ({"customer_name": "   "}, "Please fill this in"),
            "huge": ({"customer_name": "x" * 5000}, "At most 128 characters"),
            "product": (
                {"product_ids": [str(other_company_product.id)]},
                "not one we sell to you",
            ),
            "product_text": ({"product_ids": ["abc"]}, "not one we sell to you"),
            "token": ({"submit_token": ""}, "form has expired"),
        }
        for case, (vals, message) in cases.items():
            response = self._post(**vals)
            self.assertEqual(response.status_code, 200, case)
            self.assertIn(message, response.text, case)
            self.assertIn("Rudi", response.text, f"{case}: typed values are kept")
        self.assertFalse(self._registrations())

    def test_forged_reseller_in_form_is_ignored(self):
        self.authenticate("pp_alpha", "pp_alpha")
        self._post(partner_id=str(self.reseller_b.id), state="approved")
        registration = self._registrations()
        self.assertEqual(registration.partner_id, self.reseller_a)
        self.assertEqual(registration.state, "submitted")
        self.assertFalse(
            self.env["crm.deal.registration"].search(
                [("partner_id", "=", self.reseller_b.id)]
            )
        )

    def test_post_without_csrf_token_is_refused(self):
        self.authenticate("pp_alpha", "pp_alpha")
        form = self._form()
        del form["csrf_token"]
        with mute_logger("odoo.http"):
            response = self.url_open("/my/registrations/new", data=form)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._registrations())

    def _customer_invoice(self):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": date.today() - timedelta(days=45),
                "invoice_date_due": date.today() - timedelta(days=40),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "quantity": 3,
                            "price_unit": 100,
                            "tax_ids": [],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        return invoice

    def test_commission_statement_of_own_commissions_only(self):
        invoice = self._customer_invoice()
        self.env["crm.partner.commission"].create(
            {
                "partner_id": self.reseller_a.id,
                "move_id": invoice.id,
                "date": invoice.invoice_date,
                "company_id": self.company.id,
                "base_amount": 300.0,
                "rate": 5.0,
                "amount": 15.0,
            }
        )
        self.authenticate("pp_alpha", "pp_alpha")
        page = self.url_open("/my/commissions?filterby=year&sortby=amount")
        self.assertEqual(page.status_code, 200)
        self.assertIn(invoice.name, page.text)
        self.assertIn("PT Sinar Jaya", page.text)
        self.authenticate("pp_beta", "pp_beta")
        page = self.url_open("/my/commissions")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn(invoice.name, page.text)
        dashboard = self.url_open("/my/partner")
        self.assertNotIn(invoice.name, dashboard.text)
        self.assertNotIn(invoice.name, self._xlsx_texts())
        self.authenticate("pp_alpha", "pp_alpha")
        self.assertIn(invoice.name, self._xlsx_texts())
        self.authenticate("pp_customer", "pp_customer")
        response = self.url_open("/my/commissions/xlsx", allow_redirects=False)
        self.assertEqual(response.status_code, 303)

    def _xlsx_texts(self):
        response = self.url_open("/my/commissions/xlsx?filterby=all")
        self.assertEqual(response.status_code, 200)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        return [cell for row in sheet.iter_rows(values_only=True) for cell in row]

    def test_account_overview_shows_own_invoices_and_tickets_only(self):
        invoice = self._customer_invoice()
        other = self.env["res.partner"].create(
            {"name": "Orang Lain", "is_company": True}
        )
        self.env["helpdesk.ticket"].create(
            [
                {
                    "name": "Karung bocor",
                    "description": "x",
                    "partner_id": self.customer.id,
                },
                {
                    "name": "Tiket orang lain",
                    "description": "x",
                    "partner_id": other.id,
                },
            ]
        )
        self.authenticate("pp_customer", "pp_customer")
        page = self.url_open("/my/overview").text
        self.assertIn(invoice.name, page)
        self.assertIn("31-60 days late", page)
        self.assertIn("Karung bocor", page)
        self.assertNotIn("Tiket orang lain", page)
        self.assertIn('id="crm_partner_portal_tier_card"', page)
        self.authenticate("pp_beta", "pp_beta")
        self.assertNotIn(invoice.name, self.url_open("/my/overview").text)
