"""The bench set, bulk-written with COPY, reads back through the ORM exactly as
Odoo's own create, confirm, invoice, post, pay and reconcile would have
written it, and holds every source a valuation reads.

A small bench (scale 0.01: 1,000 customers, 10,000 order lines) is loaded once;
every stored computed value is recomputed by the ORM and compared.
"""

import pytest

from odoo import Command

SIZE = "bench"
SCALE = 0.01
LINE_FIELDS = (
    "price_subtotal",
    "price_total",
    "price_tax",
    "price_reduce_taxexcl",
    "price_reduce_taxinc",
    "qty_to_invoice",
    "untaxed_amount_to_invoice",
    "qty_invoiced",
    "untaxed_amount_invoiced",
    "invoice_status",
    "margin",
    "margin_percent",
    "order_partner_id",
    "currency_id",
    "company_id",
    "state",
)
ORDER_FIELDS = (
    "amount_untaxed",
    "amount_tax",
    "amount_total",
    "margin",
    "invoice_status",
    "currency_id",
    "partner_invoice_id",
    "partner_shipping_id",
)
MOVE_FIELDS = (
    "amount_untaxed",
    "amount_total",
    "amount_residual",
    "amount_untaxed_signed",
    "amount_total_signed",
    "amount_residual_signed",
    "payment_state",
    "commercial_partner_id",
    "invoice_partner_display_name",
    "invoice_date_due",
)
# Balances are the invoice's sync, not a compute (the ORM's own lines recompute
# to 0 too): test_moves_balance_and_reconciliations_add_up checks them.
MOVE_LINE_FIELDS = (
    "debit",
    "credit",
    "amount_residual",
    "reconciled",
    "price_subtotal",
    "price_total",
    "date_maturity",
    "move_name",
    "parent_state",
    "account_id",
    "matching_number",
)


def _bulk_orders(env):
    return env["sale.order"].search([("partner_id.name", "=like", "Bench customer%")])


def test_sizes_and_three_years(env, plan):
    orders = _bulk_orders(env)
    assert len(orders.partner_id) == plan.customers + 1  # and the prototype's
    assert len(orders.order_line) == plan.lines + 2  # and the prototypes'
    dates = orders.mapped("date_order")
    assert (max(dates) - min(dates)).days >= 3 * 365 - 31
    assert set(orders.mapped("state")) == {"sale"}


def _bulk_moves(env):
    return env["account.move"].search([("partner_id.name", "=like", "Bench customer%")])


def _recomputed(records, names):
    """Values the ORM computes now, next to the stored ones."""
    stored = records.read(list(names))
    records.invalidate_recordset(list(names))
    for name in names:
        field = records._fields[name]
        if field.compute:
            records.env.add_to_compute(field, records)
    records.flush_recordset(list(names))
    records.invalidate_recordset(list(names))
    return stored, records.read(list(names))


def _records(env, model):
    if model in ("line", "order"):
        orders = _bulk_orders(env)
        return orders.order_line if model == "line" else orders
    moves = _bulk_moves(env)
    return moves.line_ids if model == "move line" else moves


@pytest.mark.parametrize(
    "model, names",
    [
        ("line", LINE_FIELDS),
        ("order", ORDER_FIELDS),
        ("move", MOVE_FIELDS),
        ("move line", MOVE_LINE_FIELDS),
    ],
)
def test_stored_values_equal_what_the_orm_computes(env, model, names):
    records = _records(env, model)
    stored, computed = _recomputed(records, names)
    for before, after in zip(stored, computed, strict=True):
        for name in names:
            value = before[name]
            if isinstance(value, float):
                assert value == pytest.approx(after[name], abs=0.005), (model, name)
            else:
                assert value == after[name], (model, name, before["id"])


def test_partners_are_their_own_commercial_entity(env, plan):
    partners = _bulk_orders(env).partner_id
    assert all(partner.commercial_partner_id == partner for partner in partners)
    assert all(partner.display_name == partner.name for partner in partners)
    assert all(partner.customer_rank for partner in partners)


