# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import io
from datetime import date

import openpyxl

from odoo.tests import tagged

from .common import SupplierCase


@tagged("post_install", "-at_install")
class TestScorecardXlsx(SupplierCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supplier.name = '=HYPERLINK("http://evil.example","click")'
        cls._history()
        cls._compute()

    def _workbook(self, user):
        cards = self.env["crm.supplier.scorecard"].with_user(user).search([])
        report = self.env.ref("crm_supplier_rm.crm_supplier_scorecard_xlsx").with_user(
            user
        )
        content, kind = report._render_xlsx(report.report_name, cards.ids, {})
        self.assertEqual(kind, "xlsx")
        return cards, openpyxl.load_workbook(io.BytesIO(content)).active

    def test_every_card_one_row_data_not_formulas(self):
        cards, sheet = self._workbook(self.buyer)
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(len(rows), len(cards) + 1)
        names = [row[0] for row in rows[1:]]
        self.assertIn('=HYPERLINK("http://evil.example","click")', names)
        for row in sheet.iter_rows(min_row=2):
            self.assertNotEqual(row[0].data_type, "f")
        header = rows[0]
        may = next(
            row for row in rows[1:] if row[1] and row[1].date() == date(2026, 5, 1)
        )
        self.assertIsNone(may[header.index("Score")])
        self.assertIn("Amount at Average Prices", header)
