"""The spend model does not care about the currency unit: rupiah fit as dollars."""

import numpy as np
import pytest
from valuation_data import read_csv

from crm_engine.valuation import gamma_gamma

RUPIAH_PER_DOLLAR = 16_000.0


def test_gamma_gamma_in_rupiah_is_the_dollar_fit_rescaled():
    data = read_csv("cdnow_customers_summary_with_transactions.csv")
    dollars = gamma_gamma.fit(data["x"], data["zbar"])
    rupiah = gamma_gamma.fit(data["x"], data["zbar"] * RUPIAH_PER_DOLLAR)
    assert rupiah.p == pytest.approx(dollars.p, rel=1e-4)
    assert rupiah.q == pytest.approx(dollars.q, rel=1e-4)
    assert rupiah.gamma == pytest.approx(dollars.gamma * RUPIAH_PER_DOLLAR, rel=1e-4)
    repeaters = np.count_nonzero(data["x"] > 0)
    shift = repeaters * np.log(RUPIAH_PER_DOLLAR)
    assert rupiah.log_likelihood == pytest.approx(
        dollars.log_likelihood - shift, rel=1e-6
    )
    spend = rupiah.expected_spend(data["x"], data["zbar"] * RUPIAH_PER_DOLLAR)
    np.testing.assert_allclose(
        spend,
        dollars.expected_spend(data["x"], data["zbar"]) * RUPIAH_PER_DOLLAR,
        rtol=1e-4,
    )
