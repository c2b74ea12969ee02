# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from odoo import models


class CommissionStatementXlsx(models.AbstractModel):
    """A reseller's commission statement as a workbook: one row per invoice,
    totals by status. Text goes in as text, never as a formula."""

    _name = "report.crm_partner_portal.commission_statement_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Commission Statement Workbook"

    def generate_xlsx_report(self, workbook, data, objs):
        sheet = workbook.add_worksheet(self.env._("Commissions")[:31])
        bold = workbook.add_format({"bold": True})
        day = workbook.add_format({"num_format": "yyyy-mm-dd"})
        money = workbook.add_format({"num_format": "#,##0.00"})
        headers = [
            self.env._("Invoice Date"),
            self.env._("Invoice"),
            self.env._("Customer"),
            self.env._("Reseller"),
            self.env._("Untaxed Amount"),
            self.env._("Rate (%)"),
            self.env._("Rate From"),
            self.env._("Commission"),
            self.env._("Status"),
        ]
        for column, header in enumerate(headers):
            sheet.write_string(0, column, header, bold)
        states = dict(objs._fields["state"]._description_selection(self.env))
        row = 0
        for row, line in enumerate(objs.sorted(lambda r: (r.date, r.id)), start=1):
            sheet.write_datetime(
                row, 0, datetime.combine(line.date, datetime.min.time()), day
            )
            sheet.write_string(row, 1, line.move_name or "")
            sheet.write_string(row, 2, line.customer_name or "")
            sheet.write_string(row, 3, line.partner_id.name or "")
            sheet.write_number(row, 4, line.base_amount, money)
            sheet.write_number(row, 5, line.rate)
            sheet.write_string(row, 6, line.rate_source or "")
            sheet.write_number(row, 7, line.amount, money)
            sheet.write_string(row, 8, states.get(line.state, line.state))
        totals = objs._statement()
        row += 2
        for key in ("pending", "earned", "paid"):
            sheet.write_string(row, 6, states[key], bold)
            sheet.write_number(row, 7, totals[key], money)
            row += 1
        sheet.set_column(0, 0, 12)
        sheet.set_column(1, 3, 28)
        sheet.set_column(4, 5, 16)
        sheet.set_column(6, 6, 28)
        sheet.set_column(7, 8, 16)
        sheet.freeze_panes(1, 0)
