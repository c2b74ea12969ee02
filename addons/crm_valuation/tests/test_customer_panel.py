# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import AS_OF
from .recommendation_common import RecommendationCase

_logger = logging.getLogger(__name__)
# Queries of a warm panel call for a user with every group (measured: 29 with
# crm_valuation alone, 30 with every addon of the suite installed; 36 before
# the panel read contacts and the value row once and receivables in one query).
PANEL_QUERIES = 30


@tagged("post_install", "-at_install")
class TestCustomerPanel(RecommendationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.recommend_min_support = 10.0
        cls._run()
        cls._recommend()
        cls.quotation = cls.env["sale.order"].create(
            {"partner_id": cls.printer_only.id}
        )
        cls.salesman.write(
            {
                "groups_id": [
                    (4, cls.env.ref("sales_team.group_sale_salesman_all_leads").id)
                ]
            }
        )
        cls.staff = new_test_user(
            cls.env,
            login="panel_staff",
            groups="base.group_user,crm_valuation.group_valuation_analyst,"
            "sales_team.group_sale_salesman_all_leads,account.group_account_invoice,"
            "helpdesk_mgmt.group_helpdesk_user",
        )
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Printer jams",
                "description": "<p>It jams.</p>",
                "partner_id": cls.printer_only.id,
            }
        )
        cls.lead = cls.env["crm.lead"].create(
            {"name": "More printers", "partner_id": cls.printer_only.id}
        )

    def _panel(self, user, model, record):
        return (
            self.env["crm.valuation.customer.panel"]
            .with_user(user)
            .get_panel_data(model, record.id)
        )

    def test_the_same_customer_from_every_screen(self):
        contact = self.env["res.partner"].create(
            {"name": "Dewi", "parent_id": self.printer_only.id}
        )
        for model, record in (
            ("res.partner", contact),
            ("sale.order", self.quotation),
            ("helpdesk.ticket", self.ticket),
            ("crm.lead", self.lead),
        ):
            data = self._panel(self.staff, model, record)
            self.assertEqual(data["partner"]["id"], self.printer_only.id, model)
            self.assertEqual(data["tickets"]["count"], 1, model)
            self.assertEqual(data["orders"]["count"], 3, model)

    def test_analyst_sees_value_and_salesman_does_not(self):
        data = self._panel(self.analyst, "res.partner", self.printer_only)
        self.assertTrue(data["show_value"])
        self.assertEqual(data["value"]["abc_class"] in ("A", "B", "C"), True)
        self.assertIn("clv", data["value"])
        sales = self._panel(self.salesman, "res.partner", self.printer_only)
        self.assertFalse(sales["show_value"])
        self.assertFalse(sales["value"])
        self.assertNotIn("clv", str(sales))
        self.assertTrue(sales["recommendations"])
        self.assertTrue(sales["next_purchase"]["date"])

    def test_quotation_suggests_products_not_on_it_and_adds_one(self):
        data = self._panel(self.salesman, "sale.order", self.quotation)
        self.assertTrue(data["can_add_lines"])
        first = data["recommendations"][0]
        self.assertEqual(first["product_id"], self.toner.id)
        self.assertEqual(first["because"], self.printer.display_name)
        self.assertEqual(first["price"], 30.0)
        self.quotation.with_user(self.salesman).action_add_recommended_product(
            self.toner.id
        )
        self.assertIn(self.toner, self.quotation.order_line.product_id)
        data = self._panel(self.salesman, "sale.order", self.quotation)
        self.assertNotIn(
            self.toner.id, [rec["product_id"] for rec in data["recommendations"]]
        )

    def test_adding_refuses_bad_products_and_confirmed_orders(self):
        lines = len(self.quotation.order_line)
        for product_id in (self.retired.id, 999999999, "1", None, True):
            with self.assertRaises(UserError, msg=repr(product_id)):
                self.quotation.action_add_recommended_product(product_id)
        self.assertEqual(len(self.quotation.order_line), lines)
        confirmed = self.env["sale.order"].search(
            [("partner_id", "=", self.printer_only.id), ("state", "=", "sale")],
            limit=1,
        )
        with self.assertRaises(UserError):
            confirmed.action_add_recommended_product(self.toner.id)
        self.assertFalse(
            self._panel(self.salesman, "sale.order", confirmed)["can_add_lines"]
        )

    def _panel_queries(self, user, model, record):
        """Queries of one panel call once caches are warm (as on a second
        customer opened in the same session)."""
        self._panel(user, model, record)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self._panel(user, model, record)
        return self.env.cr.sql_log_count - before

    def test_panel_queries_stay_few_however_many_orders(self):
        few = self._panel_queries(self.staff, "res.partner", self.printer_only)
        for days in range(40):
            self._basket(self.printer_only, AS_OF - timedelta(days=days), [self.paper])
        many = self._panel_queries(self.staff, "res.partner", self.printer_only)
        _logger.info("customer panel: %d queries with 3 orders, %d with 43", few, many)
        self.assertEqual(many, few)
        self.assertLessEqual(many, PANEL_QUERIES)
        on_quotation = self._panel_queries(self.staff, "sale.order", self.quotation)
        self.assertLessEqual(on_quotation, PANEL_QUERIES)

    def test_forged_models_and_ids_are_refused(self):
        panel = self.env["crm.valuation.customer.panel"].with_user(self.analyst)
        for model, res_id in (
            ("res.users", self.analyst.id),
            ("crm.valuation.value", 1),
            ("res.partner", "1"),
            ("res.partner", None),
            ("res.partner", True),
            ("res.partner", 999999999),
        ):
            with self.assertRaises(UserError, msg=f"{model} {res_id!r}"):
                panel.get_panel_data(model, res_id)

    def test_portal_users_and_other_companies_get_nothing(self):
        with self.assertRaises(AccessError):
            self._panel(self.portal, "res.partner", self.portal.partner_id)
        other = self._basket(
            self.printer_only,
            self.quotation.create_date.date(),
            [self.paper],
            self.other_company,
        )
        with self.assertRaises(AccessError):
            self._panel(self.salesman, "sale.order", other)

    def test_a_user_without_sales_rights_sees_no_orders_or_recommendations(self):
        agent = new_test_user(
            self.env,
            login="panel_agent",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user",
        )
        data = self._panel(agent, "helpdesk.ticket", self.ticket)
        self.assertFalse(data["orders"])
        self.assertFalse(data["recommendations"])
        self.assertFalse(data["value"])
        self.assertFalse(data["receivable"])
        self.assertEqual(data["tickets"]["count"], 1)

    def test_interactions_from_every_record_newest_first(self):
        self.printer_only.message_post(
            body="Asked about toner prices", message_type="email"
        )
        self.quotation.message_post(
            body="Called, will confirm Friday",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        data = self._panel(self.staff, "helpdesk.ticket", self.ticket)
        summaries = [item["summary"] for item in data["interactions"]]
        self.assertIn("Asked about toner prices", summaries)
        self.assertIn("Called, will confirm Friday", summaries)
        channels = {item["summary"]: item["channel"] for item in data["interactions"]}
        self.assertEqual(channels["Asked about toner prices"], "email")
        self.assertEqual(channels["Called, will confirm Friday"], "note")
        dates = [item["date"] for item in data["interactions"]]
        self.assertEqual(dates, sorted(dates, reverse=True))

    def test_receivable_counts_open_posted_invoices(self):
        data = self._panel(self.staff, "res.partner", self.printer_only)
        self.assertEqual(data["receivable"]["due"], 0.0)
        order = self.env["sale.order"].search(
            [("partner_id", "=", self.printer_only.id), ("state", "=", "sale")],
            limit=1,
        )
        order.order_line.qty_delivered = 1
        invoice = order._create_invoices()
        invoice.invoice_date = invoice.invoice_date_due = (
            self.quotation.date_order.date()
        )
        invoice.action_post()
        invoice.invoice_date_due = invoice.invoice_date.replace(year=2025)
        data = self._panel(self.staff, "res.partner", self.printer_only)
        self.assertEqual(data["receivable"]["due"], 100.0)
        self.assertEqual(data["receivable"]["overdue"], 100.0)
        self.assertEqual(data["receivable"]["invoices"], 1)
