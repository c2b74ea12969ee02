# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import SupplierCase, at


@tagged("post_install", "-at_install")
class TestSupplierPortal(HttpCase, SupplierCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._history()
        cls._compute()
        cls.june_card = cls._card(cls.supplier, date(2026, 6, 1))
        cls.order = cls._order(cls.supplier, date(2030, 3, 1), 6)
        cls.rfq = cls.env["purchase.order"].create(
            {
                "partner_id": cls.supplier.id,
                "user_id": cls.buyer.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "product_qty": 3,
                            "price_unit": 50,
                            "date_planned": at(date(2030, 4, 1)),
                        }
                    )
                ],
            }
        )
        cls.rfq.write({"state": "sent"})

    def _post(self, url, data=None, files=None):
        return self.url_open(
            url, data={"csrf_token": self.csrf_token(), **(data or {})}, files=files
        )

    def csrf_token(self):
        from odoo.http import Request  # noqa: PLC0415

        return Request.csrf_token(self)

    def test_scorecard_pages(self):
        self.authenticate("srm_supplier", "srm_supplier")
        listing = self.url_open("/my/scorecards")
        self.assertEqual(listing.status_code, 200)
        self.assertIn("2026-06", listing.text)
        self.assertIn("No data", listing.text)
        page = self.url_open(f"/my/scorecards/{self.june_card.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("What drives your score", page.text)
        self.assertIn("On Time", page.text)
        home = self.url_open("/my")
        self.assertIn("/my/scorecards", home.text)

    def test_contest_a_period(self):
        self.authenticate("srm_supplier", "srm_supplier")
        response = self._post(
            f"/my/scorecards/{self.june_card.id}/feedback",
            {"answer": "contested", "comment": "Receipt was booked late"},
        )
        self.assertEqual(response.status_code, 200)
        self.june_card.invalidate_recordset()
        self.assertEqual(self.june_card.feedback_state, "contested")
        self.assertEqual(self.june_card.activity_ids.user_id, self.buyer)

    def test_contest_without_comment_changes_nothing(self):
        self.authenticate("srm_supplier", "srm_supplier")
        response = self._post(
            f"/my/scorecards/{self.june_card.id}/feedback", {"answer": "contested"}
        )
        self.assertIn("Say why you contest", response.text)
        self.june_card.invalidate_recordset()
        self.assertEqual(self.june_card.feedback_state, "pending")

    def test_acknowledge_order_and_propose_a_date(self):
        self.authenticate("srm_supplier", "srm_supplier")
        page = self.url_open(f"/my/purchase/{self.order.id}")
        self.assertIn("Acknowledge this order", page.text)
        self._post(f"/my/purchase/{self.order.id}/srm_acknowledge")
        self.assertTrue(self.order.srm_acknowledged_date)
        line = self.order.order_line
        self._post(
            f"/my/purchase/{self.order.id}/srm_dates",
            {f"date_{line.id}": "2030-03-09", "note": "Ship delayed"},
        )
        proposal = self.order.srm_proposal_ids
        self.assertEqual(proposal.proposed_date, date(2030, 3, 9))
        self.assertEqual(proposal.state, "pending")
        bad = self._post(
            f"/my/purchase/{self.order.id}/srm_dates", {f"date_{line.id}": "9 March"}
        )
        self.assertIn("not a date", bad.text)
        self.assertEqual(len(self.order.srm_proposal_ids), 1)

    def test_answer_rfq(self):
        self.authenticate("srm_supplier", "srm_supplier")
        page = self.url_open(f"/my/purchase/{self.rfq.id}")
        self.assertIn("Your quotation", page.text)
        line = self.rfq.order_line
        self._post(
            f"/my/purchase/{self.rfq.id}/srm_quote",
            {f"price_{line.id}": "47.5", f"date_{line.id}": "2030-03-20"},
        )
        self.assertEqual(line.price_unit, 47.5)
        bad = self._post(
            f"/my/purchase/{self.rfq.id}/srm_quote", {f"price_{line.id}": "cheap"}
        )
        self.assertIn("as a number", bad.text)
        self.assertEqual(line.price_unit, 47.5)

    def test_upload_certificate(self):
        self.authenticate("srm_supplier", "srm_supplier")
        response = self._post(
            "/my/certificates/upload",
            {"name": "Halal MUI", "kind": "halal", "expiry_date": "2030-12-31"},
            files={"document": ("halal.pdf", b"%PDF-1.4 test", "application/pdf")},
        )
        self.assertEqual(response.status_code, 200)
        certificate = self.env["crm.supplier.certificate"].search(
            [("partner_id", "=", self.supplier.id)]
        )
        self.assertEqual(certificate.name, "Halal MUI")
        self.assertEqual(certificate.uploaded_by, self.supplier_user)
        self.assertIn("Halal MUI", self.url_open("/my/certificates").text)

    @mute_logger("odoo.http")
    def test_bad_certificate_uploads_change_nothing(self):
        self.authenticate("srm_supplier", "srm_supplier")
        cases = [
            ({"name": "", "kind": "halal", "expiry_date": "2030-12-31"}, "name"),
            ({"name": "X", "kind": "drop table", "expiry_date": "2030-12-31"}, "type"),
            (
                {"name": "X", "kind": "halal", "expiry_date": "31/12/2030"},
                "year-month-day",
            ),
            (
                {
                    "name": "X",
                    "kind": "halal",
                    "issue_date": "2031-01-01",
                    "expiry_date": "2030-12-31",
                },
                "expires after",
            ),
        ]
        for data, message in cases:
            response = self._post(
                "/my/certificates/upload",
                data,
                files={"document": ("c.pdf", b"%PDF", "application/pdf")},
            )
            self.assertIn(message, response.text, data)
        empty = self._post(
            "/my/certificates/upload",
            {"name": "X", "kind": "halal", "expiry_date": "2030-12-31"},
            files={"document": ("c.pdf", b"", "application/pdf")},
        )
        self.assertIn("empty", empty.text)
        self.assertFalse(
            self.env["crm.supplier.certificate"].search(
                [("partner_id", "=", self.supplier.id)]
            )
        )
