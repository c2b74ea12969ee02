# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import time
from datetime import datetime, timedelta
from datetime import time as day_start

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from crm_engine.tiering import Program, ProgramError, add_months

_logger = logging.getLogger(__name__)

# First key of the advisory lock a review holds (the second is the program id).
REVIEW_LOCK_KEY = 74_105
METRICS = [
    ("revenue", "Revenue, last 12 months"),
    ("margin", "Margin (latest valuation)"),
    ("clv", "Predicted lifetime value (latest valuation)"),
    ("rfm", "RFM score, 3 to 15 (latest valuation)"),
    ("loyalty_points", "Loyalty points"),
]
# Metrics read from the latest valuation run, and the SQL of each from its rows.
VALUATION_METRICS = {
    "margin": SQL("value.margin"),
    "clv": SQL("value.clv"),
    "rfm": SQL("value.r_score + value.f_score + value.m_score"),
}
ASSESSMENTS = [
    ("rolling", "Rolling (reviews every few months)"),
    ("calendar", "Calendar year (one review a year)"),
    ("anniversary", "Anniversary (a year after reaching the tier)"),
]


class CrmTierProgram(models.Model):
    """A company's loyalty program: its tiers, what qualifies, and how often
    standings are reviewed."""

    _name = "crm.tier.program"
    _description = "Loyalty Tier Program"
    _inherit = ["mail.thread"]
    _order = "company_id, name"

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    metric = fields.Selection(
        METRICS,
        string="Qualifying Value",
        required=True,
        default="revenue",
        tracking=True,
        help="What earns a tier. Margin, lifetime value and RFM come from the "
        "company's latest finished customer valuation.",
    )
    assessment = fields.Selection(
        ASSESSMENTS,
        required=True,
        default="rolling",
        tracking=True,
        help="When customers can move down. Upgrades happen at every review.",
    )
    review_months = fields.Integer(
        string="Review Every (months)",
        default=3,
        help="Rolling assessment: reviews on the first day of every N-th month "
        "(1, 2, 3, 4, 6 or 12).",
    )
    reset_month = fields.Integer(
        default=1,
        help="Calendar assessment: the month (1 to 12) whose first day is the "
        "yearly review.",
    )
    min_stay_months = fields.Integer(
        string="Minimum Stay (months)",
        default=6,
        tracking=True,
        help="A customer keeps a tier at least this long after reaching it.",
    )
    grace_percent = fields.Float(
        string="Grace Margin (%)",
        default=10.0,
        tracking=True,
        help="A customer keeps the tier at a review while the value is at most "
        "this share below its threshold.",
    )
    warning_days = fields.Integer(
        string="Warn Before Review (days)",
        default=30,
        help="Customers who would drop at the next review are told this many days "
        "ahead, and their account manager gets an activity.",
    )
    notify_customers = fields.Boolean(
        string="Email Customers",
        default=True,
        help="Email customers when they move up and before they would drop.",
    )
    tier_ids = fields.One2many("crm.tier", "program_id", string="Tiers", copy=True)
    tier_count = fields.Integer(compute="_compute_counts")
    customer_count = fields.Integer(compute="_compute_counts", string="Customers")
    history_count = fields.Integer(compute="_compute_counts", string="Movements")
    last_review = fields.Datetime(readonly=True, copy=False)
    valuation_run_id = fields.Many2one(
        "crm.valuation.run",
        string="Valuation Used",
        readonly=True,
        copy=False,
        groups="crm_valuation.group_valuation_analyst",
        help="The valuation the last review read its values from.",
    )
    last_review_summary = fields.Char(readonly=True, copy=False)

    _sql_constraints = [
        (
            "rules_valid",
            "CHECK(min_stay_months >= 0 AND grace_percent >= 0 AND grace_percent < 100"
            " AND warning_days >= 0 AND reset_month BETWEEN 1 AND 12)",
            "The minimum stay and warning days cannot be negative, the grace margin "
            "is below 100% and the reset month is 1 to 12.",
        ),
    ]

    def _compute_counts(self):
        states = self.env["crm.tier.partner"]
        customers = dict(
            states._read_group(
                [("program_id", "in", self.ids), ("tier_id", "!=", False)],
                ["program_id"],
                ["__count"],
            )
        )
        moves = dict(
            self.env["crm.tier.history"]._read_group(
                [("program_id", "in", self.ids)], ["program_id"], ["__count"]
            )
        )
        for program in self:
            program.tier_count = len(program.tier_ids)
            program.customer_count = customers.get(program, 0)
            program.history_count = moves.get(program, 0)

    @api.constrains("review_months", "tier_ids", "active", "company_id")
    def _check_rules(self):
        for program in self:
            if program.review_months not in (1, 2, 3, 4, 6, 12):
                raise ValidationError(
                    self.env._("Reviews come every 1, 2, 3, 4, 6 or 12 months.")
                )
            if program.active and self.search_count(
                [
                    ("company_id", "=", program.company_id.id),
                    ("id", "!=", program.id),
                ],
                limit=1,
            ):
                raise ValidationError(
                    self.env._(
                        "%(company)s already has an active tier program: archive it "
                        "first.",
                        company=program.company_id.name,
                    )
                )

    def action_review(self):
        """The review button: evaluate every customer now."""
        for program in self:
            program.check_access("write")
            program._review(program._today())
        return True

    def action_view_customers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_tiering.crm_tier_partner_action"
        )
        action["domain"] = [("program_id", "=", self.id)]
        return action

    def action_view_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_tiering.crm_tier_history_action"
        )
        action["domain"] = [("program_id", "=", self.id)]
        return action

    @api.model
    def _cron_review(self):
        """Nightly: review every active program; one failing program is logged
        and the others go on."""
        for program in self.search([], limit=None, order="id"):
            try:
                with self.env.cr.savepoint():
                    program._review(program._today())
            except (UserError, ValidationError, ProgramError) as error:
                _logger.warning("Tier review of %s skipped: %s", program.name, error)
                program.message_post(
                    body=self.env._("Nightly review failed: %(error)s", error=error)
                )

    # Review ------------------------------------------------------------------

    def _today(self):
        return fields.Date.context_today(self.with_context(tz=self._tz_name()))

    def _tz_name(self):
        return self.company_id.partner_id.tz or self.env.user.tz or "UTC"

    def _engine_program(self):
        """The program's rules for the engine, with its tiers lowest first."""
        self.ensure_one()
        tiers = self.tier_ids.sorted("threshold")
        if not tiers:
            raise UserError(
                self.env._("%(program)s has no tiers yet.", program=self.name)
            )
        try:
            rules = Program(
                thresholds=tuple(tiers.mapped("threshold")),
                assessment=self.assessment,
                review_months=self.review_months,
                reset_month=self.reset_month,
                min_stay_months=self.min_stay_months,
                grace_percent=self.grace_percent,
            )
        except ProgramError as error:
            raise UserError(str(error)) from error
        return rules, tiers

    def _lock_review(self):
        """Only one review of a program at a time, in any worker.

        The transaction-scoped advisory lock stops a second review while the
        first runs; writing the program row makes a second review whose snapshot
        predates the first one's commit fail to serialise instead of appending
        the same movements again.
        """
        self.ensure_one()
        locked = self.env.execute_query(
            SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", REVIEW_LOCK_KEY, self.id)
        )[0][0]
        if not locked:
            raise UserError(
                self.env._(
                    "A review of %(program)s is already running; try again when it "
                    "is done.",
                    program=self.name,
                )
            )
        self.sudo().last_review = fields.Datetime.now()
        self.flush_recordset(["last_review"])

    def _review(self, as_of):
        """Evaluate every customer with a value or a tier; write only changes."""
        self.ensure_one()
        started = time.perf_counter()
        self._lock_review()
        rules, tiers = self._engine_program()
        values, run = self._read_values(as_of)
        stats = self.env["crm.tier.partner"]._review_program(
            self, rules, tiers, values, run, as_of
        )
        self.sudo().valuation_run_id = run
        self.sudo().last_review_summary = self.env._(
            "%(date)s: %(customers)s customers, %(up)s up, %(down)s down",
            date=as_of,
            customers=stats["customers"],
            up=stats["upgrade"],
            down=stats["downgrade"],
        )
        _logger.info(
            "Tier review of %s on %s: %s in %.2fs",
            self.name,
            as_of,
            stats,
            time.perf_counter() - started,
        )
        return stats

    def _read_values(self, as_of):
        """Qualifying value per commercial partner, and the valuation run used."""
        self.ensure_one()
        self.env.flush_all()
        # sudo: only the latest run's id is read, to read its rows and to name
        # it on the movements; tier managers need not be valuation analysts.
        run = (
            self.env["crm.valuation.run"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("is_latest", "=", True),
                    ("state", "=", "done"),
                ],
                limit=1,
            )
        )
        if self.metric in VALUATION_METRICS:
            if not run:
                raise UserError(
                    self.env._(
                        "%(program)s qualifies customers on a valuation figure, "
                        "and %(company)s has no finished valuation yet.",
                        program=self.name,
                        company=self.company_id.name,
                    )
                )
            query = SQL(
                "SELECT value.partner_id, %s FROM crm_valuation_value value"
                " WHERE value.run_id = %s",
                VALUATION_METRICS[self.metric],
                run.id,
            )
        elif self.metric == "loyalty_points":
            query = self._loyalty_points_query()
        else:
            query = self._revenue_query(as_of)
        rows = self.env.execute_query(query)
        return {partner: float(value or 0.0) for partner, value in rows}, run

    def _local_midnight(self, day):
        """``day`` at 00:00 in the company's time zone, as naive UTC."""
        zone = pytz.timezone(self._tz_name())
        local = zone.localize(datetime.combine(day, day_start.min))
        return local.astimezone(pytz.UTC).replace(tzinfo=None)

    def _revenue_query(self, as_of):
        """Untaxed confirmed sales of the 12 months up to ``as_of``, in company
        currency, per commercial partner (days cut in the company's zone)."""
        start = self._local_midnight(add_months(as_of, -12))
        end = self._local_midnight(as_of + timedelta(days=1))
        return SQL(
            """
            SELECT partner.commercial_partner_id,
                   SUM(sale.amount_untaxed
                       / COALESCE(NULLIF(sale.currency_rate, 0), 1))
              FROM sale_order sale
              JOIN res_partner partner ON partner.id = sale.partner_id
             WHERE sale.state = 'sale'
               AND sale.company_id = %s
               AND sale.date_order >= %s
               AND sale.date_order < %s
             GROUP BY 1
            """,
            self.company_id.id,
            start,
            end,
        )

    def _loyalty_points_query(self):
        """Points on the customers' loyalty cards of the company's programs."""
        return SQL(
            """
            SELECT partner.commercial_partner_id, SUM(card.points)
              FROM loyalty_card card
              JOIN loyalty_program program ON program.id = card.program_id
              JOIN res_partner partner ON partner.id = card.partner_id
             WHERE program.program_type = 'loyalty'
               AND (program.company_id = %s OR program.company_id IS NULL)
             GROUP BY 1
            """,
            self.company_id.id,
        )
