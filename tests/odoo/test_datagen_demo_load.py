"""The demo loader writes what the plan promises, checked through the ORM.

A small demo (scale 0.05: 20 customers, 24 months) is loaded once and compared
with the plan drawn from the same seed.
"""

import collections
import datetime

import pytest

from datagen import DEMO_LOGINS

SIZE = "demo"
SCALE = 0.05


def _invoices(env, **extra):
    domain = [("move_type", "=", "out_invoice"), ("state", "=", "posted")]
    return env["account.move"].search(
        domain + [(key, "=", value) for key, value in extra.items()]
    )


def test_company_is_indonesian_in_idr(env):
    company = env.company
    assert company.currency_id.name == "IDR"
    # Whole rupiah: no ".00" on any amount.
    assert company.currency_id.decimal_places == 0
    assert company.currency_id.format(1256000).endswith("1,256,000")
    assert company.country_id.code == "ID"
    # Order totals say "PPN 11%", not the generic chart's "Tax 15%".
    assert company.account_sale_tax_id.tax_group_id.name == "PPN 11%"
    assert company.account_purchase_tax_id.tax_group_id.name == "PPN 11%"


def test_customers_products_and_portal_users(env, plan):
    customers = env["res.partner"].search(
        [("customer_rank", ">", 0), ("parent_id", "=", False)]
    )
    assert len(customers) == len(plan.customers)
    assert sum(customers.mapped("is_company")) == sum(
        customer.is_company for customer in plan.customers
    )
    assert all(partner.vat for partner in customers.filtered("is_company"))
    assert env["product.product"].search_count([("default_code", "=like", "NNS-%")])
    for _role, login, _password in DEMO_LOGINS:
        user = env["res.users"].search([("login", "=", login)])
        assert user and user._is_portal(), login


def test_customers_show_their_trade_as_industry(env, plan):
    customers = env["res.partner"].search(
        [("customer_rank", ">", 0), ("parent_id", "=", False)]
    )
    assert collections.Counter(
        partner.industry_id.name for partner in customers
    ) == collections.Counter(customer.trade for customer in plan.customers)


def test_orders_by_state_over_24_months(env, plan):
    expected = collections.Counter(
        {"quotation": "draft"}.get(order.state, order.state) for order in plan.orders
    )
    orders = env["sale.order"].search([])
    assert collections.Counter(orders.mapped("state")) == expected
    days = {order.date_order.date() for order in orders}
    assert days == {order.day for order in plan.orders}
    months = {(day.year, day.month) for day in days}
    assert len(months) >= 24


def test_confirmed_orders_are_delivered(env, plan):
    shipped = env["sale.order"].search(
        [
            ("state", "=", "sale"),
            ("date_order", "<", plan.today - datetime.timedelta(days=3)),
        ]
    )
    assert shipped
    assert all(picking.state == "done" for picking in shipped.picking_ids), (
        "every confirmed order older than 3 days is shipped"
    )


def test_invoices_posted_paid_and_reconciled(env, plan):
    outcomes = collections.Counter(order.invoice for order in plan.orders)
    states = collections.Counter(_invoices(env).mapped("payment_state"))
    assert states == {
        "paid": outcomes["paid"],
        "partial": outcomes["partial"],
        "not_paid": outcomes["open"],
        "reversed": outcomes["refunded"],
    }
    for invoice in _invoices(env, payment_state="paid"):
        receivable = invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        assert receivable.reconciled and not invoice.amount_residual
        counterpart = receivable.matched_credit_ids.credit_move_id.move_id
        assert counterpart.origin_payment_id, invoice.name
    for invoice in _invoices(env, payment_state="partial"):
        assert 0 < invoice.amount_residual < invoice.amount_total


def test_credit_notes_and_overdue_invoices(env, plan):
    refunds = env["account.move"].search(
        [("move_type", "=", "out_refund"), ("state", "=", "posted")]
    )
    assert len(refunds) == sum(order.invoice == "refunded" for order in plan.orders)
    overdue = _invoices(env, payment_state="not_paid").filtered(
        lambda move: move.invoice_date_due < plan.today
    )
    old_open = [
        order
        for order in plan.orders
        if order.invoice == "open"
        and order.day < plan.today - datetime.timedelta(days=40)
    ]
    assert len(overdue) >= len(old_open) > 0


def test_helpdesk_tickets_with_hours(env, plan):
    tickets = env["helpdesk.ticket"].search([])
    assert len(tickets) == len(plan.tickets)
    hours = sum(tickets.mapped("timesheet_ids.unit_amount"))
    assert hours == pytest.approx(sum(sum(ticket.hours) for ticket in plan.tickets))
    assert sum(tickets.mapped("closed")) == sum(
        ticket.closed for ticket in plan.tickets
    )
    assert all(ticket.commercial_partner_id.customer_rank for ticket in tickets)


def test_purchases_late_short_and_returned(env, plan):
    orders = env["purchase.order"].search([])
    assert len(orders) == len(plan.purchases)
    receipts = orders.picking_ids.filtered(
        lambda picking: picking.picking_type_code == "incoming"
    )
    assert all(receipt.state == "done" for receipt in receipts)
    late = receipts.filtered(
        lambda receipt: receipt.date_done.date() > receipt.scheduled_date.date()
    )
    assert len(late) == sum(purchase.delay_days > 0 for purchase in plan.purchases)
    short = orders.filtered(
        lambda order: any(
            line.qty_received < line.product_qty for line in order.order_line
        )
    )
    assert len(short) == sum(
        purchase.received_share < 1 or purchase.returned_share > 0
        for purchase in plan.purchases
    )
    returns = orders.picking_ids.filtered(
        lambda picking: picking.picking_type_code == "outgoing"
    )
    assert len(returns) == sum(
        purchase.returned_share > 0 for purchase in plan.purchases
    )


def test_vendor_bills_posted_and_paid_when_due(env, plan):
    bills = env["account.move"].search(
        [("move_type", "=", "in_invoice"), ("state", "=", "posted")]
    )
    assert len(bills) == len(plan.purchases)
    due = bills.filtered(
        lambda bill: bill.invoice_date_due < plan.today - datetime.timedelta(days=20)
    )
    assert due and all(bill.payment_state == "paid" for bill in due)
