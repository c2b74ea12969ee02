# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from odoo.exceptions import UserError, ValidationError

from .common import DAY, TierCase


class TestTierReview(TierCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._order(cls.big, DAY - timedelta(days=30), 6000.0)
        cls._order(cls.small, DAY - timedelta(days=60), 300.0)
        # Outside the 12 months: does not count.
        cls._order(cls.small, DAY - timedelta(days=400), 50000.0)

    def _review_quarters(self):
        """The quarterly reviews from July 2026 to April 2027: all keep."""
        for day in ("2026-07-01", "2026-10-01", "2027-01-01", "2027-04-01"):
            self.program._review(date.fromisoformat(day))

    def test_first_review_places_customers(self):
        stats = self.program._review(DAY)
        self.assertEqual(stats["customers"], 2)
        big, small = self._state(self.big), self._state(self.small)
        self.assertEqual(big.tier_id, self.gold)
        self.assertEqual(small.tier_id, self.bronze)
        self.assertEqual(big.value, 6000.0)
        self.assertEqual(big.next_tier_id, self.platinum)
        self.assertAlmostEqual(big.progress, 100 * 1000 / 15000, places=1)
        self.assertEqual(big.gap, 14000.0)
        self.assertEqual((big.since, big.next_review), (DAY, date(2026, 7, 1)))
        self.assertIn("Gold", big.reason)
        # Contacts share their company's tier.
        self.assertEqual(self.big_contact.tier_id, self.gold)
        self.assertEqual(self.big_contact.tier_badge_color, "warning")
        gold_partners = self.env["res.partner"].search([("tier_id", "=", self.gold.id)])
        self.assertEqual(gold_partners, self.big | self.big_contact)
        move = big.history_ids
        self.assertEqual(len(move), 1)
        self.assertEqual(
            (move.from_tier_id, move.to_tier_id, move.reason_type, move.value),
            (self.env["crm.tier"], self.gold, "upgrade", 6000.0),
        )
        self.assertTierMatchesHistory()

    def test_benefits_given_and_taken_back(self):
        self.program._review(DAY)
        self.assertEqual(self.big.property_product_pricelist, self.gold_pricelist)
        self.assertEqual(
            self.big_contact.property_product_pricelist, self.gold_pricelist
        )
        self.assertNotEqual(self.small.property_product_pricelist, self.gold_pricelist)
        # The next year Big buys nothing: down one step at the review.
        self.program._review(date(2027, 7, 1))
        self.assertEqual(self._state(self.big).tier_id, self.silver)
        self.assertNotEqual(self.big.property_product_pricelist, self.gold_pricelist)

    def test_hand_set_benefit_is_kept(self):
        own = self.env["product.pricelist"].create({"name": "Negotiated"})
        self.small.property_product_pricelist = own
        self._order(self.small, DAY - timedelta(days=1), 6000.0)
        self.program._review(DAY)
        self.assertEqual(self._state(self.small).tier_id, self.gold)
        self.assertEqual(self.small.property_product_pricelist, own)

    def test_upgrade_is_immediate_and_logged(self):
        self.program._review(DAY)
        self._order(self.small, DAY, 1200.0)
        self.program._review(DAY + timedelta(days=1))
        small = self._state(self.small)
        self.assertEqual(small.tier_id, self.silver)
        self.assertEqual(
            small.history_ids.sorted("id").mapped("reason_type"), ["upgrade", "upgrade"]
        )
        self.assertIn(
            "Silver",
            self.small.message_ids[:1].body,
            "the upgrade is in the customer's chatter",
        )
        mails = self.env["mail.mail"].search([("recipient_ids", "in", self.small.id)])
        self.assertTrue(mails, "an upgrade email is queued")
        self.assertTierMatchesHistory()

    def test_downgrade_waits_for_the_review(self):
        self.program._review(DAY)
        self._review_quarters()
        # The order left the window in April: held until the July review.
        before = date(2027, 6, 30)
        self.program._review(before)
        big = self._state(self.big)
        self.assertEqual((big.tier_id, big.rule), (self.gold, "before_review"))
        self.program._review(date(2027, 7, 1))
        self.assertEqual(big.tier_id, self.silver, "one step down only")
        self.program._review(date(2027, 10, 1))
        self.assertEqual(big.tier_id, self.bronze)
        reasons = big.history_ids.sorted("id").mapped("reason_type")
        self.assertEqual(reasons, ["upgrade", "downgrade", "downgrade"])
        self.assertTierMatchesHistory()

    def test_second_review_writes_nothing_new(self):
        self.program._review(DAY)
        moves = self.env["crm.tier.history"].search_count([])
        messages = self.env["mail.message"].search_count([])
        stats = self.program._review(DAY)
        self.assertEqual((stats["upgrade"], stats["downgrade"]), (0, 0))
        self.assertEqual(self.env["crm.tier.history"].search_count([]), moves)
        self.assertEqual(self.env["mail.message"].search_count([]), messages)

    def test_override_and_expiry(self):
        today = self.program._today()
        self.program._review(today)
        small = self._state(self.small).with_user(self.manager)
        small.write(
            {
                "override_tier_id": self.platinum.id,
                "override_reason": "vip",
                "override_expiry": today + timedelta(days=30),
            }
        )
        self.assertEqual(small.tier_id, self.platinum)
        self.assertEqual(small.history_ids.sorted("id")[-1].reason_type, "override")
        self.program._review(today + timedelta(days=10))
        self.assertEqual((small.tier_id, small.rule), (self.platinum, "override"))
        self.program._review(today + timedelta(days=31))
        self.assertEqual(small.tier_id, self.bronze)
        self.assertFalse(small.override_tier_id)
        self.assertEqual(small.history_ids.sorted("id")[-1].reason_type, "expiry")
        self.assertTierMatchesHistory()

    def test_override_needs_reason_and_future_expiry(self):
        self.program._review(DAY)
        small = self._state(self.small).with_user(self.manager)
        with self.assertRaises(ValidationError):
            small.write({"override_tier_id": self.gold.id})
        with self.assertRaises(ValidationError):
            small.write(
                {
                    "override_tier_id": self.gold.id,
                    "override_reason": "vip",
                    "override_expiry": date(2000, 1, 1),
                }
            )
        self.assertEqual(small.tier_id, self.bronze)

    def test_manager_can_override_a_customer_without_tier(self):
        newcomer = self.env["res.partner"].create({"name": "Newcomer"})
        state = (
            self.env["crm.tier.partner"]
            .with_user(self.manager)
            .create(
                {
                    "partner_id": newcomer.id,
                    "program_id": self.program.id,
                    "override_tier_id": self.silver.id,
                    "override_reason": "contract",
                }
            )
        )
        self.assertEqual(state.tier_id, self.silver)
        self.assertEqual(state.history_ids.reason_type, "override")

    def test_valuation_metric_reads_the_latest_run(self):
        self.program.metric = "margin"
        with self.assertRaises(UserError):
            self.program._review(DAY)
        run = (
            self.env["crm.valuation.run"]
            .with_context(queue_job__no_delay=True)
            .create({"company_id": self.company.id, "date": DAY})
        )
        run.action_run()
        self.program._review(DAY)
        value = run.value_ids.filtered(lambda row: row.partner_id == self.big)
        big = self._state(self.big)
        self.assertEqual(big.value, value.margin)
        self.assertEqual(self.program.valuation_run_id, run)
        self.assertEqual(big.history_ids.valuation_run_id, run)

    def test_downgrade_warning_and_activity(self):
        self.program._review(DAY)
        self._review_quarters()
        # The order left the 12 months in April: Gold drops on 1 July unless
        # Big buys again, and the review is less than 30 days ahead.
        self.program._review(date(2027, 6, 5))
        big = self._state(self.big)
        self.assertEqual(big.warned_review, date(2027, 7, 1))
        self.assertTrue(
            self.big.activity_ids.filtered(lambda act: "Gold" in act.summary)
        )
        activities = len(self.big.activity_ids)
        self.program._review(date(2027, 6, 6))
        self.assertEqual(len(self.big.activity_ids), activities, "warned once")

    def test_cron_survives_a_failing_program(self):
        other = self.env["crm.tier.program"].create(
            {"name": "Other", "company_id": self.other_company.id, "metric": "clv"}
        )
        self.env["crm.tier"].create(
            {"program_id": other.id, "name": "Any", "threshold": 0.0}
        )
        with self.assertLogs(
            "odoo.addons.crm_tiering.models.crm_tier_program", level="WARNING"
        ):
            self.env["crm.tier.program"]._cron_review()
        self.assertTrue(self._state(self.big).tier_id)
        self.assertIn("failed", other.message_ids[:1].body)

    def test_one_active_program_per_company(self):
        with self.assertRaises(ValidationError):
            self.env["crm.tier.program"].create(
                {"name": "Second", "company_id": self.company.id}
            )

    def test_tier_facts_for_the_360_panel(self):
        self.program._review(DAY)
        facts = self.big_contact.with_user(self.tier_user).get_tier_facts()
        fact = facts[self.big_contact.id]
        self.assertEqual(fact["tier"], "Gold")
        self.assertEqual(fact["next_tier"], "Platinum")
        self.assertEqual(fact["badge_color"], "warning")
        self.assertEqual(fact["value"], 6000.0)
        stranger = self.env["res.partner"].create({"name": "No Tier"})
        self.assertFalse(stranger.get_tier_facts()[stranger.id])
