# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models

from crm_engine.partner import evaluate_level

_logger = logging.getLogger(__name__)


def day_start_utc(env, day):
    """Naive UTC datetime of the start of ``day`` in the company's time zone."""
    tz = pytz.timezone(env.company.partner_id.tz or env.user.tz or "UTC")
    return (
        tz.localize(datetime.combine(day, time.min))
        .astimezone(pytz.UTC)
        .replace(tzinfo=None)
    )


class ResPartner(models.Model):
    _inherit = "res.partner"

    partner_offer_ids = fields.One2many(
        "crm.partner.offer", "partner_id", string="Forwarded Leads"
    )
    deal_registration_ids = fields.One2many("crm.deal.registration", "partner_id")
    deal_registration_count = fields.Integer(compute="_compute_deal_registration_count")
    level_protected_until = fields.Date(
        copy=False,
        tracking=True,
        help="The partner level is not lowered before this day.",
    )
    level_history_ids = fields.One2many("crm.partner.level.history", "partner_id")

    def _compute_deal_registration_count(self):
        groups = self.env["crm.deal.registration"]._read_group(
            [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.deal_registration_count = counts.get(partner.id, 0)

    def action_view_deal_registrations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_partner_portal.crm_deal_registration_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    # Performance ---------------------------------------------------------------

    @api.model
    def _performance_window(self, today=None):
        today = today or fields.Date.context_today(self)
        days = self.env.company.partner_level_window_days or 365
        start = today - timedelta(days=days - 1)
        return (
            day_start_utc(self.env, start),
            day_start_utc(self.env, today + timedelta(days=1)),
        )

    def _partner_performance(self, date_from, date_to):
        """Figures of each reseller in ``self`` over ``[date_from, date_to)``:
        ``{partner_id: {won_revenue, won, lost, win_rate, response_hours,
        acceptance_rate, answered}}``. One grouped query per figure."""
        Lead = self.env["crm.lead"].with_context(active_test=False)
        closed = [
            ("partner_assigned_id", "in", self.ids),
            ("date_closed", ">=", date_from),
            ("date_closed", "<", date_to),
        ]
        won = {
            partner.id: (count, revenue)
            for partner, count, revenue in Lead._read_group(
                [*closed, ("active", "=", True), ("stage_id.is_won", "=", True)],
                ["partner_assigned_id"],
                ["__count", "expected_revenue:sum"],
            )
        }
        lost = {
            partner.id: count
            for partner, count in Lead._read_group(
                [*closed, ("active", "=", False), ("probability", "=", 0)],
                ["partner_assigned_id"],
                ["__count"],
            )
        }
        answers = {}
        for partner, state, count, hours in self.env["crm.partner.offer"]._read_group(
            [
                ("partner_id", "in", self.ids),
                ("date_offered", ">=", date_from),
                ("date_offered", "<", date_to),
                ("state", "in", ("accepted", "declined", "expired")),
            ],
            ["partner_id", "state"],
            ["__count", "response_hours:avg"],
        ):
            answers.setdefault(partner.id, {})[state] = (count, hours)
        result = {}
        for partner in self:
            won_count, revenue = won.get(partner.id, (0, 0.0))
            lost_count = lost.get(partner.id, 0)
            closed_count = won_count + lost_count
            given = answers.get(partner.id, {})
            answered = [given[s] for s in ("accepted", "declined") if s in given]
            answered_count = sum(count for count, _hours in answered)
            offered = answered_count + given.get("expired", (0, 0))[0]
            result[partner.id] = {
                "won_revenue": revenue or 0.0,
                "won": won_count,
                "lost": lost_count,
                "win_rate": won_count / closed_count if closed_count else 0.0,
                "response_hours": (
                    sum(count * (hours or 0.0) for count, hours in answered)
                    / answered_count
                    if answered_count
                    else None
                ),
                "acceptance_rate": (
                    given.get("accepted", (0, 0))[0] / offered if offered else None
                ),
                "answered": answered_count,
            }
        return result

    # Levels ---------------------------------------------------------------------

    def _review_partner_levels(self, today=None):
        """Set each reseller's level from its figures; log every change.

        Returns the number of partners whose level changed."""
        today = today or fields.Date.context_today(self)
        rules = self.env["res.partner.grade"]._level_rules()
        if not rules:
            return 0
        figures = self._partner_performance(*self._performance_window(today))
        protect_days = self.env.company.partner_level_protect_days
        History = self.env["crm.partner.level.history"]
        changed = 0
        for partner in self:
            metrics = figures[partner.id]
            decision = evaluate_level(
                metrics,
                rules,
                partner.grade_id.id or None,
                partner.level_protected_until,
                today,
                protect_days,
            )
            new_grade = self.env["res.partner.grade"].browse(decision.level or [])
            if decision.action in ("up", "down") or (
                decision.action == "protected" and decision.earned != decision.level
            ):
                History.create(
                    History._prepare_history_vals(partner, new_grade, decision, metrics)
                )
            if new_grade != partner.grade_id or (
                decision.protected_until != partner.level_protected_until
            ):
                changed += new_grade != partner.grade_id
                partner.write(
                    {
                        "grade_id": new_grade.id,
                        "level_protected_until": decision.protected_until,
                    }
                )
        return changed

    @api.model
    def _get_reseller_domain(self):
        return [("grade_id", "!=", False), ("is_company", "=", True)]

    @api.model
    def _cron_review_partner_levels(self):
        """Review every reseller; one failing partner does not stop the rest."""
        for partner in self.search(self._get_reseller_domain()):
            try:
                with self.env.cr.savepoint():
                    partner._review_partner_levels()
            except Exception:
                _logger.exception("Partner level review failed for %s", partner.id)

    def action_review_partner_level(self):
        self._review_partner_levels()
        return True
