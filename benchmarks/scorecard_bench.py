"""Benchmark of the supplier scorecards on a large purchasing history; prints
its figures.

    python3 -m benchmarks.scorecard_bench -c odoo.conf -d BENCH_DB \\
        [--suppliers 2000] [--lines 200000]

BENCH_DB is made when missing: a copy of the dependency template with
crm_supplier_rm installed, then a purchasing history written with set-based
SQL (no ORM): suppliers, confirmed orders with four lines each over 24
months, one receipt per line (a quarter late, a tenth short), returns on 5%
of the lines, and one posted vendor bill per order with a line per order
line. Then it computes every supplier's monthly scorecards twice (first run:
every card inserted and every standing set, tracked; second run: cards
updated in place) and prints the time of each phase. Target (the issue's): 2,000
suppliers and 200,000 order lines in under 30 s.
"""

import argparse
import datetime
import sys
import time
from pathlib import Path

from odoo.tools import SQL

from benchmarks.bench_common import prepare_database, timed

TARGET_SECONDS = 30.0
LINES_PER_ORDER = 4
PRODUCTS = 500


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python3 -m benchmarks.scorecard_bench")
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--suppliers", type=int, default=2000)
    parser.add_argument("--lines", type=int, default=200_000)
    return parser.parse_args(argv)


