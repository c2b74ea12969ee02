# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from .crm_valuation_value import ABC_CLASSES, RFM_SEGMENTS

ANALYST = "crm_valuation.group_valuation_analyst"
SALES = "sales_team.group_sale_salesman,crm_valuation.group_valuation_analyst"
# Partner fields showing the latest value, and the value field each shows.
VALUE_FIELDS = {
    "valuation_segment": "segment",
    "valuation_abc_class": "abc_class",
    "valuation_rfm_cell": "rfm_cell",
    "valuation_last_purchase": "last_purchase",
    "valuation_currency_id": "currency_id",
    "valuation_revenue": "revenue",
    "valuation_margin": "margin",
    "valuation_clv": "clv",
    "valuation_p_alive": "p_alive",
    "valuation_date": "date",
}
# Negative operators, searched as "not among the partners matching the positive".
NEGATIONS = {
    "!=": "=",
    "not in": "in",
    "not like": "like",
    "not ilike": "ilike",
    "not =like": "=like",
    "not =ilike": "=ilike",
}


def _latest_value_search(name):
    """The search method of the partner field ``name`` (see
    ``_search_latest_value``), a named function as Odoo expects."""

    def search(self, operator, value):
        return self._search_latest_value(name, operator, value)

    search.__name__ = f"_search_{name}"
    return search


