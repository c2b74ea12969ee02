"""Bulk-load the bench set with COPY, writing what Odoo's own create would.

For each table, one record is first made through the ORM (a partner; an order
confirmed with ``action_confirm``). Its row, as Odoo stored it, is the template
of every bulk row: only the columns that differ per record (ids, names,
partners, dates, quantities and the amounts computed from them) are replaced,
computed the way Odoo computes them. Products are services without taxes, so
no delivery or tax line is involved and the amounts are exact.
"""

import datetime
import io
import logging
import time

import numpy as np

from odoo import Command
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

CHUNK = 100_000


def _copy(cr, table, columns, rows):
    """COPY rows (tuples in ``columns`` order) into ``table``."""
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(_text(value) for value in row))
        buffer.write("\n")
    buffer.seek(0)
    cr._obj.copy_expert(
        SQL(
            "COPY %s (%s) FROM STDIN",
            SQL.identifier(table),
            SQL(", ").join(SQL.identifier(column) for column in columns),
        ).code,
        buffer,
    )


def _text(value):
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict):
        import json  # noqa: PLC0415

        value = json.dumps(value)
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _template_row(cr, table, record_id):
    cr.execute(SQL("SELECT * FROM %s WHERE id = %s", SQL.identifier(table), record_id))
    columns = [description[0] for description in cr.description]
    return columns, dict(zip(columns, cr.fetchone(), strict=True))


def _reserve_ids(cr, table, count):
    cr.execute(
        SQL(
            "SELECT nextval(%s) FROM generate_series(1, %s)",
            f"{table}_id_seq",
            count,
        )
    )
    return np.array([row[0] for row in cr.fetchall()], dtype=np.int64)


