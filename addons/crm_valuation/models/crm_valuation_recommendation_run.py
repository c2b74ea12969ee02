# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import time

import numpy as np

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from crm_engine.recommend import (
    Catalogue,
    Purchases,
    RecommendSettings,
    association_rules,
    evaluate,
    recommend,
)
from crm_engine.recommend.recommender import KIND_UP

from .. import pg_binary

_logger = logging.getLogger(__name__)

# Rules kept per level (products, categories), strongest first.
RULES_KEPT = 2000
# Advisory lock class of a company's recommendation run (any constant).
LOCK_CLASS = 20261211


class CrmValuationRecommendationRun(models.Model):
    """One computation of the next best offer for a company: the rules, every
    customer's recommendations, and how well they would have predicted the
    last 90 days.

    Each run computes in one transaction, locked per company: an interrupted
    run leaves nothing behind and the next one starts over from the data.
    Only the latest run keeps its rules and recommendations; older runs keep
    their figures.
    """

    _name = "crm.valuation.recommendation.run"
    _description = "Recommendation Run"
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        readonly=True,
        index=True,
    )
    date = fields.Date(default=fields.Date.context_today, readonly=True)
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done"), ("failed", "Failed")],
        default="draft",
        required=True,
        readonly=True,
    )
    error = fields.Text(readonly=True)
    is_latest = fields.Boolean(string="Latest", readonly=True, index=True)
    min_support = fields.Float(string="Minimum Support (%)", readonly=True)
    min_confidence = fields.Float(string="Minimum Confidence (%)", readonly=True)
    line_count = fields.Integer(string="Order Lines", readonly=True)
    customer_count = fields.Integer(string="Customers", readonly=True)
    recommendation_count = fields.Integer(string="Recommendations", readonly=True)
    product_rule_count = fields.Integer(string="Product Rules", readonly=True)
    category_rule_count = fields.Integer(string="Category Rules", readonly=True)
    evaluation_cutoff = fields.Date(
        string="Checked From",
        readonly=True,
        help="Recommendations were computed from the orders before this day "
        "and checked against what customers bought in the 90 days from it.",
    )
    evaluated_customers = fields.Integer(
        string="Customers Checked",
        readonly=True,
        help="Customers who bought before the check period and bought something "
        "new to them in it.",
    )
    hit_at_5 = fields.Float(
        string="Hit Rate at 5",
        readonly=True,
        help="Share of the customers checked who bought one of their first five "
        "recommendations.",
    )
    hit_at_10 = fields.Float(string="Hit Rate at 10", readonly=True)
    popular_hit_at_5 = fields.Float(
        string="Most Popular at 5",
        readonly=True,
        help="The same hit rate when everyone is offered the five best-selling "
        "products they have not bought: the yardstick.",
    )
    popular_hit_at_10 = fields.Float(string="Most Popular at 10", readonly=True)
    duration_read = fields.Float(string="Reading (s)", readonly=True, digits=(16, 2))
    duration_compute = fields.Float(
        string="Computing (s)", readonly=True, digits=(16, 2)
    )
    duration_evaluate = fields.Float(
        string="Checking (s)", readonly=True, digits=(16, 2)
    )
    duration_write = fields.Float(string="Writing (s)", readonly=True, digits=(16, 2))
    rule_ids = fields.One2many(
        "crm.valuation.product.rule", "run_id", string="Association Rules"
    )
    recommendation_ids = fields.One2many(
        "crm.valuation.recommendation", "run_id", string="Recommendation Rows"
    )

    @api.depends("date")
    def _compute_name(self):
        for run in self:
            run.name = self.env._(
                "Recommendations %(date)s", date=fields.Date.to_string(run.date)
            )

    @api.model
    def _latest(self, company):
        return self.search(
            [("company_id", "=", company.id), ("is_latest", "=", True)], limit=1
        )

    def unlink(self):
        # Recommendation rows have no foreign key to cascade: delete them here.
        self.env.cr.execute(
            SQL(
                "DELETE FROM crm_valuation_recommendation"
                " WHERE run_id = ANY(%s::int4[])",
                self.ids,
            )
        )
        self.env["crm.valuation.recommendation"].invalidate_model()
        return super().unlink()

    def action_run(self):
        for run in self:
            if run.state == "done":
                raise UserError(
                    self.env._(
                        "%(run)s has already run; start a new one instead.",
                        run=run.name,
                    )
                )
            run._execute()
        return True

    def action_view_rules(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_valuation.crm_valuation_product_rule_action"
        )
        action["domain"] = [("run_id", "=", self.id)]
        return action

    def action_view_recommendations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_valuation.crm_valuation_recommendation_action"
        )
        action["domain"] = [("run_id", "=", self.id)]
        return action

    @api.model
    def _cron_recommend(self):
        """Daily: new recommendations for every company with sales.

        A company that fails is marked failed, logged, and the others go on.
        """
        for company in self.env["res.company"].search([], limit=None, order="id"):
            if not company._valuation_has_purchases():
                continue
            run = self.with_company(company).create({"company_id": company.id})
            try:
                with self.env.cr.savepoint():
                    run._execute()
            except UserError as error:
                _logger.warning("%s (%s): %s", run.name, company.name, error)
                run.write({"state": "failed", "error": str(error)})

    # Computation ------------------------------------------------------------

    def _execute(self):
        self.ensure_one()
        self._lock()
        company = self.company_id
        self.write(
            {
                "min_support": company.recommend_min_support,
                "min_confidence": company.recommend_min_confidence,
                "error": False,
            }
        )
        clock = time.perf_counter()
        purchases, catalogue = self._read_purchases()
        self.duration_read = time.perf_counter() - clock
        if not len(purchases.order):
            raise UserError(
                self.env._(
                    "No confirmed sales in %(company)s: nothing to recommend from.",
                    company=company.name,
                )
            )
        settings = self._engine_settings()
        clock = time.perf_counter()
        product_rules, category_rules = association_rules(
            purchases,
            catalogue,
            settings.min_support,
            settings.min_confidence,
            limit=RULES_KEPT,
        )
        recommendations = recommend(purchases, catalogue, settings)
        self.duration_compute = time.perf_counter() - clock
        clock = time.perf_counter()
        evaluation = evaluate(purchases, catalogue, settings)
        self.duration_evaluate = time.perf_counter() - clock
        clock = time.perf_counter()
        self._write_rules(product_rules, category_rules)
        self._write_recommendations(recommendations)
        self._drop_older()
        self.duration_write = time.perf_counter() - clock
        values = {
            "state": "done",
            "is_latest": True,
            "line_count": len(purchases.order),
            "customer_count": len(np.unique(recommendations.customer)),
            "recommendation_count": len(recommendations),
            "product_rule_count": len(product_rules),
            "category_rule_count": len(category_rules),
        }
        if evaluation:
            values.update(
                evaluation_cutoff=evaluation.cutoff.item(),
                evaluated_customers=evaluation.customers,
                hit_at_5=evaluation.hit_at_5,
                hit_at_10=evaluation.hit_at_10,
                popular_hit_at_5=evaluation.popular_hit_at_5,
                popular_hit_at_10=evaluation.popular_hit_at_10,
            )
        self.search(
            [("company_id", "=", company.id), ("is_latest", "=", True)]
        ).is_latest = False
        self.write(values)
        _logger.info(
            "%s (%s): %d recommendations for %d customers, %d + %d rules "
            "(read %.2fs, compute %.2fs, check %.2fs, write %.2fs)",
            self.name,
            company.name,
            len(recommendations),
            values["customer_count"],
            len(product_rules),
            len(category_rules),
            self.duration_read,
            self.duration_compute,
            self.duration_evaluate,
            self.duration_write,
        )

    def _lock(self):
        """One run per company at a time (the lock ends with the transaction)."""
        locked = self.env.execute_query(
            SQL(
                "SELECT pg_try_advisory_xact_lock(%s, %s)",
                LOCK_CLASS,
                self.company_id.id,
            )
        )[0][0]
        if not locked:
            raise UserError(
                self.env._(
                    "Recommendations of %(company)s are being computed already; "
                    "try again when that run is done.",
                    company=self.company_id.name,
                )
            )

    def _engine_settings(self):
        return RecommendSettings(
            min_support=self.min_support / 100.0,
            min_confidence=self.min_confidence / 100.0,
        )

    def _read_purchases(self):
        """Confirmed order lines and the products they may lead to."""
        self.env.flush_all()
        customer, order, product, date = pg_binary.copy_out(
            self.env.cr, self._lines_query(), ["int4", "int4", "int4", "date"]
        )
        ids, category, price, sellable = pg_binary.copy_out(
            self.env.cr, self._catalogue_query(), ["int4", "int4", "float8", "int4"]
        )
        catalogue = Catalogue(ids, category, price, sellable.astype(bool))
        return Purchases(customer, order, product, date), catalogue

    def _lines_query(self):
        return SQL(
            """
            SELECT partner.commercial_partner_id, line.order_id, line.product_id,
                   (sale.date_order AT TIME ZONE %(tz)s)::date
              FROM sale_order_line line
              JOIN sale_order sale ON sale.id = line.order_id
              JOIN res_partner partner ON partner.id = sale.partner_id
             WHERE sale.state = 'sale'
               AND sale.company_id = %(company)s
               AND line.display_type IS NULL
               AND line.product_id IS NOT NULL
               AND NOT COALESCE(line.is_downpayment, FALSE)
            """,
            company=self.company_id.id,
            tz=self.company_id.partner_id.tz or "UTC",
        )

    def _catalogue_query(self):
        """Every product of the company; those that may be sold are offered."""
        return SQL(
            """
            SELECT product.id, COALESCE(template.categ_id, 0),
                   COALESCE(template.list_price, 0)::float8,
                   (product.active AND template.active AND template.sale_ok)::int4
              FROM product_product product
              JOIN product_template template
                ON template.id = product.product_tmpl_id
             WHERE template.company_id IS NULL OR template.company_id = %s
            """,
            self.company_id.id,
        )

    # Writing ------------------------------------------------------------------

    def _write_rules(self, product_rules, category_rules):
        for level, rules in (("product", product_rules), ("category", category_rules)):
            if not len(rules):
                continue
            columns = (
                ("antecedent_product_id", "consequent_product_id")
                if level == "product"
                else ("antecedent_categ_id", "consequent_categ_id")
            )
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO crm_valuation_product_rule
                           (run_id, company_id, level, %(first)s, %(second)s,
                            orders, support, confidence, lift)
                    SELECT %(run)s, %(company)s, %(level)s, rule.*
                      FROM unnest(%(a)s::int4[], %(b)s::int4[], %(n)s::int4[],
                                  %(s)s::float8[], %(c)s::float8[], %(l)s::float8[])
                           AS rule
                    """,
                    first=SQL.identifier(columns[0]),
                    second=SQL.identifier(columns[1]),
                    run=self.id,
                    company=self.company_id.id,
                    level=level,
                    a=rules.antecedent.tolist(),
                    b=rules.consequent.tolist(),
                    n=rules.orders.tolist(),
                    s=rules.support.tolist(),
                    c=rules.confidence.tolist(),
                    l=rules.lift.tolist(),
                )
            )
        self.env["crm.valuation.product.rule"].invalidate_model()

    def _write_recommendations(self, recommendations):
        """A binary COPY into a staging table, then one INSERT ... SELECT."""
        self.env.cr.execute(
            SQL(
                "CREATE TEMPORARY TABLE crm_valuation_recommendation_staging "
                "(partner_id int4, product_id int4, rank int4, score float8, "
                "up int4, because int4) ON COMMIT DROP"
            )
        )
        pg_binary.copy_in(
            self.env.cr,
            "crm_valuation_recommendation_staging",
            {
                "partner_id": ("int4", recommendations.customer),
                "product_id": ("int4", recommendations.product),
                "rank": ("int4", recommendations.rank),
                "score": ("float8", recommendations.score),
                "up": ("int4", (recommendations.kind == KIND_UP).astype(np.int32)),
                "because": ("int4", recommendations.because),
            },
        )
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_valuation_recommendation
                       (run_id, partner_id, product_id, rank, score,
                        kind, because_product_id)
                SELECT %(run)s, partner_id, product_id, rank, score,
                       CASE WHEN up = 1 THEN 'up' ELSE 'cross' END,
                       NULLIF(because, 0)
                  FROM crm_valuation_recommendation_staging;
                DROP TABLE crm_valuation_recommendation_staging
                """,
                run=self.id,
            )
        )
        self.env["crm.valuation.recommendation"].invalidate_model()
        self.env["res.partner"].invalidate_model(["recommendation_ids"])

    def _drop_older(self):
        """Retention: rules and recommendations of the company's latest run only."""
        older = self.search(
            [("company_id", "=", self.company_id.id), ("id", "!=", self.id)]
        )
        for table in ("crm_valuation_recommendation", "crm_valuation_product_rule"):
            self.env.cr.execute(
                SQL(
                    "DELETE FROM %s WHERE run_id = ANY(%s::int4[])",
                    SQL.identifier(table),
                    older.ids,
                )
            )
        self.env["crm.valuation.recommendation"].invalidate_model()
        self.env["crm.valuation.product.rule"].invalidate_model()
        self.env["res.partner"].invalidate_model(["recommendation_ids"])
