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
    "data": [],
    "installable": True,
    "application": False,
}