class BenchLoader:
    def __init__(self, env, plan):
        self.env = env
        self.cr = env.cr
        self.plan = plan
        self.rng = np.random.default_rng(plan.seed)

    def load(self, say):
        for name, step in (
            ("reference", self.load_reference),
            ("partners", self.load_partners),
            ("orders", self.load_orders),
            ("finish", self.finish),
        ):
            started = time.monotonic()
            step()
            say(name, time.monotonic() - started)

    def load_reference(self):
        env = self.env
        prices = np.round(self.rng.lognormal(11.5, 0.9, self.plan.products), -2)
        prices = np.maximum(prices, 1000.0)
        costs = np.round(prices * self.rng.uniform(0.55, 0.85, self.plan.products), -2)
        self.products = env["product.product"].create(
            [
                {
                    "name": f"Bench item {index + 1:05d}",
                    "default_code": f"B{index + 1:05d}",
                    "type": "service",
                    "list_price": float(price),
                    "standard_price": float(cost),
                    "invoice_policy": "order",
                    "taxes_id": [Command.clear()],
                }
                for index, (price, cost) in enumerate(zip(prices, costs, strict=True))
            ]
        )
        self.prices, self.costs = prices, costs
        self.team = env["crm.team"].search([], limit=1)
        self.prototype_partner = env["res.partner"].create(
            {"name": "Bench customer 000000", "customer_rank": 1}
        )
        self.prototype_order = env["sale.order"].create(
            {
                "partner_id": self.prototype_partner.id,
                "team_id": self.team.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.products[0].id, "product_uom_qty": 1}
                    )
                ],
            }
        )
        self.prototype_order.action_confirm()
        env.flush_all()
        self.line_names = [product.display_name for product in self.products]

    def load_partners(self):
        count = self.plan.customers
        columns, template = _template_row(
            self.cr, "res_partner", self.prototype_partner.id
        )
        self.partner_ids = _reserve_ids(self.cr, "res_partner", count)
        now = datetime.datetime.now()
        varying = ("id", "name", "complete_name", "commercial_partner_id")
        fixed = {c: template[c] for c in columns if c not in varying}
        fixed.update(create_date=now, write_date=now)
        rest = [c for c in columns if c not in varying]

        def rows():
            for number, partner_id in enumerate(self.partner_ids, start=1):
                name = f"Bench customer {number:06d}"
                yield (partner_id, name, name, partner_id, *(fixed[c] for c in rest))

        _copy(self.cr, "res_partner", [*varying, *rest], rows())

    def _draw_lines(self):
        """Order and line draws: long-tailed customers over 3 years, each
        buying within a life of their own (joining at any time, many leaving
        before the end: churn), their orders bunched unevenly in it."""
        plan = self.plan
        orders = int(plan.lines / plan.lines_per_order)
        weights = self.rng.lognormal(0.0, 1.2, plan.customers)
        customer = self.rng.choice(
            plan.customers, size=orders, p=weights / weights.sum()
        )
        # Every customer orders at least once.
        customer[: plan.customers] = np.arange(plan.customers)
        span = (plan.today - plan.start).days
        first = self.rng.integers(0, int(0.8 * span) + 1, size=plan.customers)
        life = self.rng.exponential(0.7 * span, size=plan.customers)
        last = np.minimum(span, first + np.maximum(life, 1.0)).astype(np.int64)
        window = last - first + 1
        position = self.rng.beta(0.7, 1.3, size=orders)
        days = first[customer] + (position * window[customer]).astype(np.int64)
        days = np.minimum(days, last[customer])
        seconds = self.rng.integers(8 * 3600, 18 * 3600, size=orders)
        order_of_line = np.sort(self.rng.integers(0, orders, size=plan.lines))
        order_of_line[:orders] = np.arange(orders)  # no empty order
        order_of_line.sort()
        product = self.rng.integers(0, plan.products, size=plan.lines)
        quantity = np.maximum(1, np.round(self.rng.lognormal(1.0, 0.8, plan.lines)))
        return customer, days, seconds, order_of_line, product, quantity

    def load_orders(self):
        customer, days, seconds, order_of_line, product, quantity = self._draw_lines()
        currency = self.env.company.currency_id
        digits = currency.decimal_places
        subtotal = np.round(quantity * self.prices[product], digits)
        purchase = self.costs[product]
        margin = np.round(subtotal - purchase * quantity, digits)
        order_count = len(customer)
        amount = np.round(np.bincount(order_of_line, weights=subtotal), digits)
        order_margin = np.round(np.bincount(order_of_line, weights=margin), digits)
        self.order_ids = _reserve_ids(self.cr, "sale_order", order_count)
        self.line_ids = _reserve_ids(self.cr, "sale_order_line", len(order_of_line))
        sequence = self.env["ir.sequence"].search(
            [("code", "=", "sale.order")], limit=1
        )
        first_number = sequence.number_next_actual
        o_columns, o_template = _template_row(
            self.cr, "sale_order", self.prototype_order.id
        )
        l_columns, l_template = _template_row(
            self.cr, "sale_order_line", self.prototype_order.order_line.id
        )
        start = datetime.datetime.combine(self.plan.start, datetime.time())
        dates = [
            start + datetime.timedelta(days=int(day), seconds=int(second))
            for day, second in zip(days, seconds, strict=True)
        ]
        o_varying = (
            "id",
            "name",
            "partner_id",
            "partner_invoice_id",
            "partner_shipping_id",
            "date_order",
            "create_date",
            "write_date",
            "amount_untaxed",
            "amount_total",
            "margin",
            "margin_percent",
            "access_token",
        )
        o_rest = [c for c in o_columns if c not in o_varying]
        partner_ids = self.partner_ids

        def order_rows():
            for index in range(order_count):
                partner = partner_ids[customer[index]]
                when = dates[index]
                total = amount[index]
                yield (
                    self.order_ids[index],
                    f"S{first_number + index:05d}",
                    partner,
                    partner,
                    partner,
                    when,
                    when,
                    when,
                    total,
                    total,
                    order_margin[index],
                    order_margin[index] / total if total else 0.0,
                    None,
                    *(o_template[c] for c in o_rest),
                )

        _copy(self.cr, "sale_order", [*o_varying, *o_rest], order_rows())
        sequence.number_next_actual = first_number + order_count
        l_varying = (
            "id",
            "order_id",
            "order_partner_id",
            "product_id",
            "name",
            "product_uom_qty",
            "price_unit",
            "technical_price_unit",
            "price_subtotal",
            "price_total",
            "price_reduce_taxexcl",
            "price_reduce_taxinc",
            "qty_to_invoice",
            "untaxed_amount_to_invoice",
            "purchase_price",
            "margin",
            "margin_percent",
            "create_date",
            "write_date",
        )
        l_rest = [c for c in l_columns if c not in l_varying]
        product_ids = self.products.ids

        def line_rows():
            for index in range(len(order_of_line)):
                order = order_of_line[index]
                item = product[index]
                price = self.prices[item]
                line_subtotal = subtotal[index]
                yield (
                    self.line_ids[index],
                    self.order_ids[order],
                    partner_ids[customer[order]],
                    product_ids[item],
                    self.line_names[item],
                    quantity[index],
                    price,
                    price,
                    line_subtotal,
                    line_subtotal,
                    price,
                    price,
                    quantity[index],
                    line_subtotal,
                    purchase[index],
                    margin[index],
                    margin[index] / line_subtotal if line_subtotal else 0.0,
                    dates[order],
                    dates[order],
                    *(l_template[c] for c in l_rest),
                )

        _copy(self.cr, "sale_order_line", [*l_varying, *l_rest], line_rows())

    def finish(self):
        self.env.invalidate_all()
        self.cr.execute("ANALYZE res_partner, sale_order, sale_order_line")


def load_bench(env, plan, say):
    BenchLoader(env, plan).load(say)
    env["ir.config_parameter"].set_param(
        "datagen.loaded",
        f"bench seed={plan.seed} today={plan.today} customers={plan.customers} "
        f"lines={plan.lines}",
    )
