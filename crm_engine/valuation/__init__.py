"""Customer valuation: RFM, profitability, BG/NBD or Pareto/NBD, Gamma-Gamma, CLV.

Plain Python (numpy, scipy, xlsxwriter), no Odoo. The Odoo addon calls
``value_customers`` and fills its report with ``fill_workbook`` and
``workbook_content`` (in the user's language: see texts.py); the building
blocks are importable from their modules.
"""

from .export import workbook_content
from .holdout import HoldoutReport, holdout_check
from .pipeline import (
    CustomerExtras,
    Transactions,
    Valuation,
    ValuationSettings,
    value_customers,
)
from .profitability import ProfitSettings, customer_profitability
from .texts import Note, english
from .workbook import fill_workbook, write_workbook
