"""The probability models reproduce the published CDNOW fits and stay finite."""

import numpy as np
import pytest
from scipy import integrate
from scipy.optimize import approx_fprime
from scipy.special import gammaln, hyp2f1
from valuation_data import read_csv, simulate_bgnbd

from crm_engine.valuation import baseline, bgnbd, gamma_gamma, mbgnbd, pareto_nbd
from crm_engine.valuation.fitting import FitError, unique_rows

PUBLISHED_BGNBD = {"r": 0.2426, "alpha": 4.4135, "a": 0.7929, "b": 2.4258}
PUBLISHED_PARETO = {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}


@pytest.fixture(scope="module")
def cdnow():
    data = read_csv("cdnow_customers_summary.csv")
    return data["frequency"], data["recency"], data["T"]


@pytest.fixture(scope="module")
def bgnbd_cdnow(cdnow):
    return bgnbd.fit(*cdnow)


def test_bgnbd_matches_fader_hardie_lee_2005(bgnbd_cdnow):
    for name, value in PUBLISHED_BGNBD.items():
        assert getattr(bgnbd_cdnow, name) == pytest.approx(value, rel=1e-3)
    assert bgnbd_cdnow.log_likelihood == pytest.approx(-9582.43, rel=1e-3)


def test_bgnbd_paper_example_and_holdout_total(bgnbd_cdnow, cdnow):
    # FHL 2005, section 4: x = 2, t_x = 30.43, T = 38.86 -> 1.226 in 39 weeks.
    published = bgnbd.BgNbdFit(**PUBLISHED_BGNBD)
    assert published.expected_purchases(39, 2, 30.43, 38.86) == pytest.approx(
        1.226, abs=1e-3
    )
    # The cohort's 39-week holdout forecast (actual: 1,882 purchase days).
    forecast = bgnbd_cdnow.expected_purchases(39, *cdnow).sum()
    assert forecast == pytest.approx(1653.4, rel=1e-3)
    alive = bgnbd_cdnow.p_alive(*cdnow)
    assert np.all((alive > 0) & (alive <= 1))
    assert np.all(alive[cdnow[0] == 0] == 1.0)


def test_bgnbd_euler_form_equals_the_papers_formula():
    """Equation (10) as printed, evaluated where it is still accurate."""
    r, alpha, a, b = PUBLISHED_BGNBD.values()
    fit = bgnbd.BgNbdFit(r, alpha, a, b)
    x, t_x, T, t = np.array([0, 1, 3, 8]), np.array([0, 5, 20, 30]), 38.0, 52.0
    z = t / (alpha + T + t)
    printed = (
        (a + b + x - 1)
        / (a - 1)
        * (
            1
            - ((alpha + T) / (alpha + T + t)) ** (r + x)
            * hyp2f1(r + x, b + x, a + b + x - 1, z)
        )
        / (1 + (x > 0) * a / (b + x - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x))
    )
    np.testing.assert_allclose(
        fit.expected_purchases(t, x, t_x, T), printed, rtol=1e-10
    )


def test_bgnbd_heavy_buyers_stay_finite():
    fit = bgnbd.BgNbdFit(**PUBLISHED_BGNBD)
    x = np.array([500.0, 5000.0])
    expected = fit.expected_purchases(39, x, [38.86, 38.86], 38.86)
    assert np.all(np.isfinite(expected)) and expected[1] > expected[0] > 100
    assert np.all(np.isfinite(bgnbd.log_likelihood_terms(fit._tuple(), x, 38.0, 39.0)))


def _pareto_by_quadrature(params, x, t_x, T):
    """Likelihood integrated over the death time u in (t_x, T], no 2F1.

    E[lambda^x e^(-lambda u)] and E[mu e^(-mu u)] have closed forms under the
    Gamma mixing distributions; the alive part is the same with u = T.
    """
    r, alpha, s, beta = params
    head = gammaln(r + x) - gammaln(r) + r * np.log(alpha)

    def buying(u):
        return np.exp(head - (r + x) * np.log(alpha + u))

    def dying(u):
        return s * beta**s / (beta + u) ** (s + 1)

    alive = buying(T) * (beta / (beta + T)) ** s
    dead = integrate.quad(lambda u: buying(u) * dying(u), t_x, T, epsrel=1e-12)[0]
    return np.log(alive + dead), alive / (alive + dead)


