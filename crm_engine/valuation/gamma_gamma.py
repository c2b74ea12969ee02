"""Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV: Using
Iso-Value Curves for Customer Base Analysis", JMR 42(4), 415-430).

Each purchase value is Gamma(p, nu) with nu ~ Gamma(q, gamma) across customers.
A customer's expected spend is then a weighted mix of their own mean ``zbar``
and the population mean, the weight on ``zbar`` growing with their number of
repeat purchases ``x``. Only repeat purchases are used, as in the paper: the
first order is often atypical (a welcome offer, a trial size).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import digamma, gammaln

from .fitting import as_arrays, fit_weighted


def log_likelihood_terms(params, x, zbar):
    """log density of a mean ``zbar`` over ``x`` purchases."""
    p, q, gamma = params
    x, zbar = as_arrays(x, zbar)
    px = p * x
    return (
        gammaln(px + q)
        - gammaln(px)
        - gammaln(q)
        + q * np.log(gamma)
        + (px - 1.0) * np.log(zbar)
        + px * np.log(x)
        - (px + q) * np.log(gamma + x * zbar)
    )


def log_likelihood_gradient(params, x, zbar):
    """Derivatives of each customer's log-likelihood by p, q and gamma."""
    p, q, gamma = params
    x, zbar = as_arrays(x, zbar)
    px = p * x
    log_total = np.log(gamma + x * zbar)
    shared = digamma(px + q)
    d_p = x * (shared - digamma(px) + np.log(zbar) + np.log(x) - log_total)
    d_q = shared - digamma(q) + np.log(gamma) - log_total
    d_gamma = q / gamma - (px + q) / (gamma + x * zbar)
    return np.stack([d_p, d_q, d_gamma])


@dataclass(frozen=True)
class GammaGammaFit:
    """Fitted (p, q, gamma) and the conditional expected spend."""

    p: float
    q: float
    gamma: float
    log_likelihood: float = float("nan")

    @property
    def params(self) -> dict[str, float]:
        return {"p": self.p, "q": self.q, "gamma": self.gamma}

    @property
    def population_mean(self) -> float:
        """E[Z] = p gamma / (q - 1); infinite when q <= 1."""
        return self.p * self.gamma / (self.q - 1.0) if self.q > 1.0 else np.inf

    def expected_spend(self, x, zbar):
        """E[Z | x, zbar]; x = 0 gives the population mean."""
        x, zbar = as_arrays(x, zbar)
        p, q, gamma = self.p, self.q, self.gamma
        with np.errstate(divide="ignore", invalid="ignore"):
            value = p * (gamma + x * zbar) / (p * x + q - 1.0)
        return np.where(x > 0, value, self.population_mean)


def fit(x, zbar, weights=None) -> GammaGammaFit:
    """Fit on the customers with x > 0 and zbar > 0; the others carry no spend.

    Amounts are divided by their average before fitting and gamma multiplied
    back after: gamma is in money, and in rupiah it is in the millions, where
    an unscaled fit would take it for a parameter running off to infinity.
    """
    x, zbar = as_arrays(x, zbar)
    use = (x > 0) & (zbar > 0)
    w = None if weights is None else np.asarray(weights, dtype=float)[use]
    scale = float(np.average(zbar[use], weights=w)) if use.any() else 1.0
    starts = ((1.0, 2.0, 1.0), (5.0, 3.0, 0.4))
    params, ll = fit_weighted(
        log_likelihood_terms,
        starts,
        x[use],
        zbar[use] / scale,
        weights=w,
        gradient_terms=log_likelihood_gradient,
    )
    p, q, gamma = map(float, params)
    # Each customer's density of zbar carries a 1/scale from the change of unit.
    customers = float(np.sum(w)) if w is not None else float(np.count_nonzero(use))
    return GammaGammaFit(
        p, q, gamma * scale, log_likelihood=float(ll) - customers * np.log(scale)
    )
