# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import numpy as np

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL

from crm_engine.valuation import Valuation, fill_workbook, workbook_content
from crm_engine.valuation.holdout import HoldoutReport
from crm_engine.valuation.pareto_abc import concentration_curve
from crm_engine.valuation.pipeline import TABLE_COLUMNS
from crm_engine.valuation.rfm import signals_disagree
from crm_engine.valuation.scoring import FittedModels
from crm_engine.valuation.workbook import WORKBOOK_OPTIONS, Currency

from ..models.crm_valuation_value import SEGMENT_KEYS
from ..value_rows import PERCENT_COLUMNS, SCORE_FIELDS, VALUE_COLUMNS

# Engine column -> stored field, for the columns of the workbook's table that
# are stored (the others are derived from them).
STORED = {
    **VALUE_COLUMNS,
    **{name: name for name in SCORE_FIELDS},
    "customer": "partner_id",
    "segment": "segment",
    "abc_class": "abc_class",
}


def workbook_currency(currency):
    """How the workbook shows amounts of the Odoo currency ``currency``."""
    return Currency(
        currency.symbol,
        decimals=currency.decimal_places,
        before=currency.position == "before",
    )


class CrmValuationRunXlsx(models.AbstractModel):
    """The valuation workbook of a run, from its stored rows and fit.

    The layout is the engine's (the same as the command line's), so analysts
    get one workbook whether they value a CSV export or Odoo's data.
    """

    _name = "report.crm_valuation.run_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Customer Valuation Workbook"

    def get_workbook_options(self):
        """Streamed (constant_memory), and no text turned into a formula or a
        link: see crm_engine.valuation.workbook."""
        return {**super().get_workbook_options(), **WORKBOOK_OPTIONS}

    def generate_xlsx_report(self, workbook, data, runs):
        if len(runs) != 1 or runs.state != "done":
            raise UserError(
                self.env._("Export the workbook of one finished valuation at a time.")
            )
        runs.check_access("read")
        valuation, names = self._valuation(runs)
        title = self.env._(
            "Customer valuation of %(company)s as of %(date)s",
            company=runs.company_id.name,
            date=runs.date,
        )
        content = workbook_content(
            valuation,
            title=title,
            tr=runs._translator(),
            currency=workbook_currency(runs.currency_id),
            customer_names=names,
        )
        fill_workbook(workbook, content)

    def _valuation(self, run):
        """The engine's Valuation rebuilt from what the run stored, and the
        customers' names (their ids are the table's customers)."""
        table, names = self._value_table(run)
        models = FittedModels.from_json(run.fit_state)
        valuation = Valuation(
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
        return valuation, names

    def _value_table(self, run):
        """Every row of the run, best revenue first, as engine columns (the
        customer as the partner id), and the partners' names."""
        value_model = self.env["crm.valuation.value"]
        value_model.flush_model()
        stored = [column for column in TABLE_COLUMNS if column in STORED]
        rows = self.env.execute_query(
            SQL(
                "SELECT %s FROM crm_valuation_value WHERE run_id = %s"
                " ORDER BY revenue DESC, id",
                SQL(", ").join(SQL.identifier(STORED[column]) for column in stored),
                run.id,
            )
        )
        columns = dict(
            zip(stored, zip(*rows, strict=True), strict=True)
            if rows
            else ((column, ()) for column in stored)
        )
        partners = self.env["res.partner"].browse(columns["customer"])
        segments = {key: name for name, key in SEGMENT_KEYS.items()}
        table = {column: np.array(values) for column, values in columns.items()}
        table["customer"] = np.array(columns["customer"], dtype=np.int64)
        table["segment"] = np.array([segments[key] for key in columns["segment"]])
        table["abc_class"] = np.char.upper(table["abc_class"].astype(str))
        for column in ("first_purchase", "last_purchase"):
            table[column] = table[column].astype("datetime64[D]")
        for column in PERCENT_COLUMNS:
            table[column] = table[column].astype(float) * 100.0
        for column in SCORE_FIELDS:
            table[column] = np.array(
                [np.nan if value is None else value for value in columns[column]],
                dtype=float,
            )
        table["signals_disagree"] = signals_disagree(table["segment"], table["p_alive"])
        names = np.array(partners.mapped("display_name"), dtype=object)
        return {column: table[column] for column in TABLE_COLUMNS}, names
