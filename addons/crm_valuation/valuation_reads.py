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
    and how many invoice and credit note lines took their cost from where
    (``cost_sources``)."""
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
    return transactions, extras, cost_sources(run)


def period_end(run):
    """The first moment after the run's valuation day in the company's time
    zone, as the naive UTC datetime Odoo stores."""
    zone = pytz.timezone(run.company_id._valuation_tz())
    local = zone.localize(datetime.combine(run.date + timedelta(days=1), time.min))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


def costed_lines(run, move_types):
    """The product lines of the company's posted ``move_types`` up to the run's
    date, each with the cost of one unit in company currency and where that
    cost comes from (``cost_source``, see ``COST_SOURCE_NOTES``):

    - ``sale``: the sales order line's cost, at the time of sale;
    - ``dated``: no sales order line: the product's cost on the invoice date,
      the unit cost of its latest stock valuation layer by the end of that day
      (where stock_account is installed; layers without quantity, such as
      revaluations, carry no unit cost);
    - ``product``: neither: the product's cost today;
    - NULL: a line without product, which costs nothing.

    The layer is looked up once per product and invoice date, not per line.
    """
    return SQL(
        """
        WITH line AS (
            SELECT partner.commercial_partner_id AS partner_id,
                   move.id AS move_id, move.invoice_date, line.product_id,
                   line.balance, line.quantity, line.price_unit, line.discount,
                   line.price_subtotal, sold.cost AS sold_cost
              FROM account_move_line line
              JOIN account_move move ON move.id = line.move_id
              JOIN res_partner partner ON partner.id = move.partner_id
              LEFT JOIN LATERAL (
                    SELECT so_line.purchase_price
                           / COALESCE(NULLIF(sale.currency_rate, 0), 1) AS cost
                      FROM sale_order_line_invoice_rel rel
                      JOIN sale_order_line so_line ON so_line.id = rel.order_line_id
                      JOIN sale_order sale ON sale.id = so_line.order_id
                     WHERE rel.invoice_line_id = line.id
                     ORDER BY so_line.id
                     LIMIT 1
              ) sold ON TRUE
             WHERE move.move_type IN %(types)s
               AND move.state = 'posted'
               AND move.company_id = %(company)s
               AND move.invoice_date <= %(date)s
               AND line.display_type = 'product'
        ), dated AS (%(dated)s)
        SELECT line.*,
               COALESCE(line.sold_cost, dated.cost,
                        (product.standard_price ->> %(company_key)s)::float8,
                        0) AS unit_cost,
               CASE WHEN line.sold_cost IS NOT NULL THEN 'sale'
                    WHEN dated.cost IS NOT NULL THEN 'dated'
                    WHEN line.product_id IS NOT NULL THEN 'product'
               END AS cost_source
          FROM line
          LEFT JOIN dated ON dated.product_id = line.product_id
                         AND dated.invoice_date = line.invoice_date
                         AND line.sold_cost IS NULL
          LEFT JOIN product_product product ON product.id = line.product_id
        """,
        types=tuple(move_types),
        company=run.company_id.id,
        company_key=str(run.company_id.id),
        date=run.date,
        dated=_dated_costs(run),
    )


def _dated_costs(run):
    """For ``costed_lines``: per product and invoice date of its lines without
    a sales order line, the unit cost of the product's latest valuation layer
    in the company by the end of that day, in the company's time zone. Empty
    where stock_account is not installed (crm_valuation does not need it)."""
    if "stock.valuation.layer" not in run.env:
        return SQL(
            "SELECT NULL::int4 AS product_id, NULL::date AS invoice_date,"
            " NULL::float8 AS cost WHERE FALSE"
        )
    return SQL(
        """
        SELECT wanted.product_id, wanted.invoice_date, layer.unit_cost AS cost
          FROM (SELECT DISTINCT product_id, invoice_date
                  FROM line
                 WHERE sold_cost IS NULL AND product_id IS NOT NULL) wanted
          CROSS JOIN LATERAL (
                SELECT svl.unit_cost::float8 AS unit_cost
                  FROM stock_valuation_layer svl
                 WHERE svl.product_id = wanted.product_id
                   AND svl.company_id = %(company)s
                   AND svl.quantity <> 0
                   AND svl.create_date < ((wanted.invoice_date + 1)::timestamp
                                          AT TIME ZONE %(tz)s) AT TIME ZONE 'UTC'
                 ORDER BY svl.create_date DESC, svl.id DESC
                 LIMIT 1
          ) layer
        """,
        company=run.company_id.id,
        tz=run.company_id._valuation_tz(),
    )


def _cost_move_types(run):
    """The moves whose lines the run costs: credit notes always, invoices too
    when they are the source."""
    if run.valuation_source == "invoices":
        return ("out_invoice", "out_refund")
    return ("out_refund",)


def cost_sources(run):
    """How many invoice and credit note lines of the run took their cost from
    each source (``costed_lines``), said in the run's notes."""
    return dict(
        run.env.execute_query(
            SQL(
                """
                SELECT cost_source, COUNT(*)
                  FROM (%s) costed
                 WHERE cost_source IS NOT NULL
                 GROUP BY 1
                """,
                costed_lines(run, _cost_move_types(run)),
            )
        )
    )


