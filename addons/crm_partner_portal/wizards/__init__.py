from . import crm_partner_level_set
