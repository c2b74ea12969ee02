from . import crm_valuation_segment_wizard
