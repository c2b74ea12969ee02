# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "CRM Customer Valuation: Mailing Lists",
    "summary": "Put a segment of valued customers on an Email Marketing list",
    "version": "18.0.1.0.0",
    "category": "Marketing/Email Marketing",
    "website": "https://github.com/crm-strategy-suite/crm-strategy-suite",
    "author": "CRM Strategy Suite",
    "license": "LGPL-3",
    "depends": ["crm_valuation", "mass_mailing"],
    "data": ["wizards/crm_valuation_segment_wizard_views.xml"],
    "auto_install": True,
    "installable": True,
}
