# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import Form

from .common import DAY, TierCase


class TestTierSimulator(TierCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._order(cls.big, DAY - timedelta(days=30), 6000.0)
        cls._order(cls.small, DAY - timedelta(days=30), 4000.0)
        cls.program._review(cls.program._today())

    def _simulator(self, user=None):
        return Form(
            self.env["crm.tier.simulator"]
            .with_user(user or self.manager)
            .with_context(active_id=self.program.id)
        ).save()

    def test_lower_gold_threshold_moves_small_up(self):
        # Today, both orders are over a year old or not: use the states as set.
        simulator = self._simulator()
        gold_line = simulator.line_ids.filtered(lambda line: line.tier_id == self.gold)
        gold_line.new_threshold = 3000.0
        simulator.action_simulate()
        self.assertEqual(simulator.up_count, 1)
        self.assertEqual(simulator.down_count, 0)
        self.assertEqual(gold_line.count_now, 1)
        self.assertEqual(gold_line.count_simulated, 2)
        self.assertEqual(gold_line.up_count, 1)
        # Gold's pricelist takes 10% off: the small customer's 4,000 adds 400.
        self.assertAlmostEqual(simulator.cost_simulated - simulator.cost_current, 400.0)
        self.assertEqual(self.gold.threshold, 5000.0, "nothing saved yet")
        simulator.action_apply()
        self.assertEqual(self.gold.threshold, 3000.0)

    def test_simulator_is_for_managers(self):
        with self.assertRaises(AccessError):
            self._simulator(self.tier_user)
