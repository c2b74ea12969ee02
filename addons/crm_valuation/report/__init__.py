from . import crm_valuation_run_xlsx
from . import crm_valuation_run_xlsx_offers
