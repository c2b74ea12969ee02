"""Bulk-load the bench set with COPY, writing what Odoo's own create would.

For each table, one record is first made through the ORM (a partner; an order
confirmed with ``action_confirm``, invoiced and posted; a payment registered
and reconciled with it; a credit note reversing a second invoice; a helpdesk
ticket with a timesheet line). Its row, as Odoo stored it, is the template of
every bulk row: only the columns that differ per record (ids, names, partners,
dates, quantities, the amounts computed from them and the reconciliation
state) are replaced, computed the way Odoo computes them. Products are services
without taxes, so no delivery or tax line is involved and the amounts are
exact.

Columns are built as numpy arrays and turned into COPY text a column at a
time; the template's unchanged part of a row is rendered once per table.
"""

import datetime
import io
import json
import logging
import time

import numpy as np
import psycopg2

from odoo import Command
from odoo.tools import SQL

from .orm_loader import bank_journal, support_team
from .plan import TICKET_SUBJECTS, TIMESHEET_HOURS

_logger = logging.getLogger(__name__)

CHUNK = 200_000
NULL = r"\N"
INVOICE_AFTER_DAYS = 7  # orders of the last week are not invoiced yet
PAYMENT_TERM_DAYS = 30
TICKETS_PER_CUSTOMER = 0.6


def _text(value):
    """COPY text of a template value."""
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict):
        value = json.dumps(value)
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _strings(values):
    """A column as COPY text: numpy arrays a whole column at a time, lists of
    plain strings (no tab, newline or backslash) as they are."""
    if isinstance(values, np.ndarray):
        if values.dtype.kind == "b":
            return np.where(values, "t", "f").tolist()
        return values.astype(str).tolist()
    return values


def _copy(cr, table, columns, template=None):
    """COPY the rows made of ``columns`` (name -> a column of values) and,
    for every other column of the table, the template row's value."""
    names = list(columns)
    suffix = ""
    if template:
        rest = [name for name in template if name not in columns and name != "id"]
        names += rest
        suffix = "".join("\t" + _text(template[name]) for name in rest)
    texts = [_strings(values) for values in columns.values()]
    statement = SQL(
        "COPY %s (%s) FROM STDIN",
        SQL.identifier(table),
        SQL(", ").join(SQL.identifier(name) for name in names),
    ).code
    count = len(texts[0])
    for first in range(0, count, CHUNK):
        buffer = io.StringIO()
        buffer.writelines(
            "\t".join(values) + suffix + "\n"
            for values in zip(
                *(text[first : first + CHUNK] for text in texts), strict=True
            )
        )
        buffer.seek(0)
        cr._obj.copy_expert(statement, buffer)


def _template_row(cr, table, record_id):
    cr.execute(SQL("SELECT * FROM %s WHERE id = %s", SQL.identifier(table), record_id))
    columns = [description[0] for description in cr.description]
    return dict(zip(columns, cr.fetchone(), strict=True))


def _reserve_ids(cr, table, count):
    cr.execute(
        SQL(
            "SELECT nextval(%s) FROM generate_series(1, %s)",
            f"{table}_id_seq",
            count,
        )
    )
    return np.array([row[0] for row in cr.fetchall()], dtype=np.int64)


def _nullable(ids, present):
    """Ids as COPY text, NULL where ``present`` is false."""
    return np.where(present, ids.astype(str), NULL).tolist()


def _dates(start, days):
    return np.datetime64(start, "D") + days.astype("timedelta64[D]")


