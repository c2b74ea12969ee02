# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

# Bootstrap colour names: the badge on lists, forms and the portal card.
BADGE_COLORS = [
    ("secondary", "Grey"),
    ("danger", "Red"),
    ("warning", "Orange"),
    ("success", "Green"),
    ("info", "Blue"),
    ("primary", "Purple"),
    ("dark", "Black"),
]
TICKET_PRIORITIES = [("0", "Low"), ("1", "Medium"), ("2", "High"), ("3", "Very High")]


class CrmTier(models.Model):
    """A level of a tier program and the benefits it brings."""

    _name = "crm.tier"
    _description = "Loyalty Tier"
    _order = "program_id, threshold, id"

    name = fields.Char(required=True, translate=True)
    program_id = fields.Many2one(
        "crm.tier.program", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="program_id.company_id", store=True)
    currency_id = fields.Many2one(related="program_id.currency_id")
    threshold = fields.Float(
        string="Entry Threshold",
        required=True,
        help="Qualifying value from which a customer enters this tier.",
    )
    badge_color = fields.Selection(
        BADGE_COLORS, string="Badge Colour", default="secondary", required=True
    )
    benefits = fields.Html(
        translate=True,
        help="What the customer gets in this tier, shown on their portal card.",
    )
    pricelist_id = fields.Many2one(
        "product.pricelist",
        check_company=True,
        help="Given to the customer on entering the tier; switched to the next "
        "tier's on leaving it.",
    )
    payment_term_id = fields.Many2one("account.payment.term", check_company=True)
    sale_team_id = fields.Many2one("crm.team", check_company=True)
    user_id = fields.Many2one(
        "res.users",
        string="Account Manager",
        domain="[('share', '=', False)]",
        help="Salesperson given to the customer's account in this tier.",
    )
    ticket_priority = fields.Selection(
        TICKET_PRIORITIES,
        help="Lowest priority of this customer's new tickets.",
    )
    helpdesk_team_id = fields.Many2one(
        "helpdesk.ticket.team",
        help="Team given to this customer's new tickets that have none.",
    )
    response_hours = fields.Float(
        string="Response Target (hours)",
        help="Time within which a new ticket of this customer should be answered.",
    )
    customer_count = fields.Integer(
        string="Customers", compute="_compute_customer_count"
    )

    _sql_constraints = [
        (
            "threshold_unique",
            "UNIQUE(program_id, threshold)",
            "Two tiers of a program cannot have the same entry threshold.",
        ),
        (
            "response_positive",
            "CHECK(response_hours >= 0)",
            "The response target cannot be negative.",
        ),
    ]

    def _compute_customer_count(self):
        counts = dict(
            self.env["crm.tier.partner"]._read_group(
                [("tier_id", "in", self.ids)], ["tier_id"], ["__count"]
            )
        )
        for tier in self:
            tier.customer_count = counts.get(tier, 0)

    @api.model
    def _benefit_fields(self):
        """Tier field -> (partner field it is written to, partner field that
        holds what was set: the pricelist shown falls back to a default)."""
        return {
            # The stored pricelist: writing the shown one searches a default
            # per partner (slow in bulk) and does not reach the contacts.
            "pricelist_id": (
                "specific_property_product_pricelist",
                "specific_property_product_pricelist",
            ),
            "payment_term_id": ("property_payment_term_id", "property_payment_term_id"),
            "sale_team_id": ("team_id", "team_id"),
            "user_id": ("user_id", "user_id"),
        }

    def action_view_customers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_tiering.crm_tier_partner_action"
        )
        action["domain"] = [("tier_id", "=", self.id)]
        action["context"] = {}
        return action