@pytest.mark.parametrize("params", [(0.55, 10.6, 0.6, 11.7), (0.55, 12.0, 0.6, 8.0)])
def test_pareto_likelihood_and_p_alive_match_quadrature(params):
    """Both hyp2f1 branches (alpha < beta and alpha >= beta) against plain
    numerical integration."""
    fit = pareto_nbd.ParetoNbdFit(*params)
    for x, t_x, T in ((0, 0.0, 30.0), (2, 20.0, 35.0), (7, 30.0, 38.0), (40, 37, 38)):
        ll, alive = _pareto_by_quadrature(params, x, t_x, T)
        assert pareto_nbd.log_likelihood_terms(params, x, t_x, T) == pytest.approx(
            ll, rel=1e-9
        )
        assert fit.p_alive(x, t_x, T) == pytest.approx(alive, rel=1e-8)


def test_pareto_nbd_matches_published_fit(cdnow):
    fit = pareto_nbd.fit(*cdnow)
    for name, value in PUBLISHED_PARETO.items():
        assert getattr(fit, name) == pytest.approx(value, rel=1e-3)
    assert fit.log_likelihood == pytest.approx(-9595.0, rel=1e-3)
    alive = fit.p_alive(*cdnow)
    assert np.all((alive > 0) & (alive <= 1))
    assert fit.expected_purchases(39, *cdnow).sum() == pytest.approx(1666, rel=1e-2)


def test_pareto_nbd_continuous_across_alpha_equal_beta(cdnow):
    above = pareto_nbd.log_likelihood_terms((0.5, 10.0, 0.6, 10.0 + 1e-7), *cdnow)
    below = pareto_nbd.log_likelihood_terms((0.5, 10.0, 0.6, 10.0 - 1e-7), *cdnow)
    np.testing.assert_allclose(above, below, rtol=1e-6)


def test_pareto_nbd_heavy_buyers_and_s_equal_one():
    terms = pareto_nbd.log_likelihood_terms(
        (0.5, 10.0, 0.6, 12.0), [0, 200, 2000], [0.0, 30.0, 38.0], [38.0, 38.5, 39.0]
    )
    assert np.all(np.isfinite(terms))
    fit = pareto_nbd.ParetoNbdFit(0.553, 10.578, 0.606, 11.669)
    alive = fit.p_alive([2000, 2000], [38.9, 1.0], [39.0, 39.0])
    assert alive[0] > 0.95 and alive[1] < 1e-6
    near = pareto_nbd.ParetoNbdFit(0.5, 10.0, 1.0 + 1e-7, 12.0)
    exact = pareto_nbd.ParetoNbdFit(0.5, 10.0, 1.0, 12.0)
    assert near.expected_purchases(52, 3, 20, 30) == pytest.approx(
        exact.expected_purchases(52, 3, 20, 30), rel=1e-5
    )


def _pareto_customer_by_customer(params, x, t_x, T):
    """Each customer's log-likelihood computed alone: no tail shared."""
    return np.array(
        [
            pareto_nbd.log_likelihood_terms(params, *row)
            for row in zip(x, t_x, T, strict=True)
        ]
    )


def test_pareto_tails_once_per_pair_equal_customer_by_customer(cdnow):
    x, t_x, T = cdnow
    rows = pareto_nbd.Histories(x, t_x, T)
    # Customers share (x, t) pairs: far fewer tails than two per customer.
    assert rows.pair_x.size < x.size / 2
    for params in ((0.553, 10.578, 0.606, 11.669), (0.5, 8.0, 0.7, 12.0)):
        np.testing.assert_allclose(
            pareto_nbd.log_likelihood_terms(params, x, t_x, T),
            _pareto_customer_by_customer(params, x, t_x, T),
            rtol=1e-13,
        )
        fit = pareto_nbd.ParetoNbdFit(*params)
        np.testing.assert_allclose(
            fit.p_alive(x, t_x, T),
            [fit.p_alive(*row) for row in zip(x, t_x, T, strict=True)],
            rtol=1e-13,
        )


def test_pareto_fit_is_the_customer_by_customer_maximum():
    """The grouped fit's parameters maximise the likelihood summed customer by
    customer, and its log-likelihood is that sum."""
    x, t_x, T = simulate_bgnbd(400, seed=3)
    fit = pareto_nbd.fit(x, t_x, T)
    best = np.array(list(fit.params.values()))
    summed = _pareto_customer_by_customer(best, x, t_x, T).sum()
    assert fit.log_likelihood == pytest.approx(summed, rel=1e-12)
    for index in range(best.size):
        for step in (1.001, 0.999):
            moved = best.copy()
            moved[index] *= step
            assert _pareto_customer_by_customer(moved, x, t_x, T).sum() < summed


