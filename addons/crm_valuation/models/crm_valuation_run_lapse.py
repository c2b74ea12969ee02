# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

import numpy as np
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

from crm_engine.recommend import expected_next_purchase

_logger = logging.getLogger(__name__)

LAPSE_ACTIVITY = "crm_valuation.mail_activity_type_lapse_call"
# A customer called about lapsing is not proposed again for this long.
LAPSE_QUIET_DAYS = 30
PRODUCTS_IN_NOTE = 3


class CrmValuationRun(models.Model):
    """ "Call before they lapse": activities for account managers from the
    latest valuation's lifetime model."""

    _inherit = "crm.valuation.run"

    @api.model
    def _cron_lapse_calls(self):
        """Daily: in every company, a call for each valuable customer whose
        probability of buying again is low and falling, ahead of the day
        their next purchase is due. One company or customer failing does not
        stop the others."""
        for company in self.env["res.company"].search([], limit=None, order="id"):
            run = self.search(
                [("company_id", "=", company.id), ("is_latest", "=", True)], limit=1
            )
            if not run:
                continue
            try:
                with self.env.cr.savepoint():
                    run.with_company(company)._schedule_lapse_calls()
            except Exception:
                _logger.exception("Lapse calls of %s failed", company.name)

    def _lapse_candidates(self):
        """(partner ids, due dates) of the class A customers below the
        company's probability threshold and lower than in the previous
        valuation, whose next purchase is due within the lead days."""
        self.ensure_one()
        company = self.company_id
        previous = self.search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "done"),
                ("date", "<", self.date),
            ],
            limit=1,
        )
        self.env["crm.valuation.value"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT value.partner_id, value.last_purchase, value.p_alive,
                       value.expected_purchases
                  FROM crm_valuation_value value
                  LEFT JOIN crm_valuation_value before
                    ON before.run_id = %(previous)s
                   AND before.partner_id = value.partner_id
                 WHERE value.run_id = %(run)s
                   AND value.abc_class = 'a'
                   AND value.p_alive < %(threshold)s
                   AND (before.p_alive IS NULL OR value.p_alive < before.p_alive)
                 ORDER BY value.clv DESC NULLS LAST, value.partner_id
                """,
                run=self.id,
                previous=previous.id or 0,
                threshold=company.lapse_p_alive / 100.0,
            )
        )
        if not rows:
            return [], []
        partner, last, p_alive, expected = zip(*rows, strict=True)
        due = expected_next_purchase(
            np.array(last, dtype="datetime64[D]"),
            np.array(p_alive, dtype=float),
            np.array(expected, dtype=float),
            self.valuation_horizon_months,
        )
        today = np.datetime64(fields.Date.context_today(self), "D")
        soon = ~np.isnat(due) & (
            due <= today + np.timedelta64(company.lapse_lead_days, "D")
        )
        return np.array(partner)[soon].tolist(), due[soon].tolist()

    def _schedule_lapse_calls(self):
        partner_ids, dues = self._lapse_candidates()
        if not partner_ids:
            return 0
        activity_type = self.env.ref(LAPSE_ACTIVITY)
        today = fields.Date.context_today(self)
        recent = (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", partner_ids),
                    ("activity_type_id", "=", activity_type.id),
                    (
                        "create_date",
                        ">=",
                        fields.Datetime.now() - timedelta(days=LAPSE_QUIET_DAYS),
                    ),
                ]
            )
        )
        called = set(recent.mapped("res_id"))
        partners = self.env["res.partner"].browse(partner_ids)
        lead = timedelta(days=self.company_id.lapse_lead_days)
        scheduled = 0
        for partner, due in zip(partners, dues, strict=True):
            manager = partner.user_id
            if partner.id in called or not manager or manager.share:
                continue
            try:
                with self.env.cr.savepoint():
                    self._schedule_lapse_call(
                        partner, manager, due, max(today, due - lead), activity_type
                    )
                    scheduled += 1
            except Exception:
                _logger.exception("Lapse call for partner %s failed", partner.id)
        _logger.info(
            "%s: %d calls before customers lapse scheduled", self.name, scheduled
        )
        return scheduled

    def _schedule_lapse_call(self, partner, manager, due, deadline, activity_type):
        own = self.with_context(lang=manager.lang).env
        products = own["crm.valuation.recommendation"].search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", self.company_id.id),
                ("product_id.sale_ok", "=", True),
            ],
            limit=PRODUCTS_IN_NOTE,
        )
        note = Markup("<p>%s</p>") % own._(
            "Their next purchase is due on %(date)s and they are buying less "
            "often than before. Call to keep them.",
            date=fields.Date.to_string(due),
        )
        if products:
            note += Markup("<p>%s</p><ul>%s</ul>") % (
                own._("Products to offer:"),
                Markup().join(
                    Markup("<li>%s</li>") % line.product_id.display_name
                    for line in products
                ),
            )
        partner.activity_schedule(
            activity_type_id=activity_type.id,
            date_deadline=deadline,
            summary=own._("Call before they lapse"),
            note=note,
            user_id=manager.id,
        )
