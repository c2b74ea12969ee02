"""Modified BG/NBD model (Batislam, Denizel & Filiztekin 2007, International
Journal of Research in Marketing 24(3), 201-209).

The BG/NBD lets a customer leave only right after a repeat purchase, so
everybody who bought once is 100 % alive however long ago that was. The
modified model also lets them leave right after the first purchase: while
alive a customer buys as Poisson(lambda), lambda ~ Gamma(r, alpha); at the
first purchase and after each one they leave with probability p ~ Beta(a, b).
A one-time buyer silent for two years is then rightly unlikely to be active.

With ``odds`` = a / (b + x) ((alpha + T) / (alpha + t_x))^(r + x), the weight
of "left after the last purchase" against "still buying":

* likelihood: Gamma(r+x) alpha^r / (Gamma(r) (alpha+T)^(r+x))
  x B(a, b+x+1) / B(a, b) x (1 + odds);
* P(alive) = 1 / (1 + odds);
* expected purchases in the next t: (a+b+x)/(a-1)
  x (1 - (1-z)^(r+x) 2F1(r+x, b+x+1; a+b+x; z)) x P(alive), z = t/(alpha+T+t).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import digamma, expit, gammaln, hyp2f1

from .bgnbd import Histories, _shape
from .fitting import as_arrays, fit_weighted, rate_scale


def _odds(params, rows: Histories, log_T, log_t_x):
    """log of a/(b+x) ((alpha+T)/(alpha+t_x))^(r+x), for every customer."""
    r, _alpha, a, b = params
    return (
        np.log(a)
        - rows.of_x(lambda x: np.log(b + x))
        + (r + rows.x) * (log_T - log_t_x)
    )


def _terms(params, rows: Histories):
    r, alpha, a, b = params
    log_T, log_t_x = rows.log_age(alpha)
    common = (
        rows.of_x(
            lambda x: gammaln(r + x) + gammaln(b + x + 1.0) - gammaln(a + b + x + 1.0)
        )
        - gammaln(r)
        + r * np.log(alpha)
        + gammaln(a + b)
        - gammaln(b)
        - (r + rows.x) * log_T
    )
    return common + np.logaddexp(0.0, _odds(params, rows, log_T, log_t_x))


def _gradient(params, rows: Histories):
    """Derivatives by r, alpha, a, b; ``share`` = odds / (1 + odds)."""
    r, alpha, a, b = params
    log_T, log_t_x = rows.log_age(alpha)
    share = expit(_odds(params, rows, log_T, log_t_x))
    inverse_T = np.exp(-log_T)
    d_r = (
        rows.of_x(lambda x: digamma(r + x))
        - digamma(r)
        + np.log(alpha)
        - log_T
        + share * (log_T - log_t_x)
    )
    d_alpha = (
        r / alpha
        - (r + rows.x) * inverse_T
        + share * (r + rows.x) * (inverse_T - np.exp(-log_t_x))
    )
    d_a = digamma(a + b) - rows.of_x(lambda x: digamma(a + b + x + 1.0)) + share / a
    d_b = (
        digamma(a + b)
        - digamma(b)
        + rows.of_x(lambda x: digamma(b + x + 1.0) - digamma(a + b + x + 1.0))
        - share * rows.of_x(lambda x: 1.0 / (b + x))
    )
    return np.stack([d_r, d_alpha, d_a, d_b])


def log_likelihood_terms(params, x, t_x, T):
    """Per-customer log-likelihood."""
    return _terms(params, Histories(x, t_x, T)).reshape(_shape(x, t_x, T))


def log_likelihood_gradient(params, x, t_x, T):
    """Derivatives of each customer's log-likelihood by r, alpha, a and b."""
    return _gradient(params, Histories(x, t_x, T)).reshape((4, *_shape(x, t_x, T)))


@dataclass(frozen=True)
class MbgNbdFit:
    """Fitted MBG/NBD parameters and the predictions the valuation needs."""

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float = float("nan")

    name = "MBG/NBD"

    @property
    def params(self) -> dict[str, float]:
        return {"r": self.r, "alpha": self.alpha, "a": self.a, "b": self.b}

    def _tuple(self):
        return (self.r, self.alpha, self.a, self.b)

    def p_alive(self, x, t_x, T):
        """P(still active at T | x, t_x, T), one-time buyers included."""
        rows = Histories(x, t_x, T)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            odds = _odds(self._tuple(), rows, *rows.log_age(self.alpha))
            return np.exp(-np.logaddexp(0.0, odds)).reshape(_shape(x, t_x, T))

    def expected_purchases(self, t, x, t_x, T):
        """Expected purchases in the next ``t`` time units.

        (1-z)^(r+x) 2F1(r+x, b+x+1; a+b+x; z) overflows and underflows for
        frequent buyers; Euler's transformation gives the same product as
        (1-z)^(a-1) 2F1(a+b-r, a-1; a+b+x; z), finite exactly there. Each
        customer gets the form that stays finite (as in bgnbd.py).
        """
        x, t_x, T, t = as_arrays(x, t_x, T, t)
        r, alpha, a, b = self._tuple()
        z = t / (alpha + T + t)
        printed = a - 1.0 - r - x > 0
        power = np.where(printed, r + x, a - 1.0)
        tail = np.exp(power * np.log1p(-z)) * hyp2f1(
            np.where(printed, r + x, a + b - r),
            np.where(printed, b + x + 1.0, a - 1.0),
            a + b + x,
            z,
        )
        with np.errstate(divide="ignore", invalid="ignore"):  # a = 1: callers see nan
            mean = (a + b + x) / (a - 1.0) * (1.0 - tail)
        return np.where(t > 0, np.maximum(mean * self.p_alive(x, t_x, T), 0.0), 0.0)


def fit(x, t_x, T, weights=None) -> MbgNbdFit:
    """Maximum likelihood on unique (x, t_x, T) rows weighted by their counts."""
    scale = rate_scale(x, T, weights)
    starts = ((1.0, scale, 0.8, 2.0), (0.3, 0.3 * scale, 0.5, 3.0))
    params, ll = fit_weighted(
        _terms,
        starts,
        x,
        t_x,
        T,
        weights=weights,
        gradient_terms=_gradient,
        prepare=lambda *columns: (Histories(*columns),),
    )
    return MbgNbdFit(*map(float, params), log_likelihood=float(ll))
