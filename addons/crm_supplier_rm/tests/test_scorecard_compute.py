# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AS_OF, SupplierCase


@tagged("post_install", "-at_install")
class TestScorecardCompute(SupplierCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._history()
        cls._compute()

    def test_june_card_keeps_its_figures(self):
        card = self._card(self.supplier, date(2026, 6, 1))
        self.assertEqual(card.state, "scored")
        self.assertEqual(card.date_end, date(2026, 6, 30))
        self.assertEqual(card.ordered_qty, 10)
        self.assertEqual(card.received_qty, 8)
        self.assertEqual(card.on_time_qty, 0)
        self.assertEqual(card.returned_qty, 2)
        self.assertEqual(card.rfq_count, 1)
        self.assertAlmostEqual(card.response_days, 2.0, places=3)
        # Billed for what was kept (6) at 110; the rival's 10 at 90.
        average = (6 * 110 + 10 * 90) / 16
        self.assertAlmostEqual(card.paid_amount, 660.0)
        self.assertAlmostEqual(card.reference_amount, 6 * average)
        self.assertAlmostEqual(card.billed_amount, 660.0)
        self.assertAlmostEqual(card.billed_accurate_amount, 660.0)

    def test_june_scores_follow_the_readme_formulas(self):
        card = self._card(self.supplier, date(2026, 6, 1))
        average = (6 * 110 + 10 * 90) / 16
        price = 100 - 5 * (110 / average - 1) * 100
        self.assertEqual(card.score_on_time, 0.0)
        self.assertAlmostEqual(card.score_in_full, 80.0)
        self.assertAlmostEqual(card.score_quality, 75.0)
        self.assertAlmostEqual(card.score_price, price, places=4)
        self.assertAlmostEqual(card.score_responsiveness, 100 * (1 - 1 / 14), places=4)
        self.assertAlmostEqual(card.score_invoice_accuracy, 100.0)
        expected = (
            0.30 * 0
            + 0.25 * 80
            + 0.20 * 75
            + 0.10 * price
            + 0.05 * 100 * (1 - 1 / 14)
            + 0.10 * 100
        )
        self.assertAlmostEqual(card.score, expected, places=4)
        watch = self.config.standing_ids.filtered(lambda s: s.control == "watch")
        self.assertEqual(card.standing_id, watch)
        self.assertEqual(card.drivers[0]["code"], "on_time")
        self.assertTrue(card.drivers[0]["below_target"])
        self.assertIn("Points Lost", card.breakdown)

    def test_a_month_without_transactions_is_no_data(self):
        may = self._card(self.supplier, date(2026, 5, 1))
        self.assertEqual(may.state, "no_data")
        self.assertFalse(may.standing_id)
        self.assertFalse(may.measured)
        self.assertFalse(may.drivers)
        april = self._card(self.supplier, date(2026, 4, 1))
        self.assertEqual(april.state, "scored")
        self.assertAlmostEqual(april.score, 100.0)
        # Cards start with the supplier's first order, not 24 months back.
        cards = self.env["crm.supplier.scorecard"].search(
            [("partner_id", "=", self.supplier.id)]
        )
        self.assertEqual(len(cards), 3)

    def test_partner_takes_the_latest_standing(self):
        june = self._card(self.supplier, date(2026, 6, 1))
        self.assertEqual(self.supplier.srm_standing_id, june.standing_id)
        self.assertAlmostEqual(self.supplier.srm_score, june.score)
        self.assertEqual(self.supplier.srm_score_period, date(2026, 6, 1))
        # April 100 -> (May skipped) -> June: falling.
        self.assertLess(self.supplier.srm_score_trend, 0)
        self.assertTrue(self.supplier.srm_quadrant)

    def test_standing_change_is_tracked_with_an_activity_for_the_buyer(self):
        self.supplier.with_context(
            srm_computing=True
        ).srm_standing_id = self.config.standing_ids.filtered(
            lambda s: s.control == "preferred"
        )
        config = self.config.with_context(tracking_disable=False)
        config._compute_scorecards(as_of=AS_OF)
        self.env.cr.precommit.run()
        watch = self.config.standing_ids.filtered(lambda s: s.control == "watch")
        self.assertEqual(self.supplier.srm_standing_id, watch)
        activity = self.supplier.activity_ids.filtered(
            lambda a: "Supplier standing now" in (a.summary or "")
        )
        self.assertEqual(activity.user_id, self.buyer)
        values = self.supplier.message_ids.sudo().tracking_value_ids.filtered(
            lambda v: v.field_id.name == "srm_standing_id"
        )
        self.assertTrue(values)

    def test_recomputing_keeps_the_supplier_answer(self):
        june = self._card(self.supplier, date(2026, 6, 1))
        june._record_feedback("contested", "Truck broke down", self.supplier_user)
        self._compute()
        june.invalidate_recordset()
        self.assertEqual(june.feedback_state, "contested")
        self.assertEqual(june.feedback_comment, "Truck broke down")
        self.assertEqual(
            len(
                self.env["crm.supplier.scorecard"].search(
                    [("partner_id", "=", self.supplier.id)]
                )
            ),
            3,
        )

    def test_quarters(self):
        self.config.period_kind = "quarter"
        self._compute()
        q2 = self.env["crm.supplier.scorecard"].search(
            [
                ("partner_id", "=", self.supplier.id),
                ("period_kind", "=", "quarter"),
            ]
        )
        self.assertEqual(q2.date_start, date(2026, 4, 1))
        self.assertEqual(q2.ordered_qty, 15)
        self.assertEqual(q2.received_qty, 13)

    def test_risk_inputs_edited_by_hand_survive_recomputation(self):
        self.supplier.write({"srm_single_source": True, "srm_lead_time_days": 45})
        self.assertTrue(self.supplier.srm_risk_manual)
        self.assertGreaterEqual(self.supplier.srm_risk_score, 70)
        self._compute()
        self.assertTrue(self.supplier.srm_single_source)
        self.assertEqual(self.supplier.srm_lead_time_days, 45)
        self.assertIn(self.supplier.srm_quadrant, ("strategic", "bottleneck"))

    def test_feedback_rules(self):
        june = self._card(self.supplier, date(2026, 6, 1))
        may = self._card(self.supplier, date(2026, 5, 1))
        with self.assertRaises(UserError):
            june._record_feedback("contested", "  ", self.supplier_user)
        with self.assertRaises(UserError):
            june._record_feedback("deleted", "", self.supplier_user)
        with self.assertRaises(UserError):
            may._record_feedback("acknowledged", "", self.supplier_user)
        self.assertEqual(june.feedback_state, "pending")
        june._record_feedback("contested", "Rain", self.supplier_user)
        activity = june.activity_ids
        self.assertEqual(activity.user_id, self.buyer)

    def test_cron_goes_on_after_a_failing_company(self):
        self.env["crm.supplier.scorecard.config"]._cron_compute()
        self.assertTrue(self.config.last_computed)
