# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from odoo import Command
from odoo.tests import tagged

from .common import AS_OF, ValuationCase


@tagged("post_install", "-at_install")
class TestMoneyFigures(ValuationCase):
    """Each money figure against a known answer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tax = cls.env["account.tax"].create(
            {"name": "PPN 10%", "amount": 10.0, "type_tax_use": "sale"}
        )
        cls._order(cls.big, AS_OF - timedelta(days=90), qty=10)
        cls._order(cls.small, AS_OF - timedelta(days=200), qty=1)

    @classmethod
    def _move(
        cls, move_type, partner, when, qty, price, taxed=True, due=None, product=None
    ):
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": when,
                "invoice_date_due": due or when,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": (product or cls.product).id,
                            "quantity": qty,
                            "price_unit": price,
                            "tax_ids": [Command.set(cls.tax.ids if taxed else [])],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    def _receive(self, invoice, amount, when):
        """A payment of ``amount`` on ``when`` reconciled with ``invoice``."""
        receivable = invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        bank = self.env["account.account"].search(
            [
                ("account_type", "=", "asset_cash"),
                ("company_ids", "in", self.company.id),
            ],
            limit=1,
        )
        entry = self.env["account.move"].create(
            {
                "move_type": "entry",
                "date": when,
                "line_ids": [
                    Command.create(
                        {"account_id": bank.id, "debit": amount, "credit": 0.0}
                    ),
                    Command.create(
                        {
                            "account_id": receivable.account_id.id,
                            "partner_id": invoice.partner_id.id,
                            "debit": 0.0,
                            "credit": amount,
                        }
                    ),
                ],
            }
        )
        entry.action_post()
        (
            receivable
            + entry.line_ids.filtered(
                lambda line: line.account_id == receivable.account_id
            )
        ).reconcile()

    def test_credit_notes_count_without_tax_and_give_back_their_cost(self):
        self._move("out_refund", self.big, AS_OF - timedelta(days=30), 2, 100.0)
        big = self._value(self._run(), self.big)
        # 2 x 100 without the 10% tax; 2 units back at the product's cost of 60.
        self.assertAlmostEqual(big.refunds, 200.0, places=2)
        self.assertAlmostEqual(big.cost_of_goods, 10 * 60.0 - 2 * 60.0, places=2)
        self.assertAlmostEqual(
            big.margin, 1000 - 200 - 480 - big.cost_to_serve, places=2
        )

    def test_invoice_lines_without_an_order_cost_the_product(self):
        self.company.valuation_source = "invoices"
        self._move("out_invoice", self.small, AS_OF - timedelta(days=10), 3, 100.0)
        run = self._run()
        small = self._value(run, self.small)
        self.assertAlmostEqual(small.revenue, 300.0, places=2)
        self.assertAlmostEqual(small.cost_of_goods, 3 * 60.0, places=2)
        self.assertIn(
            "1 invoice or credit note lines had neither a sales order line nor a "
            "stock valuation by their date: their cost of goods is the product's "
            "cost today.",
            run.model_note,
        )

    def _average_cost_product(self):
        """A storable product valued at average cost, as stock_account does."""
        category = self.env["product.category"].create(
            {
                "name": "Average cost",
                "property_cost_method": "average",
                "property_valuation": "manual_periodic",
            }
        )
        return self.env["product.product"].create(
            {
                "name": "Sugar 50 kg",
                "is_storable": True,
                "categ_id": category.id,
                "list_price": 100.0,
                "taxes_id": [Command.clear()],
            }
        )

    def _stock_in(self, product, qty, unit_cost, when):
        """``qty`` units received at ``unit_cost``, their valuation layer dated
        ``when`` (UTC)."""
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        move = self.env["stock.move"].create(
            {
                "name": f"Receipt of {product.name}",
                "product_id": product.id,
                "product_uom_qty": qty,
                "product_uom": product.uom_id.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": warehouse.lot_stock_id.id,
                "price_unit": unit_cost,
            }
        )
        move._action_confirm()
        move.write({"quantity": qty, "picked": True})
        move._action_done()
        layer = move.stock_valuation_layer_ids
        self.assertEqual(len(layer), 1)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE stock_valuation_layer SET create_date = %s WHERE id = %s",
            (when, layer.id),
        )

    def test_invoice_lines_without_an_order_cost_the_product_on_the_invoice_date(
        self,
    ):
        if "stock.valuation.layer" not in self.env:
            self.skipTest("stock_account is not installed: no cost by date")
        self.company.valuation_source = "invoices"
        sugar = self._average_cost_product()
        # 50 until the invoice of 20 June; 80 received at 01:00 on 21 June in
        # Jakarta (still the 20th in UTC), so the average is 65 today.
        self._stock_in(sugar, 10, 50.0, datetime(2026, 6, 1, 3, 0))
        self._stock_in(sugar, 10, 80.0, datetime(2026, 6, 20, 18, 0))
        self.assertAlmostEqual(sugar.standard_price, 65.0, places=2)
        when = AS_OF - timedelta(days=10)
        self._move("out_invoice", self.small, when, 3, 100.0, product=sugar)
        # The rice has no valuation layers: today's cost, 60.
        self._move("out_invoice", self.small, when, 1, 100.0, taxed=False)
        # The big buyer's order invoiced: its cost at the time of sale, 60.
        order = self.big.sale_order_ids
        invoice = order._create_invoices()
        invoice.invoice_date = AS_OF - timedelta(days=80)
        invoice.action_post()
        run = self._run()
        small = self._value(run, self.small)
        self.assertAlmostEqual(small.cost_of_goods, 3 * 50.0 + 60.0, places=2)
        big = self._value(run, self.big)
        self.assertAlmostEqual(big.cost_of_goods, 10 * 60.0, places=2)
        note = run.model_note
        self.assertIn(
            "1 invoice or credit note lines: cost of goods from their sales order "
            "line, at the time of sale.",
            note,
        )
        self.assertIn(
            "1 invoice or credit note lines had no sales order line: their cost of "
            "goods is the product's cost on the invoice date (its stock valuation).",
            note,
        )
        self.assertIn("1 invoice or credit note lines had neither", note)
        self.env["res.lang"]._activate_lang("id_ID")
        self.assertIn(
            "dari baris order penjualannya",
            run.with_context(lang="id_ID").model_note,
        )

    def test_late_payment_as_of_the_run_date(self):
        invoice = self._move(
            "out_invoice",
            self.small,
            AS_OF - timedelta(days=60),
            1,
            100.0,
            taxed=False,
            due=AS_OF - timedelta(days=50),
        )
        # Half paid 20 days late, before the valuation date; the rest paid
        # after it, so still open on the valuation date (50 days late).
        self._receive(invoice, 50.0, AS_OF - timedelta(days=30))
        self._receive(invoice, 50.0, AS_OF + timedelta(days=5))
        small = self._value(self._run(), self.small)
        # (50 x 20 + 50 x 50) amount-days at 36.5% a year: x 0.001.
        self.assertAlmostEqual(small.payment_delay_cost, 3.5, places=2)

    def test_days_are_cut_in_the_company_time_zone(self):
        # 06:00 in Jakarta on the valuation date is 23:00 UTC the day before;
        # 06:00 in Jakarta the day after is 23:00 UTC on the valuation date.
        on_the_day = self._order(self.small, AS_OF, qty=1)
        on_the_day.date_order = datetime(2026, 6, 29, 23, 0)
        next_day = self._order(self.small, AS_OF, qty=7)
        next_day.date_order = datetime(2026, 6, 30, 23, 0)
        small = self._value(self._run(), self.small)
        self.assertEqual(small.last_purchase, AS_OF)
        self.assertAlmostEqual(small.revenue, 100.0 + 100.0, places=2)
