# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import numpy as np

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL

from crm_engine.valuation import Valuation, fill_workbook, workbook_content
from crm_engine.valuation.holdout import HoldoutReport
from crm_engine.valuation.pareto_abc import concentration_curve
from crm_engine.valuation.pipeline import TABLE_COLUMNS
from crm_engine.valuation.scoring import FittedModels

from ..models.crm_valuation_value import SEGMENT_KEYS
from ..value_rows import VALUE_COLUMNS

# Engine column -> stored field, for every column of the workbook's table.
STORED = {
    **VALUE_COLUMNS,
    "customer": "partner_id",
    "segment": "segment",
    "abc_class": "abc_class",
    "p_alive": "p_alive",
    "expected_purchases": "expected_purchases",
    "expected_spend": "expected_spend",
    "clv": "clv",
}


class CrmValuationRunXlsx(models.AbstractModel):
    """The valuation workbook of a run, from its stored rows and fit.

    The layout is the engine's (the same as the command line's), so analysts
    get one workbook whether they value a CSV export or Odoo's data.
    """

    _name = "report.crm_valuation.run_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Customer Valuation Workbook"

    def generate_xlsx_report(self, workbook, data, runs):
        if len(runs) != 1 or runs.state != "done":
            raise UserError(
                self.env._("Export the workbook of one finished valuation at a time.")
            )
        runs.check_access("read")
        valuation = self._valuation(runs)
        title = self.env._(
            "Customer valuation of %(company)s as of %(date)s",
            company=runs.company_id.name,
            date=runs.date,
        )
        content = workbook_content(valuation, title=title, tr=runs._translator())
        fill_workbook(workbook, content)

    def _valuation(self, run):
        """The engine's Valuation, rebuilt from what the run stored."""
        table = self._value_table(run)
        models = FittedModels.from_json(run.fit_state)
        return Valuation(
            as_of=run.date,
            settings=run._engine_settings(),
            table=table,
            model=run.fit_state["model"],
            note=run._notes(),
            parameters=models.parameters,
            log_likelihood=models.log_likelihood,
            holdout=HoldoutReport.from_json(run.holdout_data)
            if run.holdout_data
            else None,
            costs_known=True,
            revenue_curve=concentration_curve(table["revenue"]),
            margin_curve=concentration_curve(table["margin"]),
        )

    def _value_table(self, run):
        """Every row of the run, best revenue first, as engine columns."""
        value_model = self.env["crm.valuation.value"]
        value_model.flush_model()
        names = [STORED[column] for column in TABLE_COLUMNS]
        rows = self.env.execute_query(
            SQL(
                "SELECT %s FROM crm_valuation_value WHERE run_id = %s"
                " ORDER BY revenue DESC, id",
                SQL(", ").join(SQL.identifier(name) for name in names),
                run.id,
            )
        )
        columns = dict(
            zip(TABLE_COLUMNS, zip(*rows, strict=True), strict=True)
            if rows
            else ((column, ()) for column in TABLE_COLUMNS)
        )
        partners = self.env["res.partner"].browse(columns["customer"])
        segments = {key: name for name, key in SEGMENT_KEYS.items()}
        table = {column: np.array(values) for column, values in columns.items()}
        table["customer"] = np.array(partners.mapped("display_name"), dtype=object)
        table["segment"] = np.array([segments[key] for key in columns["segment"]])
        table["abc_class"] = np.char.upper(table["abc_class"].astype(str))
        for column in ("first_purchase", "last_purchase"):
            table[column] = table[column].astype("datetime64[D]")
        return table
