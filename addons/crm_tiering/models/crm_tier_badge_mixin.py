# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from markupsafe import Markup

from odoo import api, fields, models

from .crm_tier import BADGE_COLORS

_logger = logging.getLogger(__name__)


class CrmTierBadgeMixin(models.AbstractModel):
    """The customer's tier on a document (lead, quotation, ticket), and the
    business rules applied when such a document is created."""

    _name = "crm.tier.badge.mixin"
    _description = "Customer Tier on Documents"
    # Which crm.tier.rule target a model's documents are.
    _tier_rule_target = None

    tier_id = fields.Many2one(
        "crm.tier", string="Customer Tier", compute="_compute_tier_id"
    )
    tier_badge_color = fields.Selection(
        BADGE_COLORS, string="Tier Colour", compute="_compute_tier_id"
    )

    @api.depends("partner_id", "company_id")
    def _compute_tier_id(self):
        for company, records in self.grouped(
            lambda record: record.company_id or self.env.company
        ).items():
            partners = records.partner_id.with_company(company)
            states = partners._tier_states()
            for record in records:
                state = states.get(record.partner_id.commercial_partner_id.id)
                record.tier_id = state.tier_id.id if state else False
                record.tier_badge_color = state.tier_id.badge_color if state else False

    def _tier_amount(self):
        """The document's amount, compared with a rule's minimum amount."""
        return 0.0

    def _tier_categories(self):
        """Product categories on the document."""
        return self.env["product.category"]

    def _apply_tier_rules(self):
        """Run the matching business rules on new documents.

        A rule that fails is rolled back alone and explained in the chatter:
        it never blocks the user's save.
        """
        if self.env.context.get("tier_rules_off") or not self:
            return
        # sudo: the rules are configuration that routes every user's documents;
        # only their search is widened, each rule acts on the record as is.
        rules_sudo = (
            self.env["crm.tier.rule"]
            .sudo()
            .search([("target", "=", self._tier_rule_target)])
        )
        if not rules_sudo:
            return
        for record in self:
            company = record.company_id or self.env.company
            state = (
                record.partner_id.with_company(company)
                ._tier_states()
                .get(record.partner_id.commercial_partner_id.id)
            )
            for rule_sudo in rules_sudo.filtered(
                lambda rule, company=company: (
                    rule.company_id in (company, rule.company_id.browse())
                )
            ):
                record._run_tier_rule(rule_sudo, state)

    def _run_tier_rule(self, rule_sudo, state):
        try:
            with self.env.cr.savepoint():
                if not rule_sudo._matches(self, state):
                    return
                # sudo: a rule routes the document, possibly out of its
                # creator's reach (to a senior's personal pipeline).
                record_sudo = self.sudo()
                done = rule_sudo._apply(record_sudo)
                record_sudo.message_post(
                    body=Markup("<p>%s</p>")
                    % self.env._(
                        "Tier rule %(rule)s applied: %(done)s",
                        rule=rule_sudo.name,
                        done=done,
                    )
                )
        except Exception as error:  # a failing rule never blocks the save
            _logger.warning(
                "Tier rule %s failed on %s: %s", rule_sudo.name, self, error
            )
            self.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "Tier rule %(rule)s could not be applied: %(error)s",
                    rule=rule_sudo.name,
                    error=str(error),
                )
            )
