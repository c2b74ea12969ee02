"""Write the demo plan through Odoo's own business methods, in batches.

Orders are confirmed, delivered and invoiced, invoices posted and paid, receipts
validated, exactly as users would have done it, so every screen and report of
Odoo shows consistent data. Dates are set to the plan's days afterwards.
"""

import collections
import datetime
import logging
import random
import time

from odoo import Command
from odoo.tools import SQL

from tools.progress import phase

from . import DEMO_LOGINS, STAFF, STAFF_PASSWORD, staff_login
from .trades import TRADES

_logger = logging.getLogger(__name__)

COMPANY_NAME = "PT Nusantara Niaga Sejahtera"
BATCH = 200


def _at(day, hour=9):
    return datetime.datetime.combine(day, datetime.time(hour))


def _batches(items, size=BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class DemoLoader:
    def __init__(self, env, plan, seed):
        self.env = env
        self.plan = plan
        self.rng = random.Random(seed + 1)
        self.partners = {}  # plan key -> commercial res.partner
        self.contacts = {}  # plan key -> contacts (or the partner itself)
        self.products = {}  # plan key -> product.product
        self.hashed = {}  # password -> its hash

    def load(self, say):
        """Each phase in turn, with its progress; ``say(phase, seconds)`` after
        each."""
        plan = self.plan
        for name, step, total, unit in (
            ("company", self.setup_company, None, ""),
            ("products", self.load_products, len(plan.products), "products"),
            ("staff", self.load_staff, None, ""),
            (
                "customers",
                self.load_customers,
                len(plan.customers) + len(plan.suppliers),
                "partners",
            ),
            ("users", self.load_users, None, ""),
            ("sales", self.load_sales, len(plan.orders), "orders"),
            (
                "invoices",
                self.load_invoices,
                sum(1 for order in plan.orders if order.invoice),
                "invoices",
            ),
            ("helpdesk", self.load_helpdesk, len(plan.tickets), "tickets"),
            ("purchases", self.load_purchases, len(plan.purchases), "orders"),
        ):
            started = time.monotonic()
            with phase(f"demo data: {name}", total, unit) as progress:
                step(progress)
                self.env.flush_all()
            say(name, time.monotonic() - started)

    # Reference data ---------------------------------------------------------

    def setup_company(self, _progress):
        env = self.env
        indonesia = env.ref("base.id")
        idr = env.ref("base.IDR")
        # Rupiah amounts carry no sen in practice (prices, invoices and taxes
        # are in whole rupiah): rounded to 1, every screen shows no ".00".
        idr.write({"active": True, "rounding": 1.0})
        company = env.company
        company.write(
            {
                "name": COMPANY_NAME,
                "street": "Jl. Jend. Sudirman Kav. 52-53",
                "city": "Jakarta Selatan",
                "zip": "12190",
                "country_id": indonesia.id,
                "state_id": self._state("Jakarta").id,
                "phone": "+62 21 5150 8888",
                "email": "info@nusantaraniaga.co.id",
                "vat": "01.234.567.8-012.000",
                "currency_id": idr.id,
            }
        )
        env["product.pricelist"].search([]).write({"currency_id": idr.id})
        # Its own group, or totals read "Tax 15%", the generic chart's group.
        ppn = env["account.tax.group"].create({"name": "PPN 11%"})
        self.ppn_sale = env["account.tax"].create(
            {
                "name": "PPN 11%",
                "amount": 11.0,
                "type_tax_use": "sale",
                "tax_group_id": ppn.id,
            }
        )
        self.ppn_purchase = env["account.tax"].create(
            {
                "name": "PPN Masukan 11%",
                "amount": 11.0,
                "type_tax_use": "purchase",
                "tax_group_id": ppn.id,
            }
        )
        company.write(
            {
                "account_sale_tax_id": self.ppn_sale.id,
                "account_purchase_tax_id": self.ppn_purchase.id,
            }
        )
        self.term_30 = env.ref("account.account_payment_term_30days")
        self.bank = bank_journal(env)
        env.ref("base.user_admin").write({"password": "admin"})
        self.team = env["crm.team"].search([], limit=1)
        self.reseller_tag = env["res.partner.category"].create({"name": "Reseller"})
        # A customer's trade is its industry on the partner form (suppliers
        # have none).
        industries = env["res.partner.industry"].create(
            [{"name": trade.name} for trade in TRADES]
        )
        self.industries = {None: industries.browse()}
        self.industries.update(
            zip((trade.name for trade in TRADES), industries, strict=True)
        )

    def _state(self, name):
        return self.env["res.country.state"].search(
            [("country_id.code", "=", "ID"), ("name", "=", name)], limit=1
        )

    def load_products(self, progress):
        categories = {}
        for product in self.plan.products:
            if product.category not in categories:
                categories[product.category] = self.env["product.category"].create(
                    {"name": product.category}
                )
        records = self.env["product.product"].create(
            [
                {
                    "name": product.name,
                    "default_code": f"NNS-{product.key + 1:04d}",
                    "categ_id": categories[product.category].id,
                    "type": "consu",
                    "list_price": product.price,
                    "standard_price": product.cost,
                    "invoice_policy": "order",
                    "purchase_method": "receive",
                    "taxes_id": [Command.set(self.ppn_sale.ids)],
                    "supplier_taxes_id": [Command.set(self.ppn_purchase.ids)],
                }
                for product in self.plan.products
            ]
        )
        self.products = dict(
            zip((product.key for product in self.plan.products), records, strict=True)
        )
        progress.advance(len(records))

    def load_staff(self, _progress):
        """Salespeople (account managers), a buyer and helpdesk agents."""
        self.salespeople = self.env.ref("base.user_admin") | self._staff(
            STAFF["salesperson"], "sales_team.group_sale_salesman"
        )
        self.buyer = self._staff(STAFF["buyer"], "purchase.group_purchase_user")
        self.agents = self._staff(
            STAFF["helpdesk agent"], "helpdesk_mgmt.group_helpdesk_user"
        )
        self.env["hr.employee"].create(
            [
                {"name": user.name, "user_id": user.id, "work_email": user.login}
                for user in self.agents
            ]
        )

    def _staff(self, names, group):
        users = self.env["res.users"].create(
            [
                {
                    "name": name,
                    "login": staff_login(name),
                    "groups_id": [Command.set(self.env.ref(group).ids)],
                }
                for name in names
            ]
        )
        self._set_password(users, STAFF_PASSWORD)
        return users

    def _set_password(self, users, password):
        """One hash per password for everyone who shares it: hashing is slow on
        purpose (hundreds of thousands of rounds)."""
        if password not in self.hashed:
            self.hashed[password] = users._crypt_context().hash(password)
        for user in users:
            users._set_encrypted_password(user.id, self.hashed[password])

    def _partner_vals(self, partner, supplier=False):
        return {
            "name": partner.name,
            "user_id": False if supplier else self.rng.choice(self.salespeople).id,
            "is_company": partner.is_company,
            "street": partner.street,
            "city": partner.city,
            "zip": partner.zip,
            "state_id": self._state(partner.state).id,
            "country_id": self.env.ref("base.id").id,
            "vat": partner.vat,
            "industry_id": self.industries[partner.trade].id,
            "email": partner.email,
            "phone": partner.phone,
            "lang": "en_US",
            "customer_rank": 0 if supplier else 1,
            "supplier_rank": 1 if supplier else 0,
            "property_payment_term_id": self.term_30.id,
            "property_supplier_payment_term_id": self.term_30.id,
            "category_id": [Command.set(self.reseller_tag.ids)]
            if partner.reseller
            else [],
            "child_ids": [
                Command.create(
                    {
                        "name": contact,
                        "type": "contact",
                        "email": f"{contact.lower().replace(' ', '.')}"
                        f".{partner.key}@example.co.id",
                    }
                )
                for contact in partner.contacts
            ],
        }

    def load_customers(self, progress):
        everyone = [*self.plan.customers, *self.plan.suppliers]
        suppliers = {supplier.key for supplier in self.plan.suppliers}
        for batch in _batches(everyone):
            records = self.env["res.partner"].create(
                [self._partner_vals(p, p.key in suppliers) for p in batch]
            )
            for partner, record in zip(batch, records, strict=True):
                self.partners[partner.key] = record
                self.contacts[partner.key] = record.child_ids or record
            progress.advance(len(batch))

    def load_users(self, _progress):
        portal = self.env.ref("base.group_portal")
        resellers = [c for c in self.plan.customers if c.reseller]
        customer = next(
            c for c in self.plan.customers if not c.reseller and not c.is_company
        )
        supplier = self.plan.suppliers[0]
        accounts = [
            (r, f"reseller{i}@demo.example", "reseller")
            for i, r in enumerate(resellers)
        ]
        logins = {role: (login, password) for role, login, password in DEMO_LOGINS}
        accounts[0] = (resellers[0], *logins["reseller"])
        accounts.append((customer, *logins["portal customer"]))
        accounts.append((supplier, *logins["supplier"]))
        users = self.env["res.users"].create(
            [
                {
                    "login": login,
                    "partner_id": self.contacts[partner.key][:1].id,
                    "groups_id": [Command.set(portal.ids)],
                }
                for partner, login, _password in accounts
            ]
        )
        passwords = {login: password for _partner, login, password in accounts}
        for password in set(passwords.values()):
            self._set_password(
                users.filtered(lambda user, pw=password: passwords[user.login] == pw),
                password,
            )

    # Sales --------------------------------------------------------------------

    def load_sales(self, progress):
        orders_plan = sorted(self.plan.orders, key=lambda order: order.day)
        self.orders = []
        for batch in _batches(orders_plan):
            records = self.env["sale.order"].create(
                [self._order_vals(order) for order in batch]
            )
            pairs = list(zip(batch, records, strict=True))
            self._confirmed(pairs, ("sale", "cancel")).action_confirm()
            self._confirmed(pairs, ("cancel",))._action_cancel()
            self._deliver(pairs)
            self.orders += pairs
            progress.advance(len(batch))
        _backdate(
            self.env["sale.order"],
            {
                record.id: {"date_order": _at(order.day, 8 + self.rng.randrange(9))}
                for order, record in self.orders
            },
            also_created=True,
        )

    def _order_vals(self, order):
        contact = self.rng.choice(self.contacts[order.customer])
        customer = self.partners[order.customer]
        return {
            "partner_id": contact.id,
            "partner_invoice_id": customer.id,
            "user_id": customer.user_id.id,
            "date_order": _at(order.day),
            "team_id": self.team.id,
            "order_line": [
                Command.create(
                    {
                        "product_id": self.products[product].id,
                        "product_uom_qty": quantity,
                        "discount": discount,
                    }
                )
                for product, quantity, discount in order.lines
            ],
        }

    def _confirmed(self, pairs, states):
        return self.env["sale.order"].union(
            *(record for order, record in pairs if order.state in states)
        )

    def _deliver(self, pairs):
        """Ship what was sold, a day or three after the order, batch by batch."""
        shipped = {}
        for order, record in pairs:
            if order.state != "sale" or (self.plan.today - order.day).days < 3:
                continue
            day = min(
                order.day + datetime.timedelta(days=1 + self.rng.randrange(3)),
                self.plan.today,
            )
            for picking in record.picking_ids:
                shipped[picking] = _at(day)
        _validate(self.env["stock.picking"].union(*shipped))
        _backdate(
            self.env["stock.picking"],
            {picking.id: {"date_done": when} for picking, when in shipped.items()},
        )

    def load_invoices(self, progress):
        to_invoice = sorted(
            ((order, record) for order, record in self.orders if order.invoice),
            key=lambda pair: pair[0].day,
        )
        for batch in _batches(to_invoice):
            invoices = self._invoice(batch)
            self._refund(
                [
                    (order, move)
                    for order, move in invoices
                    if order.invoice == "refunded"
                ]
            )
            self._pay(
                [
                    (order, move)
                    for order, move in invoices
                    if order.invoice in ("paid", "partial")
                ]
            )
            progress.advance(len(batch))

    def _invoice(self, batch):
        """One invoice per order, dated a day or two after it, posted together."""
        orders = self.env["sale.order"].union(*(record for _order, record in batch))
        moves = orders._create_invoices(grouped=True)
        move_of = {move.invoice_origin: move for move in moves}
        pairs = [(order, move_of[record.name]) for order, record in batch]
        # One write per invoice day: each write of invoices syncs their lines.
        by_day = collections.defaultdict(lambda: self.env["account.move"])
        for order, move in pairs:
            by_day[order.day + datetime.timedelta(days=self.rng.randrange(3))] |= move
        for day, invoices in by_day.items():
            invoices.invoice_date = day
        moves.action_post()
        return pairs

    def _refund(self, pairs):
        """Goods came back: a credit note cancels the invoice (all at once)."""
        invoices = self.env["account.move"].union(*(move for _order, move in pairs))
        invoices._reverse_moves(
            [
                {
                    "invoice_date": min(
                        invoice.invoice_date + datetime.timedelta(days=10),
                        self.plan.today,
                    ),
                    "ref": "Retur barang",
                }
                for invoice in invoices
            ],
            cancel=True,
        )

    def _pay(self, pairs):
        """Most customers pay around the due date, some a month or two late;
        partial payers settle half."""
        payments = []
        for order, invoice in pairs:
            delay = int(self.rng.lognormvariate(2.6, 0.7))
            amount = invoice.amount_total
            if order.invoice == "partial":
                amount = invoice.currency_id.round(amount * 0.5)
            day = invoice.invoice_date + datetime.timedelta(days=delay)
            payments.append((invoice, amount, min(day, self.plan.today)))
        self._register_payments(payments)

    def _register_payments(self, payments):
        """Bank payments of (invoice or bill, amount, day), each reconciled with it;
        those dated after the plan's today are not made yet."""
        payments = [item for item in payments if item[2] <= self.plan.today]
        records = self.env["account.payment"].create(
            [
                {
                    "payment_type": "inbound" if move.is_inbound() else "outbound",
                    "partner_type": "customer"
                    if move.is_sale_document()
                    else "supplier",
                    "partner_id": move.commercial_partner_id.id,
                    "journal_id": self.bank.id,
                    "amount": amount,
                    "date": day,
                    "memo": move.name,
                    "invoice_ids": [Command.set(move.ids)],
                }
                for move, amount, day in payments
            ]
        )
        records.action_post()
        # invoice_ids already links each payment to its move (matched payments);
        # every pair reconciled in one pass.
        self.env["account.move.line"]._reconcile_plan(
            [
                _open_lines(payment.move_id + move)
                for (move, _amount, _day), payment in zip(
                    payments, records, strict=True
                )
            ]
        )

    # Helpdesk -----------------------------------------------------------------

    def load_helpdesk(self, progress):
        env = self.env
        team, project = support_team(env, "Layanan Pelanggan", self.agents)
        stages = env["helpdesk.ticket.stage"].search([])
        done = stages.filtered(lambda stage: stage.closed)[:1]
        open_stages = stages.filtered(lambda stage: not stage.closed)
        plan = sorted(self.plan.tickets, key=lambda ticket: ticket.day)
        vals_list = []
        for ticket in plan:
            contact = self.rng.choice(self.contacts[ticket.customer])
            vals_list.append(
                {
                    "name": ticket.name,
                    "description": f"<p>{ticket.name}</p>",
                    "partner_id": contact.id,
                    "partner_name": contact.name,
                    "partner_email": contact.email,
                    "user_id": self.rng.choice(self.agents).id,
                    "team_id": team.id,
                    "project_id": project.id,
                    "planned_hours": max(1.0, round(sum(ticket.hours))),
                    "stage_id": (
                        done if ticket.closed else self.rng.choice(open_stages)
                    ).id,
                }
            )
        tickets = env["helpdesk.ticket"].create(vals_list)
        lines, dates = [], {}
        for ticket, record in zip(plan, tickets, strict=True):
            last = ticket.day
            for index, hours in enumerate(ticket.hours):
                last = min(ticket.day + datetime.timedelta(days=index), self.plan.today)
                lines.append(
                    {
                        "name": ticket.name,
                        "date": last,
                        "unit_amount": hours,
                        "ticket_id": record.id,
                        "project_id": project.id,
                        "employee_id": record.user_id.employee_ids[:1].id,
                    }
                )
            dates[record.id] = {
                "create_date": _at(ticket.day, 10),
                "assigned_date": _at(ticket.day, 11),
                "last_stage_update": _at(last, 16),
                "closed_date": _at(last, 16) if ticket.closed else None,
            }
        env["account.analytic.line"].create(lines)
        _backdate(env["helpdesk.ticket"], dates)
        progress.advance(len(tickets))

    # Purchasing ---------------------------------------------------------------

    def load_purchases(self, progress):
        plan = sorted(self.plan.purchases, key=lambda purchase: purchase.day)
        orders = self.env["purchase.order"].create(
            [self._purchase_vals(purchase) for purchase in plan]
        )
        orders.button_confirm()
        _backdate(
            orders,
            {
                order.id: {"date_approve": _at(purchase.day, 11)}
                for purchase, order in zip(plan, orders, strict=True)
            },
            also_created=True,
        )
        arrived = []
        for purchase, order in zip(plan, orders, strict=True):
            received = order.date_planned + datetime.timedelta(days=purchase.delay_days)
            if received.date() <= self.plan.today:
                arrived.append((purchase, order, received))
        self._receive(arrived)
        self._return([item for item in arrived if item[0].returned_share])
        self._bill(arrived)
        progress.advance(len(orders))

    def _purchase_vals(self, purchase):
        planned = _at(purchase.day + datetime.timedelta(days=purchase.lead_days))
        return {
            "partner_id": self.partners[purchase.supplier].id,
            "user_id": self.buyer.id,
            "payment_term_id": self.term_30.id,
            "date_order": _at(purchase.day),
            "date_planned": planned,
            "order_line": [
                Command.create(
                    {
                        "product_id": self.products[product].id,
                        "product_qty": quantity,
                        "price_unit": self.products[product].standard_price,
                        "date_planned": planned,
                    }
                )
                for product, quantity in purchase.lines
            ],
        }

    def _receive(self, arrived):
        """Receipts, late or short as planned; what is missing is not backordered."""
        pickings = self.env["stock.picking"]
        for purchase, order, _received in arrived:
            picking = order.picking_ids[:1]
            for move in picking.move_ids:
                move.quantity = max(
                    1, round(move.product_uom_qty * purchase.received_share)
                )
            pickings |= picking
        _validate(pickings)
        _backdate(
            pickings,
            {
                order.picking_ids[:1].id: {"date_done": received}
                for _purchase, order, received in arrived
            },
        )

    def _return(self, returning):
        """Part of some receipts goes back to the supplier two days later."""
        dates = {}
        for purchase, order, received in returning:
            picking = order.picking_ids[:1]
            wizard = (
                self.env["stock.return.picking"]
                .with_context(active_id=picking.id, active_model="stock.picking")
                .create({})
            )
            for line in wizard.product_return_moves:
                line.quantity = max(
                    1, round(line.move_id.quantity * purchase.returned_share)
                )
            action = wizard.action_create_returns()
            returned = self.env["stock.picking"].browse(action["res_id"])
            _validate(returned)
            dates[returned.id] = {"date_done": received + datetime.timedelta(days=2)}
        _backdate(self.env["stock.picking"], dates)

    def _bill(self, arrived):
        """One vendor bill per received order, for what was kept, posted together."""
        vals_list = []
        for _purchase, order, received in arrived:
            vals = order.with_company(order.company_id)._prepare_invoice()
            vals["invoice_date"] = received.date()
            vals["invoice_line_ids"] = [
                Command.create(line._prepare_account_move_line())
                for line in order.order_line
                if line.qty_to_invoice
            ]
            vals_list.append(vals)
        bills = self.env["account.move"].create(vals_list)
        bills.action_post()
        # Bills are paid by their due date, one in ten a week or two late.
        self._register_payments(
            [
                (
                    bill,
                    bill.amount_total,
                    bill.invoice_date_due
                    + datetime.timedelta(
                        days=self.rng.randrange(5, 15)
                        if self.rng.random() < 0.1
                        else -self.rng.randrange(0, 5)
                    ),
                )
                for bill in bills
            ]
        )


def _validate(pickings):
    """Validate at once, each move done for what it holds (its reservation, or
    the quantity set beforehand), with no backorder for the rest."""
    for move in pickings.move_ids.filtered(lambda move: not move.quantity):
        move.quantity = move.product_uom_qty
    pickings.move_ids.picked = True
    pickings.with_context(cancel_backorder=True)._action_done()


def _backdate(records, values, also_created=False):
    """Write dates (and create_date) the ORM keeps to itself, one UPDATE a column.

    ``values`` maps record id -> {column: datetime or None}; with ``also_created``
    the first column's value becomes the create_date too, as if the record had
    been made that day.
    """
    records.env.flush_all()
    if also_created:
        values = {
            record_id: {**dates, "create_date": next(iter(dates.values()))}
            for record_id, dates in values.items()
        }
    columns = {column for dates in values.values() for column in dates}
    ids = list(values)
    for column in sorted(columns):
        records.env.cr.execute(
            SQL(
                "UPDATE %(table)s SET %(column)s = data.value"
                " FROM unnest(%(ids)s::int[], %(values)s::timestamp[])"
                " AS data(id, value) WHERE %(table)s.id = data.id",
                table=SQL.identifier(records._table),
                column=SQL.identifier(column),
                ids=ids,
                values=[values[record_id].get(column) for record_id in ids],
            )
        )
    records.invalidate_model(sorted(columns))


def bank_journal(env):
    """The company's bank journal, booking payments on the outstanding accounts.

    With an outstanding account a payment gets its journal entry and is
    reconciled with the invoice, as in a company that books its bank.
    """
    bank = env["account.journal"].search(
        [("type", "=", "bank"), ("company_id", "=", env.company.id)], limit=1
    )
    company = env.company.id
    for lines, account in (
        (bank.inbound_payment_method_line_ids, "debit"),
        (bank.outbound_payment_method_line_ids, "credit"),
    ):
        lines.payment_account_id = env.ref(
            f"account.{company}_account_journal_payment_{account}_account_id"
        )
    return bank


def support_team(env, name, agents):
    """A helpdesk team of ``agents`` whose hours go on a timesheet project of
    the same name: (team, project)."""
    project = env["project.project"].create({"name": name, "allow_timesheets": True})
    team = env["helpdesk.ticket.team"].create(
        {
            "name": name,
            "allow_timesheet": True,
            "default_project_id": project.id,
            "user_ids": [Command.set(agents.ids)],
        }
    )
    return team, project


def _open_lines(moves):
    """The open receivable/payable lines of a payment and its invoice."""
    return moves.line_ids.filtered(
        lambda line: (
            line.account_id.account_type in ("asset_receivable", "liability_payable")
            and not line.reconciled
        )
    )


def load_demo(env, plan, seed, say):
    DemoLoader(env, plan, seed).load(say)
    env["ir.config_parameter"].set_param(
        "datagen.loaded", f"demo seed={seed} today={plan.today}"
    )
