# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression

PRIORITIES = [("0", "Low"), ("1", "Medium"), ("2", "High"), ("3", "Very High")]
# Domain of a model's documents still open, for the load balance.
OPEN_DOMAINS = {
    "lead": [("active", "=", True), ("probability", "<", 100)],
    "order": [("state", "in", ("draft", "sent"))],
    "ticket": [("closed", "=", False)],
}
MODELS = {"lead": "crm.lead", "order": "sale.order", "ticket": "helpdesk.ticket"}


class CrmTierRule(models.Model):
    """When a lead, quotation or ticket is created for a customer who meets
    the conditions, route it and prepare its follow-up."""

    _name = "crm.tier.rule"
    _description = "Tier Business Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, index=True
    )
    target = fields.Selection(
        [("lead", "Leads"), ("order", "Quotations"), ("ticket", "Tickets")],
        string="Applies To",
        required=True,
        default="lead",
    )
    # Conditions
    tier_ids = fields.Many2many(
        "crm.tier",
        string="Customer Tiers",
        help="Empty: any tier, and customers without one.",
    )
    min_value = fields.Float(
        string="Customer Value At Least",
        help="The customer's qualifying value in the tier program.",
    )
    min_amount = fields.Float(
        string="Amount At Least",
        help="Expected revenue of a lead, untaxed amount of a quotation.",
    )
    product_category_id = fields.Many2one(
        "product.category",
        help="Quotations with a product of this category (or below it).",
    )
    # Actions
    user_ids = fields.Many2many(
        "res.users",
        string="Assign To",
        domain="[('share', '=', False)]",
        help="The document goes to whoever of these has the fewest open "
        "documents; ties in turn.",
    )
    sale_team_id = fields.Many2one("crm.team", string="Sales Team")
    helpdesk_team_id = fields.Many2one("helpdesk.ticket.team")
    priority = fields.Selection(PRIORITIES, string="Set Priority")
    activity_type_id = fields.Many2one("mail.activity.type", string="Activity")
    activity_summary = fields.Char(translate=True)
    activity_days = fields.Integer(string="Activity Due In (days)", default=1)
    require_approval = fields.Boolean(
        string="Require Manager Approval",
        help="Quotations: a sales or tier manager approves before confirmation.",
    )
    last_user_id = fields.Many2one("res.users", readonly=True, copy=False)

    @api.constrains("target", "require_approval", "product_category_id")
    def _check_target(self):
        for rule in self:
            if rule.target != "order" and (
                rule.require_approval or rule.product_category_id
            ):
                raise ValidationError(
                    self.env._(
                        "Approval and product categories apply to quotations only."
                    )
                )

    def _matches(self, record, state):
        self.ensure_one()
        tier = state.tier_id if state else self.env["crm.tier"]
        if self.tier_ids and tier not in self.tier_ids:
            return False
        if self.min_value and (not state or state.value < self.min_value):
            return False
        if self.min_amount and record._tier_amount() < self.min_amount:
            return False
        if self.product_category_id:
            categories = record._tier_categories()
            wanted = self.product_category_id
            if not any(
                category.parent_path.startswith(wanted.parent_path)
                for category in categories
            ):
                return False
        return True

    def _pick_user(self):
        """The rule's user with the fewest open documents; ties in turn after
        the one chosen last."""
        users = self.user_ids.filtered("active")
        if not users:
            return users
        model = self.env[MODELS[self.target]].sudo()
        loads = dict(
            model._read_group(
                expression.AND(
                    [OPEN_DOMAINS[self.target], [("user_id", "in", users.ids)]]
                ),
                ["user_id"],
                ["__count"],
            )
        )
        order = users.sorted("id")
        if self.last_user_id in order:
            start = order.ids.index(self.last_user_id.id) + 1
            order = order[start:] + order[:start]
        return min(order, key=lambda user: loads.get(user, 0))

    def _apply(self, record):
        """Apply the actions to ``record``; returns what was done, as text."""
        self.ensure_one()
        done = []
        vals = {}
        user = self._pick_user()
        if user:
            vals["user_id"] = user.id
            self.last_user_id = user
            done.append(self.env._("assigned to %(user)s", user=user.name))
        team = self.helpdesk_team_id if self.target == "ticket" else self.sale_team_id
        if team:
            vals["team_id"] = team.id
            done.append(self.env._("team %(team)s", team=team.name))
        if self.priority and self.target != "order":
            vals["priority"] = self.priority
            done.append(self.env._("priority raised"))
        if self.require_approval and self.target == "order":
            vals["tier_approval"] = "required"
            done.append(self.env._("manager approval required"))
        if vals:
            record.write(vals)
        if self.activity_type_id:
            record.activity_schedule(
                activity_type_id=self.activity_type_id.id,
                summary=self.activity_summary or self.name,
                date_deadline=fields.Date.add(
                    fields.Date.context_today(self), days=self.activity_days
                ),
                user_id=(user or record.user_id or self.env.user).id,
            )
            done.append(self.env._("activity scheduled"))
        return ", ".join(done) or self.env._("nothing to change")
