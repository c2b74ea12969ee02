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
        self.assertEqual(header[:2], ["Customer ID", "Customer"])
        self.assertIn("CLV", header)
        self.assertIn("Cost to serve", header)
        ids = [row[0].value for row in customers.iter_rows(min_row=2)]
        self.assertEqual(ids, [self.big.id, self.small.id])
        names = [row[1].value for row in customers.iter_rows(min_row=2)]
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


@tagged("post_install", "-at_install")
class TestWorkbookHandedOn(ValuationCase):
    """A workbook a manager can hand on: names as text, amounts with their
    currency, shares as percentages, the grade as the form says it."""

    TRICKY = (
        '=HYPERLINK("http://x","y")',
        "+1+1",
        "-2+3",
        "@SUM(1)",
        "http://x",
    )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tricky = cls.env["res.partner"].create(
            [{"name": name} for name in cls.TRICKY]
        )
        for index, partner in enumerate(cls.tricky):
            cls._order(partner, AS_OF - timedelta(days=10 + 20 * index), qty=1)
        # Two customers with one name: told apart by their id.
        cls.twins = cls.env["res.partner"].create(
            [{"name": "Toko Maju"}, {"name": "Toko Maju"}]
        )
        for partner in cls.twins:
            cls._order(partner, AS_OF - timedelta(days=5), qty=2)
        cls.valuation = cls._run()

    def _workbook(self):
        report = self.env.ref("crm_valuation.crm_valuation_run_xlsx")
        content, _kind = self.env["ir.actions.report"]._render_xlsx(
            report, self.valuation.ids, None
        )
        return load_workbook(io.BytesIO(content))

    def test_names_that_look_like_formulas_or_links_stay_text(self):
        customers = self._workbook()["Customers"]
        cells = {row[1].value: row[1] for row in customers.iter_rows(min_row=2)}
        for name in self.TRICKY:
            self.assertEqual(cells[name].data_type, "s", name)
        self.assertFalse(customers._hyperlinks)
        twins = [
            row[0].value
            for row in customers.iter_rows(min_row=2)
            if row[1].value == "Toko Maju"
        ]
        self.assertEqual(sorted(twins), sorted(self.twins.ids))

    def test_streamed_without_conversions(self):
        options = self.env["report.crm_valuation.run_xlsx"].get_workbook_options()
        self.assertTrue(options["constant_memory"])
        self.assertFalse(options["strings_to_formulas"])
        self.assertFalse(options["strings_to_urls"])

    def test_amounts_carry_the_currency_and_shares_are_percentages(self):
        currency = self.company.currency_id
        book = self._workbook()
        customers = book["Customers"]
        header = [cell.value for cell in customers[1]]
        symbol = f'"{currency.symbol}"'
        for money in ("Revenue", "Margin", "CLV", "Expected future margin"):
            self.assertIn(
                symbol, customers.cell(2, header.index(money) + 1).number_format
            )
        for share in ("P(alive)", "Margin %", "Revenue rank %"):
            cell = customers.cell(2, header.index(share) + 1)
            self.assertEqual(cell.number_format, "0.0%", share)
            self.assertLessEqual(abs(cell.value), 1.0, share)
        summary = {
            row[0].value: row[1].value
            for row in book["Summary"].iter_rows()
            if row[0].value
        }
        grade = dict(
            self.valuation._fields["holdout_grade"]._description_selection(self.env)
        )[self.valuation.holdout_grade]
        self.assertEqual(summary["Holdout grade"], grade)

    def test_export_starts_at_the_first_click(self):
        """No "Configure your document layout" dialog before an xlsx."""
        self.company.external_report_layout_id = False
        action = self.valuation.with_user(
            self.env.ref("base.user_admin")
        ).action_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(action["report_type"], "xlsx")
