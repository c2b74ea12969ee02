# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a valuation reads from Odoo's tables: set-based SQL, one GROUP BY each.

Each query returns fixed-size, non-NULL columns so that ``pg_binary`` can
bring them over as numpy arrays (see ``read_transactions``).
"""

from datetime import datetime, time, timedelta

import pytz

from odoo.tools import SQL

from crm_engine.valuation import CustomerExtras, Transactions

from . import pg_binary


def read_transactions(run):
    """Purchases and per-customer extras of ``run``, as the engine takes them,
    and how many invoice lines had their cost from the product."""
    run.env.flush_all()
    customer, date, amount, cost, discount, orders = pg_binary.copy_out(
        run.env.cr,
        purchases_query(run),
        ["int4", "date", "float8", "float8", "float8", "int8"],
    )
    transactions = Transactions(customer, date, amount, cost, discount, orders)
    customer, returns, returned_cost, hours, late = pg_binary.copy_out(
        run.env.cr,
        extras_query(run),
        ["int4", "float8", "float8", "float8", "float8"],
    )
    extras = CustomerExtras(customer, returns, hours, late, returned_cost)
    return transactions, extras, product_cost_lines(run)


def period_end(run):
    """The first moment after the run's valuation day in the company's time
    zone, as the naive UTC datetime Odoo stores."""
    zone = pytz.timezone(run.company_id._valuation_tz())
    local = zone.localize(datetime.combine(run.date + timedelta(days=1), time.min))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


def _unit_cost(run, line):
    """The cost of one unit of invoice line ``line`` in company currency: the
    sales order line's at the time of sale, else the product's."""
    return SQL(
        """
        COALESCE(
            (SELECT so_line.purchase_price
                    / COALESCE(NULLIF(sale.currency_rate, 0), 1)
               FROM sale_order_line_invoice_rel rel
               JOIN sale_order_line so_line ON so_line.id = rel.order_line_id
               JOIN sale_order sale ON sale.id = so_line.order_id
              WHERE rel.invoice_line_id = %(line)s.id
              LIMIT 1),
            (SELECT (product.standard_price ->> %(company)s)::float8
               FROM product_product product
              WHERE product.id = %(line)s.product_id),
            0)
        """,
        line=SQL.identifier(line),
        company=str(run.company_id.id),
    )


def product_cost_lines(run):
    """How many invoice and credit note lines of the run have no sales order
    line, so that their cost is the product's (said in the run's notes)."""
    return run.env.execute_query(
        SQL(
            """
            SELECT COUNT(*)
              FROM account_move_line line
              JOIN account_move move ON move.id = line.move_id
             WHERE move.move_type IN %(types)s
               AND move.state = 'posted'
               AND move.company_id = %(company)s
               AND move.invoice_date <= %(date)s
               AND line.display_type = 'product'
               AND line.product_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM sale_order_line_invoice_rel rel
                                WHERE rel.invoice_line_id = line.id)
            """,
            types=("out_invoice", "out_refund")
            if run.valuation_source == "invoices"
            else ("out_refund",),
            company=run.company_id.id,
            date=run.date,
        )
    )[0][0]


def purchases_query(run):
    """One row per commercial partner and purchase day, in company currency:
    amount (after discounts), cost of goods, discounts, documents."""
    if run.valuation_source == "invoices":
        return invoiced_query(run)
    return SQL(
        """
        SELECT partner.commercial_partner_id,
               (sale.date_order AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date,
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
        tz=run.company_id._valuation_tz(),
    )


def invoiced_query(run):
    """As ``purchases_query`` from posted customer invoices: the cost is the
    sale order line's cost at the time of sale, per unit invoiced, or the
    product's where the line has no sales order line."""
    return SQL(
        """
        SELECT partner.commercial_partner_id,
               move.invoice_date,
               COALESCE(SUM(-line.balance), 0)::float8,
               COALESCE(SUM(%(unit_cost)s * line.quantity), 0)::float8,
               COALESCE(SUM(line.price_unit * line.quantity * line.discount / 100.0
                   * ABS(line.balance) / NULLIF(ABS(line.price_subtotal), 0)),
                   0)::float8,
               COUNT(DISTINCT move.id)
          FROM account_move_line line
          JOIN account_move move ON move.id = line.move_id
          JOIN res_partner partner ON partner.id = move.partner_id
         WHERE move.move_type = 'out_invoice'
           AND move.state = 'posted'
           AND move.company_id = %(company)s
           AND move.invoice_date <= %(date)s
           AND line.display_type = 'product'
         GROUP BY 1, 2
        """,
        unit_cost=_unit_cost(run, "line"),
        company=run.company_id.id,
        date=run.date,
    )


def extras_query(run):
    """Per commercial partner: credit notes and the cost of the goods they
    took back, helpdesk hours, late payment.

    Credit notes count without tax, in company currency, as revenue does.
    Late payment is kept as amount x days late, as of the valuation date:
    each part paid by then counts until its payment, the rest until the
    valuation date; the run's rate turns it into money.
    """
    return SQL(
        """
        WITH refunds AS (
            SELECT partner.commercial_partner_id AS partner_id,
                   SUM(line.balance) AS amount,
                   SUM(%(unit_cost)s * line.quantity) AS cost
              FROM account_move_line line
              JOIN account_move move ON move.id = line.move_id
              JOIN res_partner partner ON partner.id = move.partner_id
             WHERE move.move_type = 'out_refund' AND move.state = 'posted'
               AND move.company_id = %(company)s
               AND move.invoice_date <= %(date)s
               AND line.display_type = 'product'
             GROUP BY 1
        ), late AS (
            SELECT partner.commercial_partner_id AS partner_id,
                   SUM(COALESCE(paid.amount_days, 0)
                       + (line.balance - COALESCE(paid.amount, 0))
                         * GREATEST(%(date)s::date - line.date_maturity, 0))
                       AS amount_days
              FROM account_move_line line
              JOIN account_move move ON move.id = line.move_id
              JOIN account_account account ON account.id = line.account_id
              JOIN res_partner partner ON partner.id = move.partner_id
              LEFT JOIN LATERAL (
                    SELECT SUM(partial.amount) AS amount,
                           SUM(partial.amount * GREATEST(
                               partial.max_date - line.date_maturity, 0))
                               AS amount_days
                      FROM account_partial_reconcile partial
                     WHERE partial.debit_move_id = line.id
                       AND partial.max_date <= %(date)s
              ) paid ON TRUE
             WHERE move.move_type = 'out_invoice' AND move.state = 'posted'
               AND move.company_id = %(company)s
               AND move.invoice_date <= %(date)s
               AND account.account_type = 'asset_receivable'
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
               COALESCE(SUM(cost), 0)::float8,
               COALESCE(SUM(hours), 0)::float8,
               COALESCE(SUM(amount_days), 0)::float8
          FROM (
                SELECT partner_id, amount AS refund, cost, 0 AS hours,
                       0 AS amount_days
                  FROM refunds
                UNION ALL
                SELECT partner_id, 0, 0, hours, 0 FROM hours
                UNION ALL
                SELECT partner_id, 0, 0, 0, amount_days FROM late
          ) inputs
         GROUP BY partner_id
        """,
        unit_cost=_unit_cost(run, "line"),
        company=run.company_id.id,
        date=run.date,
    )
