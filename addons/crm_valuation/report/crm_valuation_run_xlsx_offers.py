# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.tools import SQL

from crm_engine.valuation.workbook import NUMBER_FORMATS

from .crm_valuation_run_xlsx import workbook_currency

# Recommendations per customer in the workbook (the panel shows five).
WORKBOOK_RANKS = 3


class CrmValuationRunXlsx(models.AbstractModel):
    """Two more sheets in the valuation workbook: the association rules and
    every customer's top recommendations, from the company's latest
    recommendation run."""

    _inherit = "report.crm_valuation.run_xlsx"

    def generate_xlsx_report(self, workbook, data, runs):
        result = super().generate_xlsx_report(workbook, data, runs)
        offers = self.env["crm.valuation.recommendation.run"]._latest(runs.company_id)
        if offers:
            bold = workbook.add_format({"bold": True})
            self._write_rules_sheet(workbook, bold, offers)
            self._write_recommendations_sheet(workbook, bold, offers)
        return result

    def _write_rows(self, sheet, bold, header, rows, formats=()):
        """Text as text (never a formula or link), numbers as numbers, in the
        format of their column where ``formats`` gives one."""
        formats = dict(enumerate(formats))
        for column, title in enumerate(header):
            sheet.write_string(0, column, title, bold)
        for row, values in enumerate(rows, start=1):
            for column, value in enumerate(values):
                if isinstance(value, int | float):
                    sheet.write_number(row, column, value, formats.get(column))
                else:
                    sheet.write_string(row, column, value or "")
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(rows), 1), len(header) - 1)

    def _write_rules_sheet(self, workbook, bold, offers):
        levels = dict(
            self.env["crm.valuation.product.rule"]
            ._fields["level"]
            ._description_selection(self.env)
        )
        rows = [
            (
                levels[rule.level],
                (rule.antecedent_product_id or rule.antecedent_categ_id).display_name,
                (rule.consequent_product_id or rule.consequent_categ_id).display_name,
                rule.orders,
                rule.support,
                rule.confidence,
                rule.lift,
            )
            for rule in offers.rule_ids
        ]
        sheet = workbook.add_worksheet(self.env._("Rules"))
        header = [
            self.env._("Level"),
            self.env._("If They Order"),
            self.env._("They Also Order"),
            self.env._("Orders"),
            self.env._("Support"),
            self.env._("Confidence"),
            self.env._("Lift"),
        ]
        percent = workbook.add_format({"num_format": NUMBER_FORMATS["percent"]})
        ratio = workbook.add_format({"num_format": "0.00"})
        self._write_rows(
            sheet, bold, header, rows, (None, None, None, None, percent, percent, ratio)
        )
        sheet.set_column(1, 2, 40)

    def _write_recommendations_sheet(self, workbook, bold, offers):
        """One row per customer and recommendation of rank 1 to 3, read in one
        query (hundreds of thousands of rows on a large base)."""
        model = self.env["crm.valuation.recommendation"]
        model.flush_model()
        kinds = dict(model._fields["kind"]._description_selection(self.env))
        lang = self.env.lang or "en_US"
        rows = self.env.execute_query(
            SQL(
                """
                SELECT partner.id, partner.complete_name, line.rank,
                       COALESCE(template.name->>%(lang)s, template.name->>'en_US'),
                       line.kind,
                       COALESCE(because.name->>%(lang)s, because.name->>'en_US'),
                       template.list_price::float8
                  FROM crm_valuation_recommendation line
                  JOIN res_partner partner ON partner.id = line.partner_id
                  JOIN product_product product ON product.id = line.product_id
                  JOIN product_template template
                    ON template.id = product.product_tmpl_id
                  LEFT JOIN product_product because_product
                    ON because_product.id = line.because_product_id
                  LEFT JOIN product_template because
                    ON because.id = because_product.product_tmpl_id
                 WHERE line.run_id = %(run)s AND line.rank <= %(ranks)s
                 ORDER BY partner.complete_name, line.partner_id, line.rank
                """,
                lang=lang,
                run=offers.id,
                ranks=WORKBOOK_RANKS,
            )
        )
        sheet = workbook.add_worksheet(self.env._("Recommendations"))
        header = [
            self.env._("Customer ID"),
            self.env._("Customer"),
            self.env._("Rank"),
            self.env._("Product"),
            self.env._("Kind"),
            self.env._("Because They Bought"),
            self.env._("Sales Price"),
        ]
        currency = workbook_currency(offers.company_id.currency_id)
        money = workbook.add_format({"num_format": currency.number_format()})
        self._write_rows(
            sheet,
            bold,
            header,
            [(*row[:4], kinds[row[4]], row[5], row[6]) for row in rows],
            (None,) * 6 + (money,),
        )
        sheet.set_column(1, 1, 40)
        sheet.set_column(3, 3, 40)