def test_gamma_gamma_matches_published_fit():
    data = read_csv("cdnow_customers_summary_with_transactions.csv")
    repeaters = data[data["x"] > 0]
    assert len(repeaters) == 946
    fit = gamma_gamma.fit(repeaters["x"], repeaters["zbar"])
    assert fit.p == pytest.approx(6.2488, rel=1e-3)
    assert fit.q == pytest.approx(3.7446, rel=1e-3)
    assert fit.gamma == pytest.approx(15.4477, rel=1e-3)
    everybody = gamma_gamma.fit(data["x"], data["zbar"])  # x = 0 rows carry nothing
    assert everybody.p == pytest.approx(fit.p, rel=1e-6)
    spend = fit.expected_spend(data["x"], data["zbar"])
    assert np.all(spend[data["x"] == 0] == fit.population_mean)
    # Shrinkage: between the customer's own mean and the population mean.
    rep = data["x"] > 0
    low = np.minimum(data["zbar"][rep], fit.population_mean)
    high = np.maximum(data["zbar"][rep], fit.population_mean)
    assert np.all((spend[rep] >= low - 1e-9) & (spend[rep] <= high + 1e-9))


def test_weighted_unique_rows_fit_equals_row_by_row_fit(cdnow, bgnbd_cdnow):
    rows = unique_rows(*cdnow)
    assert rows.counts.size < cdnow[0].size
    np.testing.assert_array_equal(rows.expand(rows.columns[0]), cdnow[0])
    weighted = bgnbd.fit(*rows.columns, weights=rows.counts)
    for name in ("r", "alpha", "a", "b", "log_likelihood"):
        assert getattr(weighted, name) == pytest.approx(
            getattr(bgnbd_cdnow, name), rel=1e-6
        )
    # The same data one row per customer, summed without any collapsing:
    params = tuple(bgnbd_cdnow.params.values())
    row_by_row = bgnbd.log_likelihood_terms(params, *cdnow).sum()
    assert row_by_row == pytest.approx(bgnbd_cdnow.log_likelihood, rel=1e-12)


def test_days_unit_gives_the_same_model(cdnow, bgnbd_cdnow):
    x, t_x, T = cdnow
    in_days = bgnbd.fit(x, t_x * 7, T * 7)
    assert in_days.r == pytest.approx(bgnbd_cdnow.r, rel=1e-3)
    assert in_days.alpha == pytest.approx(7 * bgnbd_cdnow.alpha, rel=1e-3)
    assert in_days.b == pytest.approx(bgnbd_cdnow.b, rel=1e-3)


def test_200k_synthetic_customers_fit_and_recover_parameters():
    x, t_x, T = simulate_bgnbd(200_000)
    assert unique_rows(x, t_x, T).counts.size < 40_000
    fit = bgnbd.fit(x, t_x, T)
    assert fit.r == pytest.approx(0.25, rel=0.1)
    assert fit.alpha == pytest.approx(4.0, rel=0.1)
    assert fit.a == pytest.approx(0.8, rel=0.15)
    assert fit.b == pytest.approx(2.5, rel=0.15)


@pytest.mark.parametrize(
    ("model", "params", "rows"),
    [
        (bgnbd, (0.3, 5.0, 0.9, 2.2), [(0, 0, 30), (1, 5, 30), (7, 29.5, 38)]),
        (mbgnbd, (0.3, 5.0, 0.9, 2.2), [(0, 0, 30), (1, 5, 30), (7, 29.5, 38)]),
        (gamma_gamma, (5.0, 3.0, 14.0), [(1, 12.5), (4, 40.0), (20, 7.0)]),
    ],
)
def test_analytic_gradients_match_finite_differences(model, params, rows):
    params = np.array(params)
    for row in rows:
        numeric = approx_fprime(
            params, lambda p, row=row: model.log_likelihood_terms(p, *row), 1e-7
        )
        analytic = model.log_likelihood_gradient(params, *row)
        np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-6)


def test_unidentified_fits_raise():
    """No repeat buyer, or identical spends: a parameter runs off to the wall."""
    with pytest.raises(FitError, match="ran off"):
        bgnbd.fit(np.zeros(50), np.zeros(50), np.full(50, 30.0))
    with pytest.raises(FitError, match="ran off"):
        gamma_gamma.fit(np.tile([1.0, 2.0, 3.0, 4.0, 5.0], 10), np.full(50, 20.0))


