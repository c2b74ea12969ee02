"""crm_supplier_rm demo: supplier portal users, two years of scorecards with
answers from the suppliers, open requests for quotation, certificates.

The demo data set already holds the purchasing: 20 suppliers and 260 orders,
some received late or short, some partly returned, all billed and paid.
"""

import datetime
import random

from odoo import Command
from odoo.tools import SQL

from .. import STAFF, staff_login

SEED = 42
PORTAL_PASSWORD = "supplier"
CONTEST_COMMENTS = (
    "Barang sudah tiba tepat waktu, tetapi penerimaan gudang baru dicatat dua "
    "hari kemudian.",
    "Kekurangan kirim sudah kami ganti pada pengiriman berikutnya.",
    "Retur ini karena kemasan rusak di ekspedisi, bukan mutu produk.",
)
ACK_COMMENTS = (
    "Terima kasih, kami perbaiki ketepatan waktu bulan depan.",
    "",
    "Noted, tim logistik sudah kami briefing.",
)
CERTIFICATES = (
    ("Sertifikat Halal MUI", "halal"),
    ("ISO 9001:2015", "quality"),
    ("BPOM Izin Edar", "food_safety"),
    ("ISO 14001", "environment"),
)


def prepare(env):
    rng = random.Random(SEED)
    env = env(context=dict(env.context, tracking_disable=False))
    company = env.company
    today = datetime.date.today()
    suppliers = _suppliers(env, company)
    logins = _portal_users(env, suppliers)
    _rfq_sent_dates(env, company, rng)
    _recent_trouble(env, suppliers, today)
    config = env["crm.supplier.scorecard.config"]._for_company(company)
    config.period_kind = "month"
    config._compute_scorecards(as_of=today)
    answered = _supplier_answers(env, company, rng, today)
    rfqs = _open_requests(env, suppliers, rng, today)
    proposals = _orders_to_acknowledge(env, suppliers, today)
    certificates = _certificates(env, suppliers, rng, today)
    env["crm.supplier.certificate"]._cron_remind()
    cards = env["crm.supplier.scorecard"].search_count(
        [("company_id", "=", company.id)]
    )
    standings = ", ".join(
        f"{len(group)} {standing.name}"
        for standing, group in env["res.partner"]
        .search([("srm_standing_id", "!=", False)])
        .grouped("srm_standing_id")
        .items()
    )
    return (
        f"supplier scorecards: {cards} period cards for {len(suppliers)} suppliers "
        f"({standings}), {answered} answered by suppliers, {rfqs} open requests "
        f"for quotation, {proposals} date proposal, {certificates} certificates; "
        f"supplier logins {logins[0]} ... {logins[-1]} / {PORTAL_PASSWORD}"
    )


def _buyer(env):
    return env["res.users"].search(
        [("login", "=", staff_login(STAFF["buyer"][0]))], limit=1
    )


def _suppliers(env, company):
    rows = env.execute_query(
        SQL(
            """
            SELECT DISTINCT partner.commercial_partner_id
              FROM purchase_order po
              JOIN res_partner partner ON partner.id = po.partner_id
             WHERE po.company_id = %s
             ORDER BY 1
            """,
            company.id,
        )
    )
    return env["res.partner"].browse([row[0] for row in rows])


def _portal_users(env, suppliers):
    """A portal login for every supplier (the data set made the first one)."""
    portal = env.ref("base.group_portal")
    logins = []
    vals_list = []
    for index, supplier in enumerate(suppliers):
        contact = supplier.child_ids[:1] or supplier
        existing = env["res.users"].search(
            [("partner_id", "child_of", supplier.id)], limit=1
        )
        if existing:
            logins.append(existing.login)
            continue
        login = f"supplier{index}@demo.example"
        logins.append(login)
        vals_list.append(
            {
                "login": login,
                "password": PORTAL_PASSWORD,
                "partner_id": contact.id,
                "groups_id": [Command.set(portal.ids)],
            }
        )
    env["res.users"].with_context(no_reset_password=True).create(vals_list)
    return logins


def _rfq_sent_dates(env, company, rng):
    """Requests for quotation went out a few hours to a week before the order
    was confirmed; slow suppliers take longer."""
    orders = env["purchase.order"].search(
        [("company_id", "=", company.id), ("state", "in", ("purchase", "done"))]
    )
    slow = {partner.id for partner in orders.partner_id if rng.random() < 0.3}
    ids, sent = [], []
    for order in orders:
        days = (
            rng.uniform(3, 12) if order.partner_id.id in slow else rng.uniform(0.1, 2)
        )
        ids.append(order.id)
        sent.append(order.date_approve - datetime.timedelta(days=days))
    env.flush_all()
    env.cr.execute(
        SQL(
            "UPDATE purchase_order SET srm_rfq_sent_date = data.sent"
            " FROM unnest(%s::int4[], %s::timestamp[]) AS data(id, sent)"
            " WHERE purchase_order.id = data.id",
            ids,
            sent,
        )
    )
    env["purchase.order"].invalidate_model(["srm_rfq_sent_date"])


