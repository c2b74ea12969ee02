# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_date

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
    level_hold_until = fields.Date(
        "Level Held Until",
        copy=False,
        tracking=True,
        help="The level was set by hand: reviews leave it as it is until this "
        "day included, then compute it again.",
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
        acceptance_rate, answered}}``. One SQL query for all of them."""
        self.env["crm.lead"].flush_model(
            [
                "partner_assigned_id",
                "date_closed",
                "active",
                "stage_id",
                "probability",
                "expected_revenue",
            ]
        )
        self.env["crm.stage"].flush_model(["is_won"])
        self.env["crm.partner.offer"].flush_model(
            ["partner_id", "date_offered", "state", "response_hours"]
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT lead.partner_assigned_id, 'won', COUNT(*),
                       SUM(lead.expected_revenue)
                  FROM crm_lead lead
                  JOIN crm_stage stage ON stage.id = lead.stage_id
                 WHERE lead.partner_assigned_id = ANY(%(ids)s)
                   AND lead.date_closed >= %(date_from)s
                   AND lead.date_closed < %(date_to)s
                   AND lead.active AND stage.is_won
                 GROUP BY lead.partner_assigned_id
                UNION ALL
                SELECT partner_assigned_id, 'lost', COUNT(*), NULL
                  FROM crm_lead
                 WHERE partner_assigned_id = ANY(%(ids)s)
                   AND date_closed >= %(date_from)s AND date_closed < %(date_to)s
                   AND NOT active AND probability = 0
                 GROUP BY partner_assigned_id
                UNION ALL
                SELECT partner_id, state, COUNT(*), AVG(response_hours)
                  FROM crm_partner_offer
                 WHERE partner_id = ANY(%(ids)s)
                   AND date_offered >= %(date_from)s AND date_offered < %(date_to)s
                   AND state IN ('accepted', 'declined', 'expired')
                 GROUP BY partner_id, state
                """,
                ids=self.ids,
                date_from=date_from,
                date_to=date_to,
            )
        )
        won, lost, answers = {}, {}, {}
        for partner_id, kind, count, amount in rows:
            if kind == "won":
                won[partner_id] = (count, amount)
            elif kind == "lost":
                lost[partner_id] = count
            else:
                answers.setdefault(partner_id, {})[kind] = (count, amount)
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

    def _reseller_dashboard_counts(self, company_ids):
        """The grouped figures of one reseller's portal dashboard, in one SQL
        query: ``{"pipeline": {stage_id: (count, revenue)}, "commissions":
        [(state, amount)], "registrations": {state: count}}``.

        Rows are those the reseller's portal users may read: of the reseller
        or its contacts, in ``company_ids`` (or none, for leads), as the
        record rules have it."""
        self.ensure_one()
        self.env["crm.lead"].flush_model(
            ["partner_assigned_id", "active", "type", "stage_id", "company_id"]
        )
        self.env["crm.partner.commission"].flush_model(
            ["partner_id", "company_id", "state", "amount"]
        )
        self.env["crm.deal.registration"].flush_model(
            ["partner_id", "company_id", "state"]
        )
        self.flush_model(["parent_id"])
        rows = self.env.execute_query(
            SQL(
                """
                WITH RECURSIVE mine AS (
                    SELECT id FROM res_partner WHERE id = %(reseller)s
                     UNION
                    SELECT child.id FROM res_partner child
                      JOIN mine ON child.parent_id = mine.id
                )
                SELECT 'pipeline', lead.stage_id::text, COUNT(*),
                       SUM(lead.expected_revenue)
                  FROM crm_lead lead
                 WHERE lead.partner_assigned_id IN (SELECT id FROM mine)
                   AND lead.active AND lead.type = 'opportunity'
                   AND (lead.company_id IS NULL
                        OR lead.company_id = ANY(%(companies)s))
                 GROUP BY lead.stage_id
                UNION ALL
                SELECT 'commissions', state, COUNT(*), SUM(amount)
                  FROM crm_partner_commission
                 WHERE partner_id IN (SELECT id FROM mine)
                   AND company_id = ANY(%(companies)s)
                 GROUP BY state
                UNION ALL
                SELECT 'registrations', state, COUNT(*), NULL
                  FROM crm_deal_registration
                 WHERE partner_id IN (SELECT id FROM mine)
                   AND company_id = ANY(%(companies)s)
                 GROUP BY state
                """,
                reseller=self.id,
                companies=list(company_ids),
            )
        )
        counts = {"pipeline": {}, "commissions": [], "registrations": {}}
        for kind, key, count, amount in rows:
            if kind == "pipeline":
                counts[kind][int(key) if key else False] = (count, amount or 0.0)
            elif kind == "commissions":
                counts[kind].append((key, amount or 0.0))
            else:
                counts[kind][key] = count
        return counts

    # Levels ---------------------------------------------------------------------

    def _review_partner_levels(self, today=None):
        """Set each reseller's level from its figures; log every change.

        Returns the number of partners whose level changed."""
        today = today or fields.Date.context_today(self)
        rules = self.env["res.partner.grade"]._level_rules()
        if not rules:
            return 0
        figures = self._partner_performance(*self._performance_window(today))
        return sum(
            partner._apply_level_review(rules, figures[partner.id], today)
            for partner in self
        )

    def _apply_level_review(self, rules, metrics, today):
        """Set this reseller's level from its figures ``metrics`` and the
        level ``rules``; log the change. Returns 1 if the level changed."""
        self.ensure_one()
        if self.level_hold_until and today <= self.level_hold_until:
            return 0
        decision = evaluate_level(
            metrics,
            rules,
            self.grade_id.id or None,
            self.level_protected_until,
            today,
            self.env.company.partner_level_protect_days,
        )
        new_grade = self.env["res.partner.grade"].browse(decision.level or [])
        if decision.action in ("up", "down") or (
            decision.action == "protected" and decision.earned != decision.level
        ):
            History = self.env["crm.partner.level.history"]
            # sudo: the log is append-only, written by this code alone.
            History.sudo().create(
                History._prepare_history_vals(self, new_grade, decision, metrics)
            )
        if self.level_hold_until:
            self._log_level_hold_end(new_grade)
        changed = new_grade != self.grade_id
        if (
            changed
            or decision.protected_until != self.level_protected_until
            or self.level_hold_until
        ):
            self.write(
                {
                    "grade_id": new_grade.id,
                    "level_protected_until": decision.protected_until,
                    "level_hold_until": False,
                }
            )
        return int(changed)

    def _log_level_hold_end(self, new_grade):
        """Say in the chatter that a level held by hand is computed again."""
        self.ensure_one()
        self.message_post(
            body=self.env._(
                "The level set by hand was held until %(date)s; the review "
                "computes it again: %(old)s becomes %(new)s.",
                date=format_date(self.env, self.level_hold_until),
                old=self.grade_id.name or self.env._("no level"),
                new=new_grade.name or self.env._("no level"),
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _set_level_by_hand(self, grade, reason, hold_until=False):
        """Give each partner of ``self`` the level ``grade`` by hand, kept
        from reviews until ``hold_until`` (a date, or False to let the next
        review decide); log it in the chatter and the level history."""
        if not self.env.user.has_group("crm_partner_portal.group_channel_manager"):
            raise AccessError(
                self.env._("Only channel managers may set a partner level by hand.")
            )
        self.check_access("write")
        reason = (reason or "").strip()
        if not reason:
            raise UserError(
                self.env._("Give the reason for setting the level by hand.")
            )
        today = fields.Date.context_today(self)
        if hold_until and hold_until < today:
            raise UserError(
                self.env._(
                    "The level cannot be held until %(date)s: that day is past. "
                    "Choose today or a later day, or no day at all.",
                    date=format_date(self.env, hold_until),
                )
            )
        History = self.env["crm.partner.level.history"]
        for partner in self:
            # sudo: the log is append-only, written by this code alone.
            History.sudo().create(
                {
                    "partner_id": partner.id,
                    "old_grade_id": partner.grade_id.id,
                    "new_grade_id": grade.id,
                    "action": "manual",
                    "reason": reason,
                    "protected_until": hold_until,
                }
            )
            body = (
                self.env._(
                    "Level set by hand: %(old)s becomes %(new)s, held until "
                    "%(date)s. Reason: %(reason)s",
                    date=format_date(self.env, hold_until),
                    old=partner.grade_id.name or self.env._("no level"),
                    new=grade.name,
                    reason=reason,
                )
                if hold_until
                else self.env._(
                    "Level set by hand: %(old)s becomes %(new)s; the next review "
                    "may change it. Reason: %(reason)s",
                    old=partner.grade_id.name or self.env._("no level"),
                    new=grade.name,
                    reason=reason,
                )
            )
            partner.message_post(body=body, subtype_xmlid="mail.mt_note")
        self.write(
            {
                "grade_id": grade.id,
                "level_hold_until": hold_until,
                "level_protected_until": False,
            }
        )

    @api.model
    def _get_reseller_domain(self):
        return [("grade_id", "!=", False), ("is_company", "=", True)]

    @api.model
    def _cron_review_partner_levels(self):
        """Review every reseller, their figures read in one query; one failing
        partner does not stop the rest."""
        resellers = self.search(self._get_reseller_domain())
        rules = self.env["res.partner.grade"]._level_rules()
        if not rules:
            return
        today = fields.Date.context_today(self)
        figures = resellers._partner_performance(*self._performance_window(today))
        for partner in resellers:
            try:
                with self.env.cr.savepoint():
                    partner._apply_level_review(rules, figures[partner.id], today)
            except Exception:
                _logger.exception("Partner level review failed for %s", partner.id)

    def action_review_partner_level(self):
        # Not for resellers: a portal user may read its own company but must
        # not move its level.
        self.check_access("write")
        self._review_partner_levels()
        return True
