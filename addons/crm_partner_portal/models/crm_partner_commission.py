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
    rate_source = fields.Char(
        "Rate From",
        readonly=True,
        help="The product categories whose rate applies, or the level's rate.",
    )
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
            "move_partner_rate_unique",
            "UNIQUE(move_id, partner_id, rate)",
            "An invoice earns a reseller one commission line per rate.",
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
        category_rates = self.env["crm.partner.commission.rate"]._rates_by_grade()
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
                vals_list += self._commission_lines(
                    move, reseller, order.opportunity_id, category_rates
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
    def _commission_lines(self, move, reseller, lead, category_rates):
        """Values of the commission lines of one invoice: its product lines
        grouped by the rate that applies to them (the most specific product
        category with a rate for the reseller's level, else the level's
        rate), one line per rate."""
        grade = reseller.grade_id
        level_rate = rate_for(grade.commission_rate)
        grade_rates = category_rates.get(grade.id, {})
        groups = {}
        for line in move.invoice_line_ids.filtered(
            lambda aml: aml.display_type == "product"
        ):
            categ = line.product_id.categ_id
            path = [int(x) for x in reversed((categ.parent_path or "").split("/")) if x]
            rate = rate_for(level_rate, grade_rates, path)
            source = next((c for c in path if c in grade_rates), False)
            base, sources = groups.get(rate, (0.0, set()))
            sources.add(source or 0)
            groups[rate] = (base - line.balance, sources)
        digits = move.company_id.currency_id.decimal_places
        level_label = self.env._("Level %(level)s", level=grade.name or "-")
        vals_list = []
        for rate, (base, sources) in sorted(groups.items()):
            names = sorted(
                self.env["product.category"]
                .browse(sources - {0})
                .mapped("complete_name")
            )
            if 0 in sources:
                names.append(level_label)
            vals_list.append(
                {
                    "partner_id": reseller.id,
                    "move_id": move.id,
                    "lead_id": lead.id,
                    "date": move.invoice_date or move.date,
                    "company_id": move.company_id.id,
                    "base_amount": base,
                    "rate": rate,
                    "rate_source": ", ".join(names),
                    "amount": commission_amount(base, rate, digits),
                }
            )
        return vals_list

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
