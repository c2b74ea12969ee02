from . import crm_supplier_scorecard_xlsx
