# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Pareto curves of a run's rows and the SVG points the form draws."""

import numpy as np

from odoo.tools import SQL

from crm_engine.valuation.pareto_abc import concentration_curve


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


def chart_points(revenue_curve, margin_curve):
    """SVG polyline points (a 100 x 100 box, y up) of both curves, every 2%."""
    grid = np.linspace(0.0, 1.0, 51)
    points = {}
    for name, curve in (("revenue", revenue_curve), ("margin", margin_curve)):
        shares = np.nan_to_num([curve.share_of_top(share) for share in grid])
        points[name] = " ".join(
            f"{100 * x:.1f},{100 - 100 * min(max(y, -0.2), 1.5):.1f}"
            for x, y in zip(grid, shares, strict=True)
        )
    return points
