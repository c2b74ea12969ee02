# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import AS_OF, ValuationCase


@tagged("post_install", "-at_install")
class TestValuationRun(ValuationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # PT Big Buyer: 6 purchase days, two orders on one of them, one by a contact.
        for months_ago in (11, 9, 7, 5, 3, 1):
            cls._order(cls.big, AS_OF - timedelta(days=30 * months_ago), qty=10)
        cls._order(cls.big_contact, AS_OF - timedelta(days=30), qty=5, discount=10)
        # Siti: one small purchase long ago.
        cls._order(cls.small, AS_OF - timedelta(days=300), qty=1)
        # Orders after the valuation date and in another company do not count.
        cls._order(cls.big, AS_OF + timedelta(days=2), qty=99)
        cls._order(
            cls.env["res.partner"].create({"name": "Elsewhere"}),
            AS_OF - timedelta(days=10),
            qty=1,
            company=cls.other_company,
        )
        project = cls.env["project.project"].create({"name": "Support"})
        employee = cls.env["hr.employee"].create({"name": "Agent Dewi"})
        ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Late delivery",
                "description": "Where is my rice?",
                "partner_id": cls.big_contact.id,
            }
        )
        cls.env["account.analytic.line"].create(
            [
                {
                    "name": "Call",
                    "date": AS_OF - timedelta(days=20),
                    "unit_amount": hours,
                    "ticket_id": ticket.id,
                    "project_id": project.id,
                    "employee_id": employee.id,
                }
                for hours in (1.5, 2.5)
            ]
        )
        cls.valuation = cls._run()

    def test_values_per_commercial_partner(self):
        self.assertEqual(self.valuation.state, "done")
        self.assertEqual(
            set(self.valuation.value_ids.partner_id), {self.big, self.small}
        )
        big = self._value(self.valuation, self.big)
        # 6 days x 10 x 100, plus 5 x 100 less 10% by the contact, same day as one.
        self.assertAlmostEqual(big.revenue, 6000 + 450, places=2)
        self.assertEqual(big.frequency, 6)
        self.assertAlmostEqual(big.discount, 50.0, places=2)
        self.assertAlmostEqual(big.cost_of_goods, 65 * 60.0, places=2)
        self.assertEqual(big.last_purchase, AS_OF - timedelta(days=30))

    def test_cost_to_serve_and_margin(self):
        big = self._value(self.valuation, self.big)
        self.assertAlmostEqual(big.service_hours, 4.0)
        # 4 hours x 50 + 7 orders x 10.
        self.assertAlmostEqual(big.cost_to_serve, 200 + 70, places=2)
        self.assertAlmostEqual(
            big.margin,
            big.revenue
            - big.refunds
            - big.cost_of_goods
            - big.cost_to_serve
            - big.payment_delay_cost,
            places=2,
        )

    def test_scores_segments_and_classes(self):
        big = self._value(self.valuation, self.big)
        small = self._value(self.valuation, self.small)
        self.assertEqual(big.abc_class, "a")
        self.assertGreater(big.r_score, small.r_score)
        self.assertGreater(big.f_score, small.f_score)
        self.assertTrue(big.segment and small.segment)
        self.assertEqual(len(big.rfm_cell), 3)
        self.assertGreater(big.p_alive, small.p_alive)
        self.assertGreater(big.clv, small.clv)
        self.assertLess(big.revenue_rank_percent, small.revenue_rank_percent)

    def test_run_keeps_settings_and_fit(self):
        self.assertEqual(self.valuation.valuation_hourly_cost, 50.0)
        self.assertEqual(self.valuation.customer_count, 2)
        self.assertTrue(self.valuation.model_used)
        self.company.valuation_hourly_cost = 80.0
        self.assertEqual(self.valuation.valuation_hourly_cost, 50.0)

    def test_latest_moves_to_new_run_and_partner_shows_it(self):
        self.assertTrue(all(self.valuation.value_ids.mapped("is_latest")))
        later = self._run(on=AS_OF + timedelta(days=7))
        self.assertFalse(any(self.valuation.value_ids.mapped("is_latest")))
        self.assertTrue(all(later.value_ids.mapped("is_latest")))
        contact = self.big_contact.with_user(self.analyst)
        self.assertEqual(contact.valuation_value_id, self._value(later, self.big))
        self.assertEqual(contact.valuation_count, 2)

    def test_other_company_counts_its_own_orders(self):
        run = self._run(company=self.other_company)
        self.assertEqual(run.value_ids.partner_id.name, "Elsewhere")

    def test_no_purchases_is_a_clear_error_and_changes_nothing(self):
        empty = self.env["res.company"].create({"name": "Empty Co"})
        run = self.env["crm.valuation.run"].create({"company_id": empty.id})
        with self.assertRaisesRegex(UserError, "No purchases"):
            run.action_run()
        self.assertFalse(run.value_ids)

    def test_future_date_refused(self):
        with self.assertRaises(ValidationError):
            self.env["crm.valuation.run"].create({"date": date(2026, 7, 16)})

    def test_done_run_cannot_run_again(self):
        with self.assertRaisesRegex(UserError, "already run"):
            self.valuation.action_run()

    def test_interrupted_run_resumes_without_duplicates(self):
        run = self.env["crm.valuation.run"].create({"date": AS_OF})
        run.write({"state": "running", **run._settings_from_company()})
        self.env["crm.valuation.value"].create(
            {"run_id": run.id, "partner_id": self.small.id, "revenue": 1.0}
        )
        with self.assertRaisesRegex(UserError, "is running"):
            run.action_run()
        run.action_resume()
        self.assertEqual(run.state, "done")
        self.assertEqual(len(run.value_ids), 2)
        # The row written before the interruption is kept as it was.
        self.assertEqual(self._value(run, self.small).revenue, 1.0)

    def test_credit_notes_and_late_payment(self):
        move = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": self.small.id,
                "invoice_date": AS_OF - timedelta(days=100),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "quantity": 1,
                            "price_unit": 40.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.small.id,
                "invoice_date": AS_OF - timedelta(days=60),
                "invoice_date_due": AS_OF - timedelta(days=50),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "quantity": 1,
                            "price_unit": 100.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        run = self._run(on=AS_OF)
        small = self._value(run, self.small)
        self.assertAlmostEqual(small.refunds, 40.0, places=2)
        # 100 open for 50 days at 36.5% a year: 100 x 50 x 0.001.
        self.assertAlmostEqual(small.payment_delay_cost, 5.0, places=2)

    def test_invoices_as_source(self):
        self.company.valuation_source = "invoices"
        order = self._order(self.small, AS_OF - timedelta(days=5), qty=3)
        invoice = order._create_invoices()
        invoice.invoice_date = AS_OF - timedelta(days=4)
        invoice.action_post()
        run = self._run()
        self.assertEqual(run.valuation_source, "invoices")
        self.assertEqual(run.value_ids.partner_id, self.small)
        small = self._value(run, self.small)
        self.assertAlmostEqual(small.revenue, 300.0, places=2)
        self.assertAlmostEqual(small.cost_of_goods, 180.0, places=2)


