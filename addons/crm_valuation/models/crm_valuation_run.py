# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import time
from contextlib import contextmanager
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.modules import module
from odoo.tools import SQL, format_date

from crm_engine.valuation import ProfitSettings, ValuationSettings
from crm_engine.valuation.forecast import model_label
from crm_engine.valuation.holdout import HoldoutReport
from crm_engine.valuation.pipeline import (
    describe_customers,
    fit_customer_models,
    score_base,
    select_model,
)
from crm_engine.valuation.profitability import PRODUCT_COST_NOTE
from crm_engine.valuation.texts import Note, NumberFormat, join_notes, localized

from .. import pareto_chart, valuation_reads, value_rows

_logger = logging.getLogger(__name__)

BATCH_SIZE = 20000
# A running valuation that has not moved for this long was interrupted.
STALLED_AFTER = timedelta(minutes=10)
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
# What a run computed: written by its own code only (see ``_write_results``).
RESULT_FIELDS = frozenset(
    {
        "company_id",
        "state",
        "error",
        "fit_state",
        "notes",
        "log_likelihood",
        "holdout_grade",
        "holdout_data",
        "customer_count",
        "transaction_count",
        "revenue_total",
        "margin_total",
        "clv_total",
        "duration_read",
        "duration_fit",
        "duration_score",
        "duration_write",
        "top20_revenue_share",
        "top20_margin_share",
        "customers_for_80_share",
        "is_latest",
        "value_ids",
        "customers_expected",
        "progress_at",
    }
)


class RunBusy(UserError):
    """Another transaction is computing the run right now."""


class CommitPoints:
    """Where a run's work is made durable.

    In a batch job (``commit=True``) each point commits, and an error rolls
    back to the last one, so the run can resume from there. Under tests, whose
    transaction the test owns, savepoints stand in for the commits. Otherwise
    (a button) nothing commits and an error undoes the whole run.
    """

    def __init__(self, cr, commit):
        self.cr = cr
        self.commit = commit
        self.real = commit and not module.current_test
        self.savepoint = None

    def __enter__(self):
        if not self.real:
            self.savepoint = self.cr.savepoint()
        return self

    def reached(self):
        if not self.commit:
            return
        if self.real:
            self.cr.commit()  # pylint: disable=invalid-commit
        else:
            self.savepoint.close(rollback=False)
            self.savepoint = self.cr.savepoint()

    def __exit__(self, exc_type, exc_value, traceback):
        if self.real:
            if exc_type is not None:
                self.cr.rollback()
        else:
            self.savepoint.close(rollback=exc_type is not None)
        return False


