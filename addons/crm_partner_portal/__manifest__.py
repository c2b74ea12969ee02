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
        "report_xlsx",
    ],
    "external_dependencies": {"python": ["crm_engine"]},
    "data": [
        "security/crm_partner_portal_groups.xml",
        "security/ir.model.access.csv",
        "security/crm_partner_portal_security.xml",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "report/crm_partner_commission_reports.xml",
        "views/crm_deal_registration_views.xml",
        "views/crm_partner_commission_views.xml",
        "views/res_partner_grade_views.xml",
        "wizards/crm_partner_level_set_views.xml",
        "views/res_partner_views.xml",
        "views/crm_lead_views.xml",
        "views/res_config_settings_views.xml",
        "views/crm_partner_portal_templates.xml",
        "views/crm_partner_portal_menus.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "crm_partner_portal/static/src/js/registration_product_search.js",
            "crm_partner_portal/static/src/scss/crm_partner_portal.scss",
        ],
        "web.assets_tests": [
            "crm_partner_portal/static/tests/tours/*.js",
        ],
    },
    "installable": True,
    "application": False,
}