@tagged("post_install", "-at_install")
class TestValuationBatches(ValuationCase):
    """The nightly cron, resuming, the Pareto figures."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for days_ago in (300, 200, 100, 20):
            cls._order(cls.big, AS_OF - timedelta(days=days_ago), qty=10)
        cls._order(cls.small, AS_OF - timedelta(days=150), qty=1)
        cls._order(
            cls.env["res.partner"].create({"name": "Elsewhere"}),
            AS_OF - timedelta(days=10),
            qty=1,
            company=cls.other_company,
        )
        cls.empty_company = cls.env["res.company"].create({"name": "Empty Co"})

    def _runs(self, company):
        return self.env["crm.valuation.run"].search([("company_id", "=", company.id)])

    def test_cron_values_each_company_with_sales_once_a_day(self):
        runs = self.env["crm.valuation.run"]
        runs._cron_value_customers()
        # The last complete day in Jakarta (where it is the 15th already).
        self.assertEqual(self._runs(self.company).date, date(2026, 7, 14))
        for company in (self.company, self.other_company):
            run = self._runs(company)
            self.assertEqual(run.state, "done", company.name)
        self.assertFalse(self._runs(self.empty_company))
        runs._cron_value_customers()
        self.assertEqual(len(self._runs(self.company)), 1)

    def test_cron_resumes_an_interrupted_run(self):
        run = self.env["crm.valuation.run"].create({"date": AS_OF})
        run.write({"state": "running", **run._settings_from_company()})
        self.env["crm.valuation.run"]._cron_value_customers()
        self.assertEqual(run.state, "done")
        self.assertEqual(set(run.value_ids.partner_id), {self.big, self.small})

    def test_pareto_figures_and_chart(self):
        run = self._run()
        big, small = self._value(run, self.big), self._value(run, self.small)
        big_share = big.revenue / (big.revenue + small.revenue)
        # Two customers: the curve runs through (0, 0), (50%, big), (100%, 100%).
        self.assertAlmostEqual(run.top20_revenue_share, 0.4 * big_share, places=6)
        self.assertAlmostEqual(run.customers_for_80_share, 0.5)
        self.assertIn("<svg", run.pareto_chart)
        self.assertEqual(run.pareto_chart.count("<polyline"), 2)

    def test_pareto_menu_opens_the_latest_valuation(self):
        self._run(on=AS_OF - timedelta(days=5))
        latest = self._run()
        action = (
            self.env["crm.valuation.run"].with_user(self.analyst).action_open_latest()
        )
        self.assertEqual(action["res_id"], latest.id)
        self.assertEqual(action["view_mode"], "form")
