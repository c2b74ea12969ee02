"""BG/NBD model (Fader, Hardie & Lee 2005, Marketing Science 24(2), 275-284).

While alive a customer buys as a Poisson process with rate lambda ~ Gamma(r,
alpha); after each purchase they drop out with probability p ~ Beta(a, b). On
CDNOW it forecasts as well as the Pareto/NBD, and its likelihood needs no
hypergeometric function, which is why it is the default model here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import betaln, digamma, expit, gammaln, hyp2f1

from .fitting import as_arrays, fit_weighted, rate_scale


class Histories:
    """(x, t_x, T) rows with each column's distinct values, for the fit.

    The special functions of the likelihood depend on x alone and the logs on
    T or t_x alone; a customer base has a few dozen distinct x and a few
    thousand distinct T and t_x, so each is evaluated on those and gathered,
    instead of once per row at every iteration of the optimiser.
    """

    def __init__(self, x, t_x, T):
        x, t_x, T = (column.ravel() for column in as_arrays(x, t_x, T))
        self.x = x
        self.repeat = x > 0
        self.x_values, self.x_index = _distinct(x)
        self.T_values, self.T_index = _distinct(T)
        self.t_x_values, self.t_x_index = _distinct(t_x)

    def of_x(self, function):
        return function(self.x_values)[self.x_index]

    def log_age(self, alpha):
        """log(alpha + T) and log(alpha + t_x), row by row."""
        return (
            np.log(alpha + self.T_values)[self.T_index],
            np.log(alpha + self.t_x_values)[self.t_x_index],
        )

    def dropout_odds(self, params, log_T, log_t_x):
        """log of a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x): dead vs alive at T.

        Only defined for x > 0 (a customer can only drop out after a
        repurchase): -inf for the others.
        """
        r, _alpha, a, b = params
        with np.errstate(divide="ignore", invalid="ignore"):
            odds = (
                np.log(a)
                - self.of_x(lambda x: np.log(np.maximum(b + x - 1.0, 1e-300)))
                + (r + self.x) * (log_T - log_t_x)
            )
        return np.where(self.repeat, odds, -np.inf)


def _shape(*columns):
    """The shape of the inputs broadcast together: the shape of the answer."""
    return np.broadcast(*columns).shape


def _distinct(values):
    distinct, index = np.unique(values, return_inverse=True)
    return distinct, index.ravel()


def log_likelihood_terms(params, x, t_x, T):
    """Per-customer log-likelihood, the paper's equation (6) in log form."""
    return _terms(params, Histories(x, t_x, T)).reshape(_shape(x, t_x, T))


def log_likelihood_gradient(params, x, t_x, T):
    """Derivatives of each customer's log-likelihood by r, alpha, a and b."""
    return _gradient(params, Histories(x, t_x, T)).reshape((4, *_shape(x, t_x, T)))


def _terms(params, rows: Histories):
    r, alpha, a, b = params
    log_T, log_t_x = rows.log_age(alpha)
    common = (
        rows.of_x(lambda x: gammaln(r + x) + betaln(a, b + x))
        - gammaln(r)
        + r * np.log(alpha)
        - betaln(a, b)
        - (r + rows.x) * log_T
    )
    return common + np.logaddexp(0.0, rows.dropout_odds(params, log_T, log_t_x))


def _gradient(params, rows: Histories):
    """``share`` is the weight of the "dropped out after the last purchase"
    branch in the likelihood, odds / (1 + odds)."""
    r, alpha, a, b = params
    log_T, log_t_x = rows.log_age(alpha)
    share = expit(rows.dropout_odds(params, log_T, log_t_x))
    with np.errstate(divide="ignore", invalid="ignore"):
        per_b = np.where(rows.repeat, share / (b + rows.x - 1.0), 0.0)
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
    d_a = digamma(a + b) - rows.of_x(lambda x: digamma(a + b + x)) + share / a
    d_b = (
        rows.of_x(lambda x: digamma(b + x) - digamma(a + b + x))
        - digamma(b)
        + digamma(a + b)
        - per_b
    )
    return np.stack([d_r, d_alpha, d_a, d_b])


@dataclass(frozen=True)
class BgNbdFit:
    """Fitted BG/NBD parameters and the predictions the valuation needs."""

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float = float("nan")

    name = "BG/NBD"

    @property
    def params(self) -> dict[str, float]:
        return {"r": self.r, "alpha": self.alpha, "a": self.a, "b": self.b}

    def _tuple(self):
        return (self.r, self.alpha, self.a, self.b)

    def p_alive(self, x, t_x, T):
        """P(still active at T | x, t_x, T): the 'alive' share of the likelihood
        (Fader, Hardie & Lee 2008, "Computing P(alive) Using the BG/NBD Model").

        Customers without a repeat purchase get 1: in this model dropout can
        only happen right after a purchase.
        """
        rows = Histories(x, t_x, T)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            odds = rows.dropout_odds(self._tuple(), *rows.log_age(self.alpha))
            return np.exp(-np.logaddexp(0.0, odds)).reshape(_shape(x, t_x, T))

    def expected_purchases(self, t, x, t_x, T):
        """Expected purchases in the next ``t`` time units (equation 10).

        The paper writes (1-z)^(r+x) 2F1(r+x, b+x; a+b+x-1; z), z = t/(alpha+T+t).
        When x > a-1-r that 2F1 grows like (1-z)^(a-1-r-x): for frequent buyers
        it overflows while the power underflows. Euler's transformation gives the
        same product as (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z), which is
        tame exactly there; each customer gets the form that stays finite.
        """
        x, t_x, T, t = as_arrays(x, t_x, T, t)
        r, alpha, a, b = self._tuple()
        z = t / (alpha + T + t)
        printed = a - 1.0 - r - x > 0
        power = np.where(printed, r + x, a - 1.0)
        tail = np.exp(power * np.log1p(-z)) * hyp2f1(
            np.where(printed, r + x, a + b - 1.0 - r),
            np.where(printed, b + x, a - 1.0),
            a + b + x - 1.0,
            z,
        )
        with np.errstate(divide="ignore", invalid="ignore"):  # a = 1: callers see nan
            mean = (a + b + x - 1.0) / (a - 1.0) * (1.0 - tail)
        return np.where(t > 0, np.maximum(mean * self.p_alive(x, t_x, T), 0.0), 0.0)


def fit(x, t_x, T, weights=None) -> BgNbdFit:
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
    return BgNbdFit(*map(float, params), log_likelihood=float(ll))
