# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Computing a run: read, describe and fit, score, write the rows in batches,
finish; the locks that keep two workers off one run and the commit points
that let an interrupted run resume."""

import logging
import time
from contextlib import contextmanager

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from crm_engine.valuation import ProfitSettings, ValuationSettings
from crm_engine.valuation.pipeline import (
    describe_customers,
    fit_customer_models,
    score_base,
    select_model,
)
from crm_engine.valuation.profitability import COST_SOURCE_NOTES
from crm_engine.valuation.texts import Note

from .. import pareto_chart, valuation_reads, value_rows
from ..commit_points import CommitPoints

_logger = logging.getLogger(__name__)

BATCH_SIZE = 20000
DAYS_PER_MONTH = 365.25 / 12
# The settings' lifetime model -> the engine's name for it.
ENGINE_MODELS = {
    "auto": "auto",
    "mbgnbd": "mbgnbd",
    "pareto_nbd": "paretonbd",
    "bgnbd": "bgnbd",
}
# Namespaces (first key) of the PostgreSQL advisory locks of runs and companies.
RUN_LOCK = 0x7661_6C31
COMPANY_LOCK = 0x7661_6C32


class RunBusy(UserError):
    """Another transaction is computing the run right now."""


# One model in several files, one responsibility each (see crm_valuation_run.py).
class CrmValuationRun(models.Model):
    _inherit = "crm.valuation.run"  # pylint: disable=consider-merging-classes-inherited

    # Orchestration ---------------------------------------------------------

    def _settings_from_company(self):
        company = self.company_id
        return {name: company[name] for name in self._valuation_setting_fields()}

    def _launch(self):
        """Start or resume the run from a button: in this request, the user
        waiting (crm_valuation_queue sends it to a background job)."""
        self._execute()

    def _launch_nightly(self):
        """Start or resume the run from the cron, which must go on whatever
        happens to it (crm_valuation_queue sends it to a background job)."""
        self._execute_guarded()

    def _execute_guarded(self):
        """Execute as a batch job that never raises: any error marks the run
        failed (what its last commit holds stays) and is logged."""
        try:
            return self._execute(commit=True)
        except RunBusy:
            _logger.info("%s is being computed elsewhere: left to it", self.name)
        except Exception as error:
            _logger.exception("%s (%s) failed", self.name, self.company_id.name)
            message = (
                str(error)
                if isinstance(error, UserError)
                else f"{type(error).__name__}: {error}"
            )
            with CommitPoints(self.env.cr, commit=True) as points:
                self._write_results({"state": "failed", "error": message})
                points.reached()
        return False

    def _execute(self, commit=False):
        """Read, describe and fit, write the rows, score them, finish.

        ``commit``: whether the work is committed batch by batch, so that it
        survives an interruption (a batch job); the caller decides, never the
        context. A run that is already running (interrupted) starts over from
        the data: the computation is deterministic, rows already written are
        kept and only the missing ones are added.
        """
        self.ensure_one()
        with self._locked(commit), CommitPoints(self.env.cr, commit) as points:
            self.invalidate_recordset()
            if self.state == "done":
                raise UserError(
                    self.env._(
                        "%(run)s has already run; start a new valuation instead.",
                        run=self.name,
                    )
                )
            if self.state in ("draft", "failed"):
                self._start()
                points.reached()
            self._value(points)
        return True

    @contextmanager
    def _locked(self, commit):
        """The run's advisory lock, held while it is worked on.

        Batch jobs take a session lock, which outlives their commits, and
        release it at the end (after any rollback); a request takes a
        transaction lock, which its end releases.
        """
        cr = self.env.cr
        function = "pg_try_advisory_lock" if commit else "pg_try_advisory_xact_lock"
        cr.execute(
            SQL("SELECT %s(%s, %s)", SQL.identifier(function), RUN_LOCK, self.id)
        )
        if not cr.fetchone()[0]:
            raise RunBusy(
                self.env._(
                    "%(run)s is being computed right now (by the nightly job or "
                    "another user); try again when it is done.",
                    run=self.name,
                )
            )
        try:
            yield
        finally:
            if commit:
                cr.execute(SQL("SELECT pg_advisory_unlock(%s, %s)", RUN_LOCK, self.id))

    def _worked_on_elsewhere(self):
        """Whether a transaction holds the run's lock (the nightly job, a
        worker); background jobs add their own check."""
        cr = self.env.cr
        cr.execute(SQL("SELECT pg_try_advisory_lock(%s, %s)", RUN_LOCK, self.id))
        if not cr.fetchone()[0]:
            return True
        cr.execute(SQL("SELECT pg_advisory_unlock(%s, %s)", RUN_LOCK, self.id))
        return False

    def _start(self):
        """From draft or failed: rows of an earlier attempt go, the company's
        settings of now are copied, the run is running."""
        self.env.cr.execute(
            SQL("DELETE FROM crm_valuation_value WHERE run_id = %s", self.id)
        )
        self.env["crm.valuation.value"].invalidate_model()
        self._write_results(
            {"state": "running", "error": False, **self._settings_from_company()}
        )

    def _value(self, points):
        clock = time.perf_counter()
        transactions, extras, cost_sources = valuation_reads.read_transactions(self)
        duration_read = time.perf_counter() - clock
        if not transactions.customer.size:
            raise UserError(
                self.env._(
                    "No purchases up to %(date)s in %(company)s: nothing to value.",
                    date=self.date,
                    company=self.company_id.name,
                )
            )
        clock = time.perf_counter()
        settings = self._engine_settings()
        base = describe_customers(transactions, self.date, settings, extras)
        choice = select_model(base)
        models = fit_customer_models(base, choice.model)
        self._store_fit(base, models, choice, cost_sources)
        self._write_results(
            {
                "duration_read": duration_read,
                "duration_fit": time.perf_counter() - clock,
                "transaction_count": base.daily.date.size,
            }
        )
        clock = time.perf_counter()
        scores = score_base(base, models)
        self._write_results({"duration_score": time.perf_counter() - clock})
        self._write_rows(base, scores, points)
        self._finish()

    def _finish(self):
        """Totals from the rows, the latest flag moved here, state done."""
        self.env["crm.valuation.value"].flush_model()
        customers, revenue, margin, clv = self.env.execute_query(
            SQL(
                "SELECT COUNT(*), COALESCE(SUM(revenue), 0),"
                " COALESCE(SUM(margin), 0), COALESCE(SUM(clv), 0)"
                " FROM crm_valuation_value WHERE run_id = %s",
                self.id,
            )
        )[0]
        revenue_curve, margin_curve = pareto_chart.pareto_curves(self)
        self._write_results(
            {
                "top20_revenue_share": revenue_curve.share_of_top(0.2),
                "top20_margin_share": margin_curve.share_of_top(0.2),
                "customers_for_80_share": revenue_curve.customers_for(0.8),
                "state": "done",
                "error": False,
                "customer_count": customers,
                "revenue_total": revenue,
                "margin_total": margin,
                "clv_total": clv,
            }
        )
        self._refresh_latest(self.company_id)
        _logger.info(
            "%s (%s): %d customers valued (read %.2fs, fit %.2fs, score %.2fs, "
            "write %.2fs)",
            self.name,
            self.company_id.name,
            customers,
            self.duration_read,
            self.duration_fit,
            self.duration_score,
            self.duration_write,
        )

    # Settings ---------------------------------------------------------------

    def _engine_settings(self):

        return ValuationSettings(
            model=ENGINE_MODELS[self.valuation_model],
            horizon_months=self.valuation_horizon_months,
            discount_rate=self.valuation_discount_rate / 100.0,
            holdout_weeks=self.valuation_holdout_months * DAYS_PER_MONTH / 7.0,
            abc_cutoffs=(self.valuation_abc_a / 100.0, self.valuation_abc_b / 100.0),
            profit=ProfitSettings(
                hourly_cost=self.valuation_hourly_cost,
                order_cost=self.valuation_order_cost,
                late_payment_rate=self.valuation_delay_rate / 100.0,
            ),
        )

    def _store_fit(self, base, models, choice, cost_sources=None):
        """Keep the fit, the holdout check and the notes on the run, as data:
        why a fallback was used, the check skipped or the model chosen, where
        the cost of invoice and credit note lines came from (``cost_sources``:
        lines by source, see ``valuation_reads.costed_lines``)."""
        report = choice.report
        notes = (*models.note, *choice.notes(models))
        counts = cost_sources or {}
        notes += tuple(
            Note(template, {"count": counts[source]})
            for source, template in COST_SOURCE_NOTES.items()
            if counts.get(source)
        )
        log_likelihood = models.log_likelihood
        self._write_results(
            {
                "fit_state": {**models.to_json(), "model": models.model},
                "notes": [note.to_json() for note in notes],
                "log_likelihood": log_likelihood if log_likelihood is not None else 0,
                "holdout_grade": report.grade if report else "none",
                "holdout_data": report.to_json() if report else False,
                "customers_expected": base.summary.customer.size,
            }
        )

    # Writing -----------------------------------------------------------------

    def _write_rows(self, base, scores, points):
        """Write the rows in batches; rows already there (a resumed run) stay."""
        clock = time.perf_counter()
        arrays = value_rows.without_written(self, value_rows.row_arrays(base, scores))
        count = len(arrays["partner_id"])
        for start in range(0, count, BATCH_SIZE):
            stop = min(start + BATCH_SIZE, count)
            value_rows.insert_rows(
                self, {name: values[start:stop] for name, values in arrays.items()}
            )
            self._write_results({"progress_at": fields.Datetime.now()})
            points.reached()
        self.env["crm.valuation.value"].invalidate_model()
        self._write_results({"duration_write": time.perf_counter() - clock})

    @api.model
    def _refresh_latest(self, companies):
        """Each company's latest run: its finished run of the latest date.

        The database holds one latest run per company (see _sql_constraints);
        a company lock orders runs finishing at the same time.
        """
        if not companies:
            return
        self.flush_model(["state", "date", "is_latest", "company_id"])
        for company_id in sorted(companies.ids):
            self.env.cr.execute(
                SQL("SELECT pg_advisory_xact_lock(%s, %s)", COMPANY_LOCK, company_id)
            )
        latest = SQL(
            """
            SELECT DISTINCT ON (company_id) id
              FROM crm_valuation_run
             WHERE company_id = ANY(%s) AND state = 'done'
             ORDER BY company_id, date DESC, id DESC
            """,
            companies.ids,
        )
        # Two statements, the old flags cleared first: the constraint is
        # checked row by row.
        self.env.cr.execute(
            SQL(
                "UPDATE crm_valuation_run SET is_latest = FALSE"
                " WHERE company_id = ANY(%s) AND is_latest AND id NOT IN (%s)",
                companies.ids,
                latest,
            )
        )
        self.env.cr.execute(
            SQL(
                "UPDATE crm_valuation_run SET is_latest = TRUE"
                " WHERE id IN (%s) AND is_latest IS NOT TRUE",
                latest,
            )
        )
        self.invalidate_model(["is_latest"])
        self.env["crm.valuation.value"].invalidate_model(["is_latest"])
