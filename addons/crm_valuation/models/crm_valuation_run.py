# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The valuation run: its fields, its records' rules and its buttons.

The rest of the model is spread by responsibility over the files beside this
one: ``crm_valuation_run_execution`` (reading, fitting, writing, locking),
``crm_valuation_run_cron`` (nightly runs and retention) and
``crm_valuation_run_texts`` (notes, model texts and the Pareto chart in the
reader's language).
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_date

# A running valuation that has not moved for this long was interrupted.
STALLED_AFTER = timedelta(minutes=10)
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
    notes = fields.Json(
        readonly=True,
        help="Why a fallback was used or a check skipped, as data: shown in the "
        "reader's language.",
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
