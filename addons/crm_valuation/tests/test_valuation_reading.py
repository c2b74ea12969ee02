# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a sales manager reads: a probability that agrees with the segment,
segments in business order, numbers in their language."""

from datetime import date, timedelta

import numpy as np

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import AS_OF, ValuationCase

REGULARS = 40


@tagged("post_install", "-at_install")
class TestValuationReading(ValuationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.valuation_holdout_months = 6
        partners = cls.env["res.partner"].create(
            [{"name": f"Regular {index:02d}"} for index in range(REGULARS)]
            + [{"name": f"Once {index:02d}"} for index in range(6)]
        )
        cls.regulars, cls.one_timers = partners[:REGULARS], partners[-6:]
        # Buyers as the models picture them: each at their own pace and
        # spend, each purchase possibly their last.
        rng = np.random.default_rng(7)
        orders = []
        for partner in cls.regulars:
            gap, spend = rng.gamma(2.0, 25.0), rng.gamma(3.0, 2.0)
            day = int(rng.integers(450, 700))
            while day > 0:
                orders.append((partner, day, 1 + int(rng.poisson(spend))))
                if rng.random() < 0.12:
                    break
                day -= 1 + int(rng.exponential(gap))
        orders += [
            (partner, 40 + 130 * index, 2)
            for index, partner in enumerate(cls.one_timers)
        ]
        cls._orders(orders)
        # A customer served at a loss: sold far below the cost of 60.
        cls.loss_maker = cls.env["res.partner"].create({"name": "PT Rugi"})
        cls._orders([(cls.loss_maker, days, 2) for days in (20, 90, 160)], price=10.0)
        cls.valuation = cls._run()

    @classmethod
    def _orders(cls, specs, price=100.0):
        """Confirmed orders, one per (partner, days before AS_OF, quantity)."""
        orders = cls.env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": cls.product.id,
                                "product_uom_qty": quantity,
                                "price_unit": price,
                                "tax_id": [Command.clear()],
                            }
                        )
                    ],
                }
                for partner, _days, quantity in specs
            ]
        )
        orders.action_confirm()
        for order, (_partner, days, _quantity) in zip(orders, specs, strict=True):
            order.date_order = AS_OF - timedelta(days=days)

    def test_model_chosen_by_the_holdout_says_why_on_the_run(self):
        run = self.valuation
        self.assertEqual(run.valuation_model, "auto")
        self.assertIn(run.model_used.split(" + ")[0], ("MBG/NBD", "Pareto/NBD"))
        self.assertIn("was chosen by the holdout check", run.model_note)
        self.assertNotEqual(run.holdout_grade, "none")
        self.assertEqual(run.holdout_data["model"], run.model_used.split(" + ")[0])

    def test_one_time_buyers_fade_with_the_time_since_their_purchase(self):
        """BG/NBD would show every one of them 100 % active."""
        alive = [self._value(self.valuation, p).p_alive for p in self.one_timers]
        self.assertTrue(all(value < 1.0 for value in alive))
        self.assertEqual(alive, sorted(alive, reverse=True))
        oldest = self._value(self.valuation, self.one_timers[-1])
        self.assertIn(oldest.segment, ("lost", "at_risk", "hibernating"))
        self.assertLess(oldest.p_alive, 0.5)

    def test_mixed_signals_are_flagged_and_searchable(self):
        values = self.valuation.value_ids
        flagged = values.filtered("signals_disagree")
        found = values.search(
            [("run_id", "=", self.valuation.id), ("signals_disagree", "=", True)]
        )
        self.assertEqual(found, flagged)
        self.assertEqual(
            values.search(
                [("run_id", "=", self.valuation.id), ("signals_disagree", "=", False)]
            ),
            values - flagged,
        )
        active = ("champions", "loyal", "potential_loyalist", "new", "promising")
        for value in values:
            expected = (value.segment in active and value.p_alive < 0.5) or (
                value.segment in ("hibernating", "lost") and value.p_alive >= 0.5
            )
            self.assertEqual(value.signals_disagree, expected, value.partner_id.name)

    def test_loss_maker_shows_a_negative_future_margin_beside_a_zero_clv(self):
        loss = self._value(self.valuation, self.loss_maker)
        self.assertLess(loss.margin, 0)
        self.assertEqual(loss.clv, 0.0)
        self.assertLess(loss.future_margin, 0)
        self.assertLess(loss.margin_ratio, 0)
        regular = self._value(self.valuation, self.regulars[0])
        self.assertAlmostEqual(regular.future_margin, regular.clv, places=2)

    def test_percentages_are_stored_as_shares(self):
        regular = self._value(self.valuation, self.regulars[0])
        self.assertAlmostEqual(
            regular.margin_percent, regular.margin / regular.revenue, places=4
        )
        self.assertTrue(0 < regular.revenue_rank_percent <= 1)

    def test_segments_come_in_business_order_in_every_grouping(self):
        keys = [
            key
            for key, _label in self.env["crm.valuation.value"]
            ._fields["segment"]
            .selection
        ]
        values = self.env["crm.valuation.value"].with_context(lang="id_ID")
        groups = values._read_group(
            [("run_id", "=", self.valuation.id)], ["segment"], ["__count"]
        )
        shown = [segment for segment, _count in groups]
        self.assertGreater(len(shown), 2)
        self.assertEqual(shown, sorted(shown, key=keys.index))
        web = values.web_read_group(
            [("run_id", "=", self.valuation.id)], ["segment"], ["segment"]
        )["groups"]
        self.assertEqual([group["segment"] for group in web], shown)
        rows = values.search([("run_id", "=", self.valuation.id)], order="segment")
        ranks = [keys.index(segment) for segment in rows.mapped("segment")]
        self.assertEqual(ranks, sorted(ranks))

    def test_numbers_in_texts_follow_the_readers_language(self):
        self.env["res.lang"]._activate_lang("id_ID")
        run = self.valuation
        english = run.holdout_summary
        indonesian = run.with_context(lang="id_ID").holdout_summary
        mae = run.holdout_data["model_accuracy"]["mae"]
        self.assertIn(f"{mae:.3f}", english)
        self.assertIn(f"{mae:.3f}".replace(".", ","), indonesian)
        self.assertNotIn(f"{mae:.3f}", indonesian)
        end = date.fromisoformat(run.holdout_data["calibration_end"])
        date_format = self.env["res.lang"]._get_data(code="id_ID").date_format
        self.assertIn(end.strftime(date_format), indonesian)
        self.assertNotIn(end.isoformat(), indonesian)
        self.assertIn("chosen by the holdout check", run.model_note)
        note = run.with_context(lang="id_ID").model_note
        self.assertRegex(note, r"\d,\d{3}")
        self.assertNotRegex(note, r"\d\.\d{3}")
        self.assertRegex(run.with_context(lang="id_ID").fit_summary, r"\d,\d")
        self.assertNotRegex(run.fit_summary, r"\de[+-]?\d")

    # Partners searched and grouped by their value -------------------------------

    def test_partners_are_searched_and_grouped_by_their_latest_value(self):
        partners = self.env["res.partner"].with_user(self.analyst)
        segment = self._value(self.valuation, self.one_timers[-1]).segment
        lost = self.valuation.value_ids.filtered(lambda v: v.segment == segment)
        found = partners.search([("valuation_segment", "=", segment)])
        self.assertEqual(found.commercial_partner_id, lost.partner_id)
        others = partners.search(
            [("valuation_segment", "!=", segment), ("id", "in", self.regulars.ids)]
        )
        self.assertEqual(others, self.regulars - lost.partner_id)
        rich = partners.search([("valuation_clv", ">", 0)])
        self.assertNotIn(self.loss_maker, rich)
        groups = partners._read_group(
            [("id", "in", (self.regulars | self.one_timers).ids)],
            ["valuation_segment"],
            ["__count"],
        )
        keys = [key for key, _label in partners._fields["valuation_segment"].selection]
        shown = [segment for segment, _count in groups]
        self.assertEqual(shown, sorted(shown, key=keys.index))
        counts = dict(groups)
        self.assertEqual(
            counts[segment],
            len(
                lost
                & self.valuation.value_ids.filtered(
                    lambda v: v.partner_id in self.regulars | self.one_timers
                )
            ),
        )
        fields = partners.fields_get(["valuation_segment"], ["groupable", "sortable"])
        self.assertTrue(fields["valuation_segment"]["groupable"])

    def test_searching_by_value_is_refused_without_the_group(self):
        partners = self.env["res.partner"].with_user(self.salesman)
        with self.assertRaisesRegex(AccessError, "Only Customer Valuation analysts"):
            partners.search([("valuation_segment", "=", "lost")])
        with self.assertRaisesRegex(AccessError, "Only Customer Valuation analysts"):
            partners._read_group([], ["valuation_segment"], ["__count"])

    def test_value_history_lists_each_snapshot_by_date_without_totals(self):
        later = self._run(on=AS_OF + timedelta(days=1))
        partner = self.regulars[0].with_user(self.analyst)
        self.assertEqual(partner.valuation_count, 2)
        action = partner.action_view_valuation_history()
        view_id, mode = action["views"][0]
        self.assertEqual(mode, "list")
        arch = self.env["crm.valuation.value"].get_view(view_id, "list")["arch"]
        self.assertIn('name="date"', arch)
        self.assertNotIn("sum=", arch)
        history = self.env["crm.valuation.value"].search(action["domain"])
        self.assertEqual(history.run_id, self.valuation | later)
