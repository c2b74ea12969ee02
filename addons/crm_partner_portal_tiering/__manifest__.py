# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "CRM Partner Portal: Loyalty Tier Card",
    "summary": "Shows the customer's loyalty tier card on the portal account page",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-strategy-suite/crm-strategy-suite",
    "author": "CRM Strategy Suite",
    "license": "LGPL-3",
    "depends": ["crm_partner_portal", "crm_tiering"],
    "data": ["views/crm_partner_portal_templates.xml"],
    "auto_install": True,
    "installable": True,
}