def purchases_query(run):
    """One row per commercial partner and purchase day, in company currency:
    amount (after discounts), cost of goods, discounts, documents.

    The lines are summed per order first, then the orders per partner and
    day, in floating point: no COUNT(DISTINCT order), which made PostgreSQL
    sort every line, and no exact numerics to add up (a third faster on the
    bench set)."""
    if run.valuation_source == "invoices":
        return invoiced_query(run)
    return SQL(
        """
        SELECT partner.commercial_partner_id,
               (orders.date_order AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date,
               SUM(orders.amount / orders.rate),
               SUM(orders.cost / orders.rate),
               SUM(orders.discount / orders.rate),
               COUNT(*)
          FROM (
                SELECT sale.partner_id, sale.date_order,
                       COALESCE(NULLIF(sale.currency_rate, 0), 1)::float8 AS rate,
                       COALESCE(SUM(line.price_subtotal::float8), 0) AS amount,
                       COALESCE(SUM(line.purchase_price::float8
                                    * line.product_uom_qty::float8), 0) AS cost,
                       COALESCE(SUM(line.price_unit::float8
                                    * line.product_uom_qty::float8
                                    * line.discount::float8 / 100.0), 0) AS discount
                  FROM sale_order_line line
                  JOIN sale_order sale ON sale.id = line.order_id
                 WHERE sale.state = 'sale'
                   AND sale.company_id = %(company)s
                   AND sale.date_order < %(end)s
                   AND line.display_type IS NULL
                 GROUP BY sale.id
          ) orders
          JOIN res_partner partner ON partner.id = orders.partner_id
         GROUP BY 1, 2
        """,
        company=run.company_id.id,
        end=period_end(run),
        tz=run.company_id._valuation_tz(),
    )


def invoiced_query(run):
    """As ``purchases_query`` from posted customer invoices, their lines costed
    as ``costed_lines`` says."""
    return SQL(
        """
        SELECT line.partner_id, line.invoice_date,
               COALESCE(SUM(-line.balance), 0)::float8,
               COALESCE(SUM(line.unit_cost * line.quantity), 0)::float8,
               COALESCE(SUM(line.price_unit * line.quantity * line.discount / 100.0
                   * ABS(line.balance) / NULLIF(ABS(line.price_subtotal), 0)),
                   0)::float8,
               COUNT(DISTINCT line.move_id)
          FROM (%(lines)s) line
         GROUP BY 1, 2
        """,
        lines=costed_lines(run, ("out_invoice",)),
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
            SELECT line.partner_id, SUM(line.balance) AS amount,
                   SUM(line.unit_cost * line.quantity) AS cost
              FROM (%(refund_lines)s) line
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
        refund_lines=costed_lines(run, ("out_refund",)),
        company=run.company_id.id,
        date=run.date,
    )