class ResPartner(models.Model):
    _inherit = "res.partner"

    valuation_value_id = fields.Many2one(
        "crm.valuation.value",
        string="Latest Value",
        compute="_compute_valuation_value_id",
        search="_search_valuation_value_id",
        groups=ANALYST,
    )
    valuation_segment = fields.Selection(
        RFM_SEGMENTS,
        string="RFM Segment",
        compute="_compute_valuation_value_id",
        search="_search_valuation_segment",
        groups=ANALYST,
    )
    valuation_abc_class = fields.Selection(
        ABC_CLASSES,
        string="ABC Class",
        compute="_compute_valuation_value_id",
        search="_search_valuation_abc_class",
        groups=ANALYST,
    )
    valuation_rfm_cell = fields.Char(
        string="RFM Cell",
        compute="_compute_valuation_value_id",
        search="_search_valuation_rfm_cell",
        groups=ANALYST,
    )
    valuation_last_purchase = fields.Date(
        string="Last Purchase",
        compute="_compute_valuation_value_id",
        search="_search_valuation_last_purchase",
        groups=ANALYST,
    )
    valuation_currency_id = fields.Many2one(
        "res.currency", compute="_compute_valuation_value_id", groups=ANALYST
    )
    valuation_revenue = fields.Monetary(
        string="Revenue",
        currency_field="valuation_currency_id",
        compute="_compute_valuation_value_id",
        search="_search_valuation_revenue",
        groups=ANALYST,
    )
    valuation_margin = fields.Monetary(
        string="Margin",
        currency_field="valuation_currency_id",
        compute="_compute_valuation_value_id",
        search="_search_valuation_margin",
        groups=ANALYST,
    )
    valuation_clv = fields.Monetary(
        string="Lifetime Value",
        currency_field="valuation_currency_id",
        compute="_compute_valuation_value_id",
        search="_search_valuation_clv",
        groups=ANALYST,
    )
    valuation_p_alive = fields.Float(
        string="Probability Active",
        compute="_compute_valuation_value_id",
        search="_search_valuation_p_alive",
        groups=ANALYST,
    )
    valuation_date = fields.Date(
        string="Valued On",
        compute="_compute_valuation_value_id",
        search="_search_valuation_date",
        groups=ANALYST,
    )
    valuation_count = fields.Integer(
        string="Value History",
        compute="_compute_valuation_count",
        groups=ANALYST,
    )

    recommendation_ids = fields.Many2many(
        "crm.valuation.recommendation",
        compute="_compute_recommendation_ids",
        string="Recommended Products",
        groups=SALES,
    )

    def _compute_valuation_value_id(self):
        """The latest value of each partner's commercial entity in this company."""
        values = self.env["crm.valuation.value"].search(
            [
                ("is_latest", "=", True),
                ("company_id", "=", self.env.company.id),
                ("partner_id", "in", self.commercial_partner_id.ids),
            ]
        )
        by_partner = {value.partner_id: value for value in values}
        empty = self.env["crm.valuation.value"]
        for partner in self:
            value = by_partner.get(partner.commercial_partner_id, empty)
            partner.valuation_value_id = value
            for partner_field, value_field in VALUE_FIELDS.items():
                partner[partner_field] = value[value_field]

    def _search_latest_value(self, name, operator, value):
        """Partners whose commercial entity's latest value in this company
        matches: a subquery over the value rows, so searching by segment or
        lifetime value works in any list, filter or RPC call."""
        self._check_valuation_access()
        negative = NEGATIONS.get(operator)
        if negative or (operator == "=" and value is False):
            matching = self._latest_values(name, negative or "!=", value)
            return [("commercial_partner_id", "not in", matching)]
        return [
            ("commercial_partner_id", "in", self._latest_values(name, operator, value))
        ]

    def _latest_values(self, name, operator, value):
        """Query of the partner ids of the latest values matching the condition."""
        field = "id" if name == "valuation_value_id" else VALUE_FIELDS[name]
        return (
            self.env["crm.valuation.value"]
            ._search(
                [
                    ("run_id.is_latest", "=", True),
                    ("company_id", "=", self.env.company.id),
                    (field, operator, value),
                ]
            )
            .subselect("partner_id")
        )

    _search_valuation_value_id = _latest_value_search("valuation_value_id")
    _search_valuation_segment = _latest_value_search("valuation_segment")
    _search_valuation_abc_class = _latest_value_search("valuation_abc_class")
    _search_valuation_rfm_cell = _latest_value_search("valuation_rfm_cell")
    _search_valuation_last_purchase = _latest_value_search("valuation_last_purchase")
    _search_valuation_revenue = _latest_value_search("valuation_revenue")
    _search_valuation_margin = _latest_value_search("valuation_margin")
    _search_valuation_clv = _latest_value_search("valuation_clv")
    _search_valuation_p_alive = _latest_value_search("valuation_p_alive")
    _search_valuation_date = _latest_value_search("valuation_date")

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        """The latest value of a valuation field as SQL, so that lists group
        and sort partners by segment, class or lifetime value."""
        column = VALUE_FIELDS.get(fname)
        if column is None or column == "currency_id":
            return super()._field_to_sql(alias, fname, query, flush)
        self._check_valuation_access()
        self.env["crm.valuation.value"].flush_model()
        self.env["crm.valuation.run"].flush_model(["is_latest", "company_id"])
        return SQL(
            """(SELECT value.%(column)s
                  FROM crm_valuation_value value
                  JOIN crm_valuation_run run ON run.id = value.run_id
                 WHERE run.is_latest AND run.company_id = %(company)s
                   AND value.partner_id = %(partner)s)""",
            column=SQL.identifier(column),
            company=self.env.company.id,
            partner=SQL.identifier(alias, "commercial_partner_id"),
        )

    def _check_valuation_access(self):
        """The value fields are the analysts': searching, grouping or sorting
        partners by them is refused to anybody else, as reading them is."""
        if not self.env.su and not self.env.user.has_group(ANALYST):
            raise AccessError(
                self.env._(
                    "Only Customer Valuation analysts can search, group or sort "
                    "partners by their customer value."
                )
            )

    def _read_group_orderby(self, order, groupby_terms, query):
        if "valuation_segment" in groupby_terms:
            groupby_terms = {
                **groupby_terms,
                "valuation_segment": self.env["crm.valuation.value"]._segment_rank(
                    groupby_terms["valuation_segment"]
                ),
            }
        return super()._read_group_orderby(order, groupby_terms, query)

    def _compute_valuation_count(self):
        counts = dict(
            self.env["crm.valuation.value"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.valuation_count = counts.get(partner.commercial_partner_id, 0)

    @api.depends("commercial_partner_id")
    @api.depends_context("company")
    def _compute_recommendation_ids(self):
        """The latest recommendations of each partner's commercial entity in
        this company."""
        recommendations = self.env["crm.valuation.recommendation"].search(
            [
                ("company_id", "=", self.env.company.id),
                ("partner_id", "in", self.commercial_partner_id.ids),
            ]
        )
        by_partner = {}
        for line in recommendations:
            by_partner.setdefault(line.partner_id, []).append(line.id)
        for partner in self:
            partner.recommendation_ids = recommendations.browse(
                by_partner.get(partner.commercial_partner_id, [])
            )

    def action_view_valuation_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_valuation.crm_valuation_value_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"graph_groupbys": ["date:month"]}
        action["name"] = action["display_name"] = self.env._(
            "Value History of %(partner)s", partner=self.commercial_partner_id.name
        )
        history = self.env.ref("crm_valuation.crm_valuation_value_view_list_history")
        action["view_mode"] = "list,graph,form"
        action["views"] = [(history.id, "list"), (False, "graph"), (False, "form")]
        return action