def test_baseline_rate_and_retention():
    x, t_x, T = np.array([0, 2, 4]), np.array([0, 40, 100]), np.array([10, 60, 104])
    fit = baseline.fit(x, t_x, T, units_per_year=52)
    assert fit.rate == pytest.approx(6 / 174)
    assert fit.retention == pytest.approx(1.0)  # the one veteran bought this year
    assert fit.expected_purchases(52, x, t_x, T) == pytest.approx(
        52 * fit.customer_rate(x, T)
    )
    faded = baseline.BaselineFit(fit.rate, 0.5, 52)
    assert np.all(
        faded.expected_purchases(52, x, t_x, T) < 52 * fit.customer_rate(x, T)
    )


def test_unique_rows_match_numpy_unique():
    rng = np.random.default_rng(5)
    columns = [rng.integers(0, 4, 5000).astype(float) / 7 for _ in range(3)]
    weights = rng.random(5000)
    rows = unique_rows(*columns, weights=weights)
    data = np.column_stack(columns)
    expected, inverse, counts = np.unique(
        data, axis=0, return_inverse=True, return_counts=True
    )
    np.testing.assert_array_equal(np.column_stack(rows.columns), expected)
    np.testing.assert_array_equal(rows.inverse, inverse.ravel())
    np.testing.assert_allclose(
        rows.counts, np.bincount(inverse.ravel(), weights=weights)
    )
    assert unique_rows(*columns).counts.sum() == 5000
    np.testing.assert_array_equal(unique_rows(*columns).counts, counts)
    empty = unique_rows(np.zeros(0), np.zeros(0))
    assert empty.counts.size == 0 and empty.inverse.size == 0


# Modified BG/NBD (Batislam, Denizel & Filiztekin 2007) ------------------------

# The CDNOW estimates of the R package BTYDplus (mbgcnbd with k = 1).
PUBLISHED_MBGNBD = {"r": 0.525, "alpha": 6.183, "a": 0.891, "b": 1.614}


def test_mbgnbd_matches_btydplus_on_cdnow(cdnow):
    fit = mbgnbd.fit(*cdnow)
    for name, value in PUBLISHED_MBGNBD.items():
        assert getattr(fit, name) == pytest.approx(value, rel=2e-3)


def test_mbgnbd_one_time_buyers_fade_with_silence(cdnow):
    """BG/NBD keeps every one-time buyer 100 % alive; the modified model lets
    them leave, the more likely the longer they have been silent."""
    fit = mbgnbd.MbgNbdFit(**PUBLISHED_MBGNBD)
    silences = np.array([1.0, 10.0, 50.0, 104.0])
    alive = fit.p_alive(np.zeros(4), np.zeros(4), silences)
    assert np.all(np.diff(alive) < 0) and alive[0] < 1.0 and alive[-1] < 0.3
    assert bgnbd.BgNbdFit(**PUBLISHED_BGNBD).p_alive(0, 0, 104.0) == 1.0
    # A regular buyer who just bought is more likely active than one who stopped.
    assert fit.p_alive(10, 50, 52) > 0.9 > 0.1 > fit.p_alive(10, 20, 104)


def test_mbgnbd_euler_form_equals_the_printed_formula():
    r, alpha, a, b = PUBLISHED_MBGNBD.values()
    fit = mbgnbd.MbgNbdFit(r, alpha, a, b)
    for x, t_x, T, t in [(0, 0, 30, 39), (2, 30.43, 38.86, 39), (5, 20, 40, 52)]:
        z = t / (alpha + T + t)
        printed = (
            (a + b + x)
            / (a - 1)
            * (1 - (1 - z) ** (r + x) * hyp2f1(r + x, b + x + 1, a + b + x, z))
            * fit.p_alive(x, t_x, T)
        )
        assert fit.expected_purchases(t, x, t_x, T) == pytest.approx(printed, rel=1e-9)
    heavy = fit.expected_purchases(52, 3000, 103, 104)
    assert np.isfinite(heavy) and heavy > 0


def test_mbgnbd_recovers_simulated_parameters():
    x, t_x, T = simulate_bgnbd(100_000, seed=5, modified=True)
    fit = mbgnbd.fit(x, t_x, T)
    assert fit.r == pytest.approx(0.25, rel=0.1)
    assert fit.alpha == pytest.approx(4.0, rel=0.15)
    assert fit.a == pytest.approx(0.8, rel=0.15)
    assert fit.b == pytest.approx(2.5, rel=0.2)
