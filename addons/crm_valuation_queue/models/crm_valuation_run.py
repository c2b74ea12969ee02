# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

from odoo.addons.queue_job.job import identity_exact
from odoo.addons.queue_job.utils import must_run_without_delay

CHANNEL = "root.valuation"
OPEN_JOB_STATES = ("wait_dependencies", "pending", "enqueued", "started")


class CrmValuationRun(models.Model):
    """Valuations computed in background jobs, one job per run.

    *Run Valuation* and *Resume* return at once: the button copies the
    settings and marks the run running, and a job reads, fits, scores and
    writes every customer's row once, committing batch by batch, so that a job
    cut off resumes where it stopped. The nightly cron queues one job per
    company, so the companies spread over every worker and node the job
    runner serves.
    """

    _inherit = "crm.valuation.run"

    def _launch(self):
        if must_run_without_delay(self.env):
            return super()._launch()
        with self._locked(commit=False):
            self.invalidate_recordset()
            if self.state in ("draft", "failed"):
                self._start()
        self._delay_execution()
        return True

    def _launch_nightly(self):
        if must_run_without_delay(self.env):
            return super()._launch_nightly()
        self._delay_execution()
        return True

    def _worked_on_elsewhere(self):
        return super()._worked_on_elsewhere() or bool(self._open_jobs())

    def _delay_execution(self):
        """One job per run: none is queued while one is on its way."""
        if self._open_jobs():
            return
        self.with_delay(
            channel=CHANNEL,
            description=self.env._("Value the customers of %(run)s", run=self.name),
            identity_key=identity_exact,
        )._execute_guarded()

    def _open_jobs(self):
        # sudo: jobs are readable by queue_job managers only; the domain is
        # narrowed to this run's own jobs.
        return (
            self.env["queue.job"]
            .sudo()
            .search_count(
                [
                    ("func_string", "=", f"{self!r}._execute_guarded()"),
                    ("state", "in", OPEN_JOB_STATES),
                ]
            )
        )
