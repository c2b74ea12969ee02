# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

# The company's cost rates are confidential: readable by the valuation groups
# and by settings administrators only.
COST_RATE_GROUPS = "crm_valuation.group_valuation_analyst,base.group_system"


class CrmValuationSettings(models.AbstractModel):
    """The valuation settings, declared once.

    The company holds them, the settings screen edits the company's, and each
    run keeps a copy of those it was computed with, so a snapshot can always
    be explained after the settings change.
    """

    _name = "crm.valuation.settings"
    _description = "Customer Valuation Settings"

    # The models that inherit the settings define their currency (the company's).
    currency_id = fields.Many2one("res.currency")

    valuation_source = fields.Selection(
        [("orders", "Confirmed sales orders"), ("invoices", "Posted invoices")],
        string="Valuation Based On",
        default="orders",
        required=True,
        help="Which documents count as a customer's purchases. Orders show demand "
        "as soon as it is confirmed; invoices count only what was billed, net of "
        "credit notes.",
    )
    valuation_model = fields.Selection(
        [
            ("auto", "Best in the holdout check"),
            ("mbgnbd", "MBG/NBD"),
            ("pareto_nbd", "Pareto/NBD"),
            ("bgnbd", "BG/NBD"),
        ],
        string="Lifetime Model",
        default="auto",
        required=True,
        help="Statistical model of repeat purchases, which gives the probability "
        "that a customer is still active and the lifetime value. Best in the "
        "holdout check: MBG/NBD or Pareto/NBD, whichever forecast the holdout "
        "months better (the run says which and why). Both let a customer who "
        "bought once leave; BG/NBD does not, and shows every one-time buyer as "
        "100% active however long ago they bought.",
    )
    valuation_horizon_months = fields.Integer(
        string="CLV Horizon (months)",
        default=12,
        help="How far ahead the customer lifetime value looks.",
    )
    valuation_discount_rate = fields.Float(
        string="Yearly Discount Rate (%)",
        default=10.0,
        help="Future margin is discounted at this yearly rate in the lifetime value.",
    )
    valuation_holdout_months = fields.Integer(
        string="Holdout (months)",
        default=6,
        help="The model is also fitted without the last months and checked against "
        "what customers really bought in them; the grade is shown on every run.",
    )
    valuation_hourly_cost = fields.Monetary(
        string="Service Cost per Hour",
        currency_field="currency_id",
        groups=COST_RATE_GROUPS,
        help="What an hour of helpdesk work costs; multiplied by the hours spent on "
        "a customer's tickets in their cost-to-serve.",
    )
    valuation_order_cost = fields.Monetary(
        string="Handling Cost per Order",
        currency_field="currency_id",
        groups=COST_RATE_GROUPS,
        help="Fixed cost of processing one order (picking, paperwork, delivery).",
    )
    valuation_delay_rate = fields.Float(
        string="Yearly Cost of Late Payment (%)",
        default=12.0,
        groups=COST_RATE_GROUPS,
        help="Financing cost of money customers pay late: days late x amount x "
        "this yearly rate.",
    )
    valuation_abc_a = fields.Float(
        string="Class A up to (% of revenue)",
        default=80.0,
        help="Customers who together make the first share of revenue are class A.",
    )
    valuation_abc_b = fields.Float(
        string="Class B up to (% of revenue)",
        default=95.0,
        help="The next customers up to this cumulative share are class B; the rest C.",
    )

    _sql_constraints = [
        (
            "valuation_abc_order",
            "CHECK(valuation_abc_a > 0 AND valuation_abc_a < valuation_abc_b "
            "AND valuation_abc_b < 100)",
            "The ABC cut-offs must satisfy 0 < A < B < 100.",
        ),
        (
            "valuation_horizon_positive",
            "CHECK(valuation_horizon_months > 0 AND valuation_holdout_months >= 0)",
            "The CLV horizon must be at least one month and the holdout not negative.",
        ),
        (
            "valuation_rates_positive",
            "CHECK(valuation_discount_rate >= 0 AND valuation_delay_rate >= 0 "
            "AND valuation_hourly_cost >= 0 AND valuation_order_cost >= 0)",
            "Rates and costs of the valuation cannot be negative.",
        ),
    ]

    @api.model
    def _valuation_setting_fields(self):
        """The names of the settings, in the order this model declares them."""
        return [
            name
            for name in self.env["crm.valuation.settings"]._fields
            if name.startswith("valuation_")
        ]