def generate(env, suppliers, lines, as_of):
    """The purchasing history, in a handful of INSERT ... SELECT statements."""
    company = env.company
    products = env["product.product"].create(
        [
            {"name": f"Bench product {index}", "type": "consu", "standard_price": 10}
            for index in range(PRODUCTS)
        ]
    )
    env.flush_all()
    supplier_location = env.ref("stock.stock_location_suppliers").id
    stock_location = (
        env["stock.warehouse"]
        .search([("company_id", "=", company.id)], limit=1)
        .lot_stock_id.id
    )
    picking_type = env["stock.picking.type"].search(
        [("code", "=", "incoming"), ("company_id", "=", company.id)], limit=1
    )
    journal = env["account.journal"].search(
        [("type", "=", "purchase"), ("company_id", "=", company.id)], limit=1
    )
    params = {
        "suppliers": suppliers,
        "orders": lines // LINES_PER_ORDER,
        "per_order": LINES_PER_ORDER,
        "product_ids": products.ids,
        "product_count": len(products),
        "company": company.id,
        "currency": company.currency_id.id,
        "uom": env.ref("uom.product_uom_unit").id,
        "picking_type": picking_type.id,
        "journal": journal.id,
        "account": journal.default_account_id.id,
        "supplier_location": supplier_location,
        "stock_location": stock_location,
        "start": as_of - datetime.timedelta(days=730),
    }
    statements = [
        """
        CREATE TEMPORARY TABLE bench_supplier AS
        WITH made AS (
            INSERT INTO res_partner (name, complete_name, is_company, active,
                                     supplier_rank, customer_rank, type,
                                     autopost_bills, company_id)
            SELECT 'Bench supplier ' || n, 'Bench supplier ' || n, TRUE, TRUE, 1,
                   0, 'contact', 'ask', NULL
              FROM generate_series(1, %(suppliers)s) n
            RETURNING id
        )
        SELECT row_number() OVER (ORDER BY id) AS n, id FROM made
        """,
        """
        UPDATE res_partner SET commercial_partner_id = id
         WHERE id IN (SELECT id FROM bench_supplier)
        """,
        """
        CREATE TEMPORARY TABLE bench_order AS
        WITH made AS (
            INSERT INTO purchase_order (name, partner_id, currency_id, company_id,
                                        date_order, date_approve, create_date,
                                        srm_rfq_sent_date, picking_type_id, state,
                                        invoice_status)
            SELECT 'BENCH/' || i, supplier.id, %(currency)s, %(company)s,
                   day, day, day - interval '1 day' * mod(i, 5),
                   day - interval '1 hour' * mod(i, 97), %(picking_type)s,
                   'purchase', 'invoiced'
              FROM generate_series(1, %(orders)s) AS series(i)
              JOIN bench_supplier supplier
                ON supplier.n = 1 + mod(i::bigint * 7919, %(suppliers)s)
              CROSS JOIN LATERAL (
                    SELECT %(start)s::timestamp
                           + interval '1 minute' * mod(i::bigint * 104729, 720 * 1440)
                           AS day
              ) dates
            RETURNING id, partner_id, date_approve
        )
        SELECT * FROM made
        """,
        """
        CREATE TEMPORARY TABLE bench_line AS
        WITH made AS (
            INSERT INTO purchase_order_line (order_id, partner_id, company_id,
                                             currency_id, name, product_id,
                                             product_qty, product_uom_qty,
                                             product_uom, price_unit, date_planned,
                                             qty_received, qty_invoiced, state,
                                             qty_received_method)
            SELECT po.id, po.partner_id, %(company)s, %(currency)s, 'Bench line',
                   (%(product_ids)s::int[])
                       [1 + mod(po.id * 31 + k * 17, %(product_count)s)],
                   10 + mod(po.id + k, 90), 10 + mod(po.id + k, 90), %(uom)s,
                   10 + mod(po.id * k, 11), po.date_approve
                       + interval '1 day' * (3 + mod(po.id + k, 10)),
                   0, 0, 'purchase', 'stock_moves'
              FROM bench_order po
              CROSS JOIN generate_series(1, %(per_order)s) k
            RETURNING id, order_id, partner_id, product_id, product_qty,
                      price_unit, date_planned
        )
        SELECT made.*,
               CASE WHEN mod(id, 10) = 0 THEN floor(product_qty * 0.8)
                    ELSE product_qty END AS received,
               CASE WHEN mod(id, 4) = 0 THEN interval '1 day' * (1 + mod(id, 9))
                    ELSE - interval '1 day' * mod(id, 2) END AS delay,
               CASE WHEN mod(id, 20) = 0 THEN 2 ELSE 0 END AS returned
          FROM made
        """,
        """
        INSERT INTO stock_move (company_id, product_id, product_uom, location_id,
                                location_dest_id, location_final_id, name,
                                procure_method, product_uom_qty, product_qty,
                                quantity, date, state, purchase_line_id, picked)
        SELECT %(company)s, product_id, %(uom)s, %(supplier_location)s,
               %(stock_location)s, %(stock_location)s, 'Bench receipt',
               'make_to_stock', product_qty, product_qty, received,
               date_planned + delay, 'done', id, TRUE
          FROM bench_line
        UNION ALL
        SELECT %(company)s, product_id, %(uom)s, %(stock_location)s,
               %(supplier_location)s, %(supplier_location)s, 'Bench return',
               'make_to_stock', returned, returned, returned,
               date_planned + delay + interval '2 days', 'done', id, TRUE
          FROM bench_line
         WHERE returned > 0
        """,
        """
        UPDATE purchase_order_line line
           SET qty_received = bench.received - bench.returned,
               qty_invoiced = bench.received - bench.returned
          FROM bench_line bench
         WHERE line.id = bench.id
        """,
        """
        CREATE TEMPORARY TABLE bench_bill AS
        WITH made AS (
            INSERT INTO account_move (name, move_type, state, partner_id,
                                      commercial_partner_id, company_id,
                                      journal_id, currency_id, date, invoice_date,
                                      auto_post, amount_untaxed_signed,
                                      amount_total_signed, invoice_origin)
            SELECT 'BILL/' || po.id, 'in_invoice', 'posted', po.partner_id,
                   po.partner_id, %(company)s, %(journal)s, %(currency)s,
                   (po.date_approve + interval '12 days')::date,
                   (po.date_approve + interval '12 days')::date, 'no',
                   0, 0, 'BENCH/' || po.id
              FROM bench_order po
            RETURNING id, invoice_origin
        )
        SELECT made.id, po.id AS order_id, made.invoice_origin
          FROM made
          JOIN bench_order po ON made.invoice_origin = 'BENCH/' || po.id
        """,
        """
        INSERT INTO account_move_line (move_id, account_id, company_id, currency_id,
                                       journal_id,
                                       date, partner_id, product_id, quantity,
                                       price_unit, balance, debit, credit,
                                       amount_currency, display_type,
                                       purchase_line_id, parent_state)
        SELECT bill.id, %(account)s, %(company)s, %(currency)s, %(journal)s,
               (line.date_planned)::date, line.partner_id, line.product_id,
               line.received - line.returned, line.price_unit,
               (line.received - line.returned) * line.price_unit,
               (line.received - line.returned) * line.price_unit, 0,
               (line.received - line.returned) * line.price_unit, 'product',
               line.id, 'posted'
          FROM bench_line line
          JOIN bench_bill bill ON bill.order_id = line.order_id
        """,
        """
        UPDATE account_move move
           SET amount_untaxed_signed = - totals.amount,
               amount_total_signed = - totals.amount
          FROM (SELECT move_id, SUM(balance) AS amount FROM account_move_line
                 WHERE move_id IN (SELECT id FROM bench_bill) GROUP BY 1) totals
         WHERE move.id = totals.move_id
        """,
        "ANALYZE",
    ]
    for statement in statements:
        env.cr.execute(SQL(statement, **params))
    env.invalidate_all()
    return products


