# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The run in words and pictures, in the reader's language: the model used,
the notes, the holdout check, the fitted parameters and the Pareto chart."""

from odoo import api, fields, models

from crm_engine.valuation.forecast import model_label
from crm_engine.valuation.holdout import HoldoutReport
from crm_engine.valuation.texts import (
    Note,
    NumberFormat,
    join_notes,
    localized,
    significant,
)

from .. import pareto_chart


# One model in several files, one responsibility each (see crm_valuation_run.py).
class CrmValuationRun(models.Model):
    _inherit = "crm.valuation.run"  # pylint: disable=consider-merging-classes-inherited

    model_used = fields.Char(
        compute="_compute_model_texts",
        help="The purchase model, and the spend model, the lifetime values come from.",
    )
    model_note = fields.Text(string="Model Notes", compute="_compute_model_texts")
    holdout_summary = fields.Text(compute="_compute_model_texts")
    fit_summary = fields.Char(
        string="Fitted Parameters",
        compute="_compute_fit_summary",
        help="The numbers the models learned from the purchase histories. r and "
        "alpha: how often customers buy (purchase rates vary from customer to "
        "customer as a gamma distribution with shape r and scale alpha); a and b "
        "(BG/NBD, MBG/NBD) or s and beta (Pareto/NBD): how soon they stop buying; "
        "p, q and gamma (Gamma-Gamma): how much a purchase is worth and how much "
        "that varies between customers.",
    )
    pareto_chart = fields.Html(
        compute="_compute_pareto_chart",
        sanitize=False,
        help="Cumulative share of revenue and margin by share of customers.",
    )

    @api.depends("fit_state")
    @api.depends_context("lang")
    def _compute_fit_summary(self):
        for run in self:
            state = run.fit_state or {}
            parameters = {
                **state.get("purchases", {}).get("params", {}),
                **state.get("spend", {}).get("params", {}),
            }
            numbers = self._number_format()
            run.fit_summary = ", ".join(
                f"{name} {numbers.text(significant(value))}"
                for name, value in parameters.items()
            )

    @api.depends("fit_state", "notes", "holdout_data")
    @api.depends_context("lang")
    def _compute_model_texts(self):
        tr = self._translator()
        for run in self:
            run.model_used = (
                model_label(run.fit_state["model"], tr) if run.fit_state else False
            )
            run.model_note = join_notes(run._notes(), tr) or False
            run.holdout_summary = (
                HoldoutReport.from_json(run.holdout_data).describe(tr)
                if run.holdout_data
                else False
            )

    def _notes(self):
        return tuple(Note.from_json(note) for note in self.notes or ())

    def _translator(self):
        """The engine's texts in the user's language, from this addon's catalogue
        (tools/i18n.py puts the engine's msgids in it), numbers written with
        the language's separators."""

        def translate(template, **params):
            return self.env._(template, **params)

        return localized(translate, self._number_format())

    def _number_format(self):
        """The separators and date format of the user's language."""
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        return NumberFormat(
            thousands=lang.thousands_sep or "",
            decimal=lang.decimal_point or ".",
            date_format=lang.date_format or "%Y-%m-%d",
        )

    def _compute_pareto_chart(self):
        for run in self:
            curves = pareto_chart.pareto_curves(run) if run.state == "done" else None
            run.pareto_chart = (
                self.env["ir.qweb"]._render(
                    "crm_valuation.pareto_chart",
                    pareto_chart.chart_values(*curves, self._translator()),
                )
                if curves
                else False
            )
