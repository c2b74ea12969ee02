# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL, format_amount, format_date

from crm_engine.tiering import Standing, downgrade_risk, evaluate, progress

MANAGER = "crm_tiering.group_tier_manager"
OVERRIDE_FIELDS = {
    "override_tier_id",
    "override_reason",
    "override_note",
    "override_expiry",
}
RULES = [
    ("entry", "Entered"),
    ("upgrade", "Upgraded"),
    ("downgrade", "Downgraded"),
    ("exit", "Left the program"),
    ("kept", "Value reaches the tier"),
    ("before_review", "Kept until the review"),
    ("min_stay", "Kept for the minimum stay"),
    ("grace", "Kept within the grace margin"),
    ("no_tier", "Below every tier"),
    ("override", "Set by a manager"),
]
# Columns the review writes in bulk on every standing, with their SQL types.
REVIEW_COLUMNS = {
    "value": "float8",
    "progress": "float8",
    "gap": "float8",
    "next_tier_id": "int4",
    "qualified_tier_id": "int4",
    "rule": "varchar",
    "next_review": "date",
}
BATCH_SIZE = 20000


class CrmTierPartner(models.Model):
    """A customer's standing in a tier program (one per commercial partner).

    Its tier changes only through the review and manager overrides, each
    change appended to the tier history.
    """

    _name = "crm.tier.partner"
    _description = "Customer Tier"
    _order = "value desc, id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    program_id = fields.Many2one(
        "crm.tier.program", required=True, readonly=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="program_id.company_id", store=True, index=True
    )
    currency_id = fields.Many2one(related="program_id.currency_id")
    metric = fields.Selection(related="program_id.metric", string="Measured On")
    tier_id = fields.Many2one(
        "crm.tier",
        readonly=True,
        index=True,
        group_expand="_read_group_tier_id",
    )
    badge_color = fields.Selection(related="tier_id.badge_color")
    since = fields.Date(readonly=True)
    next_review = fields.Date(readonly=True)
    value = fields.Float(string="Qualifying Value", readonly=True)
    progress = fields.Float(
        string="Progress (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the way from the tier's threshold to the next tier's.",
    )
    next_tier_id = fields.Many2one("crm.tier", readonly=True)
    gap = fields.Float(
        string="To Next Tier",
        readonly=True,
        help="Qualifying value still needed to reach the next tier.",
    )
    qualified_tier_id = fields.Many2one(
        "crm.tier",
        string="Value Reaches",
        readonly=True,
        help="The tier the value alone earns, before the downgrade protection.",
    )
    rule = fields.Selection(RULES, string="Rule Applied", readonly=True)
    reason = fields.Char(string="Why This Tier", compute="_compute_reason")
    keep_gap = fields.Float(
        string="To Keep the Tier",
        compute="_compute_keep_gap",
        help="Qualifying value still missing to keep the tier at the next review "
        "(grace margin included); 0 when the tier is safe.",
    )
    keep_gap_display = fields.Char(compute="_compute_keep_gap")
    gap_display = fields.Char(compute="_compute_keep_gap")
    override_tier_id = fields.Many2one(
        "crm.tier",
        domain="[('program_id', '=', program_id)]",
        help="Locks the customer in this tier (VIP lock) until the expiry date.",
    )
    override_reason = fields.Selection(
        [
            ("vip", "VIP"),
            ("contract", "Contract"),
            ("retention", "Retention"),
            ("complaint", "Service recovery"),
            ("other", "Other"),
        ],
    )
    override_note = fields.Char()
    override_expiry = fields.Date(
        string="Override Until", help="Empty: until a manager removes it."
    )
    warned_review = fields.Date(
        readonly=True, help="Review the customer was last warned about."
    )
    history_ids = fields.One2many(
        "crm.tier.history", "state_id", string="Movements", readonly=True
    )
    partner_image = fields.Binary(related="partner_id.avatar_128")
    user_id = fields.Many2one(related="partner_id.user_id", string="Salesperson")

    _sql_constraints = [
        (
            "partner_program_unique",
            "UNIQUE(program_id, partner_id)",
            "A customer has one standing per tier program.",
        ),
    ]

    @api.model
    def _read_group_tier_id(self, tiers, domain):
        """Every tier of the active programs is a kanban column, empty or not."""
        return tiers.search([("program_id.active", "=", True)])

    @api.depends("rule", "value", "tier_id", "next_review", "override_expiry")
    def _compute_reason(self):
        for state in self:
            state.reason = state._reason_text()

    @api.depends("tier_id", "value", "gap", "program_id.grace_percent")
    def _compute_keep_gap(self):
        for state in self:
            keep = 0.0
            if state.tier_id:
                grace = state.program_id.grace_percent / 100.0
                threshold = state.tier_id.threshold
                keep = max(threshold - abs(threshold) * grace - state.value, 0.0)
            state.keep_gap = keep
            state.keep_gap_display = state._format_value(keep)
            state.gap_display = state._format_value(state.gap)

    def _format_value(self, value):
        if self.metric in ("rfm", "loyalty_points"):
            return f"{value:,.0f}"
        return format_amount(self.env, value, self.currency_id)

    def _reason_text(self):
        tier = self.tier_id
        if self.rule == "override":
            return self.env._(
                "Set by a manager until %(date)s",
                date=format_date(self.env, self.override_expiry)
                if self.override_expiry
                else self.env._("further notice"),
            )
        if not tier:
            return self.env._("Value below every tier")
        value = self._format_value(self.value)
        threshold = self._format_value(tier.threshold)
        if self.rule in ("before_review", "min_stay", "grace"):
            return self.env._(
                "Value %(value)s below the %(tier)s threshold %(threshold)s: "
                "%(rule)s (next review %(date)s)",
                value=value,
                tier=tier.name,
                threshold=threshold,
                rule=dict(self._fields["rule"]._description_selection(self.env))[
                    self.rule
                ].lower(),
                date=format_date(self.env, self.next_review),
            )
        return self.env._(
            "Value %(value)s reaches the %(tier)s threshold %(threshold)s",
            value=value,
            tier=tier.name,
            threshold=threshold,
        )

    @api.constrains("override_tier_id", "override_reason", "override_expiry")
    def _check_override(self):
        today = fields.Date.context_today(self)
        for state in self.filtered("override_tier_id"):
            if not state.override_reason:
                raise ValidationError(self.env._("Give the reason for the override."))
            if state.override_tier_id.program_id != state.program_id:
                raise ValidationError(
                    self.env._("The override tier must belong to the program.")
                )
            if state.override_expiry and state.override_expiry < today:
                raise ValidationError(
                    self.env._("The override cannot expire in the past.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        """Managers create a standing only to override it; reviews insert theirs."""
        if not self.env.su:
            allowed = OVERRIDE_FIELDS | {"partner_id", "program_id"}
            for vals in vals_list:
                if set(vals) - allowed or not vals.get("override_tier_id"):
                    raise AccessError(
                        self.env._("Customer tiers are set by the tier review.")
                    )
                partner = self.env["res.partner"].browse(vals.get("partner_id"))
                vals["partner_id"] = partner.commercial_partner_id.id
        states = super().create(vals_list)
        states.filtered("override_tier_id")._apply_override()
        return states

    def write(self, vals):
        if not self.env.su and set(vals) - OVERRIDE_FIELDS:
            raise AccessError(
                self.env._("Only the override of a customer tier can be changed.")
            )
        result = super().write(vals)
        if OVERRIDE_FIELDS & set(vals) and not self.env.context.get("tier_review"):
            self._apply_override()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_review(self):
        if not self.env.su:
            raise AccessError(self.env._("Customer tiers cannot be deleted."))

    # Overrides ---------------------------------------------------------------

    def _apply_override(self):
        """Move to the override tier now, or back to the earned one when the
        override is removed; each move is a movement in the history."""
        today = fields.Date.context_today(self)
        for state in self:
            state_sudo = state.sudo()
            target = state.override_tier_id
            reason = "override"
            if not target:
                target = state.qualified_tier_id
                reason = "expiry"
            if target == state.tier_id:
                if state.override_tier_id:
                    state_sudo.with_context(tier_review=True).rule = "override"
                continue
            before = state.tier_id
            self.env["crm.tier.history"]._append(
                [state._movement(target, reason, today, note=state.override_note)]
            )
            state_sudo.with_context(tier_review=True).write(
                {
                    "tier_id": target.id,
                    "since": today,
                    "rule": "override" if state.override_tier_id else "entry",
                }
            )
            state._after_moves({state.partner_id.id: (before, target)}, reason)

    def _movement(self, target, reason, day, note=False):
        return (
            self.id,
            self.partner_id.id,
            self.program_id.id,
            self.company_id.id,
            self.tier_id.id or None,
            target.id or None,
            day,
            reason,
            self.value,
            target.threshold if target else None,
            self.program_id.sudo().valuation_run_id.id or None,
            self.env.uid,
            note or None,
        )

    # Review ------------------------------------------------------------------

    @api.model
    def _review_program(self, program, rules, tiers, values, run, as_of):
        """Evaluate ``values`` (commercial partner -> qualifying value) and
        every existing standing of ``program``; returns counts.

        Every standing's figures are refreshed in bulk statements; only the
        customers whose tier changes get history rows, ORM writes, messages
        and benefit changes.
        """
        rows = self.env.execute_query(
            SQL(
                "SELECT partner_id, id, tier_id, since, next_review,"
                " override_tier_id, override_expiry, warned_review, %s"
                " FROM crm_tier_partner WHERE program_id = %s",
                SQL(", ").join(SQL.identifier(name) for name in REVIEW_COLUMNS),
                program.id,
            )
        )
        known = {row[0]: row[1:8] for row in rows}
        # The figures as stored: only standings whose figures change are updated.
        stored = {row[1]: row[8:] for row in rows}
        index_of = {tier.id: index for index, tier in enumerate(tiers)}
        ids = tiers.ids
        thresholds = rules.thresholds
        empty = (None,) * 7
        figures, inserts, moves, expired, risks = [], [], [], [], []
        stats = {"customers": 0, "upgrade": 0, "downgrade": 0}
        for partner_id in sorted(set(values) | set(known)):
            value = values.get(partner_id, 0.0)
            state_id, tier_id, since, review, override_id, expiry, warned = known.get(
                partner_id, empty
            )
            current = index_of.get(tier_id)
            if override_id and (not expiry or expiry >= as_of):
                tier, rule, reason = index_of.get(override_id), "override", None
                qualified = evaluate(rules, Standing(), value, as_of).qualified
            else:
                standing = (
                    Standing() if override_id else Standing(current, since, review)
                )
                decision = evaluate(rules, standing, value, as_of)
                tier, rule, qualified = decision.tier, decision.rule, decision.qualified
                if override_id:
                    expired.append(state_id)
                if tier != current:
                    reason = "expiry" if override_id else decision.direction
                    since, review = decision.since, decision.next_review
                else:
                    reason = None
                    review = decision.next_review
            if state_id is None and tier is None:
                continue
            stats["customers"] += 1
            ahead = progress(thresholds, tier, value)
            figure = (
                round(value, 2),
                ahead.percent,
                round(ahead.gap, 2),
                ids[ahead.next_tier] if ahead.next_tier is not None else None,
                ids[qualified] if qualified is not None else None,
                rule,
                review,
            )
            target = ids[tier] if tier is not None else None
            if state_id is None:
                inserts.append((partner_id, target, since, figure))
            elif figure != stored[state_id]:
                figures.append((state_id, *figure))
            if reason:
                stats[reason if reason != "expiry" else "downgrade"] += 1
                moves.append((partner_id, state_id, tier_id, target, since, reason))
            elif tier is not None and program.notify_customers and warned != review:
                missing = downgrade_risk(
                    rules,
                    Standing(tier, since, review),
                    value,
                    as_of,
                    program.warning_days,
                )
                if missing is not None:
                    risks.append((state_id, missing))
        for start in range(0, len(figures), BATCH_SIZE):
            self._write_figures(figures[start : start + BATCH_SIZE])
        new_ids = self._insert_standings(program, inserts)
        self.invalidate_model()
        if expired:
            self.sudo().browse(expired).with_context(tier_review=True).write(
                dict.fromkeys(OVERRIDE_FIELDS, False)
            )
        self._record_moves(program, moves, new_ids, values, run, as_of)
        if risks:
            self.browse([state for state, _missing in risks])._warn_downgrade(
                dict(risks)
            )
        return dict(stats)

    def _write_figures(self, figures):
        """Refresh the review's figures of existing standings, one statement."""
        if not figures:
            return
        columns = list(zip(*figures, strict=True))
        names = ["id", *REVIEW_COLUMNS]
        kinds = ["int4", *REVIEW_COLUMNS.values()]
        self.env.execute_query(
            SQL(
                "UPDATE crm_tier_partner state SET %s FROM unnest(%s) AS new(%s)"
                " WHERE state.id = new.id",
                SQL(", ").join(
                    SQL("%s = new.%s", SQL.identifier(name), SQL.identifier(name))
                    for name in REVIEW_COLUMNS
                ),
                SQL(", ").join(
                    SQL("%s::%s[]", list(column), SQL(kind))
                    for column, kind in zip(columns, kinds, strict=True)
                ),
                SQL(", ").join(SQL.identifier(name) for name in names),
            )
        )

    def _insert_standings(self, program, inserts):
        """Standings of customers entering the program; partner -> new id."""
        new_ids = {}
        for start in range(0, len(inserts), BATCH_SIZE):
            batch = inserts[start : start + BATCH_SIZE]
            columns = list(
                zip(
                    *(
                        (partner, tier, since, *figure)
                        for partner, tier, since, figure in batch
                    ),
                    strict=True,
                )
            )
            names = ["partner_id", "tier_id", "since", *REVIEW_COLUMNS]
            kinds = ["int4", "int4", "date", *REVIEW_COLUMNS.values()]
            rows = self.env.execute_query(
                SQL(
                    "INSERT INTO crm_tier_partner (%s, program_id, company_id,"
                    " create_uid, create_date, write_uid, write_date)"
                    " SELECT *, %s, %s, %s, NOW() AT TIME ZONE 'UTC', %s,"
                    " NOW() AT TIME ZONE 'UTC' FROM unnest(%s)"
                    " RETURNING partner_id, id",
                    SQL(", ").join(SQL.identifier(name) for name in names),
                    program.id,
                    program.company_id.id,
                    self.env.uid,
                    self.env.uid,
                    SQL(", ").join(
                        SQL("%s::%s[]", list(column), SQL(kind))
                        for column, kind in zip(columns, kinds, strict=True)
                    ),
                )
            )
            new_ids.update(rows)
        return new_ids

    def _record_moves(self, program, moves, new_ids, values, run, as_of):
        """History rows, then the ORM writes of the standings that moved."""
        if not moves:
            return
        tiers = self.env["crm.tier"].browse(
            {move[2] for move in moves if move[2]}
            | {move[3] for move in moves if move[3]}
        )
        threshold = {tier.id: tier.threshold for tier in tiers}
        self.env["crm.tier.history"]._append(
            [
                (
                    state_id or new_ids[partner],
                    partner,
                    program.id,
                    program.company_id.id,
                    before,
                    after,
                    as_of,
                    reason,
                    values.get(partner, 0.0),
                    threshold.get(after),
                    run.id or None,
                    self.env.uid,
                    None,
                )
                for partner, state_id, before, after, _since, reason in moves
            ]
        )
        grouped = defaultdict(list)
        for _partner, state_id, _before, after, since, _reason in moves:
            if state_id:
                grouped[after, since].append(state_id)
        for (after, since), state_ids in grouped.items():
            self.sudo().browse(state_ids).with_context(tier_review=True).write(
                {"tier_id": after, "since": since}
            )
        first_review = not program.last_review_summary
        by_reason = defaultdict(dict)
        browse = self.env["crm.tier"].browse
        for partner, _state, before, after, _since, reason in moves:
            by_reason[reason][partner] = (browse(before), browse(after))
        for reason, changes in by_reason.items():
            self.browse()._after_moves(changes, reason, quiet=first_review)

    def _after_moves(self, changes, reason, quiet=False):
        """Messages, benefits and upgrade emails of moves
        (partner id -> (from tier, to tier)) of one reason."""
        partners = self.env["res.partner"].browse(list(changes))
        if not quiet:
            partners._message_log_batch(
                {
                    partner: self._move_message(before, after, reason)
                    for partner, (before, after) in changes.items()
                }
            )
        partners._apply_tier_benefits(changes)
        if reason == "upgrade" and not quiet:
            upgraded = [
                partner
                for partner, (_before, after) in changes.items()
                if after and after.program_id.notify_customers
            ]
            template = self.env.ref(
                "crm_tiering.mail_template_tier_upgrade", raise_if_not_found=False
            )
            for partner in self.env["res.partner"].browse(upgraded):
                if template and partner.email:
                    template.send_mail(partner.id)

    def _move_message(self, before, after, reason):
        labels = dict(
            self.env["crm.tier.history"]
            ._fields["reason_type"]
            ._description_selection(self.env)
        )
        return Markup("<p>%s</p>") % self.env._(
            "Loyalty tier: %(before)s → %(after)s (%(reason)s)",
            before=before.name or self.env._("none"),
            after=after.name or self.env._("none"),
            reason=labels[reason],
        )

    def _warn_downgrade(self, missing):
        """Customers who drop at their next review unless they buy more: an
        email to them and an activity for their account manager."""
        template = self.env.ref(
            "crm_tiering.mail_template_tier_warning", raise_if_not_found=False
        )
        activity = self.env.ref("mail.mail_activity_data_todo")
        for state in self:
            gap = self._format_value(missing[state.id])
            if template and state.partner_id.email:
                template.send_mail(state.id)
            state.partner_id.activity_schedule(
                activity_type_id=activity.id,
                date_deadline=state.next_review,
                summary=self.env._(
                    "%(tier)s at risk on %(date)s",
                    tier=state.tier_id.name,
                    date=format_date(self.env, state.next_review),
                ),
                note=self.env._(
                    "%(customer)s needs %(gap)s more before the review to keep "
                    "%(tier)s.",
                    customer=state.partner_id.name,
                    gap=gap,
                    tier=state.tier_id.name,
                ),
                user_id=(state.partner_id.user_id or self.env.user).id,
            )
            state.sudo().with_context(
                tier_review=True
            ).warned_review = state.next_review

    # Facts for other screens ---------------------------------------------------

    def _tier_facts(self):
        """The standing as plain data for cards and panels."""
        self.ensure_one()
        return {
            "tier": self.tier_id.name or False,
            "badge_color": self.tier_id.badge_color or False,
            "progress": self.progress,
            "next_tier": self.next_tier_id.name or False,
            "gap": self.gap,
            "value": self.value,
            "since": self.since,
            "next_review": self.next_review,
            "reason": self.reason,
        }