def counts(env):
    return dict(
        zip(
            ("suppliers", "order lines", "stock moves", "bill lines"),
            env.execute_query(
                SQL(
                    """
                    SELECT (SELECT COUNT(DISTINCT partner_id) FROM purchase_order),
                           (SELECT COUNT(*) FROM purchase_order_line),
                           (SELECT COUNT(*) FROM stock_move),
                           (SELECT COUNT(*) FROM account_move_line
                             WHERE display_type = 'product')
                    """
                )
            )[0],
            strict=True,
        )
    )


def phases(config, as_of):
    """One computation as the cron runs it, with the seconds of each phase."""
    started = time.perf_counter()
    result = config._compute_scorecards(as_of=as_of)
    total = time.perf_counter() - started
    notes = {
        "read": "figures of every supplier and month, one query",
        "score": "the engine, one call per card",
        "write": f"{result['cards']:,} cards, one INSERT ... ON CONFLICT",
        "standings": f"{result['changes']:,} standing changes (tracked)",
        "segments": "spend, risk inputs, trend, Kraljic segment",
    }
    return total, {
        name: (seconds, notes.get(name, ""))
        for name, seconds in result["timings"].items()
    }


def main(argv=None):
    args = parse_args(argv)
    made = prepare_database(
        args.config, args.database, "crm_supplier_rm", bench_data=False
    )
    from datagen.odoo_env import environment  # noqa: PLC0415

    root = Path(__file__).resolve().parents[1]
    as_of = datetime.date.today()
    with environment(
        args.config, args.database, [f"--addons-path={root / 'addons'}"]
    ) as env:
        if made:
            _result, seconds = timed(generate, env, args.suppliers, args.lines, as_of)
            env.cr.commit()
            print(f"data generated in {seconds:.1f} s")
        elif not counts(env)["order lines"]:
            raise SystemExit(f"{args.database} holds no orders: drop it and rerun")
        env = env(context=dict(env.context, tracking_disable=False))
        for name, value in counts(env).items():
            print(f"{name:>28}: {value:,}")
        config = env["crm.supplier.scorecard.config"]._for_company(env.company)
        # From scratch: no cards, no standings (every supplier's standing is
        # then set, tracked, on the first run).
        env.cr.execute(SQL("DELETE FROM crm_supplier_scorecard"))
        env.cr.execute(
            SQL("UPDATE res_partner SET srm_standing_id = NULL, srm_score = 0")
        )
        env.invalidate_all()
        for attempt in ("first run", "second run"):
            total, figures = phases(config, as_of)
            print(f"\n{attempt}: {total:.2f} s in all")
            for phase, (seconds, note) in figures.items():
                print(f"  {phase:<28} {seconds:7.2f} s  {note}")
            met = "met" if total < TARGET_SECONDS else "MISSED"
            print(f"  target < {TARGET_SECONDS:.0f} s: {met}")
            env.cr.commit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
