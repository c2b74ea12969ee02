# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from crm_engine.valuation import rfm

RFM_SEGMENTS = [
    ("champions", "Champions"),
    ("loyal", "Loyal Customers"),
    ("potential_loyalist", "Potential Loyalists"),
    ("new", "New Customers"),
    ("promising", "Promising"),
    ("need_attention", "Need Attention"),
    ("about_to_sleep", "About to Sleep"),
    ("at_risk", "At Risk"),
    ("cant_lose", "Can't Lose Them"),
    ("hibernating", "Hibernating"),
    ("lost", "Lost"),
]
ABC_CLASSES = [("a", "A"), ("b", "B"), ("c", "C")]
# Engine segment name -> selection key, by name: neither list's order matters.
SEGMENT_KEYS = {
    rfm.CHAMPIONS: "champions",
    rfm.LOYAL: "loyal",
    rfm.POTENTIAL_LOYALIST: "potential_loyalist",
    rfm.NEW: "new",
    rfm.PROMISING: "promising",
    rfm.NEED_ATTENTION: "need_attention",
    rfm.ABOUT_TO_SLEEP: "about_to_sleep",
    rfm.AT_RISK: "at_risk",
    rfm.CANT_LOSE: "cant_lose",
    rfm.HIBERNATING: "hibernating",
    rfm.LOST: "lost",
}


class CrmValuationValue(models.Model):
    """One customer's value in one valuation run.

    Rows are written in bulk by the run and never edited: a later run adds new
    rows, so the history of a customer's value stays as it was computed.
    """

    _name = "crm.valuation.value"
    _description = "Customer Value"
    _order = "run_id desc, revenue desc, id"
    _rec_name = "partner_id"
    # Rows are written in bulk by their run, which keeps who and when: no
    # create/write columns, whose foreign keys would double the writing time.
    _log_access = False

    run_id = fields.Many2one(
        "crm.valuation.run",
        string="Valuation",
        required=True,
        ondelete="cascade",
        readonly=True,
    )  # indexed by the unique (run_id, partner_id) constraint
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, readonly=True
    )
    company_id = fields.Many2one(
        related="run_id.company_id", store=True, string="Company"
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(related="run_id.date", store=True, string="Valuation Date")
    is_latest = fields.Boolean(
        related="run_id.is_latest",
        string="Latest",
        help="From the company's most recent finished valuation.",
    )
    first_purchase = fields.Date(readonly=True)
    last_purchase = fields.Date(readonly=True)
    recency_days = fields.Integer(
        string="Days Since Last Purchase", readonly=True, aggregator="avg"
    )
    frequency = fields.Integer(
        string="Purchases",
        readonly=True,
        help="Days with a purchase (several orders on one day count once).",
    )
    monetary = fields.Monetary(
        string="Average Purchase", readonly=True, aggregator="avg"
    )
    r_score = fields.Integer(string="R", readonly=True, aggregator="avg")
    f_score = fields.Integer(string="F", readonly=True, aggregator="avg")
    m_score = fields.Integer(string="M", readonly=True, aggregator="avg")
    rfm_cell = fields.Char(string="RFM Cell", readonly=True)
    segment = fields.Selection(RFM_SEGMENTS, readonly=True)
    revenue = fields.Monetary(readonly=True)
    cost_of_goods = fields.Monetary(string="Cost of Goods", readonly=True)
    discount = fields.Monetary(string="Discounts", readonly=True)
    refunds = fields.Monetary(string="Credit Notes", readonly=True)
    service_hours = fields.Float(string="Helpdesk Hours", readonly=True)
    cost_to_serve = fields.Monetary(
        string="Cost to Serve",
        readonly=True,
        help="Helpdesk hours and order handling, at the run's rates.",
    )
    payment_delay_cost = fields.Monetary(
        string="Late Payment Cost",
        readonly=True,
        help="Days paid late x amount x the yearly cost of late payment.",
    )
    margin = fields.Monetary(readonly=True)
    margin_percent = fields.Float(string="Margin (%)", readonly=True, aggregator="avg")
    p_alive = fields.Float(
        string="Probability Active",
        readonly=True,
        aggregator="avg",
        help="Probability that the customer still buys from you, from the run's "
        "lifetime model.",
    )
    expected_purchases = fields.Float(
        readonly=True, help="Purchases expected over the run's horizon."
    )
    expected_spend = fields.Monetary(
        string="Expected Average Purchase", readonly=True, aggregator="avg"
    )
    clv = fields.Monetary(
        string="Lifetime Value",
        readonly=True,
        help="Margin expected from this customer over the run's horizon, "
        "discounted to the valuation date: expected purchases x expected spend x "
        "margin share. Zero for a customer served at a loss.",
    )
    abc_class = fields.Selection(ABC_CLASSES, string="ABC Class", readonly=True)
    revenue_rank_percent = fields.Float(
        string="Top % (revenue)",
        readonly=True,
        aggregator="min",
        help="Share of customers who bring at least this customer's revenue: "
        "5 means the customer is in the top 5%.",
    )
    repeat_purchases = fields.Integer(
        readonly=True,
        help="Purchase days after the first one: the x of the lifetime models.",
    )
    repeat_span = fields.Float(
        string="Weeks to Last Purchase",
        readonly=True,
        aggregator="avg",
        help="Weeks from the first to the last purchase (t_x).",
    )
    observed_span = fields.Float(
        string="Weeks Observed",
        readonly=True,
        aggregator="avg",
        help="Weeks from the first purchase to the valuation date (T).",
    )
    repeat_average = fields.Monetary(
        string="Average Repeat Purchase",
        readonly=True,
        aggregator="avg",
        help="Average value of the repeat purchase days, which the spend model "
        "blends with everybody's average.",
    )
    margin_ratio = fields.Float(
        string="Margin Share",
        readonly=True,
        aggregator="avg",
        help="Share of net revenue kept as margin (0 to 1; 0 when the customer "
        "is served at a loss), applied to the expected revenue to give the "
        "lifetime value.",
    )
    revenue_decile = fields.Integer(
        string="Customer Decile",
        readonly=True,
        aggregator=False,
        help="1 for the tenth of customers bringing the most revenue, 10 for the "
        "least; the Pareto curve plots cumulative revenue by decile.",
    )

    _sql_constraints = [
        (
            "partner_run_unique",
            "UNIQUE(run_id, partner_id)",
            "A customer has one value per valuation run.",
        ),
    ]
