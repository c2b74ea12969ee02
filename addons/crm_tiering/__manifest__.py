# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "CRM Loyalty Tiers",
    "summary": "Loyalty tiers from customer value, with benefits, business rules that "
    "route big customers to senior staff, tier history and a portal tier "
    "card",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-strategy-suite/crm-strategy-suite",
    "author": "CRM Strategy Suite",
    "license": "LGPL-3",
    "depends": ["crm_valuation", "portal", "loyalty"],
    "data": [
        "security/crm_tiering_groups.xml",
        "security/crm_tiering_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "wizards/crm_tier_simulator_views.xml",
        "views/crm_tier_program_views.xml",
        "views/crm_tier_partner_views.xml",
        "views/crm_tier_history_views.xml",
        "views/crm_tier_rule_views.xml",
        "views/res_partner_views.xml",
        "views/crm_lead_views.xml",
        "views/sale_order_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/portal_templates.xml",
        "views/crm_tiering_menus.xml",
    ],
    "assets": {
        "web.assets_backend": ["crm_tiering/static/src/customer_panel/*"],
    },
    "installable": True,
    "application": False,
}