def test_totals_agree_between_orders_lines_and_partners(env):
    orders = _bulk_orders(env)
    by_order = sum(orders.mapped("amount_total"))
    by_line = sum(orders.order_line.mapped("price_total"))
    assert by_order == pytest.approx(by_line, rel=1e-12)
    grouped = env["sale.order"]._read_group(
        [("id", "in", orders.ids)], ["partner_id"], ["amount_total:sum"]
    )
    assert sum(total for _partner, total in grouped) == pytest.approx(by_order)
    assert len(grouped) == len(orders.partner_id)


def test_bulk_line_equals_one_made_by_the_orm(env):
    line = _bulk_orders(env).order_line.sorted("id")[-1]
    order = env["sale.order"].create(
        {
            "partner_id": line.order_partner_id.id,
            "order_line": [
                Command.create(
                    {
                        "product_id": line.product_id.id,
                        "product_uom_qty": line.product_uom_qty,
                    }
                )
            ],
        }
    )
    order.action_confirm()
    twin = order.order_line
    for name in ("name", "price_unit", "price_subtotal", "purchase_price", "margin"):
        assert twin[name] == line[name], name
    assert order.amount_total == pytest.approx(
        line.price_total if len(line.order_id.order_line) == 1 else twin.price_total
    )


def test_moves_balance_and_reconciliations_add_up(env):
    moves = _bulk_moves(env)
    for move in moves:
        assert sum(move.line_ids.mapped("balance")) == pytest.approx(0, abs=0.005)
    receivable = moves.line_ids.filtered(
        lambda line: line.account_id.account_type == "asset_receivable"
    )
    for line in receivable:
        matched = sum(line.matched_debit_ids.mapped("amount")) + sum(
            line.matched_credit_ids.mapped("amount")
        )
        assert abs(line.balance) - matched == pytest.approx(
            abs(line.amount_residual), abs=0.005
        )
        if line.full_reconcile_id:
            group = line.full_reconcile_id.reconciled_line_ids
            assert sum(group.mapped("balance")) == pytest.approx(0, abs=0.005)
            assert line in group


def test_every_source_a_valuation_reads_is_there(env, plan):
    """Invoices linked to the order lines, credit notes, payments on time and
    late, open overdue amounts, helpdesk hours: each for many customers."""
    customers = plan.customers
    invoices = _bulk_moves(env).filtered(lambda move: move.move_type == "out_invoice")
    assert invoices and set(invoices.mapped("state")) == {"posted"}
    lines = invoices.invoice_line_ids
    assert all(line.sale_line_ids for line in lines)
    assert len(invoices.partner_id) > 0.9 * customers
    refunds = _bulk_moves(env).filtered(lambda move: move.move_type == "out_refund")
    assert 0.01 * len(invoices) < len(refunds) < 0.06 * len(invoices)
    assert refunds.reversed_entry_id <= invoices
    assert all(line.sale_line_ids for line in refunds.invoice_line_ids)
    paid = invoices.filtered(lambda move: move.payment_state == "paid")
    assert len(paid) > 0.7 * len(invoices)
    payments = env["account.payment"].search([("invoice_ids", "in", invoices.ids)])
    assert len(payments) >= len(paid) - len(refunds)
    term_lines = invoices.line_ids.filtered(
        lambda line: line.display_type == "payment_term"
    )
    late = [
        line
        for line in term_lines
        if any(p.max_date > line.date_maturity for p in line.matched_credit_ids)
    ]
    assert 0.1 * len(term_lines) < len(late) < 0.6 * len(term_lines)
    overdue = term_lines.filtered(
        lambda line: line.amount_residual > 0 and line.date_maturity < plan.today
    )
    assert 0.02 * len(term_lines) < len(overdue) < 0.2 * len(term_lines)
    timesheets = env["account.analytic.line"].search([("ticket_id", "!=", False)])
    assert sum(timesheets.mapped("unit_amount")) > 0.5 * customers
    assert len(timesheets.ticket_id.commercial_partner_id) > 0.3 * customers
    assert all(ticket.total_hours > 0 for ticket in timesheets.ticket_id)
