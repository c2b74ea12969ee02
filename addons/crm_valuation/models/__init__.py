from . import crm_valuation_settings
from . import res_company
from . import res_config_settings
from . import crm_valuation_run
from . import crm_valuation_value
from . import res_partner
