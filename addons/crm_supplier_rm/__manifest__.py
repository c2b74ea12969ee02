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
    "data": [],
    "installable": True,
    "application": False,
}
