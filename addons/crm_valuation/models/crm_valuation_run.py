# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import time
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
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
from crm_engine.valuation.scoring import FittedModels
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
        "the purchases customers really made in them, compared with a simple "
        "average-rate forecast.",
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
    value_ids = fields.One2many("crm.valuation.value", "run_id", string="Values")
    value_count = fields.Integer(
        compute="_compute_value_count", string="Customer Values"
    )

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
        """Whether something other than a request works on the run (background
        jobs override this)."""
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

    def write(self, vals):
        if "date" in vals and any(run.state != "draft" for run in self):
            raise UserError(
                self.env._("The date of a valuation that has run cannot change.")
            )
        return super().write(vals)

    def action_run(self):
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
            run._execute()
        return True

    def action_resume(self):
        """Go on with a run that was interrupted (rows already written stay)."""
        for run in self.filtered(lambda run: run.state == "running"):
            run._execute()
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
        """Daily: resume interrupted runs, then value every company as of today.

        Batches are committed as they are written, so a run cut off by a
        restart or a time limit is picked up again by the next call.
        """
        committed = self.with_context(valuation_commit=True)
        for run in committed.search([("state", "=", "running")]):
            run._execute()
        today = fields.Date.context_today(self)
        for company in self.env["res.company"].search([], limit=None, order="id"):
            if (
                self.search_count(
                    [("company_id", "=", company.id), ("date", "=", today)], limit=1
                )
                or not company._valuation_has_purchases()
            ):
                continue
            committed.with_company(company).create(
                {"company_id": company.id}
            )._execute()

    # Orchestration ---------------------------------------------------------

    def _settings_from_company(self):
        company = self.company_id
        return {name: company[name] for name in self._valuation_setting_fields()}

    def _execute(self):
        """Read, describe and fit, write the rows, score them, finish.

        A run that is already running (interrupted) starts over from the data:
        the computation is deterministic, rows already written are kept and
        only the missing ones are added.
        """
        self.ensure_one()
        if self.state in ("draft", "failed"):
            self.write(
                {"state": "running", "error": False, **self._settings_from_company()}
            )
            self._commit_batch()
        try:
            self._value()
        except UserError as error:
            if not self.env.context.get("valuation_commit"):
                raise
            # In the cron, say why on the run and go on with the next one.
            self._rollback_batch()
            self.write({"state": "failed", "error": str(error)})
            self._commit_batch()
            return False
        return True

    def _commit_batch(self):
        """Commit what is written so far when running as a resumable batch job
        (the cron's ``valuation_commit``); tests own their transaction."""
        if self.env.context.get("valuation_commit") and not module.current_test:
            self.env.cr.commit()  # pylint: disable=invalid-commit

    def _rollback_batch(self):
        if self.env.context.get("valuation_commit") and not module.current_test:
            self.env.cr.rollback()

    def _value(self):
        clock = time.perf_counter()
        transactions, extras = valuation_reads.read_transactions(self)
        self.duration_read = time.perf_counter() - clock
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
        self._store_fit(base, models, choice)
        self.duration_fit = time.perf_counter() - clock
        self.transaction_count = base.daily.date.size
        scores = self._score_in_memory(base, models)
        self._write_rows(base, scores)
        self._dispatch_scoring()

    def _score_in_memory(self, base, models):
        """Scores computed with the rows, before writing them.

        Returns None where the scoring is done separately (in background jobs,
        see crm_valuation_queue); the rows are then written without scores.
        """
        clock = time.perf_counter()
        scores = score_base(base, models)
        self.duration_score = time.perf_counter() - clock
        return scores

    def _dispatch_scoring(self):
        """Rows are scored already: finish now (jobs override this)."""
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
        self._mark_latest()
        revenue_curve, margin_curve = pareto_chart.pareto_curves(self)
        self.write(
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

    def _store_fit(self, base, models, choice):
        """Keep the fit, the holdout check and the notes on the run, as data:
        why a fallback was used, the check skipped or the model chosen."""
        report = choice.report
        notes = (*models.note, *choice.notes(models))
        self.customers_expected = base.summary.customer.size
        log_likelihood = models.log_likelihood
        self.write(
            {
                "fit_state": {**models.to_json(), "model": models.model},
                "notes": [note.to_json() for note in notes],
                "log_likelihood": log_likelihood if log_likelihood is not None else 0,
                "holdout_grade": report.grade if report else "none",
                "holdout_data": report.to_json() if report else False,
            }
        )

    # Writing -----------------------------------------------------------------

    def _write_rows(self, base, scores):
        """Write the rows in batches; rows already there (a resumed run) stay."""
        clock = time.perf_counter()
        arrays = value_rows.without_written(self, value_rows.row_arrays(base, scores))
        count = len(arrays["partner_id"])
        for start in range(0, count, BATCH_SIZE):
            stop = min(start + BATCH_SIZE, count)
            value_rows.insert_rows(
                self, {name: values[start:stop] for name, values in arrays.items()}
            )
            self.progress_at = fields.Datetime.now()
            self._commit_batch()
        self.env["crm.valuation.value"].invalidate_model()
        self.duration_write = time.perf_counter() - clock

    def _score_rows(self, value_ids):
        """Score stored rows from their model inputs and the run's fit.

        The background jobs of crm_valuation_queue call this on slices of the
        run's rows; rows scored already are left alone.
        """

        self.ensure_one()
        clock = time.perf_counter()
        inputs = value_rows.unscored_inputs(self, value_ids)
        if inputs is None:
            return 0
        ids, x, t_x, T, zbar, ratio = inputs
        scores = FittedModels.from_json(self.fit_state).score(
            x,
            t_x,
            T,
            zbar,
            ratio,
            self.valuation_horizon_months,
            self.valuation_discount_rate / 100.0,
        )
        value_rows.update_scores(self, ids, scores)
        _logger.debug(
            "%s: %d rows scored in %.2fs",
            self.name,
            len(ids),
            time.perf_counter() - clock,
        )
        return len(ids)

    def _mark_latest(self):
        """This run becomes its company's latest, unless a later-dated one is."""
        runs = self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "done"),
                ("id", "!=", self.id),
            ]
        )
        later = runs.filtered(lambda run: run.date > self.date)
        if later:
            return
        runs.filtered("is_latest").is_latest = False
        self.is_latest = True
