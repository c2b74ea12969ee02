# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.tests import new_test_user

from .common import DAY, TierCase

# Queries of the tier facts of one customer with warm caches (measured: 10:
# the partner, its standing, tier, program and currency, nothing per order).
TIER_QUERIES = 10


class TestTierPanel(TierCase):
    """The tier in the customer 360 panel, for those who may see tiers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._order(cls.big, DAY - timedelta(days=30), 6000.0)
        cls.program._review(DAY)
        cls.employee = new_test_user(
            cls.env, login="panel_employee", groups="base.group_user"
        )

    def _panel(self, user, record):
        return (
            self.env["crm.valuation.customer.panel"]
            .with_user(user)
            .get_panel_data(record._name, record.id)
        )

    def test_tier_user_sees_tier_and_progress(self):
        tier = self._panel(self.tier_user, self.big_contact)["tier"]
        self.assertEqual(tier["tier"], "Gold")
        self.assertEqual(tier["badge_color"], "warning")
        self.assertEqual(tier["next_tier"], "Platinum")
        self.assertAlmostEqual(tier["progress"], 100 * 1000 / 15000, places=1)

    def test_tier_section_costs_a_few_queries(self):
        """The tier adds a handful of queries to the panel, once caches are
        warm (as on the second customer opened in a session)."""
        self._panel(self.tier_user, self.big_contact)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.big_contact.with_user(self.tier_user).get_tier_facts()
        self.assertLessEqual(self.env.cr.sql_log_count - before, TIER_QUERIES)

    def test_employee_without_tier_group_gets_no_tier(self):
        self.assertFalse(self._panel(self.employee, self.big)["tier"])

    def test_customer_without_tier_gets_none(self):
        self.assertFalse(self._panel(self.tier_user, self.small)["tier"])
