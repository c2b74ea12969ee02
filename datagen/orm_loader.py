"""Write the demo plan through Odoo's own business methods, in batches.

Orders are confirmed, delivered and invoiced, invoices posted and paid, receipts
validated, exactly as users would have done it, so every screen and report of
Odoo shows consistent data. Dates are set to the plan's days afterwards.
"""

import datetime
import logging
import random

from odoo import Command
from odoo.tools import SQL

from . import DEMO_LOGINS

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

    def load(self, say):
        for name, step in (
            ("company", self.setup_company),
            ("products", self.load_products),
            ("customers", self.load_customers),
            ("users", self.load_users),
            ("sales", self.load_sales),
            ("invoices", self.load_invoices),
            ("helpdesk", self.load_helpdesk),
            ("purchases", self.load_purchases),
        ):
            started = datetime.datetime.now()
            step()
            self.env.flush_all()
            say(name, (datetime.datetime.now() - started).total_seconds())

    # Reference data ---------------------------------------------------------

    def setup_company(self):
        env = self.env
        indonesia = env.ref("base.id")
        idr = env.ref("base.IDR")
        idr.active = True
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
        self.ppn_sale = env["account.tax"].create(
            {"name": "PPN 11%", "amount": 11.0, "type_tax_use": "sale"}
        )
        self.ppn_purchase = env["account.tax"].create(
            {"name": "PPN Masukan 11%", "amount": 11.0, "type_tax_use": "purchase"}
        )
        company.write(
            {
                "account_sale_tax_id": self.ppn_sale.id,
                "account_purchase_tax_id": self.ppn_purchase.id,
            }
        )
        self.term_30 = env.ref("account.account_payment_term_30days")
        env.ref("base.user_admin").write({"password": "admin"})
        self.team = env["crm.team"].search([], limit=1)
        self.reseller_tag = env["res.partner.category"].create({"name": "Reseller"})

    def _state(self, name):
        return self.env["res.country.state"].search(
            [("country_id.code", "=", "ID"), ("name", "=", name)], limit=1
        )

    def load_products(self):
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

    def _partner_vals(self, partner, supplier=False):
        return {
            "name": partner.name,
            "is_company": partner.is_company,
            "street": partner.street,
            "city": partner.city,
            "zip": partner.zip,
            "state_id": self._state(partner.state).id,
            "country_id": self.env.ref("base.id").id,
            "vat": partner.vat,
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

    def load_customers(self):
        everyone = [*self.plan.customers, *self.plan.suppliers]
        suppliers = {supplier.key for supplier in self.plan.suppliers}
        for batch in _batches(everyone):
            records = self.env["res.partner"].create(
                [self._partner_vals(p, p.key in suppliers) for p in batch]
            )
            for partner, record in zip(batch, records, strict=True):
                self.partners[partner.key] = record
                self.contacts[partner.key] = record.child_ids or record

    def load_users(self):
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
        for partner, login, password in accounts:
            contact = self.contacts[partner.key][:1]
            self.env["res.users"].create(
                {
                    "login": login,
                    "password": password,
                    "partner_id": contact.id,
                    "groups_id": [Command.set(portal.ids)],
                }
            )

    # Sales --------------------------------------------------------------------

    def load_sales(self):
        orders_plan = sorted(self.plan.orders, key=lambda order: order.day)
        self.orders = []
        for batch in _batches(orders_plan):
            records = self.env["sale.order"].create(
                [self._order_vals(order) for order in batch]
            )
            plan_of = dict(zip(records, batch, strict=True))
            confirmed = records.filtered(
                lambda r, plan_of=plan_of: plan_of[r].state != "quotation"
            )
            confirmed.action_confirm()
            for order, record in zip(batch, records, strict=True):
                if order.state == "cancel":
                    record._action_cancel()
            self._deliver(records, batch)
            self.orders += list(zip(batch, records, strict=True))
        for order, record in self.orders:
            self.env.cr.execute(
                SQL(
                    "UPDATE sale_order SET date_order = %(when)s,"
                    " create_date = %(when)s WHERE id = %(id)s",
                    when=_at(order.day, 8 + self.rng.randrange(9)),
                    id=record.id,
                )
            )
        self.env["sale.order"].invalidate_model(["date_order", "create_date"])

    def _order_vals(self, order):
        partner = self.partners[order.customer]
        contact = self.rng.choice(self.contacts[order.customer])
        return {
            "partner_id": contact.id,
            "partner_invoice_id": partner.id,
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

    def _deliver(self, records, batch):
        """Ship what was sold, a day or three after the order."""
        for order, record in zip(batch, records, strict=True):
            if order.state != "sale" or (self.plan.today - order.day).days < 3:
                continue
            for picking in record.picking_ids:
                for move in picking.move_ids:
                    move.quantity = move.product_uom_qty
                    move.picked = True
                picking.with_context(cancel_backorder=True)._action_done()
                picking.date_done = _at(
                    min(
                        order.day + datetime.timedelta(days=1 + self.rng.randrange(3)),
                        self.plan.today,
                    )
                )

    def load_invoices(self):
        to_invoice = sorted(
            ((order, record) for order, record in self.orders if order.invoice),
            key=lambda pair: pair[0].day,
        )
        for batch in _batches(to_invoice):
            for order, record in batch:
                invoice = record._create_invoices()
                invoice.invoice_date = order.day + datetime.timedelta(
                    days=self.rng.randrange(3)
                )
                invoice.action_post()
                self._settle(order, invoice)

    def _settle(self, order, invoice):
        today = self.plan.today
        if order.invoice == "refunded":
            refund_day = min(invoice.invoice_date + datetime.timedelta(days=10), today)
            invoice._reverse_moves(
                [{"invoice_date": refund_day, "ref": "Retur barang"}], cancel=True
            )
            return
        if order.invoice == "open":
            return
        # Most pay around the due date; some a month or two late.
        delay = int(self.rng.lognormvariate(2.6, 0.7))
        pay_day = min(invoice.invoice_date + datetime.timedelta(days=delay), today)
        amount = invoice.amount_total
        if order.invoice == "partial":
            amount = invoice.currency_id.round(amount * 0.5)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": pay_day, "amount": amount})._create_payments()

    # Helpdesk -----------------------------------------------------------------

    def load_helpdesk(self):
        env = self.env
        project = env["project.project"].create(
            {"name": "Layanan Pelanggan", "allow_timesheets": True}
        )
        team = env["helpdesk.ticket.team"].create(
            {
                "name": "Layanan Pelanggan",
                "allow_timesheet": True,
                "default_project_id": project.id,
            }
        )
        agents = env["hr.employee"].create(
            [{"name": name} for name in ("Dewi Lestari", "Rizky Pratama", "Ayu Kusuma")]
        )
        stages = env["helpdesk.ticket.stage"].search([])
        done = stages.filtered(lambda stage: stage.closed)[:1]
        open_stages = stages.filtered(lambda stage: not stage.closed)
        tickets = env["helpdesk.ticket"].create(
            [
                {
                    "name": ticket.name,
                    "description": f"<p>{ticket.name}</p>",
                    "partner_id": self.rng.choice(self.contacts[ticket.customer]).id,
                    "team_id": team.id,
                    "project_id": project.id,
                    "stage_id": (
                        done if ticket.closed else self.rng.choice(open_stages)
                    ).id,
                }
                for ticket in self.plan.tickets
            ]
        )
        lines = []
        for ticket, record in zip(self.plan.tickets, tickets, strict=True):
            for index, hours in enumerate(ticket.hours):
                lines.append(
                    {
                        "name": ticket.name,
                        "date": min(
                            ticket.day + datetime.timedelta(days=index), self.plan.today
                        ),
                        "unit_amount": hours,
                        "ticket_id": record.id,
                        "project_id": project.id,
                        "employee_id": self.rng.choice(agents).id,
                    }
                )
            self.env.cr.execute(
                SQL(
                    "UPDATE helpdesk_ticket SET create_date = %(when)s"
                    " WHERE id = %(id)s",
                    when=_at(ticket.day, 10),
                    id=record.id,
                )
            )
        env["account.analytic.line"].create(lines)

    # Purchasing ---------------------------------------------------------------

    def load_purchases(self):
        for purchase in sorted(self.plan.purchases, key=lambda p: p.day):
            planned = _at(purchase.day + datetime.timedelta(days=purchase.lead_days))
            order = self.env["purchase.order"].create(
                {
                    "partner_id": self.partners[purchase.supplier].id,
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
            )
            order.button_confirm()
            received = planned + datetime.timedelta(days=purchase.delay_days)
            if received.date() > self.plan.today:
                continue
            self._receive(order, purchase, received)

    def _receive(self, order, purchase, received):
        picking = order.picking_ids[:1]
        for move in picking.move_ids:
            move.quantity = (
                order.currency_id.round(move.product_uom_qty * purchase.received_share)
                if purchase.received_share < 1
                else move.product_uom_qty
            )
            move.quantity = round(move.quantity)
            move.picked = True
        picking.with_context(cancel_backorder=True)._action_done()
        picking.date_done = received
        order.date_approve = _at(purchase.day, 11)
        if purchase.returned_share:
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
            for move in returned.move_ids:
                move.quantity = move.product_uom_qty
                move.picked = True
            returned._action_done()
            returned.date_done = received + datetime.timedelta(days=2)
        bill = order.action_create_invoice()
        move = self.env["account.move"].browse(bill["res_id"])
        move.invoice_date = received.date()
        move.action_post()


def load_demo(env, plan, seed, say):
    DemoLoader(env, plan, seed).load(say)
    env["ir.config_parameter"].set_param(
        "datagen.loaded", f"demo seed={seed} today={plan.today}"
    )
