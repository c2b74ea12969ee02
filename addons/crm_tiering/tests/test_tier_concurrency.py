# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import closing
from datetime import timedelta

from odoo.exceptions import UserError
from odoo.sql_db import db_connect

from ..models.crm_tier_program import REVIEW_LOCK_KEY
from .common import DAY, TierCase


class TestTierConcurrency(TierCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._order(cls.big, DAY - timedelta(days=30), 6000.0)
        cls._order(cls.small, DAY - timedelta(days=30), 300.0)

    def test_second_review_refused_while_one_runs(self):
        """A review holding the program's lock in another connection (another
        worker, the cron) makes this one stop before writing anything."""
        with closing(db_connect(self.env.cr.dbname).cursor()) as other:
            other.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                (REVIEW_LOCK_KEY, self.program.id),
            )
            with self.assertRaises(UserError):
                self.program._review(DAY)
            other.rollback()
        self.assertFalse(self.env["crm.tier.history"].search([]))
        self.assertFalse(self.env["crm.tier.partner"].search([]))
        # Once the other review is over, this one runs.
        self.program._review(DAY)
        self.assertEqual(len(self.env["crm.tier.history"].search([])), 2)
        self.assertTierMatchesHistory()

    def test_lock_is_taken_by_the_review(self):
        """While this transaction reviews, another connection cannot start."""
        self.program._review(DAY)
        with closing(db_connect(self.env.cr.dbname).cursor()) as other:
            other.execute(
                "SELECT pg_try_advisory_xact_lock(%s, %s)",
                (REVIEW_LOCK_KEY, self.program.id),
            )
            self.assertFalse(other.fetchone()[0])
            other.rollback()

    def test_repeated_reviews_never_duplicate_history(self):
        for _attempt in range(3):
            self.program._review(DAY)
        self._order(self.small, DAY, 2000.0)
        for _attempt in range(2):
            self.program._review(DAY + timedelta(days=1))
        small = self._state(self.small)
        self.assertEqual(len(small.history_ids), 2)
        self.assertTierMatchesHistory()
