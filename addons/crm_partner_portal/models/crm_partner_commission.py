# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from crm_engine.partner import commission_amount, rate_for, statement_totals

_logger = logging.getLogger(__name__)

PAID_STATES = ("paid", "in_payment")


class CrmPartnerCommission(models.Model):
    """What a reseller earns on one invoice of a deal it won: pending until
    the customer pays, then earned, then paid out to the reseller."""

    _name = "crm.partner.commission"
    _description = "Reseller Commission"
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", "Reseller", required=True, index=True, readonly=True
    )
    move_id = fields.Many2one(
        "account.move",
        "Invoice",
        required=True,
        index=True,
        readonly=True,
        ondelete="cascade",
    )
    lead_id = fields.Many2one("crm.lead", "Opportunity", readonly=True)
    # Stored copies: resellers read their statement, not the invoices.
    move_name = fields.Char("Invoice Number", related="move_id.name", store=True)
    customer_id = fields.Many2one(
        related="move_id.commercial_partner_id", string="Customer"
    )
    customer_name = fields.Char(
        "Customer Name", related="move_id.commercial_partner_id.name", store=True
    )
    date = fields.Date("Invoice Date", required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    base_amount = fields.Monetary("Untaxed Amount", readonly=True)
    rate = fields.Float("Rate (%)", readonly=True)
    amount = fields.Monetary("Commission", readonly=True)
    state = fields.Selection(
        [("pending", "Pending Payment"), ("earned", "Earned"), ("paid", "Paid Out")],
        required=True,
        default="pending",
        readonly=True,
        index=True,
    )
    date_paid = fields.Date("Paid Out On", readonly=True)

    _sql_constraints = [
        (
            "move_partner_unique",
            "UNIQUE(move_id, partner_id)",
            "An invoice earns a reseller one commission.",
        )
    ]

    @api.model
    def _get_commission_order_domain(self):
        return [
            ("opportunity_id.partner_assigned_id", "!=", False),
            ("opportunity_id.stage_id.is_won", "=", True),
            ("state", "=", "sale"),
        ]

    @api.model
    def _compute_commissions(self):
        """Create the commissions of newly posted invoices and move pending
        ones to earned once paid. Returns the number of rows created."""
        orders = self.env["sale.order"].search(self._get_commission_order_domain())
        existing = {
            (row.move_id.id, row.partner_id.id)
            for row in self.search([("move_id", "in", orders.invoice_ids.ids)])
        }
        vals_list = []
        for order in orders:
            reseller = order.opportunity_id.partner_assigned_id.commercial_partner_id
            for move in order.invoice_ids.filtered(
                lambda m: (
                    m.state == "posted" and m.move_type in ("out_invoice", "out_refund")
                )
            ):
                if (move.id, reseller.id) in existing:
                    continue
                existing.add((move.id, reseller.id))
                rate = rate_for(reseller.grade_id.commission_rate)
                base = move.amount_untaxed_signed
                vals_list.append(
                    {
                        "partner_id": reseller.id,
                        "move_id": move.id,
                        "lead_id": order.opportunity_id.id,
                        "date": move.invoice_date or move.date,
                        "company_id": move.company_id.id,
                        "base_amount": base,
                        "rate": rate,
                        "amount": commission_amount(
                            base, rate, move.company_id.currency_id.decimal_places
                        ),
                    }
                )
        created = self.create(vals_list)
        pending = self.search([("state", "=", "pending")])
        pending.filtered(
            lambda row: (
                row.move_id.payment_state in PAID_STATES
                or row.move_id.move_type == "out_refund"
            )
        ).write({"state": "earned"})
        return len(created)

    @api.model
    def _cron_compute_commissions(self):
        try:
            with self.env.cr.savepoint():
                self._compute_commissions()
        except Exception:
            _logger.exception("Commission computation failed")

    def action_mark_paid(self):
        if not self.env.user.has_group("crm_partner_portal.group_channel_manager"):
            raise UserError(self.env._("Only channel managers pay out commissions."))
        if any(row.state != "earned" for row in self):
            raise UserError(self.env._("Only earned commissions can be paid out."))
        self.write({"state": "paid", "date_paid": fields.Date.context_today(self)})
        return True

    def _statement(self):
        """Totals of ``self`` by state (pending, earned, paid, owed, total)."""
        return statement_totals((row.state, row.amount) for row in self)

    @api.model
    def _statement_for(self, domain):
        """The same totals for the rows of ``domain`` the user may read, in
        one grouped query."""
        return statement_totals(self._read_group(domain, ["state"], ["amount:sum"]))
