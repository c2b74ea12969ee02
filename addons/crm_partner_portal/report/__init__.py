from . import crm_partner_commission_xlsx
