# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import time
from datetime import timedelta

import numpy as np

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.modules import module
from odoo.tools import SQL

from crm_engine.valuation import (
    CustomerExtras,
    ProfitSettings,
    Transactions,
    ValuationSettings,
)
from crm_engine.valuation.forecast import model_label
from crm_engine.valuation.holdout import HoldoutReport
from crm_engine.valuation.pareto_abc import concentration_curve
from crm_engine.valuation.pipeline import (
    describe_customers,
    fit_customer_models,
    holdout_report,
    score_base,
)
from crm_engine.valuation.scoring import FittedModels
from crm_engine.valuation.texts import Note, join_notes

from .. import pg_binary
from .crm_valuation_value import ABC_CLASSES, SEGMENT_KEYS

_logger = logging.getLogger(__name__)

BATCH_SIZE = 20000
DAYS_PER_MONTH = 365.25 / 12
# Engine column -> crm.valuation.value field, for the columns stored as they are.
VALUE_COLUMNS = {
    "first_purchase": "first_purchase",
    "last_purchase": "last_purchase",
    "recency_days": "recency_days",
    "frequency": "frequency",
    "monetary": "monetary",
    "r_score": "r_score",
    "f_score": "f_score",
    "m_score": "m_score",
    "rfm_cell": "rfm_cell",
    "revenue": "revenue",
    "discount": "discount",
    "returns": "refunds",
    "cost_of_goods": "cost_of_goods",
    "helpdesk_hours": "service_hours",
    "cost_to_serve": "cost_to_serve",
    "payment_delay_cost": "payment_delay_cost",
    "margin": "margin",
    "margin_percent": "margin_percent",
    "revenue_rank_percent": "revenue_rank_percent",
    "revenue_decile": "revenue_decile",
}
# Model inputs kept on each row, so that a row can be scored (again) alone.
INPUT_COLUMNS = {
    "x": "repeat_purchases",
    "t_x": "repeat_span",
    "T": "observed_span",
    "zbar": "repeat_average",
}
SCORE_FIELDS = ("p_alive", "expected_purchases", "expected_spend", "clv")


