from . import crm_valuation_run