class BenchLoader:
    def __init__(self, env, plan):
        self.env = env
        self.cr = env.cr
        self.plan = plan
        self.rng = np.random.default_rng(plan.seed)
        self.now = np.datetime64(datetime.datetime.now().replace(microsecond=0), "s")

    def load(self, say):
        started = time.monotonic()
        self.load_reference()
        say("reference", time.monotonic() - started)
        # The bulk rows reference each other by the ids drawn here, checked by
        # the loader's tests; PostgreSQL's row-by-row foreign key checks, whose
        # plans were cached while the tables were tiny, would scan them whole.
        relaxed = False
        try:
            with self.cr.savepoint(flush=False):
                self.cr.execute("SET session_replication_role = replica")
            relaxed = True
        except psycopg2.errors.InsufficientPrivilege:
            _logger.warning(
                "The database role may not skip foreign key checks (a superuser "
                "may): the bench set loads with them, much more slowly."
            )
        try:
            for name, step in (
                ("partners", self.load_partners),
                ("orders", self.load_orders),
                ("invoices", self.load_invoices),
                ("payments", self.load_payments),
                ("helpdesk", self.load_helpdesk),
            ):
                started = time.monotonic()
                step()
                say(name, time.monotonic() - started)
        finally:
            if relaxed:
                self.cr.execute("RESET session_replication_role")
        started = time.monotonic()
        self.finish()
        say("finish", time.monotonic() - started)

    # Prototypes ---------------------------------------------------------------

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
            {
                "name": "Bench customer 000000",
                "customer_rank": 1,
                "property_payment_term_id": env.ref(
                    "account.account_payment_term_30days"
                ).id,
            }
        )
        orders = env["sale.order"].create(
            [
                {
                    "partner_id": self.prototype_partner.id,
                    "team_id": self.team.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.products[0].id, "product_uom_qty": 1}
                        )
                    ],
                }
                for _order in range(2)
            ]
        )
        orders.action_confirm()
        self.prototype_order = orders[0]
        self._make_prototype_invoices(orders)
        self._make_prototype_ticket()
        env.flush_all()
        self.line_names = [product.display_name for product in self.products]

    def _make_prototype_invoices(self, orders):
        """The first order invoiced and paid, the second invoiced and reversed
        by a credit note: the templates of every invoice, credit note and
        payment."""
        env = self.env
        day = self.plan.start - datetime.timedelta(days=1)
        invoices = orders._create_invoices(grouped=True)
        invoices.invoice_date = day
        invoices.action_post()
        self.prototype_invoice, reversed_invoice = invoices
        self.bank = bank_journal(env)
        self.prototype_payment = (
            env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoices[0].ids)
            .create({"payment_date": day, "journal_id": self.bank.id})
            ._create_payments()
        )
        self.prototype_refund = reversed_invoice._reverse_moves(
            [{"invoice_date": day}], cancel=True
        )

    def _make_prototype_ticket(self):
        env = self.env
        self.employee = env["hr.employee"].create(
            {"name": "Bench agent", "user_id": env.uid}
        )
        team, project = support_team(env, "Bench support", env.user)
        self.prototype_ticket = env["helpdesk.ticket"].create(
            {
                "name": TICKET_SUBJECTS[0],
                "description": f"<p>{TICKET_SUBJECTS[0]}</p>",
                "partner_id": self.prototype_partner.id,
                "team_id": team.id,
                "project_id": project.id,
            }
        )
        self.prototype_timesheet = env["account.analytic.line"].create(
            {
                "name": TICKET_SUBJECTS[0],
                "date": self.plan.start - datetime.timedelta(days=1),
                "unit_amount": 1.0,
                "ticket_id": self.prototype_ticket.id,
                "project_id": project.id,
                "employee_id": self.employee.id,
            }
        )

    # Partners and orders --------------------------------------------------------

    def load_partners(self):
        count = self.plan.customers
        template = _template_row(self.cr, "res_partner", self.prototype_partner.id)
        template.update(create_date=self.now, write_date=self.now)
        self.partner_ids = _reserve_ids(self.cr, "res_partner", count)
        self.partner_names = [
            f"Bench customer {number:06d}" for number in range(1, count + 1)
        ]
        _copy(
            self.cr,
            "res_partner",
            {
                "id": self.partner_ids,
                "name": self.partner_names,
                "complete_name": self.partner_names,
                "commercial_partner_id": self.partner_ids,
            },
            template,
        )

    def _draw_lines(self):
        """Order and line draws: long-tailed customers over 3 years, each
        buying within a life of their own (joining at any time, many leaving
        before the end: churn), their orders bunched unevenly in it.

        Keeps each customer's weight and first and last possible buying day
        (``self.lives``) for the helpdesk draws."""
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
        self.lives = weights, first, last
        return customer, days, seconds, order_of_line, product, quantity

    def _draw_billing(self, customer, days):
        """What became of each order's invoice, as day numbers from the plan's
        start: invoiced a day or two after the order (except the last week's),
        due 30 days later; 3% partly returned with a credit note for their
        first line, 4% never paid, 4% half paid; the rest paid when each
        customer's habit says: most around the due date, some weeks late."""
        plan = self.plan
        span = (plan.today - plan.start).days
        orders = len(days)
        invoiced = days <= span - INVOICE_AFTER_DAYS
        invoice_day = np.minimum(days + self.rng.integers(0, 3, orders), span)
        due_day = invoice_day + PAYMENT_TERM_DAYS
        habit = self.rng.lognormal(1.0, 1.2, plan.customers)
        pay_day = (
            due_day
            - self.rng.integers(0, 15, orders)
            + np.round(habit[customer] * self.rng.exponential(1.0, orders))
        ).astype(np.int64)
        pay_day = np.maximum(pay_day, invoice_day)
        roll = self.rng.random(orders)
        refund_day = np.minimum(invoice_day + self.rng.integers(5, 25, orders), span)
        return {
            "invoiced": invoiced,
            "invoice_day": invoice_day,
            "due_day": due_day,
            "refunded": invoiced & (roll < 0.03),
            "refund_day": refund_day,
            "pays": invoiced & ~((roll >= 0.03) & (roll < 0.07)) & (pay_day <= span),
            "half": (roll >= 0.07) & (roll < 0.11),
            "pay_day": pay_day,
        }

    def load_orders(self):
        customer, days, seconds, order_of_line, product, quantity = self._draw_lines()
        self.billing = self._draw_billing(customer, days)
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
        # The first line of each order is the one a credit note takes back.
        first_line = np.searchsorted(order_of_line, np.arange(order_count))
        self.orders = {
            "customer": customer,
            "partner": self.partner_ids[customer],
            "amount": amount,
            "first_line": first_line,
        }
        self.lines = {
            "order": order_of_line,
            "product": product,
            "quantity": quantity,
            "subtotal": subtotal,
        }
        sequence = self.env["ir.sequence"].search(
            [("code", "=", "sale.order")], limit=1
        )
        first_number = sequence.number_next_actual
        self.order_names = [
            f"S{number:05d}"
            for number in range(first_number, first_number + order_count)
        ]
        when = (
            np.datetime64(self.plan.start, "s")
            + days.astype("timedelta64[D]")
            + seconds.astype("timedelta64[s]")
        )
        # Invoiced as Odoo counts it: all of an invoiced order, but for the
        # line a credit note took back (its quantity is to invoice again).
        billing = self.billing
        returned = np.zeros(len(order_of_line), dtype=bool)
        returned[first_line[billing["refunded"]]] = True
        invoiced = billing["invoiced"][order_of_line] & ~returned
        to_invoice_lines = np.bincount(
            order_of_line, weights=~invoiced, minlength=order_count
        )
        order_status = np.where(to_invoice_lines > 0, "to invoice", "invoiced")
        _copy(
            self.cr,
            "sale_order",
            {
                "id": self.order_ids,
                "name": self.order_names,
                "partner_id": self.orders["partner"],
                "partner_invoice_id": self.orders["partner"],
                "partner_shipping_id": self.orders["partner"],
                "date_order": when,
                "create_date": when,
                "write_date": when,
                "amount_untaxed": amount,
                "amount_total": amount,
                "margin": order_margin,
                "margin_percent": np.divide(
                    order_margin, amount, out=np.zeros(order_count), where=amount != 0
                ),
                "invoice_status": order_status,
                "access_token": [NULL] * order_count,
            },
            _template_row(self.cr, "sale_order", self.prototype_order.id),
        )
        sequence.number_next_actual = first_number + order_count
        prices = self.prices[product]
        line_when = when[order_of_line]
        _copy(
            self.cr,
            "sale_order_line",
            {
                "id": self.line_ids,
                "order_id": self.order_ids[order_of_line],
                "order_partner_id": self.orders["partner"][order_of_line],
                "product_id": np.array(self.products.ids)[product],
                "name": [self.line_names[item] for item in product],
                "product_uom_qty": quantity,
                "price_unit": prices,
                "technical_price_unit": prices,
                "price_subtotal": subtotal,
                "price_total": subtotal,
                "price_reduce_taxexcl": prices,
                "price_reduce_taxinc": prices,
                "invoice_status": np.where(invoiced, "invoiced", "to invoice"),
                "qty_invoiced": np.where(invoiced, quantity, 0.0),
                "qty_to_invoice": np.where(invoiced, 0.0, quantity),
                "untaxed_amount_invoiced": np.where(invoiced, subtotal, 0.0),
                "untaxed_amount_to_invoice": np.where(invoiced, 0.0, subtotal),
                "purchase_price": purchase,
                "margin": margin,
                "margin_percent": np.divide(
                    margin, subtotal, out=np.zeros(len(subtotal)), where=subtotal != 0
                ),
                "create_date": line_when,
                "write_date": line_when,
            },
            _template_row(
                self.cr, "sale_order_line", self.prototype_order.order_line.id
            ),
        )

    # Invoices, credit notes, payments ------------------------------------------

    def _numbers(self, move, days):
        """Names of moves of the prototype ``move``'s journal and kind dated
        ``days`` (in date order), numbered per year after the ones there are."""
        years = _dates(self.plan.start, days).astype("datetime64[Y]").astype(int) + 1970
        prefix = move.sequence_prefix.rsplit("/", 2)[0]
        self.cr.execute(
            SQL(
                """SELECT sequence_prefix, MAX(sequence_number) FROM account_move
                    WHERE journal_id = %s AND sequence_prefix LIKE %s
                    GROUP BY 1""",
                move.journal_id.id,
                f"{prefix}/%",
            )
        )
        taken = dict(self.cr.fetchall())
        numbers = np.zeros(len(days), dtype=np.int64)
        for year in np.unique(years):
            where = years == year
            numbers[where] = np.arange(1, where.sum() + 1) + taken.get(
                f"{prefix}/{year}/", 0
            )
        prefixes = [f"{prefix}/{year}/" for year in years.tolist()]
        names = [
            f"{head}{number:05d}"
            for head, number in zip(prefixes, numbers.tolist(), strict=True)
        ]
        return prefixes, numbers, names

    def _receivable_lines(self, move, ids, columns):
        """The receivable (payment term) line of each of the moves ``ids``,
        from the prototype ``move``'s; ``columns`` holds the rest that varies
        (partner, names, dates, amounts, reconciliation)."""
        template = _template_row(
            self.cr,
            "account_move_line",
            move.line_ids.filtered(lambda line: line.display_type == "payment_term").id,
        )
        balance = columns.pop("balance")
        _copy(
            self.cr,
            "account_move_line",
            {
                "move_id": ids,
                "debit": np.maximum(balance, 0.0),
                "credit": np.maximum(-balance, 0.0),
                "balance": balance,
                "amount_currency": balance,
                **columns,
            },
            template,
        )

    def _settle(self, invoiced):
        """How each invoice (in ``invoiced`` order) was settled: the amount a
        credit note took back, the amount paid, whether nothing is left, and
        the ids of its receivable line, partial and full reconciliations."""
        billing, orders = self.billing, self.orders
        count = len(invoiced)
        total = orders["amount"][invoiced]
        refunded = billing["refunded"][invoiced]
        refund = np.where(
            refunded, self.lines["subtotal"][orders["first_line"][invoiced]], 0.0
        )
        pays = billing["pays"][invoiced] & (total - refund > 0.005)
        half = billing["half"][invoiced]
        paid = np.where(pays, total - refund, 0.0)
        paid = np.where(pays & half, np.round(paid / 2), paid)
        full = (refunded | pays) & (total - refund - paid <= 0.005)
        full_id = np.zeros(count, dtype=np.int64)
        full_id[full] = _reserve_ids(self.cr, "account_full_reconcile", int(full.sum()))
        # Partials numbered credit notes first: the smaller id names the group.
        refund_partial = np.zeros(count, dtype=np.int64)
        refund_partial[refunded] = _reserve_ids(
            self.cr, "account_partial_reconcile", int(refunded.sum())
        )
        pay_partial = np.zeros(count, dtype=np.int64)
        pay_partial[pays] = _reserve_ids(
            self.cr, "account_partial_reconcile", int(pays.sum())
        )
        group = np.where(refunded, refund_partial, pay_partial)
        matching = np.where(
            full,
            full_id.astype(str),
            np.where(group > 0, np.char.add("P", group.astype(str)), NULL),
        ).tolist()
        return {
            "total": total,
            "refunded": refunded,
            "refund": refund,
            "pays": pays,
            "paid": paid,
            "left": np.round(total - refund - paid, 2),
            "full": full,
            "full_id": full_id,
            "refund_partial": refund_partial,
            "pay_partial": pay_partial,
            "matching": matching,
            "receivable": _reserve_ids(self.cr, "account_move_line", count),
        }

    def load_invoices(self):
        """One posted invoice per order older than a week, its lines linked to
        the order lines; credit notes for the returned lines."""
        billing, orders, lines = self.billing, self.orders, self.lines
        # Invoices numbered in date order.
        invoiced = np.flatnonzero(billing["invoiced"])
        invoiced = invoiced[np.argsort(billing["invoice_day"][invoiced], kind="stable")]
        count = len(invoiced)
        self.invoiced = invoiced
        self.invoice_ids = _reserve_ids(self.cr, "account_move", count)
        settled = self.settled = self._settle(invoiced)
        full = settled["full"]
        full_template = {
            "exchange_move_id": None,
            "create_uid": self.env.uid,
            "write_uid": self.env.uid,
        }
        when = _dates(self.plan.start, billing["invoice_day"][invoiced])
        _copy(
            self.cr,
            "account_full_reconcile",
            {
                "id": settled["full_id"][full],
                "create_date": when[full],
                "write_date": when[full],
            },
            full_template,
        )
        days = billing["invoice_day"][invoiced]
        due = billing["due_day"][invoiced]
        partner = orders["partner"][invoiced]
        total, left = settled["total"], settled["left"]
        state = np.where(
            left > 0.005,
            np.where(left < total - 0.005, "partial", "not_paid"),
            np.where(settled["paid"] > 0, "paid", "reversed"),
        )
        names = self._write_moves(
            self.prototype_invoice,
            self.invoice_ids,
            days,
            partner,
            {
                "invoice_date_due": _dates(self.plan.start, due),
                "invoice_origin": [self.order_names[i] for i in invoiced.tolist()],
                "payment_state": state,
                "amount_untaxed": total,
                "amount_total": total,
                "amount_residual": left,
                "amount_untaxed_signed": total,
                "amount_untaxed_in_currency_signed": total,
                "amount_total_signed": total,
                "amount_total_in_currency_signed": total,
                "amount_residual_signed": left,
            },
            payment_reference=True,
        )
        self.invoice_names = names
        # Product lines: every line of every invoiced order.
        invoice_of = np.full(len(orders["customer"]), -1)
        invoice_of[invoiced] = np.arange(count)
        rows = np.flatnonzero(invoice_of[lines["order"]] >= 0)
        of = invoice_of[lines["order"][rows]]
        self._product_lines(
            self.prototype_invoice,
            self.invoice_ids[of],
            partner[of],
            [names[i] for i in of.tolist()],
            days[of],
            -1,
            rows,
        )
        dates = _dates(self.plan.start, days)
        self._receivable_lines(
            self.prototype_invoice,
            self.invoice_ids,
            {
                "id": settled["receivable"],
                "partner_id": partner,
                "move_name": names,
                "name": names,
                "date": dates,
                "invoice_date": dates,
                "date_maturity": _dates(self.plan.start, due),
                "balance": total,
                "amount_residual": left,
                "amount_residual_currency": left,
                "reconciled": left <= 0.005,
                "full_reconcile_id": _nullable(settled["full_id"], full),
                "matching_number": settled["matching"],
                "create_date": dates,
                "write_date": dates,
            },
        )
        self._load_credit_notes()

    def _write_moves(
        self, prototype, ids, days, partner, columns, payment_reference=False
    ):
        """account_move rows like ``prototype`` dated ``days``, numbered in its
        journal; their names."""
        prefixes, numbers, names = self._numbers(prototype, days)
        dates = _dates(self.plan.start, days)
        moves = {
            "id": ids,
            "name": names,
            "sequence_prefix": prefixes,
            "sequence_number": numbers,
            "date": dates,
            "partner_id": partner,
            "commercial_partner_id": partner,
            "invoice_partner_display_name": [
                self.partner_names[i]
                for i in np.searchsorted(self.partner_ids, partner)
            ],
            "create_date": dates,
            "write_date": dates,
            **columns,
        }
        if prototype.is_invoice():
            moves.update(invoice_date=dates, partner_shipping_id=partner)
        if payment_reference:
            moves["payment_reference"] = names
        _copy(
            self.cr,
            "account_move",
            moves,
            _template_row(self.cr, "account_move", prototype.id),
        )
        return names

    def _product_lines(self, prototype, move, partner, names, days, sign, lines):
        """Product lines of invoices (``sign`` -1: credit) or credit notes
        (+1), one per order line of ``lines``, linked to it as Odoo links
        them."""
        subtotal = self.lines["subtotal"][lines]
        product = self.lines["product"][lines]
        dates = _dates(self.plan.start, days)
        ids = _reserve_ids(self.cr, "account_move_line", len(lines))
        _copy(
            self.cr,
            "account_move_line",
            {
                "id": ids,
                "move_id": move,
                "partner_id": partner,
                "product_id": np.array(self.products.ids)[product],
                "name": [self.line_names[item] for item in product.tolist()],
                "move_name": names,
                "date": dates,
                "invoice_date": dates,
                "debit": np.where(sign > 0, subtotal, 0.0),
                "credit": np.where(sign < 0, subtotal, 0.0),
                "balance": sign * subtotal,
                "amount_currency": sign * subtotal,
                "quantity": self.lines["quantity"][lines],
                "price_unit": self.prices[product],
                "price_subtotal": subtotal,
                "price_total": subtotal,
                "create_date": dates,
                "write_date": dates,
            },
            _template_row(self.cr, "account_move_line", prototype.invoice_line_ids.id),
        )
        _copy(
            self.cr,
            "sale_order_line_invoice_rel",
            {"invoice_line_id": ids, "order_line_id": self.line_ids[lines]},
        )

    def _load_credit_notes(self):
        """A credit note for the first line of each returned order, reconciled
        with its invoice."""
        settled, orders = self.settled, self.orders
        which = np.flatnonzero(settled["refunded"])
        order = self.invoiced[which]
        days = self.billing["refund_day"][order]
        amount = settled["refund"][which]
        partner = orders["partner"][order]
        due = _dates(self.plan.start, days + PAYMENT_TERM_DAYS)
        ids = _reserve_ids(self.cr, "account_move", len(which))
        names = self._write_moves(
            self.prototype_refund,
            ids,
            days,
            partner,
            {
                "reversed_entry_id": self.invoice_ids[which],
                "invoice_date_due": due,
                "invoice_origin": [self.order_names[i] for i in order.tolist()],
                "payment_state": np.full(len(which), "paid"),
                "amount_untaxed": amount,
                "amount_total": amount,
                "amount_residual": np.zeros(len(which)),
                "amount_untaxed_signed": -amount,
                "amount_untaxed_in_currency_signed": -amount,
                "amount_total_signed": -amount,
                "amount_total_in_currency_signed": -amount,
                "amount_residual_signed": np.zeros(len(which)),
            },
        )
        self._product_lines(
            self.prototype_refund,
            ids,
            partner,
            names,
            days,
            1,
            orders["first_line"][order],
        )
        dates = _dates(self.plan.start, days)
        receivable = _reserve_ids(self.cr, "account_move_line", len(which))
        full = settled["full"][which]
        self._receivable_lines(
            self.prototype_refund,
            ids,
            {
                "id": receivable,
                "partner_id": partner,
                "move_name": names,
                "date": dates,
                "invoice_date": dates,
                "date_maturity": due,
                "balance": -amount,
                "amount_residual": np.zeros(len(which)),
                "amount_residual_currency": np.zeros(len(which)),
                "reconciled": np.ones(len(which), dtype=bool),
                "full_reconcile_id": _nullable(settled["full_id"][which], full),
                "matching_number": [settled["matching"][i] for i in which.tolist()],
                "create_date": dates,
                "write_date": dates,
            },
        )
        self._partials(
            settled["refund_partial"][which],
            settled["receivable"][which],
            receivable,
            amount,
            dates,
            settled["full_id"][which],
            full,
        )

    def _partials(self, ids, debit, credit, amount, dates, full_id, full):
        template = _template_row(
            self.cr,
            "account_partial_reconcile",
            self.prototype_payment.move_id.line_ids.matched_debit_ids.id,
        )
        _copy(
            self.cr,
            "account_partial_reconcile",
            {
                "id": ids,
                "debit_move_id": debit,
                "credit_move_id": credit,
                "full_reconcile_id": _nullable(full_id, full),
                "max_date": dates,
                "amount": amount,
                "debit_amount_currency": amount,
                "credit_amount_currency": amount,
                "create_date": dates,
                "write_date": dates,
            },
            template,
        )

    def load_payments(self):
        """A bank payment per invoice its customer paid (in full or half) by
        the plan's today, on the outstanding receipts account, reconciled with
        the invoice."""
        settled, orders, billing = self.settled, self.orders, self.billing
        which = np.flatnonzero(settled["pays"])
        which = which[
            np.argsort(billing["pay_day"][self.invoiced[which]], kind="stable")
        ]
        order = self.invoiced[which]
        days = billing["pay_day"][order]
        amount = settled["paid"][which]
        partner = orders["partner"][order]
        count = len(which)
        ids = _reserve_ids(self.cr, "account_payment", count)
        move_ids = _reserve_ids(self.cr, "account_move", count)
        memo = [self.invoice_names[i] for i in which.tolist()]
        names = self._write_moves(
            self.prototype_payment.move_id,
            move_ids,
            days,
            partner,
            {
                "origin_payment_id": [NULL] * count,
                "ref": memo,
                "amount_total": amount,
                "amount_total_signed": amount,
                "amount_total_in_currency_signed": amount,
            },
        )
        dates = _dates(self.plan.start, days)
        _copy(
            self.cr,
            "account_payment",
            {
                "id": ids,
                "move_id": move_ids,
                "partner_id": partner,
                "name": names,
                "memo": memo,
                "date": dates,
                "amount": amount,
                "amount_company_currency_signed": amount,
                "create_date": dates,
                "write_date": dates,
            },
            _template_row(self.cr, "account_payment", self.prototype_payment.id),
        )
        self.cr.execute(
            SQL(
                """UPDATE account_move move SET origin_payment_id = payment.id
                     FROM account_payment payment
                    WHERE payment.move_id = move.id AND payment.id >= %s""",
                int(ids.min()),
            )
        )
        _copy(
            self.cr,
            "account_move__account_payment",
            {"invoice_id": self.invoice_ids[which], "payment_id": ids},
        )
        label = [f"Manual Payment: {name}" for name in memo]
        full = settled["full"][which]
        receivable_ids = _reserve_ids(self.cr, "account_move_line", count)
        outstanding, receivable = self.prototype_payment.move_id.line_ids.sorted(
            "balance"
        )[::-1]
        for line, balance, columns in (
            (
                outstanding,
                amount,
                {
                    "id": _reserve_ids(self.cr, "account_move_line", count),
                    "amount_residual": amount,
                    "amount_residual_currency": amount,
                },
            ),
            (
                receivable,
                -amount,
                {
                    "id": receivable_ids,
                    "full_reconcile_id": _nullable(settled["full_id"][which], full),
                    "matching_number": [settled["matching"][i] for i in which.tolist()],
                },
            ),
        ):
            _copy(
                self.cr,
                "account_move_line",
                {
                    **columns,
                    "move_id": move_ids,
                    "payment_id": ids,
                    "partner_id": partner,
                    "move_name": names,
                    "ref": memo,
                    "name": label,
                    "date": dates,
                    "date_maturity": dates,
                    "debit": np.maximum(balance, 0.0),
                    "credit": np.maximum(-balance, 0.0),
                    "balance": balance,
                    "amount_currency": balance,
                    "price_subtotal": balance,
                    "price_total": balance,
                    "create_date": dates,
                    "write_date": dates,
                },
                _template_row(self.cr, "account_move_line", line.id),
            )
        self._partials(
            settled["pay_partial"][which],
            settled["receivable"][which],
            receivable_ids,
            amount,
            dates,
            settled["full_id"][which],
            full,
        )

    # Helpdesk -------------------------------------------------------------------

    def _draw_tickets(self):
        """Tickets of customers weighted by the square root of their value,
        opened while they buy (or a little after), one to three timesheet
        lines each, on the ticket's day and the days after."""
        plan = self.plan
        span = (plan.today - plan.start).days
        weights, first, last = self.lives
        count = max(10, int(plan.customers * TICKETS_PER_CUSTOMER))
        root = np.sqrt(weights)
        customer = self.rng.choice(plan.customers, size=count, p=root / root.sum())
        until = np.minimum(last[customer] + 60, span)
        day = first[customer] + (
            self.rng.random(count) * (until - first[customer] + 1)
        ).astype(np.int64)
        day = np.minimum(day, span)
        order = np.argsort(day, kind="stable")
        customer, day = customer[order], day[order]
        subject = self.rng.integers(0, len(TICKET_SUBJECTS), count)
        entries = self.rng.choice((1, 1, 2, 3), size=count)
        ticket_of_entry = np.repeat(np.arange(count), entries)
        step = np.arange(len(ticket_of_entry)) - np.repeat(
            np.cumsum(entries) - entries, entries
        )
        hours = np.array(TIMESHEET_HOURS)[
            self.rng.integers(0, len(TIMESHEET_HOURS), len(ticket_of_entry))
        ]
        entry_day = np.minimum(day[ticket_of_entry] + step, span)
        return customer, day, subject, ticket_of_entry, entry_day, hours

    def load_helpdesk(self):
        customer, day, subject, ticket_of_entry, entry_day, hours = self._draw_tickets()
        count = len(customer)
        ids = _reserve_ids(self.cr, "helpdesk_ticket", count)
        partner = self.partner_ids[customer]
        total = np.bincount(ticket_of_entry, weights=hours, minlength=count)
        latest = np.zeros(count, dtype=np.int64)
        np.maximum.at(latest, ticket_of_entry, entry_day)
        opened = np.datetime64(self.plan.start, "s") + (day * 86400 + 10 * 3600).astype(
            "timedelta64[s]"
        )
        sequence = self.env["ir.sequence"].search(
            [("code", "=", "helpdesk.ticket.sequence")], limit=1
        )
        first_number = sequence.number_next_actual
        names = np.array(TICKET_SUBJECTS)[subject]
        template = _template_row(self.cr, "helpdesk_ticket", self.prototype_ticket.id)
        _copy(
            self.cr,
            "helpdesk_ticket",
            {
                "id": ids,
                "number": [
                    f"HT{number:05d}"
                    for number in range(first_number, first_number + count)
                ],
                "name": names.tolist(),
                "description": [f"<p>{name}</p>" for name in names.tolist()],
                "partner_id": partner,
                "commercial_partner_id": partner,
                "last_stage_update": opened,
                "last_timesheet_activity": _dates(self.plan.start, latest),
                "total_hours": total,
                "remaining_hours": -total,
                "create_date": opened,
                "write_date": opened,
            },
            template,
        )
        sequence.number_next_actual = first_number + count
        entry_dates = _dates(self.plan.start, entry_day)
        at = np.datetime64(self.plan.start, "s") + (
            entry_day * 86400 + 14 * 3600
        ).astype("timedelta64[s]")
        _copy(
            self.cr,
            "account_analytic_line",
            {
                "id": _reserve_ids(self.cr, "account_analytic_line", len(hours)),
                "name": names[ticket_of_entry].tolist(),
                "date": entry_dates,
                "date_time": at,
                "unit_amount": hours,
                "ticket_id": ids[ticket_of_entry],
                "ticket_partner_id": partner[ticket_of_entry],
                "create_date": at,
                "write_date": at,
            },
            _template_row(
                self.cr, "account_analytic_line", self.prototype_timesheet.id
            ),
        )

    def finish(self):
        self.env.invalidate_all()
        self.cr.execute(
            """ANALYZE res_partner, sale_order, sale_order_line, account_move,
                       account_move_line, account_partial_reconcile,
                       account_payment, helpdesk_ticket, account_analytic_line"""
        )


def load_bench(env, plan, say):
    BenchLoader(env, plan).load(say)
    env["ir.config_parameter"].set_param(
        "datagen.loaded",
        f"bench seed={plan.seed} today={plan.today} customers={plan.customers} "
        f"lines={plan.lines}",
    )
