# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import SupplierCase


@tagged("post_install", "-at_install")
class TestSupplierSecurity(HttpCase, SupplierCase):
    """A second supplier, a customer and the public never reach the first
    supplier's scorecards, orders, prices or certificates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._history()
        cls._compute()
        cls.card = cls._card(cls.supplier, date(2026, 6, 1))
        cls.order = cls.june
        cls.certificate = cls.env["crm.supplier.certificate"].create(
            {
                "name": "Sertifikat Rahasia XYZ",
                "partner_id": cls.supplier.id,
                "expiry_date": date(2030, 1, 1),
            }
        )

    def _post(self, url, data=None):
        from odoo.http import Request  # noqa: PLC0415

        return self.url_open(
            url, data={"csrf_token": Request.csrf_token(self), **(data or {})}
        )

    def test_orm_isolation(self):
        cards = self.env["crm.supplier.scorecard"]
        self.assertEqual(
            cards.with_user(self.supplier_user).search([]).partner_id, self.supplier
        )
        for user in (self.rival_user, self.customer_user):
            self.assertNotIn(
                self.supplier, cards.with_user(user).search([]).partner_id, user.login
            )
            with self.assertRaises(AccessError, msg=user.login):
                self.card.with_user(user).read(["score"])
            with self.assertRaises(AccessError, msg=user.login):
                self.order.with_user(user).read(["amount_total"])
            with self.assertRaises(AccessError, msg=user.login):
                self.certificate.with_user(user).read(["name"])

    def test_suppliers_never_see_the_reference_prices(self):
        card = self.card.with_user(self.supplier_user)
        with self.assertRaises(AccessError):
            card.read(["reference_amount"])
        with self.assertRaises(AccessError):
            card.read(["paid_amount"])
        self.assertEqual(card.read(["score"])[0]["score"], self.card.score)

    def test_nobody_writes_cards_over_rpc(self):
        for user in (self.supplier_user, self.buyer, self.purchase_manager):
            with self.assertRaises(AccessError, msg=user.login):
                self.card.with_user(user).write({"score": 100})
            with self.assertRaises(AccessError, msg=user.login):
                self.card.with_user(user).write({"feedback_state": "acknowledged"})

    def test_partner_scores_need_the_buyer_group(self):
        for user in (self.salesman, self.supplier_user):
            with self.assertRaises(AccessError, msg=user.login):
                self.supplier.with_user(user).read(["srm_score"])

    def test_portal_routes_refuse_other_suppliers_and_customers(self):
        card = self.card.id
        order = self.order.id
        for login in ("srm_rival", "srm_customer"):
            self.authenticate(login, login)
            page = self.url_open(f"/my/scorecards/{card}")
            self.assertNotIn("What drives your score", page.text, login)
            self.assertNotIn(
                f"/my/scorecards/{card}", self.url_open("/my/scorecards").text
            )
            with mute_logger("odoo.http"):
                self.assertEqual(
                    self._post(f"/my/purchase/{order}/srm_acknowledge").status_code, 404
                )
                line = self.order.order_line[:1].id
                self.assertEqual(
                    self._post(
                        f"/my/purchase/{order}/srm_dates",
                        {f"date_{line}": "2031-01-01"},
                    ).status_code,
                    404,
                )
                self.assertEqual(
                    self._post(
                        f"/my/purchase/{order}/srm_quote", {f"price_{line}": "1"}
                    ).status_code,
                    404,
                )
            self._post(
                f"/my/scorecards/{card}/feedback",
                {"answer": "contested", "comment": "forged"},
            )
            certificates = self.url_open("/my/certificates").text
            self.assertNotIn("Sertifikat Rahasia XYZ", certificates)
        self.assertFalse(self.order.srm_acknowledged_date)
        self.assertFalse(self.order.srm_proposal_ids)
        self.card.invalidate_recordset()
        self.assertEqual(self.card.feedback_state, "pending")

    def test_forged_and_missing_ids(self):
        self.authenticate("srm_supplier", "srm_supplier")
        for url in ("/my/scorecards/999999", "/my/scorecards/abc"):
            response = self.url_open(url)
            self.assertNotIn("What drives your score", response.text)
        with mute_logger("odoo.http"):
            self.assertEqual(
                self._post("/my/purchase/999999/srm_acknowledge").status_code, 404
            )
        # A line id of another order is ignored, not written.
        other = self._order(self.rival, date(2030, 5, 1), 2)
        self._post(
            f"/my/purchase/{self.order.id}/srm_dates",
            {f"date_{other.order_line.id}": "2031-01-01"},
        )
        self.assertFalse(other.srm_proposal_ids)

    def test_public_is_sent_to_login(self):
        self.authenticate(None, None)
        response = self.url_open(
            f"/my/scorecards/{self.card.id}", allow_redirects=False
        )
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])
        response = self.url_open("/my/certificates", allow_redirects=False)
        self.assertIn("/web/login", response.headers["Location"])
