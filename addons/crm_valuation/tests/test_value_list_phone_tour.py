# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.tests import HttpCase, tagged

from .common import AS_OF, ValuationCase


@tagged("post_install", "-at_install")
class TestValueListOnAPhone(HttpCase, ValuationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.big.name = "PT Pelanggan Dengan Nama Yang Sangat Panjang Sekali"
        for days in (20, 60, 140):
            cls._order(cls.big, AS_OF - timedelta(days=days), qty=40)
        cls._order(cls.small, AS_OF - timedelta(days=90), qty=1)
        cls._run()

    def test_phone_list_shows_customer_segment_and_revenue(self):
        self.browser_size = "390x844"
        self.touch_enabled = True
        self.start_tour(
            "/odoo/action-crm_valuation.crm_valuation_value_action",
            "crm_valuation_value_list_phone",
            login="admin",
        )
