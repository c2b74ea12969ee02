# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.tests import tagged

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
        """The run's jobs, those waiting for others last."""
        return (
            self.env["queue.job"]
            .search(
                [
                    ("model_name", "=", "crm.valuation.run"),
                    ("func_string", "like", f"({run.id},)"),
                ]
            )
            .sorted(lambda job: (job.state == "wait_dependencies", job.id))
        )

    def _start(self):
        run = (
            self.env["crm.valuation.run"]
            .with_user(self.analyst)
            .create({"date": AS_OF})
        )
        run.action_run()
        return run.sudo()

    def test_rows_written_then_scored_by_jobs(self):
        run = self._start()
        self.assertEqual(run.state, "running")
        self.assertEqual(len(run.value_ids), 2)
        self.assertFalse(any(run.value_ids.mapped("p_alive")))
        jobs = self._jobs(run)
        self.assertEqual(jobs.mapped("method_name"), ["_score_rows", "_finish"])
        self.assertEqual(jobs[1].state, "wait_dependencies")
        for job in jobs:
            Job.load(self.env, job.uuid).perform()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.customer_count, 2)
        self.assertTrue(all(value.p_alive > 0 for value in run.value_ids))
        self.assertTrue(all(value.is_latest for value in run.value_ids))

    def test_same_numbers_as_without_jobs(self):
        run = self._start()
        for job in self._jobs(run):
            Job.load(self.env, job.uuid).perform()
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

    def test_resume_waits_for_open_jobs_and_requeues_lost_ones(self):
        run = self._start()
        jobs = self._jobs(run)
        run.action_resume()
        self.assertEqual(self._jobs(run), jobs, "open jobs: nothing queued again")
        jobs.write({"state": "cancelled"})
        run.action_resume()
        requeued = self._jobs(run) - jobs
        self.assertEqual(requeued.mapped("method_name"), ["_score_rows", "_finish"])
