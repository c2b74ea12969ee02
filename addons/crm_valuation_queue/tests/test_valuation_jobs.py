# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.crm_valuation.tests.common import AS_OF, ValuationCase
from odoo.addons.queue_job.job import Job


@tagged("post_install", "-at_install")
class TestValuationJobs(ValuationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, queue_job__no_delay=False))
        for days_ago in (300, 200, 100, 20):
            cls._order(cls.big, AS_OF - timedelta(days=days_ago), qty=10)
        cls._order(cls.small, AS_OF - timedelta(days=150), qty=1)

    def _jobs(self, run):
        return self.env["queue.job"].search(
            [("func_string", "=", f"{run.sudo()!r}._execute_guarded()")]
        )

    def _start(self):
        run = (
            self.env["crm.valuation.run"]
            .with_user(self.analyst)
            .create({"date": AS_OF})
        )
        run.action_run()
        return run.sudo()

    def _count_row_updates(self):
        """A trigger counting UPDATEs of value rows, for this test only."""
        self.env.cr.execute(
            """
            CREATE TEMPORARY TABLE value_updates (count int);
            INSERT INTO value_updates VALUES (0);
            CREATE FUNCTION pg_temp.count_value_update() RETURNS trigger AS $$
            BEGIN UPDATE value_updates SET count = count + 1; RETURN NEW; END
            $$ LANGUAGE plpgsql;
            CREATE TRIGGER count_value_update AFTER UPDATE ON crm_valuation_value
               FOR EACH ROW EXECUTE FUNCTION pg_temp.count_value_update();
            """
        )

    def test_button_returns_at_once_and_one_job_writes_each_row_once(self):
        self._count_row_updates()
        run = self._start()
        self.assertEqual(run.state, "running")
        self.assertEqual(run.valuation_hourly_cost, 50.0, "settings copied at once")
        self.assertFalse(run.value_ids, "nothing read or fitted in the request")
        job = self._jobs(run)
        self.assertEqual(len(job), 1)
        Job.load(self.env, job.uuid).perform()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.customer_count, 2)
        self.assertTrue(all(value.p_alive > 0 for value in run.value_ids))
        self.assertTrue(all(value.is_latest for value in run.value_ids))
        self.env.cr.execute("SELECT count FROM value_updates")
        self.assertEqual(self.env.cr.fetchone()[0], 0, "rows inserted, never updated")

    def test_same_numbers_as_without_jobs(self):
        run = self._start()
        Job.load(self.env, self._jobs(run).uuid).perform()
        inline_run = (
            self.env["crm.valuation.run"]
            .with_context(queue_job__no_delay=True)
            .create({"date": AS_OF})
        )
        inline_run.action_run()
        self.assertEqual(inline_run.state, "done")
        for partner in (self.big, self.small):
            jobbed, direct = self._value(run, partner), self._value(inline_run, partner)
            self.assertAlmostEqual(jobbed.clv, direct.clv, places=2)
            self.assertAlmostEqual(jobbed.p_alive, direct.p_alive, places=9)

    def test_resume_waits_for_the_open_job_and_requeues_a_lost_one(self):
        run = self._start()
        job = self._jobs(run)
        run.action_resume()
        self.assertEqual(self._jobs(run), job, "open job: nothing queued again")
        job.write({"state": "cancelled"})
        run.action_resume()
        self.assertEqual(len(self._jobs(run) - job), 1)

    def test_nightly_cron_queues_one_job_per_company(self):
        self.env["crm.valuation.run"]._cron_value_customers()
        run = self.env["crm.valuation.run"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual(run.state, "draft")
        Job.load(self.env, self._jobs(run).uuid).perform()
        self.assertEqual(run.state, "done")

    def test_a_failing_job_marks_the_run_failed(self):
        run = self._start()
        self.env["sale.order"].search([]).write({"state": "cancel"})
        with mute_logger(
            "odoo.addons.crm_valuation.models.crm_valuation_run_execution"
        ):
            Job.load(self.env, self._jobs(run).uuid).perform()
        self.assertEqual(run.state, "failed")
        self.assertIn("No purchases", run.error)

    def test_performance_tab_shows_the_time_spent_in_background_jobs(self):
        run = self._start()
        other = self._start()
        Job.load(self.env, self._jobs(run).uuid).perform()
        # The job runner records each job's execution time when it ends.
        self._jobs(run).write({"state": "done", "exec_time": 12.5})
        self._jobs(other).write({"state": "done", "exec_time": 99.0})
        run.invalidate_recordset(["duration_jobs"])
        self.assertEqual(run.duration_jobs, 12.5)
        form = self.env.ref("crm_valuation.crm_valuation_run_view_form")
        arch = self.env["crm.valuation.run"].get_view(form.id)["arch"]
        self.assertIn('name="duration_jobs"', arch)
