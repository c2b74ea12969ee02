# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import io

from openpyxl import load_workbook

from odoo.tests import tagged

from .recommendation_common import RecommendationCase


@tagged("post_install", "-at_install")
class TestRecommendationWorkbook(RecommendationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.recommend_min_support = 10.0
        cls.toner.name = '=HYPERLINK("http://example.com","Toner")'
        cls.valuation = cls._run()
        cls._recommend()

    def test_rules_and_top_recommendations_as_data(self):
        report = self.env.ref("crm_valuation.crm_valuation_run_xlsx")
        content, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.analyst)
            ._render_xlsx(report, self.valuation.ids, None)
        )
        book = load_workbook(io.BytesIO(content))
        self.assertEqual(book.sheetnames[-2:], ["Rules", "Recommendations"])
        rules = [[cell.value for cell in row] for row in book["Rules"].iter_rows()]
        self.assertEqual(rules[0][:3], ["Level", "If They Order", "They Also Order"])
        toner = '=HYPERLINK("http://example.com","Toner")'
        self.assertIn(["Products", "Printer S", toner], [row[:3] for row in rules])
        rule = next(row for row in book["Rules"].iter_rows() if row[2].value == toner)
        self.assertEqual(
            [cell.number_format for cell in rule[4:]], ["0.0%", "0.0%", "0.00"]
        )
        header = [cell.value for cell in book["Recommendations"][1]]
        self.assertEqual(header[:3], ["Customer ID", "Customer", "Rank"])
        line = next(
            row
            for row in book["Recommendations"].iter_rows(min_row=2)
            if row[1].value == "PT Printer Only" and row[2].value == 1
        )
        self.assertEqual(line[0].value, self.printer_only.id)
        cell = line[3]
        self.assertEqual(cell.value, toner)
        self.assertEqual(cell.data_type, "s", "a product name is never a formula")
        symbol = self.valuation.currency_id.symbol
        self.assertIn(symbol, line[6].number_format, "the price carries its currency")
        ranks = [row[2].value for row in book["Recommendations"].iter_rows(min_row=2)]
        self.assertLessEqual(max(ranks), 3)
