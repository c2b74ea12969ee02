# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

REASON_TYPES = [
    ("upgrade", "Upgrade"),
    ("downgrade", "Downgrade"),
    ("override", "Override"),
    ("expiry", "Override Expired"),
]
# Columns of a movement, in the order ``_append`` takes them.
ROW_COLUMNS = (
    "state_id",
    "partner_id",
    "program_id",
    "company_id",
    "from_tier_id",
    "to_tier_id",
    "date",
    "reason_type",
    "value",
    "threshold",
    "valuation_run_id",
    "user_id",
    "note",
)
_ROW_TYPES = (
    "int4",
    "int4",
    "int4",
    "int4",
    "int4",
    "int4",
    "date",
    "varchar",
    "float8",
    "float8",
    "int4",
    "int4",
    "text",
)


class CrmTierHistory(models.Model):
    """One tier movement of a customer.

    Append-only: rows are added by the review and the override code, never
    changed or removed by anyone, so a customer's tier always equals their last
    movement and every past change can be explained.
    """

    _name = "crm.tier.history"
    _description = "Tier Movement"
    _order = "date desc, id desc"
    _rec_name = "partner_id"
    # Written in bulk by the review, which records who (user_id) and when
    # (date): no create/write columns, whose foreign keys would double the
    # writing time of a first review.
    _log_access = False

    state_id = fields.Many2one(
        "crm.tier.partner", string="Customer Tier", readonly=True, index=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    program_id = fields.Many2one(
        "crm.tier.program",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    from_tier_id = fields.Many2one(
        "crm.tier", string="From", readonly=True, ondelete="restrict"
    )
    to_tier_id = fields.Many2one(
        "crm.tier", string="To", readonly=True, ondelete="restrict"
    )
    date = fields.Date(required=True, readonly=True)
    reason_type = fields.Selection(
        REASON_TYPES, string="Reason", required=True, readonly=True
    )
    value = fields.Float(string="Qualifying Value", readonly=True, aggregator="avg")
    threshold = fields.Float(
        readonly=True, aggregator=False, help="Entry threshold of the new tier."
    )
    valuation_run_id = fields.Many2one(
        "crm.valuation.run",
        string="Valuation",
        readonly=True,
        ondelete="set null",
        groups="crm_valuation.group_valuation_analyst",
    )
    user_id = fields.Many2one("res.users", string="By", readonly=True)
    note = fields.Text(readonly=True)
    to_badge_color = fields.Selection(related="to_tier_id.badge_color")

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(
                self.env._("Tier movements are recorded by the tier review only.")
            )
        return super().create(vals_list)

    def write(self, vals):
        self.check_access("write")
        if vals:
            raise UserError(self.env._("Tier movements cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Tier movements cannot be deleted."))

    @api.model
    def _append(self, rows):
        """Insert movements (tuples in ``ROW_COLUMNS`` order) in one statement."""
        if not rows:
            return
        columns = list(zip(*rows, strict=True))
        unnest = SQL(", ").join(
            SQL("%s::%s[]", list(column), SQL(kind))
            for column, kind in zip(columns, _ROW_TYPES, strict=True)
        )
        self.env.execute_query(
            SQL(
                "INSERT INTO crm_tier_history (%s) SELECT * FROM unnest(%s)",
                SQL(", ").join(SQL.identifier(name) for name in ROW_COLUMNS),
                unnest,
            )
        )
        self.invalidate_model()
