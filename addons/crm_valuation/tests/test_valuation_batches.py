# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
from unittest.mock import patch

import psycopg2

from odoo.exceptions import UserError
from odoo.modules import module
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.crm_valuation import commit_points, value_rows
from odoo.addons.crm_valuation.models import crm_valuation_run_cron as cron
from odoo.addons.crm_valuation.models import crm_valuation_run_execution as execution

from .common import AS_OF, ValuationCase

RUN = "odoo.addons.crm_valuation.models.crm_valuation_run_execution"
CRON = "odoo.addons.crm_valuation.models.crm_valuation_run_cron"


class Interrupted(Exception):
    """Stands for a worker killed in the middle of a run."""


@tagged("post_install", "-at_install")
class TestRunsSurviveFailures(ValuationCase):
    """Commits, failures, locks and resumes of valuation runs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.env["res.partner"].create(
            [{"name": f"Customer {number}"} for number in range(5)]
        )
        for number, customer in enumerate(cls.customers):
            for days_ago in range(10 + number, 300, 40 + 9 * number):
                cls._order(customer, AS_OF - timedelta(days=days_ago), qty=number + 1)
        cls.third_company = cls.env["res.company"].create({"name": "Third Co"})
        for company in (cls.other_company, cls.third_company):
            cls._order(
                cls.env["res.partner"].create({"name": f"Buyer of {company.name}"}),
                AS_OF - timedelta(days=10),
                qty=1,
                company=company,
            )

    def _rows(self, run):
        """The run's rows, stored fields only, by customer."""
        names = [
            name
            for name, field in self.env["crm.valuation.value"]._fields.items()
            if field.store and name not in ("id", "run_id", "date")
        ]
        return {row["partner_id"]: row for row in run.value_ids.read(names, load=None)}

    def _cron_failing_for_other_company(
        self, model_class, method, company_of, error, logger
    ):
        """Run the nightly cron with ``model_class.method`` raising ``error``
        when ``company_of(runs, *args)`` is the other company; return the
        ERROR lines the cron logged."""
        real = getattr(model_class, method)

        def failing(runs, *args):
            if company_of(runs, *args) == self.other_company:
                raise error
            return real(runs, *args)

        with (
            patch.object(model_class, method, failing),
            mute_logger(logger),
            self.assertLogs(logger, "ERROR") as logs,
        ):
            self.env["crm.valuation.run"]._cron_value_customers()
        return logs.output

    def test_cron_goes_on_after_any_exception_and_marks_the_run(self):
        output = self._cron_failing_for_other_company(
            execution.CrmValuationRun,
            "_value",
            lambda run, points: run.company_id,
            ZeroDivisionError("float division by zero"),
            RUN,
        )
        runs = self.env["crm.valuation.run"].search([])
        failed = runs.filtered(lambda run: run.company_id == self.other_company)
        self.assertEqual(failed.state, "failed")
        self.assertIn("ZeroDivisionError", failed.error)
        self.assertFalse(failed.value_ids)
        self.assertIn("Traceback", "\n".join(output))
        for company in (self.company, self.third_company):
            run = runs.filtered(lambda run, company=company: run.company_id == company)
            self.assertEqual(run.state, "done", company.name)

    def test_cron_goes_on_when_a_company_run_cannot_even_start(self):
        output = self._cron_failing_for_other_company(
            cron.CrmValuationRun,
            "_nightly_run",
            lambda runs, company: company,
            KeyError("valuation_source"),
            CRON,
        )
        self.assertIn("No valuation could start for Other Co", output[0])
        runs = self.env["crm.valuation.run"].search([])
        self.assertFalse(
            runs.filtered(lambda run: run.company_id == self.other_company)
        )
        self.assertEqual(
            set(runs.mapped("company_id")), {self.company, self.third_company}
        )
        self.assertEqual(set(runs.mapped("state")), {"done"})

    def test_cron_commits_as_it_goes(self):
        reached = []
        real = commit_points.CommitPoints.reached

        def spy(points):
            reached.append(points.commit)
            return real(points)

        with patch.object(commit_points.CommitPoints, "reached", spy):
            self.env["crm.valuation.run"]._cron_value_customers()
        self.assertTrue(reached and all(reached))

    def test_batch_commits_stay_and_an_error_rolls_back_to_the_last(self):
        """The real commits of a batch job (tests otherwise use savepoints),
        on a cursor of its own: what a point committed survives the error."""
        with self.registry.cursor() as cr, patch.object(module, "current_test", None):
            with (
                self.assertRaises(Interrupted),
                commit_points.CommitPoints(cr, commit=True) as points,
            ):
                self.assertTrue(points.real)
                # A temporary table: the cursor's own, gone with it.
                cr.execute("CREATE TEMP TABLE commit_points_probe (batch int)")
                cr.execute("INSERT INTO commit_points_probe VALUES (1)")
                points.reached()
                cr.execute("INSERT INTO commit_points_probe VALUES (2)")
                raise Interrupted
            cr.execute("SELECT array_agg(batch) FROM commit_points_probe")
            self.assertEqual(cr.fetchone()[0], [1])

    def test_a_context_key_does_not_make_a_button_commit_or_swallow_errors(self):
        empty = self.env["res.company"].create({"name": "Empty Co"})
        run = self.env["crm.valuation.run"].create({"company_id": empty.id})
        with self.assertRaisesRegex(UserError, "No purchases"):
            run.with_context(valuation_commit=True).action_run()
        self.assertEqual(run.state, "draft")

    def test_resumed_run_ends_as_an_uninterrupted_one(self):
        with patch.object(execution, "BATCH_SIZE", 2):
            whole = self._run()
            run = self.env["crm.valuation.run"].create({"date": AS_OF})
            real_insert = value_rows.insert_rows
            calls = []

            def insert_then_die(run, arrays):
                calls.append(len(arrays["partner_id"]))
                if len(calls) == 2:
                    raise Interrupted
                return real_insert(run, arrays)

            # Not assertRaises, which would roll back what the batch committed.
            with patch.object(value_rows, "insert_rows", insert_then_die):
                interrupted = False
                try:
                    run._execute(commit=True)
                except Interrupted:
                    interrupted = True
                self.assertTrue(interrupted)
            # What the first batch committed stays; the run is still running.
            self.assertEqual(run.state, "running")
            self.assertEqual(len(run.value_ids), 2)
            run.action_resume()
        self.assertEqual(run.state, "done")
        ours, theirs = self._rows(run), self._rows(whole)
        self.assertEqual(len(theirs), 5)
        for partner_id, row in theirs.items():
            row.pop("id")
            ours[partner_id].pop("id")
            self.assertEqual(ours[partner_id], row)
        self.assertEqual(run.revenue_total, whole.revenue_total)
        self.assertEqual(run.clv_total, whole.clv_total)

    def test_a_run_being_worked_on_is_locked(self):
        run = self.env["crm.valuation.run"].create({"date": AS_OF})
        with self.registry.cursor() as other:
            other.execute(
                "SELECT pg_advisory_lock(%s, %s)", [execution.RUN_LOCK, run.id]
            )
            with self.assertRaisesRegex(UserError, "being computed right now"):
                run.action_run()
            self.assertEqual(run.state, "draft")
            # The cron leaves it to whoever holds it, and goes on.
            run._execute_guarded()
            self.assertEqual(run.state, "draft")
            other.execute(
                "SELECT pg_advisory_unlock(%s, %s)",
                [execution.RUN_LOCK, run.id],
            )
        run.action_run()
        self.assertEqual(run.state, "done")

    def test_one_latest_run_per_company_by_the_database(self):
        first = self._run(on=AS_OF - timedelta(days=1))
        second = self._run()
        self.assertEqual((first + second).filtered("is_latest"), second)
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.ExclusionViolation),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                "UPDATE crm_valuation_run SET is_latest = TRUE WHERE id = %s",
                [first.id],
            )
        # The latest one deleted, the one before takes its place.
        second.unlink()
        self.assertTrue(first.is_latest)

    def test_failed_run_runs_again_from_scratch(self):
        run = self.env["crm.valuation.run"].create({"date": AS_OF})
        run._write_results({"state": "failed", "error": "disk full"})
        run.action_run()
        self.assertEqual(run.state, "done")
        self.assertFalse(run.error)
        self.assertEqual(len(run.value_ids), 5)
