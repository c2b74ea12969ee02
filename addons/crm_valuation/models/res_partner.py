# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

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


class ResPartner(models.Model):
    _inherit = "res.partner"

    valuation_value_id = fields.Many2one(
        "crm.valuation.value",
        string="Latest Value",
        compute="_compute_valuation_value_id",
        groups=ANALYST,
    )
    valuation_segment = fields.Selection(
        RFM_SEGMENTS,
        string="RFM Segment",
        compute="_compute_valuation_value_id",
        groups=ANALYST,
    )
    valuation_abc_class = fields.Selection(
        ABC_CLASSES,
        string="ABC Class",
        compute="_compute_valuation_value_id",
        groups=ANALYST,
    )
    valuation_rfm_cell = fields.Char(
        string="RFM Cell", compute="_compute_valuation_value_id", groups=ANALYST
    )
    valuation_last_purchase = fields.Date(
        string="Last Purchase", compute="_compute_valuation_value_id", groups=ANALYST
    )
    valuation_currency_id = fields.Many2one(
        "res.currency", compute="_compute_valuation_value_id", groups=ANALYST
    )
    valuation_revenue = fields.Monetary(
        string="Revenue",
        currency_field="valuation_currency_id",
        compute="_compute_valuation_value_id",
        groups=ANALYST,
    )
    valuation_margin = fields.Monetary(
        string="Margin",
        currency_field="valuation_currency_id",
        compute="_compute_valuation_value_id",
        groups=ANALYST,
    )
    valuation_clv = fields.Monetary(
        string="Lifetime Value",
        currency_field="valuation_currency_id",
        compute="_compute_valuation_value_id",
        groups=ANALYST,
    )
    valuation_p_alive = fields.Float(
        string="Probability Active",
        compute="_compute_valuation_value_id",
        groups=ANALYST,
    )
    valuation_date = fields.Date(
        string="Valued On", compute="_compute_valuation_value_id", groups=ANALYST
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
        action["context"] = {}
        action["view_mode"] = "list,graph,form"
        action["views"] = [
            (view, mode) for view, mode in action["views"] if mode != "pivot"
        ]
        return action
