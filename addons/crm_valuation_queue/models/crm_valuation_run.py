# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

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

    duration_jobs = fields.Float(
        string="In Background Jobs (s)",
        compute="_compute_duration_jobs",
        digits=(16, 2),
        help="Time the background jobs of this valuation took, from start to end, "
        "waiting in the queue not included.",
    )

    def _compute_duration_jobs(self):
        # sudo: jobs are readable by queue_job managers only; each run reads
        # its own jobs' times, all runs in one grouped query.
        calls = {run._job_function(): run for run in self}
        seconds = dict(
            self.env["queue.job"]
            .sudo()
            ._read_group(
                [("func_string", "in", list(calls))],
                ["func_string"],
                ["exec_time:sum"],
            )
        )
        for call, run in calls.items():
            run.duration_jobs = seconds.get(call) or 0.0

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
                    ("func_string", "=", self._job_function()),
                    ("state", "in", OPEN_JOB_STATES),
                ]
            )
        )

    def _job_function(self):
        """How queue_job writes the call of this run's job."""
        return f"{self!r}._execute_guarded()"
