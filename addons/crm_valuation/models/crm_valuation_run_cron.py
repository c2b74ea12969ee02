# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The nightly jobs of valuations: a run of each company's last complete day,
and the retention policy that deletes the snapshots no longer kept."""

import logging
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.tools import SQL

from ..commit_points import CommitPoints

_logger = logging.getLogger(__name__)


# One model in several files, one responsibility each (see crm_valuation_run.py).
class CrmValuationRun(models.Model):
    _inherit = "crm.valuation.run"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _cron_value_customers(self):
        """Nightly: resume interrupted runs, then value each company's last
        complete day.

        Batches are committed as they are written, so a run cut off by a
        restart or a time limit is picked up again by the next call. A run
        that fails is marked failed and logged; the others go on, and the
        cron itself never fails (Odoo would deactivate it).
        """
        for run in self.search([("state", "=", "running")], order="id"):
            run._launch_nightly()
        for company in self.env["res.company"].search([], limit=None, order="id"):
            try:
                run = self._nightly_run(company)
            except Exception:
                _logger.exception("No valuation could start for %s", company.name)
                continue
            if run:
                run._launch_nightly()

    @api.model
    def _cron_apply_retention(self):
        """Nightly: delete the snapshots the retention policy no longer keeps.

        Kept: every run of the last ``valuation_keep_days`` days, the last
        finished run of each month for ``valuation_keep_months`` months, the
        company's latest run, pinned runs and runs still being computed.
        Their value rows go with them (ON DELETE CASCADE).
        """
        for company in self.env["res.company"].search([], limit=None, order="id"):
            expired = self._expired_runs(company)
            if not expired:
                continue
            with CommitPoints(self.env.cr, commit=True) as points:
                count = len(expired)
                expired.unlink()
                points.reached()
            _logger.info(
                "%s: %d valuations past the retention policy deleted",
                company.name,
                count,
            )

    def _expired_runs(self, company):
        today = company._valuation_last_complete_day() + timedelta(days=1)
        daily_from = today - timedelta(days=company.valuation_keep_days)
        monthly_from = today - relativedelta(months=company.valuation_keep_months)
        self.flush_model(["company_id", "date", "state", "pinned", "is_latest"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT id FROM (
                    SELECT id, date, state, pinned, is_latest,
                           ROW_NUMBER() OVER (
                               PARTITION BY date_trunc('month', date),
                                            state = 'done'
                               ORDER BY date DESC, id DESC) AS rank_in_month
                      FROM crm_valuation_run
                     WHERE company_id = %(company)s
                ) run
                 WHERE date < %(daily_from)s
                   AND state IN ('done', 'failed', 'draft')
                   AND pinned IS NOT TRUE
                   AND is_latest IS NOT TRUE
                   AND NOT (state = 'done' AND rank_in_month = 1
                            AND date >= %(monthly_from)s)
                """,
                company=company.id,
                daily_from=daily_from,
                monthly_from=monthly_from.replace(day=1),
            )
        )
        return self.browse(row[0] for row in rows)

    def _nightly_run(self, company):
        """A new committed run of ``company``'s last complete day, or None when
        it has one already or nothing to value."""
        day = company._valuation_last_complete_day()
        with CommitPoints(self.env.cr, commit=True) as points:
            if (
                self.search_count(
                    [("company_id", "=", company.id), ("date", "=", day)], limit=1
                )
                or not company._valuation_has_purchases()
            ):
                return None
            run = self.with_company(company).create(
                {"company_id": company.id, "date": day}
            )
            points.reached()
        return run
