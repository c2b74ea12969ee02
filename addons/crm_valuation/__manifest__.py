# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "CRM Customer Valuation",
    "summary": "RFM, customer profitability with cost-to-serve, BG/NBD lifetime "
    "value and Pareto/ABC, with snapshots and an xlsx workbook",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-strategy-suite/crm-strategy-suite",
    "author": "CRM Strategy Suite",
    "license": "LGPL-3",
    "depends": [
        "crm",
        "sale_management",
        "sale_margin",
        "account",
        "helpdesk_mgmt_timesheet",
        "report_xlsx",
    ],
    "external_dependencies": {"python": ["numpy", "scipy", "crm_engine"]},
    "data": [
        "security/crm_valuation_groups.xml",
        "security/crm_valuation_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "report/crm_valuation_reports.xml",
        "wizards/crm_valuation_segment_wizard_views.xml",
        "views/crm_valuation_value_views.xml",
        "views/crm_valuation_run_templates.xml",
        "views/crm_valuation_run_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/crm_valuation_menus.xml",
    ],
    "demo": ["demo/crm_valuation_demo.xml"],
    "assets": {
        "web.assets_backend": [
            "crm_valuation/static/src/js/valuation_progress_field.js",
            "crm_valuation/static/src/xml/valuation_progress_field.xml",
            "crm_valuation/static/src/scss/crm_valuation_value_list.scss",
        ],
    },
    "installable": True,
    "application": False,
}
