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
    def _move(cls, move_type, partner, when, qty, price, taxed=True, due=None):
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": when,
                "invoice_date_due": due or when,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
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
        self.assertIn("1 invoice or credit note lines", run.model_note)

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