class CrmValuationRun(models.Model):
    """A valuation snapshot: every customer's value as of one date.

    The run keeps the settings and the model fit it was computed with, so its
    numbers can always be explained later, even after the settings change.
    """

    _name = "crm.valuation.run"
    _description = "Customer Valuation Run"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
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
    # Settings the run used, copied from the company when it starts.
    valuation_source = fields.Selection(
        lambda self: self.env["res.company"]._fields["valuation_source"].selection,
        string="Based On",
        readonly=True,
    )
    valuation_model = fields.Selection(
        lambda self: self.env["res.company"]._fields["valuation_model"].selection,
        string="Lifetime Model",
        readonly=True,
    )
    valuation_horizon_months = fields.Integer(string="Horizon (months)", readonly=True)
    valuation_discount_rate = fields.Float(
        string="Yearly Discount Rate (%)", readonly=True
    )
    valuation_holdout_months = fields.Integer(string="Holdout (months)", readonly=True)
    valuation_hourly_cost = fields.Monetary(
        string="Service Cost per Hour", readonly=True
    )
    valuation_order_cost = fields.Monetary(
        string="Handling Cost per Order", readonly=True
    )
    valuation_delay_rate = fields.Float(
        string="Yearly Cost of Late Payment (%)", readonly=True
    )
    valuation_abc_a = fields.Float(string="Class A up to (%)", readonly=True)
    valuation_abc_b = fields.Float(string="Class B up to (%)", readonly=True)
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
        string="Fitted Parameters", compute="_compute_fit_summary"
    )
    log_likelihood = fields.Float(readonly=True, digits=(16, 2))
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
    transaction_count = fields.Integer(string="Purchase Days", readonly=True)
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
    value_ids = fields.One2many("crm.valuation.value", "run_id", string="Values")
    value_count = fields.Integer(
        compute="_compute_value_count", string="Customer Values"
    )

    @api.depends("date")
    def _compute_name(self):
        for run in self:
            run.name = self.env._(
                "Valuation %(date)s", date=fields.Date.to_string(run.date)
            )

    @api.depends("fit_state")
    def _compute_fit_summary(self):
        for run in self:
            state = run.fit_state or {}
            parameters = {
                **state.get("purchases", {}).get("params", {}),
                **state.get("spend", {}).get("params", {}),
            }
            run.fit_summary = ", ".join(
                f"{name} {value:.4g}" for name, value in parameters.items()
            )

    @api.depends("fit_state", "notes", "holdout_data")
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
        (tools/i18n.py puts the engine's msgids in it)."""

        def tr(template, **params):
            return self.env._(template, **params)

        return tr

    def _compute_pareto_chart(self):
        for run in self:
            curves = run._pareto_curves() if run.state == "done" else None
            run.pareto_chart = (
                self.env["ir.qweb"]._render(
                    "crm_valuation.pareto_chart", {"points": _chart_points(*curves)}
                )
                if curves
                else False
            )

    def _pareto_curves(self):
        """Revenue and margin concentration curves of the run's rows."""
        self.env["crm.valuation.value"].flush_model(["revenue", "margin", "run_id"])
        rows = self.env.execute_query(
            SQL(
                "SELECT revenue, margin FROM crm_valuation_value WHERE run_id = %s",
                self.id,
            )
        )
        if not rows:
            return None
        revenue, margin = (
            np.array(column, dtype=float) for column in zip(*rows, strict=True)
        )
        return concentration_curve(revenue), concentration_curve(margin)

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
        return self.env.ref("crm_valuation.crm_valuation_run_xlsx").report_action(self)

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
        return {name: company[name] for name in company._valuation_setting_fields()}

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
        transactions, extras = self._read_transactions()
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
        models = fit_customer_models(base)
        self._store_fit(base, models)
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
        revenue_curve, margin_curve = self._pareto_curves()
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
            model={"bgnbd": "bgnbd", "pareto_nbd": "paretonbd"}[self.valuation_model],
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

    def _store_fit(self, base, models):
        """Keep the fit, the holdout check and the notes on the run, as data."""
        report, holdout_note = holdout_report(base)
        notes = (*models.note, *((holdout_note,) if holdout_note else ()))
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

    # Reading -----------------------------------------------------------------

    def _read_transactions(self):
        """Purchases and per-customer extras, as the engine takes them."""
        self.env.flush_all()
        customer, date, amount, cost, discount, orders = pg_binary.copy_out(
            self.env.cr,
            self._purchases_query(),
            ["int4", "date", "float8", "float8", "float8", "int8"],
        )
        transactions = Transactions(customer, date, amount, cost, discount, orders)
        customer, returns, hours, late = pg_binary.copy_out(
            self.env.cr, self._extras_query(), ["int4", "float8", "float8", "float8"]
        )
        return transactions, CustomerExtras(customer, returns, hours, late)

    def _period_end(self):
        return fields.Datetime.to_datetime(self.date) + timedelta(days=1)

    def _purchases_query(self):
        """One row per commercial partner and purchase day, in company currency:
        amount (after discounts), cost of goods, discounts, documents."""
        if self.valuation_source == "invoices":
            return self._invoiced_query()
        return SQL(
            """
            SELECT partner.commercial_partner_id,
                   (sale.date_order AT TIME ZONE 'UTC')::date,
                   COALESCE(SUM(line.price_subtotal / rate.value), 0)::float8,
                   COALESCE(SUM(line.purchase_price * line.product_uom_qty
                                / rate.value), 0)::float8,
                   COALESCE(SUM(line.price_unit * line.product_uom_qty
                                * line.discount / 100.0 / rate.value), 0)::float8,
                   COUNT(DISTINCT sale.id)
              FROM sale_order_line line
              JOIN sale_order sale ON sale.id = line.order_id
              JOIN res_partner partner ON partner.id = sale.partner_id
              CROSS JOIN LATERAL (
                    SELECT COALESCE(NULLIF(sale.currency_rate, 0), 1) AS value
              ) rate
             WHERE sale.state = 'sale'
               AND sale.company_id = %(company)s
               AND sale.date_order < %(end)s
               AND line.display_type IS NULL
             GROUP BY 1, 2
            """,
            company=self.company_id.id,
            end=self._period_end(),
        )

    def _invoiced_query(self):
        """As ``_purchases_query`` from posted customer invoices: the cost is the
        sale order line's cost at the time of sale, per unit invoiced."""
        return SQL(
            """
            SELECT partner.commercial_partner_id,
                   move.invoice_date,
                   COALESCE(SUM(-line.balance), 0)::float8,
                   COALESCE(SUM(COALESCE(cost.unit_cost, 0) * line.quantity),
                            0)::float8,
                   COALESCE(SUM(line.price_unit * line.quantity * line.discount / 100.0
                       * ABS(line.balance) / NULLIF(ABS(line.price_subtotal), 0)),
                       0)::float8,
                   COUNT(DISTINCT move.id)
              FROM account_move_line line
              JOIN account_move move ON move.id = line.move_id
              JOIN res_partner partner ON partner.id = move.partner_id
              LEFT JOIN LATERAL (
                    SELECT so_line.purchase_price
                           / COALESCE(NULLIF(sale.currency_rate, 0), 1) AS unit_cost
                      FROM sale_order_line_invoice_rel rel
                      JOIN sale_order_line so_line ON so_line.id = rel.order_line_id
                      JOIN sale_order sale ON sale.id = so_line.order_id
                     WHERE rel.invoice_line_id = line.id
                     LIMIT 1
              ) cost ON TRUE
             WHERE move.move_type = 'out_invoice'
               AND move.state = 'posted'
               AND move.company_id = %(company)s
               AND move.invoice_date <= %(date)s
               AND line.display_type = 'product'
             GROUP BY 1, 2
            """,
            company=self.company_id.id,
            date=self.date,
        )

    def _extras_query(self):
        """Per commercial partner: credit notes, helpdesk hours, late payment.

        Late payment is kept as amount x days late; the run's rate turns it into
        money. Paid parts count until their last payment, open parts until the
        valuation date.
        """
        return SQL(
            """
            WITH refunds AS (
                SELECT partner.commercial_partner_id AS partner_id,
                       SUM(move.amount_total_signed) * -1 AS amount
                  FROM account_move move
                  JOIN res_partner partner ON partner.id = move.partner_id
                 WHERE move.move_type = 'out_refund' AND move.state = 'posted'
                   AND move.company_id = %(company)s
                   AND move.invoice_date <= %(date)s
                 GROUP BY 1
            ), paid_on AS (
                SELECT line.move_id, MAX(partial.max_date) AS last_payment
                  FROM account_move_line line
                  JOIN account_account account ON account.id = line.account_id
                  JOIN account_partial_reconcile partial
                    ON partial.debit_move_id = line.id
                 WHERE account.account_type = 'asset_receivable'
                   AND line.company_id = %(company)s
                   AND partial.max_date <= %(date)s
                 GROUP BY 1
            ), late AS (
                SELECT partner.commercial_partner_id AS partner_id,
                       SUM(
                         (move.amount_total_signed - move.amount_residual_signed)
                         * GREATEST(
                               COALESCE(paid_on.last_payment, move.invoice_date_due)
                               - move.invoice_date_due,
                               0)
                         + move.amount_residual_signed
                         * GREATEST(%(date)s::date - move.invoice_date_due, 0)
                       ) AS amount_days
                  FROM account_move move
                  JOIN res_partner partner ON partner.id = move.partner_id
                  LEFT JOIN paid_on ON paid_on.move_id = move.id
                 WHERE move.move_type = 'out_invoice' AND move.state = 'posted'
                   AND move.company_id = %(company)s
                   AND move.invoice_date <= %(date)s
                   AND move.invoice_date_due < %(date)s
                 GROUP BY 1
            ), hours AS (
                SELECT ticket.commercial_partner_id AS partner_id,
                       SUM(timesheet.unit_amount) AS hours
                  FROM account_analytic_line timesheet
                  JOIN helpdesk_ticket ticket ON ticket.id = timesheet.ticket_id
                 WHERE ticket.company_id = %(company)s
                   AND timesheet.date <= %(date)s
                   AND ticket.commercial_partner_id IS NOT NULL
                 GROUP BY 1
            )
            SELECT partner_id, COALESCE(SUM(refund), 0)::float8,
                   COALESCE(SUM(hours), 0)::float8,
                   COALESCE(SUM(amount_days), 0)::float8
              FROM (
                    SELECT partner_id, amount AS refund, 0 AS hours, 0 AS amount_days
                      FROM refunds
                    UNION ALL
                    SELECT partner_id, 0, hours, 0 FROM hours
                    UNION ALL
                    SELECT partner_id, 0, 0, amount_days FROM late
              ) inputs
             GROUP BY partner_id
            """,
            company=self.company_id.id,
            date=self.date,
        )

    # Writing -----------------------------------------------------------------

    def _row_arrays(self, base, scores):
        """Field name -> array of numbers, one per customer of ``base``.

        Text columns travel as numbers too (see ``_text_columns``): the RFM
        cell as its three digits, the segment and the class as their position.
        """
        table = base.table
        arrays = {"partner_id": table["customer"]}
        arrays.update({field: table[key] for key, field in VALUE_COLUMNS.items()})
        arrays["rfm_cell"] = table["rfm_cell"].astype(np.int32)
        position = {name: index for index, name in enumerate(SEGMENT_KEYS)}
        arrays["segment"] = np.array([position[name] for name in table["segment"]])
        arrays["abc_class"] = np.searchsorted(np.array(list("ABC")), table["abc_class"])
        summary = base.summary
        arrays.update(
            {field: getattr(summary, key) for key, field in INPUT_COLUMNS.items()}
        )
        arrays["margin_ratio"] = base.margin_ratio
        if scores is not None:
            arrays.update({name: getattr(scores, name) for name in SCORE_FIELDS})
        return arrays

    def _write_rows(self, base, scores):
        """Write the rows in batches; rows already there (a resumed run) stay."""
        clock = time.perf_counter()
        arrays = self._row_arrays(base, scores)
        written = self.env.execute_query(
            SQL("SELECT partner_id FROM crm_valuation_value WHERE run_id = %s", self.id)
        )
        if written:
            missing = ~np.isin(arrays["partner_id"], [row[0] for row in written])
            arrays = {name: values[missing] for name, values in arrays.items()}
        count = len(arrays["partner_id"])
        for start in range(0, count, BATCH_SIZE):
            stop = min(start + BATCH_SIZE, count)
            self._insert_rows(
                {name: values[start:stop] for name, values in arrays.items()}
            )
            self._commit_batch()
        self.env["crm.valuation.value"].invalidate_model()
        self.duration_write = time.perf_counter() - clock

    def _insert_rows(self, arrays):
        """A binary COPY into a staging table, then one INSERT ... SELECT
        (see pg_binary: no number goes through text)."""
        value_fields = self.env["crm.valuation.value"]._fields
        texts = _text_columns()
        kinds = {
            name: "int4" if name in texts else _STAGING_TYPES[value_fields[name].type]
            for name in arrays
        }
        self.env.cr.execute(
            SQL(
                "CREATE TEMPORARY TABLE crm_valuation_staging (%s) ON COMMIT DROP",
                SQL(", ").join(
                    SQL("%s %s", SQL.identifier(name), SQL(kinds[name]))
                    for name in arrays
                ),
            )
        )
        pg_binary.copy_in(
            self.env.cr,
            "crm_valuation_staging",
            {name: (kinds[name], values) for name, values in arrays.items()},
        )
        values = [
            texts[name](SQL.identifier("staging", name))
            if name in texts
            else SQL("NULLIF(%s, 'NaN')", SQL.identifier("staging", name))
            if kinds[name] == "float8"
            else SQL.identifier("staging", name)
            for name in arrays
        ]
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_valuation_value
                       (run_id, company_id, date, %(columns)s)
                SELECT %(run)s, %(company)s, %(date)s, %(values)s
                  FROM crm_valuation_staging staging;
                DROP TABLE crm_valuation_staging
                """,
                columns=SQL(", ").join(SQL.identifier(name) for name in arrays),
                values=SQL(", ").join(values),
                run=self.id,
                company=self.company_id.id,
                date=self.date,
            )
        )

    def _score_rows(self, value_ids):
        """Score stored rows from their model inputs and the run's fit.

        The background jobs of crm_valuation_queue call this on slices of the
        run's rows; rows scored already are left alone.
        """

        self.ensure_one()
        clock = time.perf_counter()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT id, repeat_purchases, repeat_span, observed_span,
                       repeat_average, margin_ratio
                  FROM crm_valuation_value
                 WHERE run_id = %s AND id = ANY(%s) AND p_alive IS NULL
                 ORDER BY id
                """,
                self.id,
                list(value_ids),
            )
        )
        if not rows:
            return 0
        ids, x, t_x, T, zbar, ratio = (
            np.array(c, dtype=float) for c in zip(*rows, strict=True)
        )
        scores = FittedModels.from_json(self.fit_state).score(
            x,
            t_x,
            T,
            zbar,
            ratio,
            self.valuation_horizon_months,
            self.valuation_discount_rate / 100.0,
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE crm_valuation_value value
                   SET p_alive = data.p_alive,
                       expected_purchases = data.expected_purchases,
                       expected_spend = data.expected_spend,
                       clv = data.clv
                  FROM unnest(%s::int4[], %s::float8[], %s::float8[], %s::numeric[],
                              %s::numeric[])
                       AS data(id, p_alive, expected_purchases, expected_spend, clv)
                 WHERE value.id = data.id
                """,
                ids.astype(np.int64).tolist(),
                *(_sql_list(getattr(scores, name)) for name in SCORE_FIELDS),
            )
        )
        self.env["crm.valuation.value"].invalidate_model(list(SCORE_FIELDS))
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


def _chart_points(revenue_curve, margin_curve):
    """SVG polyline points (a 100 x 100 box, y up) of both curves, every 2%."""
    grid = np.linspace(0.0, 1.0, 51)
    points = {}
    for name, curve in (("revenue", revenue_curve), ("margin", margin_curve)):
        shares = np.nan_to_num([curve.share_of_top(share) for share in grid])
        points[name] = " ".join(
            f"{100 * x:.1f},{100 - 100 * min(max(y, -0.2), 1.5):.1f}"
            for x, y in zip(grid, shares, strict=True)
        )
    return points


def _text_columns():
    """Text fields sent as numbers, with the SQL that turns them back."""
    return {
        "rfm_cell": lambda column: SQL("%s::varchar", column),
        "segment": lambda column: SQL(
            "(%s::varchar[])[%s + 1]",
            [key for _label, key in SEGMENT_KEYS.items()],
            column,
        ),
        "abc_class": lambda column: SQL(
            "(%s::varchar[])[%s + 1]", [key for key, _label in ABC_CLASSES], column
        ),
    }


_STAGING_TYPES = {
    "integer": "int4",
    "many2one": "int4",
    "float": "float8",
    "monetary": "float8",
    "date": "date",
}


def _sql_list(values):
    """Plain Python values for psycopg2, with NaN as NULL."""
    return [None if value != value else value for value in values.tolist()]
