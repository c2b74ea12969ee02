# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.crm_partner_portal.models.res_partner import ResPartner

from .common import PartnerPortalCase


@tagged("post_install", "-at_install")
class TestLevelsCommissions(PartnerPortalCase):
    @classmethod
    def _won(cls, reseller, revenue, count=1):
        won_stage = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        leads = cls.env["crm.lead"].create(
            [
                {
                    "name": f"Deal {i}",
                    "type": "opportunity",
                    "expected_revenue": revenue,
                    "partner_assigned_id": reseller.id,
                    "partner_id": cls.customer.id,
                }
                for i in range(count)
            ]
        )
        leads.write({"stage_id": won_stage.id})
        return leads

    def test_performance_raises_the_level_and_logs_it(self):
        with freeze_time("2026-06-15"):
            self._won(self.reseller_b, 600, count=2)
            self.reseller_b._review_partner_levels()
        self.assertEqual(self.reseller_b.grade_id, self.silver)
        self.assertEqual(self.reseller_b.level_protected_until, date(2026, 12, 12))
        history = self.reseller_b.level_history_ids
        self.assertEqual(history.action, "up")
        self.assertEqual(history.old_grade_id, self.bronze)
        self.assertEqual(history.won_revenue, 1200)

    def test_level_cron_goes_on_past_a_failing_reseller(self):
        original = ResPartner._apply_level_review

        def review(partner, rules, metrics, today):
            if partner == self.reseller_a:
                raise ValueError("boom")
            return original(partner, rules, metrics, today)

        with (
            freeze_time("2026-06-15"),
            patch.object(ResPartner, "_apply_level_review", review),
            mute_logger("odoo.addons.crm_partner_portal.models.res_partner"),
        ):
            self._won(self.reseller_b, 600, count=2)
            self.env["res.partner"]._cron_review_partner_levels()
        self.assertEqual(self.reseller_b.grade_id, self.silver)
        self.assertEqual(self.reseller_a.grade_id, self.silver)
        self.assertFalse(self.reseller_a.level_history_ids)

    def test_weak_figures_lower_the_level_only_after_protection(self):
        self.reseller_a.level_protected_until = date(2026, 7, 1)
        with freeze_time("2026-06-15"):
            self.reseller_a._review_partner_levels()
        self.assertEqual(self.reseller_a.grade_id, self.silver)
        self.assertEqual(self.reseller_a.level_history_ids.action, "protected")
        with freeze_time("2026-07-02"):
            self.reseller_a._review_partner_levels()
        self.assertEqual(self.reseller_a.grade_id, self.bronze)
        self.assertEqual(
            self.reseller_a.level_history_ids.sorted("id").mapped("action"),
            ["protected", "down"],
        )

    def _invoiced_order(self, reseller):
        lead = self._won(reseller, 1000)
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "opportunity_id": lead.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 10,
                            "price_unit": 100,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        self.product.invoice_policy = "order"
        invoice = order._create_invoices()
        invoice.action_post()
        return invoice

    def test_commission_pending_then_earned_then_paid(self):
        invoice = self._invoiced_order(self.reseller_a)
        Commission = self.env["crm.partner.commission"]
        self.assertEqual(Commission._compute_commissions(), 1)
        self.assertEqual(Commission._compute_commissions(), 0, "once per invoice")
        row = Commission.search([("move_id", "=", invoice.id)])
        self.assertEqual((row.rate, row.amount, row.state), (5.0, 50.0, "pending"))
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        Commission._compute_commissions()
        self.assertEqual(row.state, "earned")
        for user in (
            self.salesman,
            self.portal_a,
            self.portal_b,
            self.customer_user,
            self.env.ref("base.public_user"),
        ):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                row.with_user(user).action_mark_paid()
        self.assertEqual(row.state, "earned")
        row.with_user(self.manager).action_mark_paid()
        self.assertEqual(row.state, "paid")
        self.assertEqual(row._statement()["paid"], 50.0)
        self.assertEqual(
            Commission.with_user(self.portal_a)._statement_for([])["paid"], 50.0
        )
        self.assertEqual(
            Commission.with_user(self.portal_b)._statement_for([])["paid"], 0
        )
        # Resellers see their own commissions only.
        self.assertEqual(Commission.with_user(self.portal_a).search([]), row)
        self.assertFalse(Commission.with_user(self.portal_b).search([]))
        with self.assertRaises(AccessError):
            row.with_user(self.portal_b).read(["amount"])
        with self.assertRaises(AccessError):
            row.with_user(self.portal_a).write({"amount": 1e9})

    def test_resellers_cannot_review_a_level(self):
        self._won(self.reseller_b, 50000, count=3)
        for user, partner in (
            (self.portal_b, self.reseller_b),
            (self.portal_b, self.reseller_a),
            (self.customer_user, self.reseller_b),
            (self.env.ref("base.public_user"), self.reseller_b),
        ):
            with (
                self.subTest(user=user.login, partner=partner.name),
                self.assertRaises(AccessError),
            ):
                partner.with_user(user).action_review_partner_level()
        self.assertEqual(self.reseller_b.grade_id, self.bronze)
        self.assertFalse(self.reseller_b.level_history_ids)
        # The level history is the channel team's, not the resellers'.
        History = self.env["crm.partner.level.history"]
        for user in (self.portal_a, self.portal_b, self.customer_user):
            self.assertFalse(History.with_user(user).has_access("read"), user.login)

    def test_commission_rate_by_product_category(self):
        """Three categories at different rates: the child's rate wins over
        its parent's, an unrated category takes the level's rate."""
        Categ = self.env["product.category"]
        food = Categ.create({"name": "Pangan"})
        rice = Categ.create({"name": "Beras", "parent_id": food.id})
        oil = Categ.create({"name": "Minyak", "parent_id": food.id})
        tools = Categ.create({"name": "Alat"})
        Rate = self.env["crm.partner.commission.rate"]
        Rate.create({"grade_id": self.silver.id, "categ_id": food.id, "rate": 3})
        Rate.create({"grade_id": self.silver.id, "categ_id": rice.id, "rate": 10})
        # Another level's rate on the same category does not apply.
        Rate.create({"grade_id": self.gold.id, "categ_id": oil.id, "rate": 50})
        lines = []
        for categ, price in ((rice, 1000), (oil, 400), (tools, 200)):
            product = self.env["product.product"].create(
                {
                    "name": categ.name,
                    "categ_id": categ.id,
                    "type": "consu",
                    "invoice_policy": "order",
                    "taxes_id": [Command.clear()],
                }
            )
            lines.append(
                Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": 1,
                        "price_unit": price,
                        "tax_id": [Command.clear()],
                    }
                )
            )
        lead = self._won(self.reseller_a, 1600)
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "opportunity_id": lead.id,
                "order_line": lines,
            }
        )
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        Commission = self.env["crm.partner.commission"]
        self.assertEqual(Commission._compute_commissions(), 3)
        self.assertEqual(Commission._compute_commissions(), 0, "counted once")
        rows = Commission.search([("move_id", "=", invoice.id)]).sorted("rate")
        # Minyak 400 x 3% (Pangan) = 12; Alat 200 x 5% (Silver) = 10;
        # Beras 1000 x 10% = 100: 122 in all.
        self.assertEqual(
            [(r.rate, r.base_amount, r.amount) for r in rows],
            [(3.0, 400.0, 12.0), (5.0, 200.0, 10.0), (10.0, 1000.0, 100.0)],
        )
        self.assertEqual(sum(rows.mapped("amount")), 122.0)
        self.assertEqual(
            rows.mapped("rate_source"),
            ["Pangan", "Level Silver", "Pangan / Beras"],
        )
        # The database refuses a second line for the same invoice and rate.
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                Commission.create(
                    {
                        "partner_id": self.reseller_a.id,
                        "move_id": invoice.id,
                        "date": invoice.invoice_date,
                        "company_id": invoice.company_id.id,
                        "rate": 10.0,
                    }
                )

    def test_commission_rate_bad_input(self):
        categ = self.env["product.category"].create({"name": "Pangan"})
        Rate = self.env["crm.partner.commission.rate"]
        for bad in (-1, 100.5):
            with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
                with self.env.cr.savepoint():
                    Rate.create(
                        {"grade_id": self.silver.id, "categ_id": categ.id, "rate": bad}
                    )
        self.assertFalse(Rate.search([("categ_id", "=", categ.id)]))
        # Only channel managers set rates; resellers do not even read them.
        with self.assertRaises(AccessError):
            Rate.with_user(self.salesman).create(
                {"grade_id": self.silver.id, "categ_id": categ.id, "rate": 5}
            )
        with self.assertRaises(AccessError):
            Rate.with_user(self.portal_a).search([])
        Rate.with_user(self.manager).create(
            {"grade_id": self.silver.id, "categ_id": categ.id, "rate": 5}
        )
