# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "CRM Supplier Relationship Management",
    "summary": "Supplier scorecards from real receipts and bills, standings that steer "
    "purchasing, Kraljic segmentation and a supplier portal",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-strategy-suite/crm-strategy-suite",
    "author": "CRM Strategy Suite",
    "license": "LGPL-3",
    "depends": ["purchase_stock", "portal", "report_xlsx"],
    "data": [
        "security/crm_supplier_rm_groups.xml",
        "security/ir.model.access.csv",
        "security/crm_supplier_rm_security.xml",
        "data/ir_cron_data.xml",
        "report/crm_supplier_rm_reports.xml",
        "views/crm_supplier_scorecard_templates.xml",
        "views/crm_supplier_scorecard_views.xml",
        "views/crm_supplier_scorecard_config_views.xml",
        "views/crm_supplier_certificate_views.xml",
        "views/res_partner_views.xml",
        "views/purchase_order_views.xml",
        "views/portal_templates.xml",
        "views/crm_supplier_rm_menus.xml",
    ],
    "installable": True,
    "application": False,
}
