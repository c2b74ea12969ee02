"""The bench set, bulk-written with COPY, reads back through the ORM exactly as
Odoo's own create and confirm would have written it.

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


def _bulk_orders(env):
    return env["sale.order"].search([("partner_id.name", "=like", "Bench customer%")])


def test_sizes_and_three_years(env, plan):
    orders = _bulk_orders(env)
    assert len(orders.partner_id) == plan.customers + 1  # and the prototype's
    assert len(orders.order_line) == plan.lines + 1
    dates = orders.mapped("date_order")
    assert (max(dates) - min(dates)).days >= 3 * 365 - 31
    assert set(orders.mapped("state")) == {"sale"}


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


@pytest.mark.parametrize(
    "model, names", [("line", LINE_FIELDS), ("order", ORDER_FIELDS)]
)
def test_stored_values_equal_what_the_orm_computes(env, model, names):
    orders = _bulk_orders(env)
    records = orders.order_line if model == "line" else orders
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