def _recent_trouble(env, suppliers, today):
    """This month two suppliers deliver half, late, with returns and bills for
    more than arrived (Blocked); two others are only late (Watch)."""
    product = env["product.product"].search(
        [("purchase_ok", "=", True), ("type", "=", "consu")], limit=1
    )
    planned = datetime.datetime.combine(
        max(today.replace(day=1), today - datetime.timedelta(days=2)),
        datetime.time(3),
    )
    for index, supplier in enumerate(suppliers[2:6]):
        blocked = index < 2
        order = env["purchase.order"].create(
            {
                "partner_id": supplier.id,
                "user_id": _buyer(env).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_qty": 100,
                            "price_unit": product.standard_price,
                            "date_planned": planned,
                        }
                    )
                ],
            }
        )
        order.button_confirm()
        order.write({"date_approve": planned - datetime.timedelta(days=6)})
        order.order_line.date_planned = planned
        picking = order.picking_ids
        picking.move_ids.quantity = 50 if blocked else 100
        picking.move_ids.picked = True
        picking.with_context(cancel_backorder=True)._action_done()
        picking.date_done = datetime.datetime.combine(today, datetime.time(8))
        if blocked:
            wizard = (
                env["stock.return.picking"]
                .with_context(active_id=picking.id, active_model="stock.picking")
                .create({})
            )
            wizard.product_return_moves.quantity = 20
            returned = env["stock.picking"].browse(
                wizard.action_create_returns()["res_id"]
            )
            returned.move_ids.quantity = 20
            returned.move_ids.picked = True
            returned._action_done()
            order.action_create_invoice()
            bill = order.invoice_ids
            bill.invoice_date = today
            bill.invoice_line_ids.write(
                {"quantity": 100, "price_unit": product.standard_price * 1.15}
            )
            bill.action_post()


def _supplier_answers(env, company, rng, today):
    """Suppliers acknowledge most older periods and contest a few bad ones."""
    cards = env["crm.supplier.scorecard"].search(
        [
            ("company_id", "=", company.id),
            ("state", "=", "scored"),
            ("date_end", "<", today - datetime.timedelta(days=30)),
        ]
    )
    answered = 0
    for card in cards:
        user = env["res.users"].search(
            [("partner_id", "child_of", card.partner_id.id)], limit=1
        )
        if not user:
            continue
        if card.score < 65 and rng.random() < 0.5:
            card._record_feedback("contested", rng.choice(CONTEST_COMMENTS), user)
        elif rng.random() < 0.6:
            card._record_feedback("acknowledged", rng.choice(ACK_COMMENTS), user)
        else:
            continue
        answered += 1
    return answered


def _open_requests(env, suppliers, rng, today):
    """Requests for quotation sent and waiting for the supplier's prices."""
    products = env["product.product"].search(
        [("purchase_ok", "=", True), ("type", "=", "consu")], limit=40
    )
    buyer = _buyer(env)
    count = 0
    for supplier in suppliers[:8]:
        lines = [
            Command.create(
                {
                    "product_id": product.id,
                    "product_qty": rng.randrange(20, 200, 10),
                    "price_unit": product.standard_price,
                    "date_planned": datetime.datetime.combine(
                        today + datetime.timedelta(days=rng.choice((7, 10, 14))),
                        datetime.time(10),
                    ),
                }
            )
            for product in rng.sample(list(products), 2)
        ]
        rfq = env["purchase.order"].create(
            {"partner_id": supplier.id, "user_id": buyer.id, "order_line": lines}
        )
        rfq.write({"state": "sent"})
        count += 1
    return count


def _orders_to_acknowledge(env, suppliers, today):
    """An order of the first supplier waiting for acknowledgement, with a new
    date proposed on one line for the buyer to accept or refuse."""
    supplier = suppliers[0]
    products = env["product.product"].search(
        [("purchase_ok", "=", True), ("type", "=", "consu")], limit=2
    )
    planned = datetime.datetime.combine(
        today + datetime.timedelta(days=12), datetime.time(10)
    )
    order = env["purchase.order"].create(
        {
            "partner_id": supplier.id,
            "user_id": _buyer(env).id,
            "order_line": [
                Command.create(
                    {
                        "product_id": product.id,
                        "product_qty": 50,
                        "price_unit": product.standard_price,
                        "date_planned": planned,
                    }
                )
                for product in products
            ],
        }
    )
    order.button_confirm()
    other = suppliers[1]
    second = order.copy({"partner_id": other.id})
    second.button_confirm()
    user = env["res.users"].search([("partner_id", "child_of", other.id)], limit=1)
    second._srm_acknowledge(user)
    second._srm_propose_dates(
        user,
        {second.order_line[:1]: today + datetime.timedelta(days=19)},
        "Stok bahan baku terlambat datang dari pelabuhan.",
    )
    return 1


def _certificates(env, suppliers, rng, today):
    """One or two certificates a supplier; a few expire soon, one has expired."""
    vals_list = []
    for index, supplier in enumerate(suppliers):
        for name, kind in rng.sample(CERTIFICATES, rng.choice((1, 2))):
            if index % 6 == 0:
                expiry = today + datetime.timedelta(days=rng.randrange(5, 25))
            elif index == 7:
                expiry = today - datetime.timedelta(days=10)
            else:
                expiry = today + datetime.timedelta(days=rng.randrange(120, 700))
            vals_list.append(
                {
                    "name": name,
                    "kind": kind,
                    "partner_id": supplier.id,
                    "reference": f"{kind.upper()[:3]}-{rng.randrange(10000, 99999)}",
                    "issue_date": expiry - datetime.timedelta(days=3 * 365),
                    "expiry_date": expiry,
                    "document": b"JVBERi0xLjQKJSBkZW1vCg==",
                    "document_name": f"{name}.pdf",
                }
            )
    env["crm.supplier.certificate"].create(vals_list)
    return len(vals_list)
