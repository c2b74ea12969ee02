# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import io
from datetime import timedelta

from openpyxl import load_workbook

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import AS_OF, ValuationCase


@tagged("post_install", "-at_install")
class TestValuationWorkbook(ValuationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for months_ago in (10, 7, 4, 1):
            cls._order(cls.big, AS_OF - timedelta(days=30 * months_ago), qty=10)
        cls._order(cls.small, AS_OF - timedelta(days=200), qty=1)
        cls.valuation = cls._run()

    def _workbook(self, user):
        report = self.env.ref("crm_valuation.crm_valuation_run_xlsx")
        content, kind = (
            self.env["ir.actions.report"]
            .with_user(user)
            ._render_xlsx(report, self.valuation.ids, None)
        )
        self.assertEqual(kind, "xlsx")
        return load_workbook(io.BytesIO(content))

    def test_five_sheets_with_every_customer(self):
        book = self._workbook(self.analyst)
        self.assertEqual(
            book.sheetnames, ["Summary", "Customers", "Segments", "Pareto", "ABC"]
        )
        customers = book["Customers"]
        header = [cell.value for cell in customers[1]]
        self.assertEqual(header[0], "Customer")
        self.assertIn("CLV", header)
        self.assertIn("Cost to serve", header)
        names = [row[0].value for row in customers.iter_rows(min_row=2)]
        self.assertEqual(names, ["PT Big Buyer", "Siti Small"])
        revenue = header.index("Revenue")
        self.assertAlmostEqual(customers.cell(2, revenue + 1).value, 4000.0)
        self.assertEqual(customers.freeze_panes, "A2")
        self.assertTrue(customers.auto_filter.ref)

    def test_summary_keeps_settings_fit_and_method(self):
        summary = {
            row[0].value: row[1].value
            for row in self._workbook(self.analyst)["Summary"].iter_rows(min_row=3)
            if row[0].value
        }
        self.assertEqual(summary["Valuation date"], AS_OF.isoformat())
        self.assertEqual(summary["Customers"], 2)
        self.assertEqual(summary["Model"], self.valuation.model_used)
        self.assertEqual(summary["Hourly helpdesk cost"], 50.0)
        self.assertIn("Methodology", summary)

    def test_pareto_sheet_has_a_chart(self):
        sheet = self._workbook(self.analyst)["Pareto"]
        self.assertEqual(len(sheet._charts), 1)
        self.assertEqual(sheet.cell(102, 1).value, 1.0)
        self.assertAlmostEqual(sheet.cell(102, 2).value, 1.0)

    def test_only_analysts_export(self):
        with self.assertRaises(AccessError):
            self._workbook(self.salesman)

    def test_unfinished_valuation_is_refused(self):
        draft = self.env["crm.valuation.run"].create({"date": AS_OF})
        report = self.env.ref("crm_valuation.crm_valuation_run_xlsx")
        with self.assertRaisesRegex(UserError, "one finished valuation"):
            self.env["ir.actions.report"]._render_xlsx(report, draft.ids, None)
