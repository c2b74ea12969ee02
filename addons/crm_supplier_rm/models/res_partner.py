# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from crm_engine.scorecard import (
    RiskInputs,
    quadrant,
    risk_score,
    spend_classes,
    trend,
)

QUADRANTS = [
    ("strategic", "Strategic"),
    ("leverage", "Leverage"),
    ("bottleneck", "Bottleneck"),
    ("non_critical", "Non-critical"),
]
RISK_INPUTS = ("srm_single_source", "srm_lead_time_days", "srm_score_trend")
TREND_PERIODS = 6
BUYERS = "purchase.group_purchase_user"


class ResPartner(models.Model):
    _inherit = "res.partner"

    srm_standing_id = fields.Many2one(
        "crm.supplier.standing",
        string="Supplier Standing",
        readonly=True,
        tracking=True,
        groups=BUYERS,
        help="From the supplier's latest scored period.",
    )
    srm_standing_control = fields.Selection(
        related="srm_standing_id.control", groups=BUYERS
    )
    srm_standing_decoration = fields.Selection(
        related="srm_standing_id.decoration", groups=BUYERS
    )
    srm_score = fields.Float(
        string="Supplier Score", readonly=True, digits=(5, 1), groups=BUYERS
    )
    srm_score_period = fields.Date(string="Scored Period", readonly=True, groups=BUYERS)
    srm_scorecard_ids = fields.One2many(
        "crm.supplier.scorecard", "partner_id", string="Scorecards", groups=BUYERS
    )
    srm_scorecard_count = fields.Integer(
        string="Scored Periods", compute="_compute_srm_scorecard_count", groups=BUYERS
    )
    srm_certificate_ids = fields.One2many(
        "crm.supplier.certificate", "partner_id", string="Certificates", groups=BUYERS
    )
    srm_spend = fields.Float(
        string="Spend (12 months)",
        readonly=True,
        digits=(16, 2),
        groups=BUYERS,
        help="Posted vendor bills of the last 12 months, untaxed, in company "
        "currency, less refunds.",
    )
    srm_high_spend = fields.Boolean(
        string="High Spend",
        readonly=True,
        groups=BUYERS,
        help="Among the suppliers that make 80% of the spend.",
    )
    srm_single_source = fields.Boolean(
        string="Single Source",
        groups=BUYERS,
        tracking=True,
        help="Supplies a product nobody else supplied in the last 12 months.",
    )
    srm_lead_time_days = fields.Float(
        string="Lead Time (days)",
        digits=(16, 1),
        groups=BUYERS,
        help="Average days from order confirmation to receipt, last 12 months.",
    )
    srm_score_trend = fields.Float(
        string="Score Trend",
        digits=(16, 2),
        groups=BUYERS,
        help="Points gained (negative: lost) per period over the last six scored "
        "periods.",
    )
    srm_risk_manual = fields.Boolean(
        string="Risk Set by Hand",
        groups=BUYERS,
        help="The risk inputs were corrected by a buyer; the computation leaves "
        "them alone. Untick to let it update them again.",
    )
    srm_risk_score = fields.Float(
        string="Supply Risk",
        compute="_compute_srm_risk_score",
        store=True,
        digits=(5, 1),
        groups=BUYERS,
    )
    srm_quadrant = fields.Selection(
        QUADRANTS,
        string="Kraljic Segment",
        compute="_compute_srm_quadrant",
        store=True,
        groups=BUYERS,
    )

    def _compute_srm_scorecard_count(self):
        counts = dict(
            self.env["crm.supplier.scorecard"]._read_group(
                [("partner_id", "in", self.ids), ("state", "=", "scored")],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.srm_scorecard_count = counts.get(partner, 0)

    @api.depends(*RISK_INPUTS)
    def _compute_srm_risk_score(self):
        for partner in self:
            partner.srm_risk_score = risk_score(
                RiskInputs(
                    partner.srm_single_source,
                    partner.srm_lead_time_days,
                    partner.srm_score_trend,
                )
            )

    @api.depends("srm_risk_score", "srm_high_spend", "srm_score_period", "srm_spend")
    def _compute_srm_quadrant(self):
        for partner in self:
            partner.srm_quadrant = (
                quadrant(partner.srm_high_spend, partner.srm_risk_score)
                if partner.srm_score_period or partner.srm_spend
                else False
            )

    def write(self, vals):
        if set(RISK_INPUTS) & set(vals) and not self.env.context.get("srm_computing"):
            vals = {**vals, "srm_risk_manual": True}
        return super().write(vals)

    def action_view_srm_scorecards(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_supplier_rm.crm_supplier_scorecard_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_scored": 1}
        return action

    def _srm_purchaser(self, company):
        """Who follows this supplier up (see ``_srm_purchasers``)."""
        self.ensure_one()
        supplier = self.commercial_partner_id.id
        return self.env["res.users"].browse(
            self._srm_purchasers([supplier], company)[supplier]
        )

    # Computation --------------------------------------------------------------

    @api.model
    def _srm_update_standings(self, config, as_of):
        """Each supplier takes the standing of its latest scored period; a change
        is tracked on the partner and gives the purchaser an activity. Returns
        the number of changes."""
        self.env["crm.supplier.scorecard"].flush_model()
        self.flush_model(["srm_standing_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT ON (card.partner_id)
                       card.partner_id, card.standing_id, card.score,
                       card.date_start, partner.srm_standing_id
                  FROM crm_supplier_scorecard card
                  JOIN res_partner partner ON partner.id = card.partner_id
                 WHERE card.company_id = %s AND card.period_kind = %s
                   AND card.state = 'scored' AND card.date_start <= %s
                 ORDER BY card.partner_id, card.date_start DESC
                """,
                config.company_id.id,
                config.period_kind,
                as_of,
            )
        )
        if not rows:
            return 0
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner partner
                   SET srm_score = data.score, srm_score_period = data.period
                  FROM unnest(%s::int4[], %s::float8[], %s::date[])
                       AS data(id, score, period)
                 WHERE partner.id = data.id
                """,
                [row[0] for row in rows],
                [row[2] for row in rows],
                [row[3] for row in rows],
            )
        )
        self.invalidate_model(["srm_score", "srm_score_period"])
        changed = {}
        for partner_id, standing_id, _score, _date, current in rows:
            if standing_id != current:
                changed.setdefault(standing_id, []).append((partner_id, current))
        standings = self.env["crm.supplier.standing"]
        alerts = []
        for standing_id, partners in changed.items():
            standing = standings.browse(standing_id)
            records = self.browse([partner_id for partner_id, _current in partners])
            records.with_context(srm_computing=True).write(
                {"srm_standing_id": standing_id}
            )
            alerts += [
                (partner_id, standing)
                for partner_id, current in partners
                if current or standing.control in ("watch", "blocked")
            ]
        self._srm_standing_activities(alerts, config.company_id)
        return sum(len(partners) for partners in changed.values())

    @api.model
    def _srm_standing_activities(self, alerts, company):
        """One activity per (partner id, new standing) for its buyer, created
        in one batch."""
        if not alerts:
            return
        buyers = self._srm_purchasers(
            [partner_id for partner_id, _s in alerts], company
        )
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        partners = self.browse([partner_id for partner_id, _s in alerts])
        scores = dict(zip(partners.ids, partners.mapped("srm_score"), strict=True))
        self.env["mail.activity"].create(
            [
                {
                    "res_model_id": model,
                    "res_id": partner_id,
                    "activity_type_id": activity_type.id,
                    "user_id": buyers[partner_id],
                    "date_deadline": today,
                    "summary": self.env._(
                        "Supplier standing now %(standing)s (score %(score)s)",
                        standing=standing.name,
                        score=round(scores[partner_id], 1),
                    ),
                }
                for partner_id, standing in alerts
            ]
        )

    @api.model
    def _srm_purchasers(self, partner_ids, company):
        """Partner id -> who follows it up: the buyer of its latest order in
        ``company``, else its salesperson, else the administrator."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT ON (partner.commercial_partner_id)
                       partner.commercial_partner_id, po.user_id
                  FROM purchase_order po
                  JOIN res_partner partner ON partner.id = po.partner_id
                 WHERE partner.commercial_partner_id = ANY(%s)
                   AND po.company_id = %s AND po.user_id IS NOT NULL
                 ORDER BY partner.commercial_partner_id, po.date_order DESC, po.id DESC
                """,
                list(partner_ids),
                company.id,
            )
        )
        buyers = dict(rows)
        admin = self.env.ref("base.user_admin").id
        # sudo: the salesperson is read to route work, whoever computes.
        for partner in self.browse(partner_ids).sudo():
            buyers.setdefault(partner.id, partner.user_id.id or admin)
        return buyers

    @api.model
    def _srm_update_segments(self, config, as_of):
        """Spend, supply risk inputs and trend of every scored supplier, then
        their Kraljic segment."""
        company = config.company_id
        since = as_of - relativedelta(months=12)
        figures = self.env.execute_query(
            SQL(
                """
                WITH suppliers AS (
                    SELECT DISTINCT partner_id FROM crm_supplier_scorecard
                     WHERE company_id = %(company)s AND period_kind = %(kind)s
                ), spend AS (
                    SELECT partner.commercial_partner_id AS supplier,
                           SUM(-bill.amount_untaxed_signed) AS amount
                      FROM account_move bill
                      JOIN res_partner partner ON partner.id = bill.partner_id
                     WHERE bill.move_type IN ('in_invoice', 'in_refund')
                       AND bill.state = 'posted'
                       AND bill.company_id = %(company)s
                       AND bill.invoice_date > %(since)s
                       AND bill.invoice_date <= %(as_of)s
                     GROUP BY 1
                ), bought AS (
                    SELECT DISTINCT partner.commercial_partner_id AS supplier,
                           line.product_id
                      FROM purchase_order_line line
                      JOIN purchase_order po ON po.id = line.order_id
                      JOIN res_partner partner ON partner.id = po.partner_id
                     WHERE po.company_id = %(company)s
                       AND po.state IN ('purchase', 'done')
                       AND line.product_id IS NOT NULL
                       AND po.date_approve > %(since)s
                ), sources AS (
                    SELECT product_id, COUNT(*) AS suppliers
                      FROM bought
                     GROUP BY 1
                ), sourced AS (
                    SELECT bought.supplier, bool_or(sources.suppliers = 1) AS single
                      FROM bought
                      JOIN sources ON sources.product_id = bought.product_id
                     GROUP BY 1
                ), lead AS (
                    SELECT partner.commercial_partner_id AS supplier,
                           AVG(EXTRACT(EPOCH FROM picking.date_done - po.date_approve)
                               / 86400.0) AS days
                      FROM stock_picking picking
                      JOIN stock_move move ON move.picking_id = picking.id
                      JOIN purchase_order_line line ON line.id = move.purchase_line_id
                      JOIN purchase_order po ON po.id = line.order_id
                      JOIN res_partner partner ON partner.id = po.partner_id
                      JOIN stock_location source ON source.id = move.location_id
                     WHERE picking.state = 'done' AND source.usage = 'supplier'
                       AND po.company_id = %(company)s
                       AND picking.date_done > %(since)s
                     GROUP BY 1
                )
                SELECT suppliers.partner_id, COALESCE(spend.amount, 0)::float8,
                       COALESCE(sourced.single, FALSE),
                       GREATEST(COALESCE(lead.days, 0), 0)::float8
                  FROM suppliers
                  LEFT JOIN spend ON spend.supplier = suppliers.partner_id
                  LEFT JOIN sourced ON sourced.supplier = suppliers.partner_id
                  LEFT JOIN lead ON lead.supplier = suppliers.partner_id
                """,
                company=company.id,
                kind=config.period_kind,
                since=since,
                as_of=as_of,
            )
        )
        if not figures:
            return
        trends = self._srm_trends(config, as_of)
        high = spend_classes({row[0]: row[1] for row in figures})
        ids = [row[0] for row in figures]
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner partner
                   SET srm_spend = data.spend, srm_high_spend = data.high,
                       srm_single_source = CASE WHEN partner.srm_risk_manual
                           THEN partner.srm_single_source ELSE data.single END,
                       srm_lead_time_days = CASE WHEN partner.srm_risk_manual
                           THEN partner.srm_lead_time_days ELSE data.lead END,
                       srm_score_trend = CASE WHEN partner.srm_risk_manual
                           THEN partner.srm_score_trend ELSE data.trend END
                  FROM unnest(%s::int4[], %s::float8[], %s::bool[], %s::bool[],
                              %s::float8[], %s::float8[])
                       AS data(id, spend, high, single, lead, trend)
                 WHERE partner.id = data.id
                """,
                ids,
                [row[1] for row in figures],
                [row[0] in high for row in figures],
                [row[2] for row in figures],
                [row[3] for row in figures],
                [trends.get(row[0]) or 0.0 for row in figures],
            )
        )
        partners = self.browse(ids)
        partners.invalidate_recordset(["srm_spend", "srm_high_spend", *RISK_INPUTS])
        self.env.add_to_compute(self._fields["srm_risk_score"], partners)
        self.env.add_to_compute(self._fields["srm_quadrant"], partners)
        partners.flush_recordset(["srm_risk_score", "srm_quadrant"])

    @api.model
    def _srm_trends(self, config, as_of):
        """Supplier -> score trend over its last scored periods."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT partner_id, array_agg(score ORDER BY date_start)
                  FROM (
                        SELECT partner_id, score, date_start,
                               row_number() OVER (PARTITION BY partner_id
                                                  ORDER BY date_start DESC) AS rank
                          FROM crm_supplier_scorecard
                         WHERE company_id = %s AND period_kind = %s
                           AND state = 'scored' AND date_start <= %s
                  ) recent
                 WHERE rank <= %s
                 GROUP BY partner_id
                """,
                config.company_id.id,
                config.period_kind,
                as_of,
                TREND_PERIODS,
            )
        )
        return {partner_id: trend(scores) for partner_id, scores in rows}
