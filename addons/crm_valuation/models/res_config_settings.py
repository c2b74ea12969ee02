# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

ANALYST = "crm_valuation.group_valuation_analyst"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    valuation_source = fields.Selection(
        related="company_id.valuation_source", readonly=False
    )
    valuation_model = fields.Selection(
        related="company_id.valuation_model", readonly=False
    )
    valuation_horizon_months = fields.Integer(
        related="company_id.valuation_horizon_months", readonly=False
    )
    valuation_discount_rate = fields.Float(
        related="company_id.valuation_discount_rate", readonly=False
    )
    valuation_holdout_months = fields.Integer(
        related="company_id.valuation_holdout_months", readonly=False
    )
    valuation_hourly_cost = fields.Monetary(
        related="company_id.valuation_hourly_cost", readonly=False
    )
    valuation_order_cost = fields.Monetary(
        related="company_id.valuation_order_cost", readonly=False
    )
    valuation_delay_rate = fields.Float(
        related="company_id.valuation_delay_rate", readonly=False
    )
    valuation_abc_a = fields.Float(related="company_id.valuation_abc_a", readonly=False)
    valuation_abc_b = fields.Float(related="company_id.valuation_abc_b", readonly=False)
    recommend_min_support = fields.Float(
        related="company_id.recommend_min_support", readonly=False
    )
    recommend_min_confidence = fields.Float(
        related="company_id.recommend_min_confidence", readonly=False
    )
    lapse_lead_days = fields.Integer(
        related="company_id.lapse_lead_days", readonly=False
    )
    lapse_p_alive = fields.Float(related="company_id.lapse_p_alive", readonly=False)
    recommend_run_id = fields.Many2one(
        "crm.valuation.recommendation.run",
        string="Latest Recommendations",
        compute="_compute_recommend_run_id",
        groups=ANALYST,
    )
    recommend_evaluated_customers = fields.Integer(
        related="recommend_run_id.evaluated_customers", groups=ANALYST
    )
    recommend_hit_at_5 = fields.Float(
        related="recommend_run_id.hit_at_5", groups=ANALYST
    )
    recommend_hit_at_10 = fields.Float(
        related="recommend_run_id.hit_at_10", groups=ANALYST
    )
    recommend_popular_hit_at_5 = fields.Float(
        related="recommend_run_id.popular_hit_at_5", groups=ANALYST
    )
    recommend_popular_hit_at_10 = fields.Float(
        related="recommend_run_id.popular_hit_at_10", groups=ANALYST
    )

    def _compute_recommend_run_id(self):
        for settings in self:
            settings.recommend_run_id = self.env[
                "crm.valuation.recommendation.run"
            ]._latest(settings.company_id)

    def action_compute_recommendations(self):
        self.ensure_one()
        run = self.env["crm.valuation.recommendation.run"].create(
            {"company_id": self.company_id.id}
        )
        run.action_run()
        return run.get_formview_action()
