# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import fields, models
from odoo.exceptions import AccessError

from .crm_tier import BADGE_COLORS


class ResPartner(models.Model):
    _inherit = "res.partner"

    tier_state_id = fields.Many2one(
        "crm.tier.partner",
        string="Tier Standing",
        compute="_compute_tier_state_id",
        groups="crm_tiering.group_tier_user",
    )
    tier_id = fields.Many2one(
        "crm.tier",
        string="Loyalty Tier",
        compute="_compute_tier_state_id",
        search="_search_tier_id",
        help="The tier of the commercial entity in the current company's program.",
    )
    tier_badge_color = fields.Selection(
        BADGE_COLORS, compute="_compute_tier_state_id", string="Tier Colour"
    )
    tier_since = fields.Date(
        compute="_compute_tier_state_id", groups="crm_tiering.group_tier_user"
    )
    tier_next_review = fields.Date(
        compute="_compute_tier_state_id", groups="crm_tiering.group_tier_user"
    )
    tier_progress = fields.Float(
        compute="_compute_tier_state_id", groups="crm_tiering.group_tier_user"
    )
    tier_next_tier_id = fields.Many2one(
        "crm.tier",
        string="Next Tier",
        compute="_compute_tier_state_id",
        groups="crm_tiering.group_tier_user",
    )
    tier_reason = fields.Char(
        compute="_compute_tier_state_id", groups="crm_tiering.group_tier_user"
    )

    def _tier_states(self):
        """Standings of the partners' commercial entities in the current
        company's active program, by commercial partner id."""
        # sudo: the tier name and colour of these partners are shown to every
        # employee; the standing's figures stay behind the tier groups.
        states_sudo = (
            self.env["crm.tier.partner"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("company_id", "=", self.env.company.id),
                    ("program_id.active", "=", True),
                ]
            )
        )
        return {state.partner_id.id: state for state in states_sudo}

    def _compute_tier_state_id(self):
        states = self._tier_states()
        for partner in self:
            state = states.get(partner.commercial_partner_id.id)
            partner.tier_id = state.tier_id.id if state else False
            partner.tier_badge_color = state.tier_id.badge_color if state else False
            partner.tier_state_id = state.id if state else False
            partner.tier_since = state.since if state else False
            partner.tier_next_review = state.next_review if state else False
            partner.tier_progress = state.progress if state else 0.0
            partner.tier_next_tier_id = state.next_tier_id.id if state else False
            partner.tier_reason = state.reason if state else False

    def _search_tier_id(self, operator, value):
        states = (
            self.env["crm.tier.partner"]
            .sudo()
            ._search(
                [
                    ("tier_id", operator, value),
                    ("company_id", "=", self.env.company.id),
                    ("program_id.active", "=", True),
                ]
            )
        )
        return [("commercial_partner_id", "in", states.subselect("partner_id"))]

    def get_tier_facts(self):
        """Tier name, colour, progress, next tier and value of each partner, for
        panels (the customer 360) that show the tier without reading the tier
        models themselves. Employees may ask for any partner they can read; a
        portal user only for their own company."""
        self.check_access("read")
        user = self.env.user
        if not user._is_internal() and (
            self.commercial_partner_id - user.commercial_partner_id
        ):
            raise AccessError(self.env._("You can only see your own loyalty tier."))
        states = self._tier_states()
        facts = {}
        for partner in self:
            state = states.get(partner.commercial_partner_id.id)
            facts[partner.id] = state._tier_facts() if state else False
        return facts

    def _apply_tier_benefits(self, changes):
        """Benefits of the new tier given, those of the old one taken back.

        ``changes``: commercial partner id -> (old tier, new tier). A value the
        partner has that the old tier did not give (set by hand) is kept.
        """
        groups = defaultdict(list)
        for partner_id, (before, after) in changes.items():
            groups[before, after].append(partner_id)
        field_map = self.env["crm.tier"]._benefit_fields()
        for (before, after), partner_ids in groups.items():
            tier = after or before
            # sudo: the benefits are the program's, set by a tier manager; the
            # review may run as a user who cannot edit partners.
            partners_sudo = (
                self.sudo().with_company(tier.company_id).browse(partner_ids)
            )
            for tier_field, (partner_field, stored) in field_map.items():
                old, new = before[tier_field], after[tier_field]
                if old == new:
                    continue
                holders = partners_sudo._tier_benefit_holders(stored, old)
                if partner_field == "specific_property_product_pricelist" and holders:
                    # Orders take the contact's pricelist, a commercial field
                    # Odoo copies from the company: the contacts follow it.
                    holders |= partners_sudo.search(
                        [("commercial_partner_id", "in", holders.ids)]
                    )
                holders.write({partner_field: new.id})

    def _tier_benefit_holders(self, stored, old):
        """The partners whose ``stored`` value is the old tier's or empty."""
        empty = self.env[self._fields[stored].comodel_name]
        return self.filtered(lambda partner: partner[stored] in (old, empty))
