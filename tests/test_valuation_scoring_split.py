"""Fit once, score in slices: what Odoo's background jobs rely on.

The models rebuilt from their stored JSON must score exactly as the fitted
ones, and scoring any slice of customers must give those customers' values
from the full run.
"""

import datetime
import json

import numpy as np
import pytest
from valuation_data import cdnow_sample

from crm_engine.valuation import ValuationSettings, value_customers
from crm_engine.valuation.pipeline import (
    SCORE_COLUMNS,
    describe_customers,
    fit_customer_models,
    score_base,
)
from crm_engine.valuation.scoring import FittedModels
from crm_engine.valuation.texts import Note, join_notes

AS_OF = datetime.date(1997, 12, 31)


@pytest.fixture(scope="module", params=["bgnbd", "paretonbd", "baseline"])
def fitted(request):
    transactions = cdnow_sample()
    model = "bgnbd" if request.param == "baseline" else request.param
    settings = ValuationSettings(
        model=model,
        holdout_weeks=0,
        min_repeaters=10**9 if request.param == "baseline" else 20,
    )
    base = describe_customers(transactions, AS_OF, settings)
    return transactions, settings, base, fit_customer_models(base)


def test_models_survive_json(fitted):
    _transactions, _settings, base, models = fitted
    stored = json.loads(json.dumps(models.to_json()))
    rebuilt = FittedModels.from_json(stored)
    assert rebuilt.model == models.model
    assert rebuilt.parameters == models.parameters
    assert rebuilt.note == models.note
    # Notes are stored as data, so they can be shown later in any language.
    stored_notes = [stored[part]["note"] for part in ("purchases", "spend")]
    assert tuple(Note.from_json(note) for note in stored_notes if note) == models.note
    original, again = score_base(base, models), score_base(base, rebuilt)
    for name in SCORE_COLUMNS:
        np.testing.assert_array_equal(getattr(again, name), getattr(original, name))


def test_a_slice_scores_as_in_the_full_run(fitted):
    transactions, settings, base, models = fitted
    full = value_customers(transactions, AS_OF, settings)
    summary = base.summary
    chosen = np.arange(summary.customer.size)[::7]
    scores = models.score(
        summary.x[chosen],
        summary.t_x[chosen],
        summary.T[chosen],
        summary.zbar[chosen],
        base.margin_ratio[chosen],
        settings.horizon_months,
        settings.discount_rate,
    )
    where = {customer: row for row, customer in enumerate(full.table["customer"])}
    rows = [where[customer] for customer in summary.customer[chosen]]
    for name in SCORE_COLUMNS:
        np.testing.assert_allclose(
            getattr(scores, name), full.table[name][rows], rtol=1e-12, atol=1e-12
        )


def test_baseline_is_said_and_has_no_likelihood(fitted):
    _transactions, settings, _base, models = fitted
    if settings.min_repeaters < 10**9:
        assert models.log_likelihood < 0
        return
    assert models.model == "Baseline"
    assert models.log_likelihood is None
    assert "baseline" in join_notes(models.note)
    assert models.to_json()["purchases"]["log_likelihood"] is None
