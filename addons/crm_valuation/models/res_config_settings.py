# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

ANALYST = "crm_valuation.group_valuation_analyst"


class ResConfigSettings(models.TransientModel):
    """The settings screen edits the current company's valuation settings."""

    _name = "res.config.settings"
    _inherit = ["res.config.settings", "crm.valuation.settings"]

    valuation_keep_days = fields.Integer(
        related="company_id.valuation_keep_days", readonly=False
    )
    valuation_keep_months = fields.Integer(
        related="company_id.valuation_keep_months", readonly=False
    )
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

    @api.model
    def get_values(self):
        values = super().get_values()
        company = self.env.company
        values.update(
            {name: company[name] for name in self._valuation_setting_fields()}
        )
        return values

    def set_values(self):
        result = super().set_values()
        changed = {
            name: self[name]
            for name in self._valuation_setting_fields()
            if self[name] != self.company_id[name]
        }
        if changed:
            self.company_id.write(changed)
        return result

    @api.depends("company_id")
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
