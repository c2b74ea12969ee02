# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The run as its form shows it: a title from the date in the reader's
language, progress while it runs, Resume only when it stopped, a Pareto chart
that holds a margin curve above 100 %."""

from datetime import timedelta

from odoo import fields
from odoo.tests import Form, tagged

from .common import AS_OF, ValuationCase


@tagged("post_install", "-at_install")
class TestValuationRunForm(ValuationCase):
    def test_new_draft_takes_its_title_from_the_date_in_the_readers_language(self):
        self.env["res.lang"]._activate_lang("id_ID")
        form = Form(self.env["crm.valuation.run"])
        form.date = AS_OF
        run = form.save()
        self.assertEqual(run.state, "draft")
        self.assertEqual(run.name, "Valuation 06/30/2026")
        indonesian = run.with_context(lang="id_ID")
        self.assertIn("30/06/2026", indonesian.name)
        found = self.env["crm.valuation.run"].search([("name", "ilike", "06/30/2026")])
        self.assertEqual(found, run)
        self.assertFalse(
            self.env["crm.valuation.run"].search([("name", "ilike", "1999")])
        )

    def test_running_run_shows_progress_and_resume_only_when_stalled(self):
        self._order(self.big, AS_OF - timedelta(days=40), qty=2)
        self._order(self.small, AS_OF - timedelta(days=80), qty=1)
        run = self.env["crm.valuation.run"].create({"date": AS_OF})
        run.write(
            {
                "state": "running",
                "customers_expected": 2,
                "progress_at": fields.Datetime.now(),
                **run._settings_from_company(),
            }
        )
        self.env["crm.valuation.value"].create(
            {"run_id": run.id, "partner_id": self.small.id, "p_alive": 0.5}
        )
        self.assertEqual(run.progress, 50.0)
        self.assertFalse(run.can_resume, "a run that just moved is being worked on")
        run.progress_at = fields.Datetime.now() - timedelta(minutes=30)
        run.invalidate_recordset(["can_resume", "progress"])
        self.assertTrue(run.can_resume)
        run.action_resume()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.progress, 100.0)
        self.assertFalse(run.can_resume)

    def test_pareto_chart_holds_a_margin_curve_above_100_percent(self):
        # The big buyer earns 790; Siti is sold below cost and loses 160: the
        # margin curve peaks at 790 / 630 = 125 % after the first customer.
        self._order(self.big, AS_OF - timedelta(days=40), qty=20)
        self._order(self.small, AS_OF - timedelta(days=80), qty=3, price=10.0)
        run = self._run()
        self.assertAlmostEqual(run.margin_total, 630.0, places=2)
        chart = run.pareto_chart
        self.assertIn("The margin curve rises to 125%", chart)
        self.assertRegex(chart, r">\s*120\s*%")
        # Revenue alone stays within 100 %: no sentence, no tick above.
        self.assertLessEqual(run.top20_revenue_share, 1.0)
