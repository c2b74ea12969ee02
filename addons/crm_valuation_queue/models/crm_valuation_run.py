# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

from odoo.addons.queue_job.delay import chain, group
from odoo.addons.queue_job.job import identity_exact
from odoo.addons.queue_job.utils import must_run_without_delay

SLICE_SIZE = 20000
CHANNEL = "root.valuation"
OPEN_JOB_STATES = ("wait_dependencies", "pending", "enqueued", "started")


class CrmValuationRun(models.Model):
    """Scoring split into background jobs, one per slice of customers.

    The run reads and fits in the request (or cron) that starts it and writes
    the rows with their model inputs; each job then scores one slice of rows
    from the fit stored on the run, and a last job, once every slice is done,
    totals the run and marks it done. Jobs spread over every Odoo worker and
    node the job runner serves.
    """

    _inherit = "crm.valuation.run"

    def _execute(self, commit=False):
        if self.state == "running" and self._open_jobs():
            return True  # its jobs are still on their way: nothing to resume
        return super()._execute(commit=commit)

    def _scores_in_jobs(self):
        return not must_run_without_delay(self.env)

    def _score_in_memory(self, base, models):
        if self._scores_in_jobs():
            return None
        return super()._score_in_memory(base, models)

    def _dispatch_scoring(self):
        if not self._scores_in_jobs():
            return super()._dispatch_scoring()
        description = self.env._("Score customers of %(run)s", run=self.name)
        jobs = [
            self.delayable(
                channel=CHANNEL, description=description, identity_key=identity_exact
            )._score_rows(ids)
            for ids in self._unscored_slices()
        ]
        finish = self.delayable(
            channel=CHANNEL,
            description=self.env._("Finish %(run)s", run=self.name),
            identity_key=self._finish_identity(),
        )._finish()
        (chain(group(*jobs), finish) if jobs else finish).delay()
        return True

    def _unscored_slices(self):
        """Ids of the rows still without a score, in slices of SLICE_SIZE."""
        values = self.env["crm.valuation.value"].search(
            [("run_id", "=", self.id), ("p_alive", "=", False)], order="id"
        )
        return [
            values[start : start + SLICE_SIZE].ids
            for start in range(0, len(values), SLICE_SIZE)
        ]

    def _worked_on_elsewhere(self):
        return super()._worked_on_elsewhere() or bool(self._open_jobs())

    def _finish_identity(self):
        return f"crm.valuation.run,{self.id},finish"

    def _open_jobs(self):
        # sudo: jobs are readable by queue_job managers only; the domain is
        # narrowed to this run's own finishing job.
        return (
            self.env["queue.job"]
            .sudo()
            .search_count(
                [
                    ("identity_key", "=", self._finish_identity()),
                    ("state", "in", OPEN_JOB_STATES),
                ]
            )
        )
