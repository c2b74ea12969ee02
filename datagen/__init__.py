"""Realistic data for the suite, deterministic from a seed.

``demo``: an Indonesian trading company with two years of sales, invoices,
payments, helpdesk work, purchasing and resellers, loaded through the ORM.
``bench``: a large sales history for benchmarks, bulk-loaded with SQL.
"""

# What the loaders write into: installed before any data is generated.
REQUIRED_MODULES = (
    "sale_management",
    "sale_margin",
    "account",
    "purchase_stock",
    "helpdesk_mgmt_timesheet",
    "crm",
    "contacts",
    "portal",
)
DEFAULT_SEED = 42
# Portal users the demo load creates, as (who, login, password).
DEMO_LOGINS = (
    ("portal customer", "customer@demo.example", "customer"),
    ("reseller", "reseller@demo.example", "reseller"),
    ("supplier", "supplier@demo.example", "supplier"),
)
# Staff of the demo company by role; the administrator sells too.
STAFF = {
    "salesperson": ("Rina Wulandari", "Hendra Saputra", "Maya Sari"),
    "buyer": ("Yusuf Hakim",),
    "helpdesk agent": ("Dewi Lestari", "Rizky Pratama", "Ayu Kusuma"),
}
STAFF_PASSWORD = "demo"


def staff_login(name):
    return f"{name.lower().replace(' ', '.')}@demo.example"
