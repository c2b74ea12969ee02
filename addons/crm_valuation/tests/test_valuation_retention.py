# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from odoo.tests import tagged

from .common import ValuationCase


@tagged("post_install", "-at_install")
class TestRetention(ValuationCase):
    """Recent runs stay, then month ends, then nothing; latest and pinned
    runs always. Today is 15 July 2026 in Jakarta (see common.NOW)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"valuation_keep_days": 10, "valuation_keep_months": 3})
        cls._order(cls.big, date(2025, 1, 2), qty=1)

    def _runs_on(self, *days):
        runs = self.env["crm.valuation.run"]
        for day in days:
            runs |= self._run(on=day)
        return runs

    def test_policy_keeps_recent_month_ends_latest_and_pinned(self):
        recent = self._runs_on(date(2026, 7, 6), date(2026, 7, 14))
        month_ends = self._runs_on(date(2026, 5, 31), date(2026, 6, 30))
        mid_month = self._runs_on(date(2026, 5, 15), date(2026, 6, 15))
        too_old = self._runs_on(date(2026, 3, 31), date(2025, 12, 31))
        pinned = self._run(on=date(2025, 6, 30))
        pinned.pinned = True
        failed = self.env["crm.valuation.run"].create({"date": date(2026, 6, 1)})
        failed._write_results({"state": "failed", "error": "disk full"})
        values = self.env["crm.valuation.value"]
        rows_before = values.search_count([])
        self.env["crm.valuation.run"]._cron_apply_retention()
        kept = self.env["crm.valuation.run"].search([])
        self.assertEqual(kept, recent | month_ends | pinned)
        self.assertFalse((mid_month | too_old | failed).exists())
        self.assertEqual(values.search_count([]), rows_before - 4)
        self.assertTrue(recent[-1].is_latest)

    def test_the_latest_run_is_kept_whatever_its_age(self):
        old = self._run(on=date(2025, 2, 10))
        self.env["crm.valuation.run"]._cron_apply_retention()
        self.assertTrue(old.exists() and old.is_latest)

    def test_pinning_is_the_users_to_set(self):
        run = self._run(on=date(2026, 7, 1) - timedelta(days=1))
        run.with_user(self.analyst).pinned = True
        self.assertTrue(run.pinned)
