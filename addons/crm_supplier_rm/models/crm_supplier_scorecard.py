# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import csv
import datetime
import io
import json
import time

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from crm_engine.scorecard import (
    CRITERIA,
    PeriodInputs,
    periods_between,
    score_period,
    standing_finder,
)

from .crm_supplier_scorecard_config import lap

INPUT_FIELDS = tuple(PeriodInputs.__dataclass_fields__)
SCORE_FIELDS = tuple(f"score_{code}" for code in CRITERIA)
FEEDBACK_STATES = [
    ("pending", "Awaiting Supplier"),
    ("acknowledged", "Acknowledged"),
    ("contested", "Contested"),
]


class CrmSupplierScorecard(models.Model):
    """One supplier's scorecard for one period.

    The card keeps the figures it was scored from (quantities, amounts, counts)
    and the weights used, so that anyone can redo the arithmetic. Cards are
    written only by the computation (set-based SQL); the supplier's answer
    (acknowledged or contested, with a comment) is the only part that changes
    afterwards, and it survives recomputation.
    """

    _name = "crm.supplier.scorecard"
    _description = "Supplier Scorecard"
    _inherit = ["mail.thread", "mail.activity.mixin", "portal.mixin"]
    _order = "date_start desc, partner_id"
    _rec_name = "display_name"

    partner_id = fields.Many2one(
        "res.partner", string="Supplier", required=True, readonly=True, index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    period_kind = fields.Selection(
        [("month", "Month"), ("quarter", "Quarter")], required=True, readonly=True
    )
    date_start = fields.Date(string="Period Start", required=True, readonly=True)
    date_end = fields.Date(string="Period End", required=True, readonly=True)
    state = fields.Selection(
        [("scored", "Scored"), ("no_data", "No Data")],
        required=True,
        readonly=True,
        help="No Data: the supplier had no receipts, bills or orders in the "
        "period; it is not scored and the trend leaves it out.",
    )
    score = fields.Float(
        readonly=True,
        digits=(5, 1),
        aggregator="avg",
        help="Weighted average of the criteria with data, 0-100.",
    )
    standing_id = fields.Many2one("crm.supplier.standing", readonly=True)
    standing_decoration = fields.Selection(related="standing_id.decoration")
    score_on_time = fields.Float(
        string="On Time", readonly=True, digits=(5, 1), aggregator="avg"
    )
    score_in_full = fields.Float(
        string="In Full", readonly=True, digits=(5, 1), aggregator="avg"
    )
    score_quality = fields.Float(
        string="Quality", readonly=True, digits=(5, 1), aggregator="avg"
    )
    score_price = fields.Float(
        string="Price", readonly=True, digits=(5, 1), aggregator="avg"
    )
    score_responsiveness = fields.Float(
        string="Responsiveness", readonly=True, digits=(5, 1), aggregator="avg"
    )
    score_invoice_accuracy = fields.Float(
        string="Invoice Accuracy", readonly=True, digits=(5, 1), aggregator="avg"
    )
    measured = fields.Char(
        readonly=True,
        help="The criteria that had data in the period (the others are blank, "
        "not zero).",
    )
    # The figures behind the scores.
    ordered_qty = fields.Float(string="Quantity Due", readonly=True)
    received_qty = fields.Float(string="Quantity Received", readonly=True)
    on_time_qty = fields.Float(string="Received on Time", readonly=True)
    returned_qty = fields.Float(string="Quantity Returned", readonly=True)
    # The reference amount is built from every supplier's prices: buyers only.
    paid_amount = fields.Monetary(
        string="Amount Billed (priced)",
        readonly=True,
        groups="purchase.group_purchase_user",
    )
    reference_amount = fields.Monetary(
        string="Amount at Average Prices",
        readonly=True,
        groups="purchase.group_purchase_user",
        help="The same quantities at each product's average purchase price in "
        "the period, over all suppliers.",
    )
    rfq_count = fields.Integer(string="Orders Confirmed", readonly=True)
    response_days = fields.Float(string="Days to Confirm (total)", readonly=True)
    billed_amount = fields.Monetary(string="Amount Billed", readonly=True)
    billed_accurate_amount = fields.Monetary(string="Billed as Received", readonly=True)
    weights = fields.Json(readonly=True, help="Weights and targets used, by criterion.")
    drivers = fields.Json(
        readonly=True, help="What cost the supplier points, the largest first."
    )
    breakdown = fields.Html(
        compute="_compute_breakdown",
        sanitize=False,
        help="Each criterion's weight, target, score and the points it cost.",
    )
    computed_on = fields.Datetime(readonly=True)
    feedback_state = fields.Selection(
        FEEDBACK_STATES,
        string="Supplier Feedback",
        default="pending",
        readonly=True,
        tracking=True,
    )
    feedback_comment = fields.Text(string="Supplier Comment", readonly=True)
    feedback_date = fields.Datetime(readonly=True)
    feedback_user_id = fields.Many2one("res.users", string="Answered By", readonly=True)

    _sql_constraints = [
        (
            "period_unique",
            "UNIQUE(partner_id, company_id, period_kind, date_start)",
            "A supplier has one scorecard per period.",
        ),
    ]

    def _compute_display_name(self):
        for card in self:
            card.display_name = self.env._(
                "%(supplier)s, %(period)s",
                supplier=card.partner_id.display_name,
                period=card._period_label(),
            )

    @api.depends("drivers", "weights")
    def _compute_breakdown(self):
        for card in self:
            card.breakdown = (
                self.env["ir.qweb"]._render(
                    "crm_supplier_rm.scorecard_breakdown",
                    {"lines": card._driver_lines(), "card": card},
                )
                if card.state == "scored"
                else False
            )

    def _compute_access_url(self):
        for card in self:
            card.access_url = f"/my/scorecards/{card.id}"

    def _period_label(self):
        self.ensure_one()
        if self.period_kind == "quarter":
            return f"{self.date_start.year} Q{(self.date_start.month - 1) // 3 + 1}"
        return self.date_start.strftime("%Y-%m")

    def _driver_lines(self):
        """The drivers with criterion labels, for screens and the portal."""
        self.ensure_one()
        labels = dict(
            self.env["crm.supplier.criterion"]
            ._fields["code"]
            ._description_selection(self.env)
        )
        return [
            {**driver, "label": labels.get(driver["code"], driver["code"])}
            for driver in self.drivers or ()
        ]

    # Supplier feedback ------------------------------------------------------

    def _record_feedback(self, state, comment, user):
        """The supplier acknowledges or contests the card: called by the portal
        after it checked that the card is the user's own (see controllers)."""
        self.ensure_one()
        comment = (comment or "").strip()
        if state not in ("acknowledged", "contested"):
            raise UserError(self.env._("Unknown answer."))
        if self.state != "scored":
            raise UserError(self.env._("A period without data has nothing to answer."))
        if state == "contested" and not comment:
            raise UserError(self.env._("Say why you contest this period."))
        if len(comment) > 2000:
            raise UserError(self.env._("The comment is limited to 2000 characters."))
        self.write(
            {
                "feedback_state": state,
                "feedback_comment": comment or False,
                "feedback_date": fields.Datetime.now(),
                "feedback_user_id": user.id,
            }
        )
        if state == "contested":
            purchaser = self.partner_id._srm_purchaser(self.company_id)
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=purchaser.id,
                summary=self.env._("Scorecard contested by the supplier"),
                note=comment,
            )
        self.message_post(
            body=comment or self.env._("Scorecard acknowledged."),
            author_id=user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    # Computation ------------------------------------------------------------

    def _compute_for(self, config, first, as_of, criteria, ranges, timings=None):
        """Score every supplier of the company for each period from ``first``
        to ``as_of``, write the cards in one statement; returns their count.
        ``timings`` receives the seconds spent reading, scoring and writing."""
        timings = {} if timings is None else timings
        kind = config.period_kind
        company = config.company_id
        clock = time.perf_counter()
        figures = self._read_figures(company, kind, first, as_of)
        starts = self._supplier_starts(company, first, as_of)
        clock = lap(timings, "read", clock)
        weights = {
            criterion.code: {"weight": criterion.weight, "target": criterion.target}
            for criterion in criteria
        }
        columns = {
            name: []
            for name in (
                "partner_id",
                "date_start",
                "date_end",
                "state",
                "score",
                "standing_id",
                "drivers",
                "measured",
                *SCORE_FIELDS,
                *INPUT_FIELDS,
            )
        }
        standing = standing_finder(ranges)
        for supplier, start in starts.items():
            for date_start, date_end in periods_between(start, as_of, kind):
                inputs = figures.get((supplier, date_start), PeriodInputs())
                result = score_period(inputs, criteria)
                columns["partner_id"].append(supplier)
                columns["date_start"].append(date_start)
                columns["date_end"].append(date_end)
                columns["state"].append("scored" if result.has_data else "no_data")
                columns["score"].append(result.total)
                columns["standing_id"].append(standing(result.total))
                columns["drivers"].append(
                    json.dumps([driver.to_json() for driver in result.drivers])
                )
                columns["measured"].append(
                    " ".join(
                        code for code in CRITERIA if result.criteria[code] is not None
                    )
                )
                for code in CRITERIA:
                    columns[f"score_{code}"].append(result.criteria[code])
                for name in INPUT_FIELDS:
                    columns[name].append(getattr(inputs, name))
        clock = lap(timings, "score", clock)
        self._upsert(company, kind, columns, json.dumps(weights))
        lap(timings, "write", clock)
        return len(columns["partner_id"])

    def _local(self, column, company):
        """A UTC timestamp column as the company's local date."""
        tz = company.partner_id.tz or "UTC"
        return SQL("((%s AT TIME ZONE 'UTC') AT TIME ZONE %s)::date", column, tz)

    def _bounds(self, first, as_of, company):
        """UTC timestamps of the first local day's start and after ``as_of``."""
        tz = company.partner_id.tz or "UTC"
        return SQL(
            "(%s::timestamp AT TIME ZONE %s) AT TIME ZONE 'UTC'", first, tz
        ), SQL(
            "(%s::timestamp AT TIME ZONE %s) AT TIME ZONE 'UTC'",
            as_of + datetime.timedelta(days=1),
            tz,
        )

    def _supplier_starts(self, company, first, as_of):
        """Each supplier (commercial partner) with a confirmed order up to
        ``as_of`` -> the first day its cards cover."""
        end = self._bounds(first, as_of, company)[1]
        self.env["purchase.order"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT partner.commercial_partner_id,
                       GREATEST(MIN(%(local)s), %(first)s::date)
                  FROM purchase_order po
                  JOIN res_partner partner ON partner.id = po.partner_id
                 WHERE po.company_id = %(company)s
                   AND po.state IN ('purchase', 'done')
                   AND po.date_approve < %(end)s
                 GROUP BY 1
                """,
                local=self._local(SQL("po.date_approve"), company),
                first=first,
                company=company.id,
                end=end,
            )
        )
        return dict(rows)

    def _read_figures(self, company, kind, first, as_of):
        """(supplier, period start) -> PeriodInputs, in one query."""
        self.env.flush_all()
        rows = self.env.execute_query(self._figures_query(company, kind, first, as_of))
        return {
            (supplier, period): PeriodInputs(*(value or 0 for value in values))
            for supplier, period, *values in rows
        }

    def _figures_query(self, company, kind, first, as_of):
        """Per supplier and period: the raw figures of every criterion, as
        ``PeriodInputs`` takes them."""
        start, end = self._bounds(first, as_of, company)
        return SQL(
            """
                WITH lines AS (
                    SELECT line.id, partner.commercial_partner_id AS supplier,
                           %(due_day)s AS due_day,
                           line.product_qty AS ordered, uom.factor AS factor
                      FROM purchase_order_line line
                      JOIN purchase_order po ON po.id = line.order_id
                      JOIN res_partner partner ON partner.id = po.partner_id
                      JOIN uom_uom uom ON uom.id = line.product_uom
                     WHERE po.company_id = %(company)s
                       AND po.state IN ('purchase', 'done')
                       AND line.display_type IS NULL
                       AND line.product_qty > 0
                       AND line.date_planned >= %(start)s
                       AND line.date_planned < %(end)s
                ), moves AS (
                    SELECT move.purchase_line_id AS line_id,
                           SUM(move.quantity / move_uom.factor * lines.factor)
                               FILTER (WHERE source.usage = 'supplier') AS received,
                           SUM(move.quantity / move_uom.factor * lines.factor)
                               FILTER (WHERE source.usage = 'supplier'
                                         AND %(done_day)s <= lines.due_day) AS on_time,
                           SUM(move.quantity / move_uom.factor * lines.factor)
                               FILTER (WHERE target.usage = 'supplier') AS returned
                      FROM stock_move move
                      JOIN lines ON lines.id = move.purchase_line_id
                      JOIN uom_uom move_uom ON move_uom.id = move.product_uom
                      JOIN stock_location source ON source.id = move.location_id
                      JOIN stock_location target ON target.id = move.location_dest_id
                      LEFT JOIN stock_picking picking ON picking.id = move.picking_id
                     WHERE move.state = 'done'
                     GROUP BY move.purchase_line_id
                ), delivery AS (
                    SELECT lines.supplier,
                           date_trunc(%(kind)s, lines.due_day)::date AS period,
                           SUM(lines.ordered) AS ordered,
                           SUM(LEAST(COALESCE(moves.received, 0), lines.ordered))
                               AS received,
                           SUM(LEAST(COALESCE(moves.on_time, 0), lines.ordered))
                               AS on_time,
                           SUM(LEAST(COALESCE(moves.returned, 0),
                                     COALESCE(moves.received, 0))) AS returned
                      FROM lines
                      LEFT JOIN moves ON moves.line_id = lines.id
                     GROUP BY 1, 2
                ), bill_lines AS (
                    SELECT partner.commercial_partner_id AS supplier,
                           date_trunc(%(kind)s, bill.invoice_date)::date AS period,
                           aml.product_id, aml.quantity, aml.balance,
                           aml.purchase_line_id
                      FROM account_move_line aml
                      JOIN account_move bill ON bill.id = aml.move_id
                      JOIN res_partner partner ON partner.id = bill.partner_id
                     WHERE bill.move_type = 'in_invoice'
                       AND bill.state = 'posted'
                       AND bill.company_id = %(company)s
                       AND aml.display_type = 'product'
                       AND bill.invoice_date BETWEEN %(first)s AND %(as_of)s
                ), average AS (
                    SELECT product_id, period,
                           SUM(balance) / NULLIF(SUM(quantity), 0) AS price
                      FROM bill_lines
                     WHERE product_id IS NOT NULL AND quantity > 0
                     GROUP BY 1, 2
                ), billing AS (
                    SELECT bill_lines.supplier, bill_lines.period,
                           SUM(bill_lines.balance)
                               FILTER (WHERE average.price IS NOT NULL
                                         AND bill_lines.quantity > 0) AS paid,
                           SUM(bill_lines.quantity * average.price)
                               FILTER (WHERE bill_lines.quantity > 0) AS reference,
                           SUM(ABS(bill_lines.balance))
                               FILTER (WHERE pol.id IS NOT NULL) AS billed,
                           SUM(ABS(bill_lines.balance) * LEAST(1, GREATEST(0,
                               pol.qty_received / NULLIF(pol.qty_invoiced, 0))))
                               FILTER (WHERE pol.id IS NOT NULL) AS accurate
                      FROM bill_lines
                      LEFT JOIN average
                        ON average.product_id = bill_lines.product_id
                       AND average.period = bill_lines.period
                      LEFT JOIN purchase_order_line pol
                        ON pol.id = bill_lines.purchase_line_id
                     GROUP BY 1, 2
                ), response AS (
                    SELECT partner.commercial_partner_id AS supplier,
                           date_trunc(%(kind)s, %(approve_day)s)::date AS period,
                           COUNT(*) AS orders,
                           SUM(GREATEST(EXTRACT(EPOCH FROM po.date_approve
                               - COALESCE(po.srm_rfq_sent_date, po.create_date))
                               / 86400.0, 0)) AS days
                      FROM purchase_order po
                      JOIN res_partner partner ON partner.id = po.partner_id
                     WHERE po.company_id = %(company)s
                       AND po.state IN ('purchase', 'done')
                       AND po.date_approve >= %(start)s
                       AND po.date_approve < %(end)s
                     GROUP BY 1, 2
                )
                SELECT supplier, period,
                       SUM(ordered)::float8, SUM(received)::float8,
                       SUM(on_time)::float8, SUM(returned)::float8,
                       SUM(paid)::float8, SUM(reference)::float8,
                       SUM(orders)::int4, SUM(days)::float8,
                       SUM(billed)::float8, SUM(accurate)::float8
                  FROM (
                        SELECT supplier, period, ordered, received, on_time,
                               returned, NULL::numeric AS paid,
                               NULL::numeric AS reference, NULL::bigint AS orders,
                               NULL::numeric AS days, NULL::numeric AS billed,
                               NULL::numeric AS accurate
                          FROM delivery
                        UNION ALL
                        SELECT supplier, period, NULL, NULL, NULL, NULL, paid,
                               reference, NULL, NULL, billed, accurate
                          FROM billing
                        UNION ALL
                        SELECT supplier, period, NULL, NULL, NULL, NULL, NULL,
                               NULL, orders, days, NULL, NULL
                          FROM response
                  ) figures
                 GROUP BY 1, 2
                """,
            due_day=self._local(SQL("line.date_planned"), company),
            done_day=self._local(
                SQL("COALESCE(picking.date_done, move.date)"), company
            ),
            approve_day=self._local(SQL("po.date_approve"), company),
            company=company.id,
            kind=kind,
            start=start,
            end=end,
            first=first,
            as_of=as_of,
        )

    def _upsert(self, company, kind, columns, weights):
        """Insert the cards, or update the scores of those already there; the
        supplier's feedback on a card is kept."""
        if not columns["partner_id"]:
            return
        value_columns = [
            "partner_id",
            "date_start",
            "date_end",
            "state",
            "score",
            "standing_id",
            "drivers",
            "measured",
            *SCORE_FIELDS,
            *INPUT_FIELDS,
        ]
        types = {
            "partner_id": "int4",
            "date_start": "date",
            "date_end": "date",
            "state": "varchar",
            "measured": "varchar",
            "standing_id": "int4",
            "drivers": "jsonb",
            "rfq_count": "int4",
        }
        # CSV through COPY: one pass of text, no giant statement to parse.
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerows(
            ["" if value is None else value for value in row]
            for row in zip(*(columns[name] for name in value_columns), strict=True)
        )
        buffer.seek(0)
        names = SQL(", ").join(SQL.identifier(name) for name in value_columns)
        self.env.cr.execute(
            SQL(
                "CREATE TEMPORARY TABLE crm_supplier_scorecard_staging (%s)"
                " ON COMMIT DROP",
                SQL(", ").join(
                    SQL("%s %s", SQL.identifier(name), SQL(types.get(name, "float8")))
                    for name in value_columns
                ),
            )
        )
        copy = SQL(
            "COPY crm_supplier_scorecard_staging (%s) FROM STDIN WITH (FORMAT csv)",
            names,
        )
        self.env.cr.copy_expert(self.env.cr.mogrify(copy.code, copy.params), buffer)
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_supplier_scorecard
                       (company_id, period_kind, weights, computed_on,
                        feedback_state, create_uid, write_uid, create_date,
                        write_date, %(columns)s)
                SELECT %(company)s, %(kind)s, %(weights)s::jsonb,
                       now() AT TIME ZONE 'UTC', 'pending', %(uid)s, %(uid)s,
                       now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC',
                       %(columns)s
                  FROM crm_supplier_scorecard_staging
                ON CONFLICT (partner_id, company_id, period_kind, date_start)
                DO UPDATE SET %(updates)s, weights = EXCLUDED.weights,
                       computed_on = EXCLUDED.computed_on,
                       write_uid = EXCLUDED.write_uid,
                       write_date = EXCLUDED.write_date;
                DROP TABLE crm_supplier_scorecard_staging
                """,
                columns=names,
                updates=SQL(", ").join(
                    SQL("%s = EXCLUDED.%s", SQL.identifier(name), SQL.identifier(name))
                    for name in value_columns[2:]
                ),
                company=company.id,
                kind=kind,
                weights=weights,
                uid=self.env.uid,
            )
        )
        self.invalidate_model()