class CrmValuationRun(models.Model):
    """A valuation snapshot: every customer's value as of one date.

    The run keeps the settings and the model fit it was computed with, so its
    numbers can always be explained later, even after the settings change.
    """

    _name = "crm.valuation.run"
    _description = "Customer Valuation Run"
    # The settings (crm.valuation.settings) are copied from the company when
    # the run starts.
    _inherit = ["mail.thread", "crm.valuation.settings"]
    _order = "date desc, id desc"

    # In the reader's language, from the date: not stored, searched by date.
    name = fields.Char(compute="_compute_name", search="_search_name")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        readonly=True,
        index=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(
        string="Valuation Date",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="Purchases up to and including this day are valued.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Failed"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    error = fields.Text(readonly=True)
    # What the model fit gave.
    fit_state = fields.Json(
        readonly=True,
        help="The fitted models, enough to score any customer again.",
    )
    model_used = fields.Char(
        compute="_compute_model_texts",
        help="The purchase model, and the spend model, the lifetime values come from.",
    )
    model_note = fields.Text(string="Model Notes", compute="_compute_model_texts")
    notes = fields.Json(
        readonly=True,
        help="Why a fallback was used or a check skipped, as data: shown in the "
        "reader's language.",
    )
    fit_summary = fields.Char(
        string="Fitted Parameters",
        compute="_compute_fit_summary",
        help="The numbers the models learned from the purchase histories. r and "
        "alpha: how often customers buy (purchase rates vary from customer to "
        "customer as a gamma distribution with shape r and scale alpha); a and b "
        "(BG/NBD, MBG/NBD) or s and beta (Pareto/NBD): how soon they stop buying; "
        "p, q and gamma (Gamma-Gamma): how much a purchase is worth and how much "
        "that varies between customers.",
    )
    log_likelihood = fields.Float(
        readonly=True,
        digits=(16, 2),
        help="How probable the purchase histories are under the fitted model, on "
        "a log scale: closer to zero is a better fit. Only comparable between "
        "models fitted on the same customers.",
    )
    holdout_grade = fields.Selection(
        [("good", "Good"), ("fair", "Fair"), ("poor", "Poor"), ("none", "Not checked")],
        readonly=True,
        help="How well the model, fitted without the holdout months, predicted "
        "the purchases customers really made in them: the error per customer "
        "against a simple average-rate forecast, and the error of the total.",
    )
    holdout_summary = fields.Text(compute="_compute_model_texts")
    holdout_data = fields.Json(readonly=True)
    customer_count = fields.Integer(string="Customers", readonly=True)
    transaction_count = fields.Integer(
        string="Purchase Days",
        readonly=True,
        help="Days on which a customer bought, summed over the customers: several "
        "orders of one customer on one day count as one purchase.",
    )
    revenue_total = fields.Monetary(string="Revenue", readonly=True)
    margin_total = fields.Monetary(string="Margin", readonly=True)
    clv_total = fields.Monetary(string="Lifetime Value", readonly=True)
    duration_read = fields.Float(string="Reading (s)", readonly=True, digits=(16, 2))
    duration_fit = fields.Float(string="Fitting (s)", readonly=True, digits=(16, 2))
    duration_score = fields.Float(string="Scoring (s)", readonly=True, digits=(16, 2))
    duration_write = fields.Float(string="Writing (s)", readonly=True, digits=(16, 2))
    top20_revenue_share = fields.Float(
        string="Revenue from the Top 20%",
        readonly=True,
        help="Share of revenue brought by the fifth of customers who buy most.",
    )
    top20_margin_share = fields.Float(
        string="Margin from the Top 20%",
        readonly=True,
        help="Share of the total margin earned on the fifth of customers who are "
        "most profitable; above 100% when loss-making customers give some back.",
    )
    customers_for_80_share = fields.Float(
        string="Customers Making 80% of Revenue",
        readonly=True,
        help="Smallest share of customers, best first, that brings 80% of revenue.",
    )
    pareto_chart = fields.Html(
        compute="_compute_pareto_chart",
        sanitize=False,
        help="Cumulative share of revenue and margin by share of customers.",
    )
    is_latest = fields.Boolean(
        string="Latest",
        readonly=True,
        index=True,
        help="The company's most recent finished valuation, the one partner forms "
        "and the Latest Valuation filter show.",
    )
    customers_expected = fields.Integer(
        readonly=True, help="Customers the running valuation is valuing."
    )
    progress_at = fields.Datetime(
        string="Last Progress",
        readonly=True,
        help="When the running valuation last wrote a batch of customers.",
    )
    progress = fields.Float(
        compute="_compute_progress",
        help="Share of the customers valued so far, while the valuation runs.",
    )
    can_resume = fields.Boolean(
        compute="_compute_progress",
        help="The valuation was interrupted: it is running but nothing has moved "
        "for a while and no background job is working on it.",
    )
    pinned = fields.Boolean(
        string="Keep",
        tracking=True,
        help="Never deleted by the retention policy (Settings > Customer "
        "Valuation), whatever its age.",
    )
    value_ids = fields.One2many("crm.valuation.value", "run_id", string="Values")
    value_count = fields.Integer(
        compute="_compute_value_count", string="Customer Values"
    )

    _sql_constraints = [
        (
            "one_latest_per_company",
            "EXCLUDE (company_id WITH =) WHERE (is_latest)",
            "A company has one latest valuation.",
        ),
    ]

    @api.depends("date")
    @api.depends_context("lang")
    def _compute_name(self):
        for run in self:
            run.name = (
                self.env._("Valuation %(date)s", date=format_date(self.env, run.date))
                if run.date
                else self.env._("New Valuation")
            )

    def _search_name(self, operator, value):
        """Runs whose name, as this user reads it, matches."""
        if operator not in ("ilike", "not ilike", "=", "!=") or not isinstance(
            value, str
        ):
            raise UserError(self.env._("Operation not supported"))
        runs = self.search_fetch([], ["date"])
        if operator in ("ilike", "not ilike"):
            ids = [run.id for run in runs if value.casefold() in run.name.casefold()]
        else:
            ids = [run.id for run in runs if run.name == value]
        positive = operator in ("ilike", "=")
        return [("id", "in" if positive else "not in", ids)]

    @api.depends("fit_state")
    @api.depends_context("lang")
    def _compute_fit_summary(self):
        for run in self:
            state = run.fit_state or {}
            parameters = {
                **state.get("purchases", {}).get("params", {}),
                **state.get("spend", {}).get("params", {}),
            }
            decimal = self._number_format().decimal
            run.fit_summary = ", ".join(
                f"{name} {value:.4g}".replace(".", decimal)
                for name, value in parameters.items()
            )

    @api.depends("fit_state", "notes", "holdout_data")
    @api.depends_context("lang")
    def _compute_model_texts(self):
        tr = self._translator()
        for run in self:
            run.model_used = (
                model_label(run.fit_state["model"], tr) if run.fit_state else False
            )
            run.model_note = join_notes(run._notes(), tr) or False
            run.holdout_summary = (
                HoldoutReport.from_json(run.holdout_data).describe(tr)
                if run.holdout_data
                else False
            )

    def _notes(self):
        return tuple(Note.from_json(note) for note in self.notes or ())

    def _translator(self):
        """The engine's texts in the user's language, from this addon's catalogue
        (tools/i18n.py puts the engine's msgids in it), numbers written with
        the language's separators."""

        def translate(template, **params):
            return self.env._(template, **params)

        return localized(translate, self._number_format())

    def _number_format(self):
        """The separators of the user's language."""
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        return NumberFormat(
            thousands=lang.thousands_sep or "", decimal=lang.decimal_point or "."
        )

    def _compute_pareto_chart(self):
        for run in self:
            curves = pareto_chart.pareto_curves(run) if run.state == "done" else None
            run.pareto_chart = (
                self.env["ir.qweb"]._render(
                    "crm_valuation.pareto_chart",
                    pareto_chart.chart_values(*curves, self._translator()),
                )
                if curves
                else False
            )

    @api.depends("state", "customers_expected", "progress_at")
    def _compute_progress(self):
        running = self.filtered(lambda run: run.state == "running")
        scored = {}
        if running:
            self.env["crm.valuation.value"].flush_model(["run_id", "p_alive"])
            scored = dict(
                self.env.execute_query(
                    SQL(
                        "SELECT run_id, COUNT(*) FROM crm_valuation_value"
                        " WHERE run_id = ANY(%s) AND p_alive IS NOT NULL"
                        " GROUP BY run_id",
                        running.ids,
                    )
                )
            )
        stalled = fields.Datetime.now() - STALLED_AFTER
        for run in self:
            if run.state == "done":
                run.progress, run.can_resume = 100.0, False
                continue
            expected = run.customers_expected
            done = scored.get(run.id, 0)
            run.progress = min(100.0, 100.0 * done / expected) if expected else 0.0
            last = run.progress_at or run.write_date
            run.can_resume = bool(
                run.state == "running"
                and last
                and last < stalled
                and not run._worked_on_elsewhere()
            )

    def _worked_on_elsewhere(self):
        """Whether a transaction holds the run's lock (the nightly job, a
        worker); background jobs add their own check."""
        cr = self.env.cr
        cr.execute(SQL("SELECT pg_try_advisory_lock(%s, %s)", RUN_LOCK, self.id))
        if not cr.fetchone()[0]:
            return True
        cr.execute(SQL("SELECT pg_advisory_unlock(%s, %s)", RUN_LOCK, self.id))
        return False

    def _compute_value_count(self):
        counts = dict(
            self.env["crm.valuation.value"]._read_group(
                [("run_id", "in", self.ids)], ["run_id"], ["__count"]
            )
        )
        for run in self:
            run.value_count = counts.get(run, 0)

    @api.constrains("date")
    def _check_date(self):
        today = fields.Date.context_today(self)
        if any(run.date > today for run in self):
            raise ValidationError(
                self.env._("A valuation cannot be dated in the future.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_result_fields(set(vals) - {"company_id"})
        return super().create(vals_list)

    def write(self, vals):
        self._check_result_fields(vals)
        if "date" in vals and any(run.state != "draft" for run in self):
            raise UserError(
                self.env._("The date of a valuation that has run cannot change.")
            )
        return super().write(vals)

    def copy_data(self, default=None):
        """A copy is a new draft: what the original computed stays with it."""
        owned = self._result_fields() - {"company_id"}
        return [
            {name: value for name, value in vals.items() if name not in owned}
            for vals in super().copy_data(default)
        ]

    def unlink(self):
        companies = self.filtered("is_latest").company_id
        result = super().unlink()
        self._refresh_latest(companies)
        return result

    def _result_fields(self):
        return RESULT_FIELDS | set(self._valuation_setting_fields())

    def _check_result_fields(self, names):
        """What a run computed is written by its own code only, never over RPC
        or the UI, whatever the user's rights (see ``_write_results``)."""
        forged = self._result_fields().intersection(names)
        if forged and not self.env.su:
            raise AccessError(
                self.env._(
                    "A valuation's results are written by the valuation itself: "
                    "%(fields)s cannot be set by hand.",
                    fields=", ".join(sorted(forged)),
                )
            )

    def _write_results(self, vals):
        # sudo: the one way to write the results (see _check_result_fields);
        # self is the run being computed, after the caller's access check.
        self.sudo().write(vals)

    def action_run(self):
        self.check_access("write")
        for run in self:
            if run.state in ("done", "running"):
                raise UserError(
                    self.env._(
                        "%(run)s has already run; start a new valuation instead.",
                        run=run.name,
                    )
                    if run.state == "done"
                    else self.env._("%(run)s is running.", run=run.name)
                )
            run._launch()
        return True

    def action_resume(self):
        """Go on with a run that was interrupted (rows already written stay)."""
        self.check_access("write")
        for run in self.filtered(lambda run: run.state == "running"):
            run._launch()
        return True

    def action_view_values(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_valuation.crm_valuation_value_action"
        )
        action["domain"] = [("run_id", "=", self.id)]
        action["context"] = {}
        return action

    @api.model
    def action_open_latest(self):
        """The company's latest finished valuation, or the list when none is."""
        run = self.search(
            [("company_id", "=", self.env.company.id), ("state", "=", "done")],
            limit=1,
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_valuation.crm_valuation_run_action"
        )
        if run:
            action.update(res_id=run.id, view_mode="form", views=[(False, "form")])
        return action

    def action_export_xlsx(self):
        self.ensure_one()
        # config=False: an xlsx needs no document layout, so the first export
        # must not open Odoo's "Configure your document layout" dialog.
        return self.env.ref("crm_valuation.crm_valuation_run_xlsx").report_action(
            self, config=False
        )

    @api.model
    def _cron_value_customers(self):
        """Nightly: resume interrupted runs, then value each company's last
        complete day.

        Batches are committed as they are written, so a run cut off by a
        restart or a time limit is picked up again by the next call. A run
        that fails is marked failed and logged; the others go on, and the
        cron itself never fails (Odoo would deactivate it).
        """
        for run in self.search([("state", "=", "running")], order="id"):
            run._launch_nightly()
        for company in self.env["res.company"].search([], limit=None, order="id"):
            try:
                run = self._nightly_run(company)
            except Exception:
                _logger.exception("No valuation could start for %s", company.name)
                continue
            if run:
                run._launch_nightly()

    @api.model
    def _cron_apply_retention(self):
        """Nightly: delete the snapshots the retention policy no longer keeps.

        Kept: every run of the last ``valuation_keep_days`` days, the last
        finished run of each month for ``valuation_keep_months`` months, the
        company's latest run, pinned runs and runs still being computed.
        Their value rows go with them (ON DELETE CASCADE).
        """
        for company in self.env["res.company"].search([], limit=None, order="id"):
            expired = self._expired_runs(company)
            if not expired:
                continue
            with CommitPoints(self.env.cr, commit=True) as points:
                count = len(expired)
                expired.unlink()
                points.reached()
            _logger.info(
                "%s: %d valuations past the retention policy deleted",
                company.name,
                count,
            )

    def _expired_runs(self, company):
        today = company._valuation_last_complete_day() + timedelta(days=1)
        daily_from = today - timedelta(days=company.valuation_keep_days)
        monthly_from = today - relativedelta(months=company.valuation_keep_months)
        self.flush_model(["company_id", "date", "state", "pinned", "is_latest"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT id FROM (
                    SELECT id, date, state, pinned, is_latest,
                           ROW_NUMBER() OVER (
                               PARTITION BY date_trunc('month', date),
                                            state = 'done'
                               ORDER BY date DESC, id DESC) AS rank_in_month
                      FROM crm_valuation_run
                     WHERE company_id = %(company)s
                ) run
                 WHERE date < %(daily_from)s
                   AND state IN ('done', 'failed', 'draft')
                   AND pinned IS NOT TRUE
                   AND is_latest IS NOT TRUE
                   AND NOT (state = 'done' AND rank_in_month = 1
                            AND date >= %(monthly_from)s)
                """,
                company=company.id,
                daily_from=daily_from,
                monthly_from=monthly_from.replace(day=1),
            )
        )
        return self.browse(row[0] for row in rows)

    def _nightly_run(self, company):
        """A new committed run of ``company``'s last complete day, or None when
        it has one already or nothing to value."""
        day = company._valuation_last_complete_day()
        with CommitPoints(self.env.cr, commit=True) as points:
            if (
                self.search_count(
                    [("company_id", "=", company.id), ("date", "=", day)], limit=1
                )
                or not company._valuation_has_purchases()
            ):
                return None
            run = self.with_company(company).create(
                {"company_id": company.id, "date": day}
            )
            points.reached()
        return run

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
        transactions, extras, product_costs = valuation_reads.read_transactions(self)
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
        self._store_fit(base, models, choice, product_costs)
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

    def _store_fit(self, base, models, choice, product_costs=0):
        """Keep the fit, the holdout check and the notes on the run, as data:
        why a fallback was used, the check skipped or the model chosen."""
        report = choice.report
        notes = (*models.note, *choice.notes(models))
        if product_costs:
            notes += (Note(PRODUCT_COST_NOTE, {"count": product_costs}),)
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
