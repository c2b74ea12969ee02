# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

from ..models.crm_supplier_scorecard import INPUT_FIELDS, SCORE_FIELDS

# Widest a column gets, in characters.
MAX_WIDTH = 40


class CrmSupplierScorecardXlsx(models.AbstractModel):
    """The selected scorecards, one row each, with the figures behind them.

    Every cell is written as data (numbers as numbers, texts as strings, dates
    as dates): a supplier named "=HYPERLINK(...)" stays a name, not a formula.
    """

    _name = "report.crm_supplier_rm.scorecard_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Supplier Scorecard Workbook"

    def _columns(self):
        card_fields = self.env["crm.supplier.scorecard"]._fields
        columns = [
            ("partner_id", self.env._("Supplier")),
            ("date_start", self.env._("Period Start")),
            ("date_end", self.env._("Period End")),
            ("state", self.env._("State")),
            ("score", self.env._("Score")),
            ("standing_id", self.env._("Standing")),
            *(
                (name, card_fields[name].get_description(self.env)["string"])
                for name in SCORE_FIELDS
            ),
            *(
                (name, card_fields[name].get_description(self.env)["string"])
                for name in INPUT_FIELDS
                if card_fields[name].is_accessible(self.env)
            ),
            ("feedback_state", self.env._("Supplier Feedback")),
            ("feedback_comment", self.env._("Supplier Comment")),
        ]
        return columns

    def generate_xlsx_report(self, workbook, data, cards):
        cards.check_access("read")
        sheet = workbook.add_worksheet(self.env._("Scorecards"))
        bold = workbook.add_format({"bold": True, "bg_color": "#EEEEEE"})
        number = workbook.add_format({"num_format": "0.0"})
        day = workbook.add_format({"num_format": "yyyy-mm-dd"})
        columns = self._columns()
        widths = [len(label) for _name, label in columns]
        for col, (_name, label) in enumerate(columns):
            sheet.write_string(0, col, label, bold)
        selections = {
            name: dict(cards._fields[name]._description_selection(self.env))
            for name in ("state", "feedback_state")
        }
        for row, card in enumerate(
            cards.sorted(lambda c: (c.partner_id.name or "", c.date_start)), start=1
        ):
            for col, (name, _label) in enumerate(columns):
                value = card[name]
                field = cards._fields[name]
                if field.type == "many2one":
                    text = value.display_name or ""
                    sheet.write_string(row, col, text)
                    widths[col] = max(widths[col], len(text))
                elif field.type == "selection":
                    sheet.write_string(row, col, selections[name].get(value, ""))
                elif field.type == "date":
                    sheet.write_datetime(
                        row, col, value, day
                    ) if value else sheet.write_blank(row, col, None)
                elif field.type in ("text", "char"):
                    sheet.write_string(row, col, value or "")
                elif (name == "score" and card.state == "no_data") or (
                    name in SCORE_FIELDS
                    and name[len("score_") :] not in (card.measured or "").split()
                ):
                    sheet.write_blank(row, col, None)
                else:
                    sheet.write_number(row, col, value or 0.0, number)
        for col, width in enumerate(widths):
            sheet.set_column(col, col, min(max(width, 10) + 2, MAX_WIDTH))
        sheet.freeze_panes(1, 1)
        sheet.autofilter(0, 0, len(cards), len(columns) - 1)
