# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime, time

from odoo import Command
from odoo.tests import TransactionCase, new_test_user

# June 2026 is the scored month; May has no transactions; April has one order.
AS_OF = date(2026, 6, 30)


def at(day, hour=10):
    return datetime.combine(day, time(hour))


class SupplierCase(TransactionCase):
    """Two suppliers, a customer, buyers and portal users; orders received late,
    short and partly returned, and bills above and below the average price."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company.partner_id.tz = "Asia/Jakarta"
        cls.config = cls.env["crm.supplier.scorecard.config"]._for_company(cls.company)
        cls.product = cls.env["product.product"].create(
            {
                "name": "Gula Pasir 50 kg",
                "type": "consu",
                "is_storable": True,
                "purchase_method": "receive",
                "standard_price": 100.0,
                "supplier_taxes_id": [Command.clear()],
            }
        )
        cls.supplier = cls.env["res.partner"].create(
            {"name": "PT Pemasok Andal", "is_company": True, "supplier_rank": 1}
        )
        cls.supplier_contact = cls.env["res.partner"].create(
            {"name": "Agus", "parent_id": cls.supplier.id}
        )
        cls.rival = cls.env["res.partner"].create(
            {"name": "CV Saingan", "is_company": True, "supplier_rank": 1}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Toko Pelanggan", "is_company": True, "customer_rank": 1}
        )
        cls.buyer = new_test_user(
            cls.env, login="srm_buyer", groups="purchase.group_purchase_user"
        )
        cls.purchase_manager = new_test_user(
            cls.env, login="srm_manager", groups="purchase.group_purchase_manager"
        )
        cls.salesman = new_test_user(
            cls.env, login="srm_salesman", groups="sales_team.group_sale_salesman"
        )
        cls.supplier_user = new_test_user(
            cls.env,
            login="srm_supplier",
            groups="base.group_portal",
            partner_id=cls.supplier_contact.id,
        )
        cls.rival_user = new_test_user(
            cls.env,
            login="srm_rival",
            groups="base.group_portal",
            partner_id=cls.rival.id,
        )
        cls.customer_user = new_test_user(
            cls.env,
            login="srm_customer",
            groups="base.group_portal",
            partner_id=cls.customer.id,
        )

    @classmethod
    def _order(cls, partner, planned, qty, price=100.0, approved=None, sent=None):
        order = cls.env["purchase.order"].create(
            {
                "partner_id": partner.id,
                "user_id": cls.buyer.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "product_qty": qty,
                            "price_unit": price,
                            "date_planned": at(planned),
                            "taxes_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        order.button_confirm()
        approved = approved or planned
        order.write(
            {
                "date_approve": at(approved, 9),
                "srm_rfq_sent_date": at(sent or approved, 9),
            }
        )
        order.order_line.date_planned = at(planned)
        return order

    @classmethod
    def _receive(cls, order, qty, day):
        picking = order.picking_ids.filtered(lambda p: p.state != "done")[:1]
        picking.move_ids.quantity = qty
        picking.move_ids.picked = True
        picking.with_context(cancel_backorder=True)._action_done()
        picking.date_done = at(day, 14)
        return picking

    @classmethod
    def _return(cls, picking, qty, day):
        wizard = (
            cls.env["stock.return.picking"]
            .with_context(active_id=picking.id, active_model="stock.picking")
            .create({})
        )
        wizard.product_return_moves.quantity = qty
        returned = cls.env["stock.picking"].browse(
            wizard.action_create_returns()["res_id"]
        )
        returned.move_ids.quantity = qty
        returned.move_ids.picked = True
        returned._action_done()
        returned.date_done = at(day, 15)
        return returned

    @classmethod
    def _bill(cls, order, day, price=None, qty=None):
        order.action_create_invoice()
        bill = order.invoice_ids.filtered(lambda move: move.state == "draft")
        bill.invoice_date = day
        if price is not None:
            bill.invoice_line_ids.price_unit = price
        if qty is not None:
            bill.invoice_line_ids.quantity = qty
        bill.action_post()
        return bill

    @classmethod
    def _history(cls):
        """April: an order on time, in full. May: nothing. June: 10 due on the
        10th, 8 received on the 12th, 2 of them returned, billed at 110 while
        the rival bills the same product at 90."""
        april = cls._order(cls.supplier, date(2026, 4, 10), 5)
        cls._receive(april, 5, date(2026, 4, 9))
        cls._bill(april, date(2026, 4, 20))
        cls.june = cls._order(
            cls.supplier,
            date(2026, 6, 10),
            10,
            approved=date(2026, 6, 1),
            sent=date(2026, 5, 30),
        )
        cls.june_receipt = cls._receive(cls.june, 8, date(2026, 6, 12))
        cls._return(cls.june_receipt, 2, date(2026, 6, 14))
        cls._bill(cls.june, date(2026, 6, 20), price=110.0)
        rival = cls._order(cls.rival, date(2026, 6, 15), 10, price=90.0)
        cls._receive(rival, 10, date(2026, 6, 15))
        cls._bill(rival, date(2026, 6, 20), price=90.0)

    @classmethod
    def _compute(cls, as_of=AS_OF):
        cls.config._compute_scorecards(as_of=as_of)

    @classmethod
    def _card(cls, partner, start):
        return cls.env["crm.supplier.scorecard"].search(
            [("partner_id", "=", partner.id), ("date_start", "=", start)]
        )
