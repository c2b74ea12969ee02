# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import time

from dateutil.relativedelta import relativedelta
from psycopg2 import errors

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from crm_engine.scorecard import (
    Criterion,
    ScorecardError,
    StandingRange,
    validate_ranges,
    validate_weights,
)

from .crm_supplier_criterion import CRITERION_CODES

_logger = logging.getLogger(__name__)

DEFAULT_WEIGHTS = {
    "on_time": (30.0, 95.0),
    "in_full": (25.0, 95.0),
    "quality": (20.0, 98.0),
    "price": (10.0, 0.0),
    "responsiveness": (5.0, 0.0),
    "invoice_accuracy": (10.0, 0.0),
}


class CrmSupplierScorecardConfig(models.Model):
    """A company's scorecard: criteria and weights, standings and their ranges,
    the period length, and the computation that fills the period cards."""

    _name = "crm.supplier.scorecard.config"
    _description = "Supplier Scorecard Settings"
    _inherit = ["mail.thread"]
    _rec_name = "company_id"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        readonly=True,
        index=True,
    )
    period_kind = fields.Selection(
        [("month", "Monthly"), ("quarter", "Quarterly")],
        string="Periods",
        required=True,
        default="month",
        tracking=True,
    )
    history_months = fields.Integer(
        string="History (months)",
        default=24,
        required=True,
        help="How far back the computation builds period cards.",
    )
    certificate_reminder_days = fields.Integer(
        string="Certificate Reminder (days)",
        default=30,
        help="The purchaser and the supplier are reminded this many days before "
        "a certificate expires.",
    )
    criterion_ids = fields.One2many(
        "crm.supplier.criterion", "config_id", string="Criteria", copy=True
    )
    standing_ids = fields.One2many(
        "crm.supplier.standing", "config_id", string="Standings", copy=True
    )
    weight_total = fields.Float(compute="_compute_weight_total", digits=(5, 2))
    last_computed = fields.Datetime(readonly=True)
    last_duration = fields.Float(string="Duration (s)", readonly=True, digits=(16, 2))
    last_summary = fields.Char(readonly=True)

    _sql_constraints = [
        (
            "company_unique",
            "UNIQUE(company_id)",
            "A company has one scorecard configuration.",
        ),
        (
            "history_positive",
            "CHECK(history_months BETWEEN 1 AND 120)",
            "The history covers 1 to 120 months.",
        ),
        (
            "reminder_positive",
            "CHECK(certificate_reminder_days >= 0)",
            "The certificate reminder cannot be negative.",
        ),
    ]

    @api.depends("criterion_ids.weight")
    def _compute_weight_total(self):
        for config in self:
            config.weight_total = sum(config.criterion_ids.mapped("weight"))

    @api.constrains("criterion_ids", "standing_ids")
    def _check_settings(self):
        for config in self:
            config._engine_criteria()
            config._engine_ranges()

    @api.model
    def _default_values(self, company):
        return {
            "company_id": company.id,
            "criterion_ids": [
                Command.create(
                    {
                        "code": code,
                        "sequence": index,
                        "weight": DEFAULT_WEIGHTS[code][0],
                        "target": DEFAULT_WEIGHTS[code][1],
                    }
                )
                for index, (code, _label) in enumerate(CRITERION_CODES)
            ],
            "standing_ids": [
                Command.create(vals)
                for vals in (
                    {
                        "name": self.env._("Preferred"),
                        "min_score": 85.0,
                        "max_score": 100.0,
                        "control": "preferred",
                        "decoration": "success",
                    },
                    {
                        "name": self.env._("Approved"),
                        "min_score": 70.0,
                        "max_score": 85.0,
                        "control": "none",
                        "decoration": "info",
                    },
                    {
                        "name": self.env._("Watch"),
                        "min_score": 50.0,
                        "max_score": 70.0,
                        "control": "watch",
                        "decoration": "warning",
                    },
                    {
                        "name": self.env._("Blocked"),
                        "min_score": 0.0,
                        "max_score": 50.0,
                        "control": "blocked",
                        "decoration": "danger",
                    },
                )
            ],
        }

    @api.model
    def _for_company(self, company):
        """The company's configuration, made with the defaults when missing."""
        config = self.search([("company_id", "=", company.id)], limit=1)
        if not config:
            # sudo: any purchaser may need the defaults before a manager edits
            # them; only this company's record is created.
            config = self.sudo().create(self._default_values(company)).sudo(False)
        return config

    @api.model
    def action_open(self):
        """The current company's settings form."""
        config = self._for_company(self.env.company)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Scorecard Settings"),
            "res_model": self._name,
            "res_id": config.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # Checks, with the engine's error codes worded for the user ------------

    def _engine_criteria(self):
        self.ensure_one()
        try:
            return validate_weights(
                Criterion(
                    criterion.code,
                    criterion.weight,
                    criterion.target or None,
                )
                for criterion in self.criterion_ids
            )
        except ScorecardError as error:
            raise ValidationError(self._error_text(error)) from error

    def _engine_ranges(self):
        self.ensure_one()
        try:
            return validate_ranges(
                StandingRange(
                    standing.id, standing.min_score, standing.max_score, standing.name
                )
                for standing in self.standing_ids
            )
        except ScorecardError as error:
            raise ValidationError(self._error_text(error)) from error

    def _error_text(self, error):
        params = {
            name: self._criterion_label(value) if name == "criterion" else value
            for name, value in error.params.items()
        }
        code = error.code
        if code == "unknown_criterion":
            return self.env._("Unknown criterion %(criterion)s.", **params)
        if code == "negative_weight":
            return self.env._(
                "The weight of %(criterion)s cannot be negative.", **params
            )
        if code == "weights_sum":
            return self.env._(
                "The criteria weights must sum to 100; they sum to %(total)s.", **params
            )
        if code == "target_range":
            return self.env._(
                "The target of %(criterion)s must be a score between 0 and 100.",
                **params,
            )
        if code == "no_ranges":
            return self.env._("Define at least one standing covering scores 0 to 100.")
        if code == "range_order":
            return self.env._(
                "The range of %(standing)s must start below its end.", **params
            )
        if code == "range_bounds":
            return self.env._(
                "The range of %(standing)s must lie within 0 and 100.", **params
            )
        if code == "range_start":
            return self.env._("No standing covers scores from 0 to %(low)s.", **params)
        if code == "range_end":
            return self.env._(
                "No standing covers scores from %(high)s to 100.", **params
            )
        if code == "range_gap":
            return self.env._(
                "No standing covers scores from %(low)s to %(high)s.", **params
            )
        if code == "range_overlap":
            return self.env._(
                "The ranges of %(first)s and %(second)s overlap.", **params
            )
        return str(error)

    def _criterion_label(self, code):
        return dict(
            self.env["crm.supplier.criterion"]
            ._fields["code"]
            ._description_selection(self.env)
        ).get(code, code)

    # Computation ------------------------------------------------------------

    def action_compute(self):
        for config in self:
            config._compute_scorecards()
        return True

    def _lock(self):
        """One computation per company at a time: a second one is refused."""
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM crm_supplier_scorecard_config"
                        " WHERE id = %s FOR UPDATE NOWAIT",
                        self.id,
                    )
                )
        except errors.LockNotAvailable as error:
            raise UserError(
                self.env._(
                    "The scorecards of %(company)s are being computed; try again "
                    "in a moment.",
                    company=self.company_id.name,
                )
            ) from error

    def _compute_scorecards(self, as_of=None):
        """Cards of every supplier and period of the history, then standings,
        supply risk and segments. Returns the seconds each phase took and
        what it did, for the log and the benchmark."""
        self.ensure_one()
        self.check_access("write")
        criteria = self._engine_criteria()
        ranges = self._engine_ranges()
        self._lock()
        # A few large set-based queries: compiling them (JIT) costs more than
        # running them.
        self.env.cr.execute(SQL("SET LOCAL jit = off"))
        as_of = as_of or fields.Date.context_today(self)
        first = as_of.replace(day=1) - relativedelta(months=self.history_months - 1)
        partners = self.env["res.partner"]
        timings = {}
        count = self.env["crm.supplier.scorecard"]._compute_for(
            self, first, as_of, criteria, ranges, timings
        )
        clock = time.perf_counter()
        changes = partners._srm_update_standings(self, as_of)
        lap(timings, "standings", clock)
        clock = time.perf_counter()
        partners._srm_update_segments(self, as_of)
        self.env.flush_all()
        lap(timings, "segments", clock)
        duration = sum(timings.values())
        self.write(
            {
                "last_computed": fields.Datetime.now(),
                "last_duration": duration,
                "last_summary": self.env._(
                    "%(cards)s period cards, %(changes)s standing changes",
                    cards=count,
                    changes=changes,
                ),
            }
        )
        _logger.info(
            "Supplier scorecards of %s: %d cards, %d standing changes in %.2fs (%s)",
            self.company_id.name,
            count,
            changes,
            duration,
            ", ".join(f"{name} {seconds:.2f}s" for name, seconds in timings.items()),
        )
        return {"cards": count, "changes": changes, "timings": timings}

    @api.model
    def _cron_compute(self):
        """Daily: every company's scorecards; a company that fails is logged and
        the others go on."""
        for company in self.env["res.company"].search([], limit=None, order="id"):
            config = self._for_company(company)
            try:
                with self.env.cr.savepoint():
                    config.with_company(company)._compute_scorecards()
            except Exception:
                _logger.exception(
                    "Supplier scorecards of %s not computed", company.name
                )


def lap(timings, name, clock):
    """Add the time since ``clock`` to ``timings[name]``; a new clock."""
    now = time.perf_counter()
    timings[name] = timings.get(name, 0.0) + now - clock
    return now
