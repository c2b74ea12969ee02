# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Pareto curves of a run's rows and the SVG points the form draws."""

import numpy as np

from odoo.tools import SQL

from crm_engine.valuation.export import margin_curve_note
from crm_engine.valuation.pareto_abc import concentration_curve
from crm_engine.valuation.workbook import axis_top


def pareto_curves(run):
    """Revenue and margin concentration curves of the run's rows, or None."""
    run.env["crm.valuation.value"].flush_model(["revenue", "margin", "run_id"])
    rows = run.env.execute_query(
        SQL(
            "SELECT revenue, margin FROM crm_valuation_value WHERE run_id = %s",
            run.id,
        )
    )
    if not rows:
        return None
    revenue, margin = (
        np.array(column, dtype=float) for column in zip(*rows, strict=True)
    )
    return concentration_curve(revenue), concentration_curve(margin)


def chart_values(revenue_curve, margin_curve, tr):
    """What the form's SVG draws: both curves every 2 % in a 100 x 100 box (y
    up) whose top is 100 %, or higher when the margin curve rises above it,
    the percent ticks of that axis, and the sentence saying what the rise
    means (``tr`` translates it)."""
    grid = np.linspace(0.0, 1.0, 51)
    shares = {
        name: np.nan_to_num([curve.share_of_top(share) for share in grid])
        for name, curve in (("revenue", revenue_curve), ("margin", margin_curve))
    }
    top = axis_top(shares.values())
    points = {
        name: " ".join(
            f"{100 * x:.1f},{100 - 100 * max(y, 0.0) / top:.1f}"
            for x, y in zip(grid, values, strict=True)
        )
        for name, values in shares.items()
    }
    step = 20 if top <= 1.5 else 50 if top <= 3 else 100
    ticks = [
        {"label": percent, "y": 100 - percent / top}
        for percent in range(0, round(top * 100) + 1, step)
    ]
    return {
        "points": points,
        "ticks": ticks,
        # Where the "every customer alike" diagonal reaches 100 %.
        "diagonal": 100 - 100 / top,
        "note": margin_curve_note(margin_curve, tr),
    }
