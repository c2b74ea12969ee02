# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "CRM Customer Valuation: Background Jobs",
    "summary": "Compute customer valuations in background jobs (queue_job)",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-strategy-suite/crm-strategy-suite",
    "author": "CRM Strategy Suite",
    "license": "LGPL-3",
    "depends": ["crm_valuation", "queue_job"],
    "data": [
        "data/queue_job_channel_data.xml",
        "views/crm_valuation_run_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
