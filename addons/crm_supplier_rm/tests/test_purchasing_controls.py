# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SupplierCase, at


@tagged("post_install", "-at_install")
class TestPurchasingControls(SupplierCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.standings = {s.control: s for s in cls.config.standing_ids}

    def _set_standing(self, partner, control):
        partner.with_context(srm_computing=True).srm_standing_id = self.standings[
            control
        ]

    def _rfq(self, partner, user):
        return (
            self.env["purchase.order"]
            .with_user(user)
            .create(
                {
                    "partner_id": partner.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_qty": 1,
                                "price_unit": 10,
                                "date_planned": at(date(2030, 1, 1)),
                            }
                        )
                    ],
                }
            )
        )

    def test_watch_warns_on_rfq(self):
        self._set_standing(self.supplier, "watch")
        rfq = self._rfq(self.supplier_contact, self.buyer)
        self.assertEqual(rfq.srm_standing_control, "watch")
        arch = rfq.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("srm_watch_alert", arch)
        rfq.button_confirm()
        self.assertEqual(rfq.state, "purchase")

    def test_blocked_needs_a_purchase_manager(self):
        self._set_standing(self.supplier, "blocked")
        rfq = self._rfq(self.supplier, self.buyer)
        with self.assertRaisesRegex(UserError, "purchase manager"):
            rfq.button_confirm()
        self.assertEqual(rfq.state, "draft")
        rfq.with_user(self.purchase_manager).button_confirm()
        self.assertEqual(rfq.state, "purchase")
        self.assertIn("Blocked", rfq.message_ids[:3].mapped("body")[0])

    def test_preferred_vendor_chosen_first(self):
        self.env["product.supplierinfo"].create(
            [
                {
                    "partner_id": self.rival.id,
                    "product_tmpl_id": self.product.product_tmpl_id.id,
                    "price": 80,
                    "sequence": 1,
                },
                {
                    "partner_id": self.supplier.id,
                    "product_tmpl_id": self.product.product_tmpl_id.id,
                    "price": 95,
                    "sequence": 5,
                },
            ]
        )
        self.assertEqual(self.product._select_seller(quantity=1).partner_id, self.rival)
        self._set_standing(self.supplier, "preferred")
        self.assertEqual(
            self.product._select_seller(quantity=1).partner_id, self.supplier
        )
        self._set_standing(self.supplier, "none")
        self._set_standing(self.rival, "blocked")
        self.assertEqual(
            self.product.with_user(self.salesman)._select_seller(quantity=1).partner_id,
            self.supplier,
        )

    def test_rfq_sent_date_recorded_once(self):
        rfq = self._rfq(self.supplier, self.buyer)
        rfq.write({"state": "sent"})
        first = rfq.srm_rfq_sent_date
        self.assertTrue(first)
        rfq.write({"state": "sent"})
        self.assertEqual(rfq.srm_rfq_sent_date, first)

    def test_date_proposal_accepted_and_refused_are_logged(self):
        order = self._order(self.supplier, date(2030, 1, 10), 4)
        line = order.order_line
        proposal = order._srm_propose_dates(
            self.supplier_user, {line: date(2030, 1, 20)}, "Port congestion"
        )
        self.assertEqual(line.srm_pending_date, date(2030, 1, 20))
        proposal.with_user(self.buyer).action_accept()
        self.assertEqual(proposal.state, "accepted")
        self.assertEqual(line.date_planned.date(), date(2030, 1, 20))
        self.assertIn("accepted", order.message_ids[0].body)
        with self.assertRaises(UserError):
            proposal.with_user(self.buyer).action_refuse()
        second = order._srm_propose_dates(
            self.supplier_user, {line: date(2030, 2, 1)}, ""
        )
        second.with_user(self.buyer).action_refuse()
        self.assertEqual(line.date_planned.date(), date(2030, 1, 20))
        self.assertIn("refused", order.message_ids[0].body)

    def test_rfq_answer_writes_prices_and_dates(self):
        rfq = self._rfq(self.supplier, self.buyer)
        line = rfq.order_line
        rfq._srm_answer_rfq(self.supplier_user, {line: (12.5, date(2030, 2, 2))}, "ok")
        self.assertEqual(line.price_unit, 12.5)
        self.assertEqual(line.date_planned.date(), date(2030, 2, 2))
        self.assertTrue(rfq.srm_rfq_answered_date)
        with self.assertRaises(UserError):
            rfq._srm_answer_rfq(self.supplier_user, {line: (-1, None)}, "")
        with self.assertRaises(UserError):
            rfq._srm_answer_rfq(self.supplier_user, {line: (1, date(2000, 1, 1))}, "")
        self.assertEqual(line.price_unit, 12.5)
