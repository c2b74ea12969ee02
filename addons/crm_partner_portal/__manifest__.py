# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "CRM Partner Portal",
    "summary": "Reseller portal: deal registration with conflict check and approval, "
    "lead distribution with deadlines, partner levels from performance, "
    "commissions; a customer account page",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-strategy-suite/crm-strategy-suite",
    "author": "CRM Strategy Suite",
    "license": "LGPL-3",
    "depends": [
        "crm",
        "portal",
        "website_crm_partner_assign",
        "sale_stock",
        "account_payment",
        "helpdesk_mgmt",
    ],
    "data": [],
    "installable": True,
    "application": False,
}
