# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import numpy as np

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv.expression import OR
from odoo.tools import SQL

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
    last_purchase = fields.Date(
        readonly=True,
        help="The last day this customer bought, up to the valuation date.",
    )
    recency_days = fields.Integer(
        string="Idle Days",
        readonly=True,
        aggregator="avg",
        help="Days from the last purchase to the valuation date (the R of RFM).",
    )
    frequency = fields.Integer(
        string="Purchases",
        readonly=True,
        help="Purchase days: days with a purchase, several orders on one day "
        "counting once (the F of RFM).",
    )
    monetary = fields.Monetary(
        string="Average Purchase",
        readonly=True,
        aggregator="avg",
        help="Average amount per purchase day (the M of RFM).",
    )
    r_score = fields.Integer(
        string="R",
        readonly=True,
        aggregator="avg",
        help="Recency score, 1 to 5: 5 for the fifth of customers who bought "
        "most recently.",
    )
    f_score = fields.Integer(
        string="F",
        readonly=True,
        aggregator="avg",
        help="Frequency score, 1 to 5: 5 for the fifth who bought on most days.",
    )
    m_score = fields.Integer(
        string="M",
        readonly=True,
        aggregator="avg",
        help="Monetary score, 1 to 5: 5 for the fifth who spend most per purchase.",
    )
    rfm_cell = fields.Char(
        string="RFM Cell",
        readonly=True,
        help="The three scores side by side, Recency, Frequency, Monetary, each "
        "from 1 (lowest fifth of customers) to 5 (highest): 555 is the best "
        "cell, 111 the weakest.",
    )
    segment = fields.Selection(
        RFM_SEGMENTS,
        readonly=True,
        help="Group of customers with similar RFM scores, from Champions (bought "
        "recently, often and much) to Lost (long silent, little and seldom).",
    )
    revenue = fields.Monetary(
        readonly=True,
        help="Sales without tax, before discounts and credit notes, in the "
        "company's currency.",
    )
    cost_of_goods = fields.Monetary(
        string="Cost of Goods",
        readonly=True,
        help="What the products sold cost at the time of each sale, less the cost "
        "of goods that came back with credit notes.",
    )
    discount = fields.Monetary(
        string="Discounts", readonly=True, help="Discounts given on the sales lines."
    )
    refunds = fields.Monetary(
        string="Credit Notes", readonly=True, help="Credit notes, without tax."
    )
    service_hours = fields.Float(
        string="Helpdesk Hours",
        readonly=True,
        help="Hours logged on this customer's helpdesk tickets.",
    )
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
    margin = fields.Monetary(
        readonly=True,
        help="Revenue less discounts, credit notes, cost of goods, cost to serve "
        "and late payment cost.",
    )
    margin_percent = fields.Float(
        string="Margin %",
        readonly=True,
        aggregator="avg",
        help="Margin as a share of net revenue (revenue less discounts and "
        "credit notes).",
    )
    p_alive = fields.Float(
        string="Probability Active",
        readonly=True,
        aggregator="avg",
        help="Probability that the customer still buys from you, from the run's "
        "lifetime model: it judges the time since the last purchase against the "
        "customer's own buying rhythm.",
    )
    signals_disagree = fields.Boolean(
        string="Mixed Signals",
        compute="_compute_signals_disagree",
        search="_search_signals_disagree",
        help="The RFM segment and the probability of being active tell different "
        "stories: an active segment (Champions to Promising) with a probability "
        "below 50%, or Hibernating or Lost with 50% or more. RFM ranks customers "
        "against each other; the probability judges a silence against the "
        "customer's own rhythm, so a weekly buyer silent for two months is Loyal "
        "by RFM and probably gone by the model. Worth a look before acting.",
    )
    expected_purchases = fields.Float(
        readonly=True, help="Purchase days expected over the run's horizon."
    )
    expected_spend = fields.Monetary(
        string="Expected Purchase",
        readonly=True,
        aggregator="avg",
        help="Expected amount of a future purchase: the customer's own average "
        "blended with everybody's, trusting their own more the more often they "
        "bought.",
    )
    clv = fields.Monetary(
        string="Lifetime Value",
        readonly=True,
        help="Margin expected from this customer over the run's horizon, "
        "discounted to the valuation date: expected purchases x expected purchase "
        "x margin share. Zero for a customer served at a loss (see Future Margin).",
    )
    future_margin = fields.Monetary(
        readonly=True,
        help="As the lifetime value, with the customer's own margin share even "
        "when it is negative: what serving a loss-making customer on the same "
        "terms will cost over the horizon.",
    )
    abc_class = fields.Selection(
        ABC_CLASSES,
        string="ABC Class",
        readonly=True,
        help="A: the biggest customers, who together bring the first part of the "
        "revenue (80% by default); B: the next ones (up to 95% by default); C: the "
        "rest. The limits are in the settings.",
    )
    revenue_rank_percent = fields.Float(
        string="Revenue Rank",
        readonly=True,
        aggregator="min",
        help="Share of customers who bring at least this customer's revenue: "
        "5% means the customer is in the top 5%.",
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
        help="Share of net revenue kept as margin (negative when the customer is "
        "served at a loss), applied to the expected revenue to give the future "
        "margin; the lifetime value counts it from 0 to 100%.",
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

    @api.depends("segment", "p_alive")
    def _compute_signals_disagree(self):
        reverse = {key: name for name, key in SEGMENT_KEYS.items()}
        for value in self:
            value.signals_disagree = bool(
                value.segment
                and rfm.signals_disagree(
                    [reverse[value.segment]],
                    [value.p_alive if value.p_alive is not False else np.nan],
                )[0]
            )

    def _search_signals_disagree(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        active = [SEGMENT_KEYS[name] for name in rfm.ACTIVE_SEGMENTS]
        dormant = [SEGMENT_KEYS[name] for name in rfm.DORMANT_SEGMENTS]
        domain = OR(
            [
                [("segment", "in", active), ("p_alive", "<", rfm.LIKELY_ACTIVE)],
                [("segment", "in", dormant), ("p_alive", ">=", rfm.LIKELY_ACTIVE)],
            ]
        )
        return domain if (operator == "=") == value else ["!", *domain]

    @api.model
    def _segment_rank(self, column):
        """SQL ranking the segment ``column`` in business order: Champions
        first, Lost last, whatever the keys or the language."""
        return SQL(
            "array_position(%s::varchar[], %s)",
            [key for key, _label in RFM_SEGMENTS],
            column,
        )

    @api.model
    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        if field_name == "segment":
            column = self._field_to_sql(alias, field_name, query)
            if query.groupby:
                query.groupby = SQL("%s, %s", query.groupby, column)
            return SQL("%s %s %s", self._segment_rank(column), direction, nulls)
        return super()._order_field_to_sql(alias, field_name, direction, nulls, query)

    @api.model
    def _read_group_orderby(self, order, groupby_terms, query):
        if "segment" in groupby_terms:
            groupby_terms = {
                **groupby_terms,
                "segment": self._segment_rank(groupby_terms["segment"]),
            }
        return super()._read_group_orderby(order, groupby_terms, query)
