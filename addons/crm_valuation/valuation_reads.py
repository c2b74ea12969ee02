# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a valuation reads from Odoo's tables: set-based SQL, one GROUP BY each.

Each query returns fixed-size, non-NULL columns so that ``pg_binary`` can
bring them over as numpy arrays (see ``read_transactions``).
"""

from datetime import timedelta

from odoo import fields
from odoo.tools import SQL

from crm_engine.valuation import CustomerExtras, Transactions

from . import pg_binary


def read_transactions(run):
    """Purchases and per-customer extras of ``run``, as the engine takes them."""
    run.env.flush_all()
    customer, date, amount, cost, discount, orders = pg_binary.copy_out(
        run.env.cr,
        purchases_query(run),
        ["int4", "date", "float8", "float8", "float8", "int8"],
    )
    transactions = Transactions(customer, date, amount, cost, discount, orders)
    customer, returns, hours, late = pg_binary.copy_out(
        run.env.cr, extras_query(run), ["int4", "float8", "float8", "float8"]
    )
    return transactions, CustomerExtras(customer, returns, hours, late)


def period_end(run):
    """The first moment after the run's valuation day."""
    return fields.Datetime.to_datetime(run.date) + timedelta(days=1)


def purchases_query(run):
    """One row per commercial partner and purchase day, in company currency:
    amount (after discounts), cost of goods, discounts, documents."""
    if run.valuation_source == "invoices":
        return invoiced_query(run)
    return SQL(
        """
        SELECT partner.commercial_partner_id,
               (sale.date_order AT TIME ZONE 'UTC')::date,
               COALESCE(SUM(line.price_subtotal / rate.value), 0)::float8,
               COALESCE(SUM(line.purchase_price * line.product_uom_qty
                            / rate.value), 0)::float8,
               COALESCE(SUM(line.price_unit * line.product_uom_qty
                            * line.discount / 100.0 / rate.value), 0)::float8,
               COUNT(DISTINCT sale.id)
          FROM sale_order_line line
          JOIN sale_order sale ON sale.id = line.order_id
          JOIN res_partner partner ON partner.id = sale.partner_id
          CROSS JOIN LATERAL (
                SELECT COALESCE(NULLIF(sale.currency_rate, 0), 1) AS value
          ) rate
         WHERE sale.state = 'sale'
           AND sale.company_id = %(company)s
           AND sale.date_order < %(end)s
           AND line.display_type IS NULL
         GROUP BY 1, 2
        """,
        company=run.company_id.id,
        end=period_end(run),
    )


def invoiced_query(run):
    """As ``purchases_query`` from posted customer invoices: the cost is the
    sale order line's cost at the time of sale, per unit invoiced."""
    return SQL(
        """
        SELECT partner.commercial_partner_id,
               move.invoice_date,
               COALESCE(SUM(-line.balance), 0)::float8,
               COALESCE(SUM(COALESCE(cost.unit_cost, 0) * line.quantity),
                        0)::float8,
               COALESCE(SUM(line.price_unit * line.quantity * line.discount / 100.0
                   * ABS(line.balance) / NULLIF(ABS(line.price_subtotal), 0)),
                   0)::float8,
               COUNT(DISTINCT move.id)
          FROM account_move_line line
          JOIN account_move move ON move.id = line.move_id
          JOIN res_partner partner ON partner.id = move.partner_id
          LEFT JOIN LATERAL (
                SELECT so_line.purchase_price
                       / COALESCE(NULLIF(sale.currency_rate, 0), 1) AS unit_cost
                  FROM sale_order_line_invoice_rel rel
                  JOIN sale_order_line so_line ON so_line.id = rel.order_line_id
                  JOIN sale_order sale ON sale.id = so_line.order_id
                 WHERE rel.invoice_line_id = line.id
                 LIMIT 1
          ) cost ON TRUE
         WHERE move.move_type = 'out_invoice'
           AND move.state = 'posted'
           AND move.company_id = %(company)s
           AND move.invoice_date <= %(date)s
           AND line.display_type = 'product'
         GROUP BY 1, 2
        """,
        company=run.company_id.id,
        date=run.date,
    )


def extras_query(run):
    """Per commercial partner: credit notes, helpdesk hours, late payment.

    Late payment is kept as amount x days late; the run's rate turns it into
    money. Paid parts count until their last payment, open parts until the
    valuation date.
    """
    return SQL(
        """
        WITH refunds AS (
            SELECT partner.commercial_partner_id AS partner_id,
                   SUM(move.amount_total_signed) * -1 AS amount
              FROM account_move move
              JOIN res_partner partner ON partner.id = move.partner_id
             WHERE move.move_type = 'out_refund' AND move.state = 'posted'
               AND move.company_id = %(company)s
               AND move.invoice_date <= %(date)s
             GROUP BY 1
        ), paid_on AS (
            SELECT line.move_id, MAX(partial.max_date) AS last_payment
              FROM account_move_line line
              JOIN account_account account ON account.id = line.account_id
              JOIN account_partial_reconcile partial
                ON partial.debit_move_id = line.id
             WHERE account.account_type = 'asset_receivable'
               AND line.company_id = %(company)s
               AND partial.max_date <= %(date)s
             GROUP BY 1
        ), late AS (
            SELECT partner.commercial_partner_id AS partner_id,
                   SUM(
                     (move.amount_total_signed - move.amount_residual_signed)
                     * GREATEST(
                           COALESCE(paid_on.last_payment, move.invoice_date_due)
                           - move.invoice_date_due,
                           0)
                     + move.amount_residual_signed
                     * GREATEST(%(date)s::date - move.invoice_date_due, 0)
                   ) AS amount_days
              FROM account_move move
              JOIN res_partner partner ON partner.id = move.partner_id
              LEFT JOIN paid_on ON paid_on.move_id = move.id
             WHERE move.move_type = 'out_invoice' AND move.state = 'posted'
               AND move.company_id = %(company)s
               AND move.invoice_date <= %(date)s
               AND move.invoice_date_due < %(date)s
             GROUP BY 1
        ), hours AS (
            SELECT ticket.commercial_partner_id AS partner_id,
                   SUM(timesheet.unit_amount) AS hours
              FROM account_analytic_line timesheet
              JOIN helpdesk_ticket ticket ON ticket.id = timesheet.ticket_id
             WHERE ticket.company_id = %(company)s
               AND timesheet.date <= %(date)s
               AND ticket.commercial_partner_id IS NOT NULL
             GROUP BY 1
        )
        SELECT partner_id, COALESCE(SUM(refund), 0)::float8,
               COALESCE(SUM(hours), 0)::float8,
               COALESCE(SUM(amount_days), 0)::float8
          FROM (
                SELECT partner_id, amount AS refund, 0 AS hours, 0 AS amount_days
                  FROM refunds
                UNION ALL
                SELECT partner_id, 0, hours, 0 FROM hours
                UNION ALL
                SELECT partner_id, 0, 0, amount_days FROM late
          ) inputs
         GROUP BY partner_id
        """,
        company=run.company_id.id,
        date=run.date,
    )
