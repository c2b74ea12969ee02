# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import etree
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .recommendation_common import RecommendationCase


@tagged("post_install", "-at_install")
class TestRecommendationRun(RecommendationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.recommend_min_support = 10.0
        cls.offers = cls._recommend()

    def test_rules_measure_what_sells_together(self):
        rules = self.offers.rule_ids.filtered(
            lambda rule: (
                rule.antecedent_product_id == self.printer
                and rule.consequent_product_id == self.toner
            )
        )
        self.assertEqual(len(rules), 1)
        # 18 orders; the printer in 10, the toner in 8, both in 8.
        self.assertEqual(rules.orders, 8)
        self.assertAlmostEqual(rules.support, 8 / 18)
        self.assertAlmostEqual(rules.confidence, 8 / 10)
        self.assertAlmostEqual(rules.lift, (8 / 10) / (8 / 18), places=2)
        self.assertEqual(rules.name, "Printer S → Toner")
        self.assertTrue(self.offers.category_rule_count >= 0)
        self.assertEqual(self.offers.line_count, 8 * 4 + 2)

    def test_customer_gets_what_goes_with_their_products(self):
        lines = self._recommended(self.printer_only)
        cross = lines.filtered(lambda line: line.kind == "cross")
        self.assertEqual(cross[:1].product_id, self.toner)
        self.assertEqual(cross[:1].because_product_id, self.printer)
        self.assertEqual(lines.mapped("rank"), list(range(1, len(lines) + 1)))
        self.assertNotIn(self.printer, lines.product_id)
        self.assertNotIn(self.retired, lines.product_id, "not for sale")

    def test_up_sell_is_the_dearer_printer(self):
        up = self._recommended(self.printer_only).filtered(
            lambda line: line.kind == "up"
        )
        self.assertEqual(up.product_id, self.printer_pro)

    def test_partner_tab_shows_the_commercial_entity_recommendations(self):
        contact = self.env["res.partner"].create(
            {"name": "Dewi", "parent_id": self.printer_only.id}
        )
        expected = self._recommended(self.printer_only)
        self.assertTrue(expected)
        self.assertEqual(contact.recommendation_ids, expected)
        self.assertEqual(self.printer_only.recommendation_ids, expected)

    def test_a_new_run_replaces_the_rows_and_becomes_latest(self):
        second = self._recommend()
        self.assertTrue(second.is_latest)
        self.assertFalse(self.offers.is_latest)
        self.assertFalse(self.offers.recommendation_ids)
        self.assertFalse(self.offers.rule_ids)
        self.assertEqual(self.offers.state, "done", "the old run keeps its figures")
        self.assertTrue(second.recommendation_ids)
        self.assertEqual(
            self.env["crm.valuation.recommendation.run"]._latest(self.company), second
        )

    def test_a_run_that_ran_cannot_run_again(self):
        with self.assertRaises(UserError):
            self.offers.action_run()

    def test_company_without_sales_is_refused_and_nothing_is_written(self):
        run = (
            self.env["crm.valuation.recommendation.run"]
            .with_company(self.other_company)
            .create({"company_id": self.other_company.id})
        )
        with self.assertRaises(UserError):
            run.action_run()
        self.assertEqual(run.state, "draft")
        self.assertFalse(run.recommendation_ids)

    def test_cron_recommends_and_survives_a_failing_company(self):
        self._basket(
            self.printer_only, self.offers.date, [self.paper], self.other_company
        )
        with mute_logger(
            "odoo.addons.crm_valuation.models.crm_valuation_recommendation_run"
        ):
            self.env["crm.valuation.recommendation.run"]._cron_recommend()
        latest = self.env["crm.valuation.recommendation.run"].search(
            [("is_latest", "=", True)]
        )
        self.assertEqual(latest.company_id, self.company + self.other_company)

    def test_evaluation_figures_are_shares(self):
        for name in ("hit_at_5", "hit_at_10", "popular_hit_at_5", "popular_hit_at_10"):
            self.assertTrue(0.0 <= self.offers[name] <= 1.0, name)
        self.assertGreaterEqual(self.offers.hit_at_10, self.offers.hit_at_5)

    def test_settings_outside_their_range_are_refused(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.company.recommend_min_support = 150.0
                self.company.flush_recordset()

    def test_settings_screen_shows_the_latest_figures(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.recommend_run_id, self.offers)
        self.assertEqual(settings.recommend_hit_at_10, self.offers.hit_at_10)

    def test_settings_screen_follows_its_company(self):
        other_run = self.env["crm.valuation.recommendation.run"].create(
            {"company_id": self.other_company.id}
        )
        other_run.write({"state": "done", "is_latest": True, "hit_at_10": 0.4})
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.recommend_hit_at_10, self.offers.hit_at_10)
        settings.company_id = self.other_company
        self.assertEqual(settings.recommend_run_id, other_run)
        self.assertEqual(settings.recommend_hit_at_10, 0.4)

    def test_hit_rates_show_as_whole_percentages_everywhere(self):
        """Settings, the run's form and list: every hit rate as "53%", none as
        0.53 or 53.21%."""
        views = (
            ("res.config.settings", "form"),
            ("crm.valuation.recommendation.run", "form"),
            ("crm.valuation.recommendation.run", "list"),
        )
        for model, view_type in views:
            arch = self.env[model].get_view(view_type=view_type)["arch"]
            nodes = etree.fromstring(arch).xpath("//field[contains(@name, 'hit_at_')]")
            self.assertTrue(nodes, model)
            for node in nodes:
                self.assertEqual(node.get("widget"), "percentage", node.get("name"))
                self.assertEqual(node.get("digits"), "[16, 0]", node.get("name"))

    def test_rows_and_runs_are_read_only_for_staff(self):
        line = self._recommended(self.printer_only)[:1]
        for user in (self.salesman, self.analyst):
            self.assertTrue(line.with_user(user).product_id)
            with self.assertRaises(AccessError):
                line.with_user(user).write({"rank": 1})
            with self.assertRaises(AccessError):
                line.with_user(user).unlink()
        with self.assertRaises(AccessError):
            self.offers.rule_ids[:1].with_user(self.salesman).read(["lift"])
        with self.assertRaises(AccessError):
            self.offers.with_user(self.salesman).read(["hit_at_5"])
        with self.assertRaises(AccessError):
            line.with_user(self.portal).read(["product_id"])

    def test_other_company_rows_stay_hidden(self):
        other_analyst = self.analyst.copy(
            {
                "login": "val_other_analyst",
                "company_id": self.other_company.id,
                "company_ids": [(6, 0, self.other_company.ids)],
            }
        )
        rows = self.env["crm.valuation.recommendation"].with_user(other_analyst)
        self.assertFalse(rows.search([]))
