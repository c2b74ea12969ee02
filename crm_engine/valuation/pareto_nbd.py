"""Pareto/NBD model (Schmittlein, Morrison & Colombo 1987, Management Science 33(1)).

While alive a customer buys as Poisson(lambda), lambda ~ Gamma(r, alpha); the
unobserved lifetime is exponential(mu), mu ~ Gamma(s, beta). The likelihood is
the one of Fader & Hardie's note "A Note on Deriving the Pareto/NBD Model and
Related Expressions" (2005). It holds a Gauss hypergeometric function whose
textbook form overflows or loses every digit for frequent buyers, so it is
evaluated in log space after Euler's transformation (see ``_log_tail``), once
per distinct (x, t) pair (see ``Histories``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import gammaln, hyp2f1

from .fitting import as_arrays, fit_weighted, rate_scale, unique_rows


def _log_tail(params, x, t):
    """log of 2F1(rho, .; rho+1; z(t)) / (max(alpha, beta) + t)^rho, rho = r+s+x.

    The note uses, with the larger of alpha and beta in the denominator so that
    0 <= z < 1:

    * alpha >= beta: 2F1(rho, s+1; rho+1; z), z = (alpha-beta)/(alpha+t)
      = (1-z)^(-s) 2F1(1, r+x; rho+1; z)
    * alpha < beta:  2F1(rho, r+x; rho+1; z), z = (beta-alpha)/(beta+t)
      = (1-z)^(1-r-x) 2F1(1, s+1; rho+1; z)

    The right-hand sides (Euler's transformation) are series of positive terms
    that stay small, so scipy evaluates them to full precision.
    """
    r, alpha, s, beta = params
    rho = r + s + x
    if alpha >= beta:
        big, small, power, b = alpha, beta, -s, r + x
    else:
        big, small, power, b = beta, alpha, 1.0 - r - x, s + 1.0
    log_one_minus_z = np.log(small + t) - np.log(big + t)
    hyp = hyp2f1(1.0, b, rho + 1.0, (big - small) / (big + t))
    return power * log_one_minus_z + np.log(hyp) - rho * np.log(big + t)


class Histories:
    """(x, t_x, T) rows with the distinct (x, t) pairs their tails need.

    The hypergeometric tail, nearly all the cost of the likelihood, depends on
    x and one time: t_x or T. A customer base has far fewer distinct (x, t)
    pairs than (x, t_x, T) rows (the bench set: 18,918 pairs for 68,622 rows
    of 100,001 customers), so the tail is evaluated once per pair and gathered
    back, instead of twice per row at every iteration of the optimiser.
    """

    def __init__(self, x, t_x, T):
        self.shape = np.broadcast(*as_arrays(x, t_x, T)).shape
        x, t_x, T = (
            column.ravel() for column in np.broadcast_arrays(*as_arrays(x, t_x, T))
        )
        self.x, self.t_x, self.T = x, t_x, T
        pairs = unique_rows(np.concatenate([x, x]), np.concatenate([t_x, T]))
        self.pair_x, self.pair_t = pairs.columns
        self.at_last, self.at_end = np.split(pairs.inverse, 2)

    def tails(self, params):
        """``_log_tail`` at (x, t_x) and at (x, T), row by row."""
        tails = _log_tail(params, self.pair_x, self.pair_t)
        return tails[self.at_last], tails[self.at_end]


def _log_alive_and_dead(params, rows: Histories):
    """Log-likelihood parts: 'still alive at T' and 'died in (t_x, T]'."""
    r, alpha, s, beta = params
    x, t_x, T = rows.x, rows.t_x, rows.T
    alive = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
    at_last, at_end = rows.tails(params)
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.log(-np.expm1(np.minimum(at_end - at_last, 0.0)))
    dead = np.log(s) - np.log(r + s + x) + at_last + gap
    return alive, np.where(T > t_x, dead, -np.inf)


def _terms(params, rows: Histories):
    r, alpha, s, beta = params
    alive, dead = _log_alive_and_dead(params, rows)
    head = gammaln(r + rows.x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
    return head + np.logaddexp(alive, dead)


def log_likelihood_terms(params, x, t_x, T):
    """Per-customer log-likelihood."""
    rows = Histories(x, t_x, T)
    return _terms(params, rows).reshape(rows.shape)


@dataclass(frozen=True)
class ParetoNbdFit:
    """Fitted Pareto/NBD parameters and the predictions the valuation needs."""

    r: float
    alpha: float
    s: float
    beta: float
    log_likelihood: float = float("nan")

    name = "Pareto/NBD"

    @property
    def params(self) -> dict[str, float]:
        return {"r": self.r, "alpha": self.alpha, "s": self.s, "beta": self.beta}

    def _tuple(self):
        return (self.r, self.alpha, self.s, self.beta)

    def p_alive(self, x, t_x, T):
        """P(alive at T | x, t_x, T): the 'alive' share of the likelihood."""
        rows = Histories(x, t_x, T)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            alive, dead = _log_alive_and_dead(self._tuple(), rows)
            return np.exp(alive - np.logaddexp(alive, dead)).reshape(rows.shape)

    def expected_purchases(self, t, x, t_x, T):
        """Expected purchases in the next ``t`` time units (SMC 1987).

        (1 - ((beta+T)/(beta+T+t))^(s-1)) / (s-1) is written with expm1 so it
        stays exact as s approaches 1, where it tends to log(1 + t/(beta+T)).
        """
        x, t_x, T, t = as_arrays(x, t_x, T, t)
        r, alpha, s, beta = self._tuple()
        span = np.log1p(t / (beta + T))
        if abs(s - 1.0) < 1e-10:
            factor = span
        else:
            factor = -np.expm1(-(s - 1.0) * span) / (s - 1.0)
        mean = (r + x) * (beta + T) / (alpha + T) * factor
        return mean * self.p_alive(x, t_x, T)


def fit(x, t_x, T, weights=None) -> ParetoNbdFit:
    """Maximum likelihood on unique (x, t_x, T) rows weighted by their counts."""
    scale = rate_scale(x, T, weights)
    span = float(np.average(np.asarray(T, dtype=float), weights=weights))
    starts = ((1.0, scale, 1.0, max(span, 1e-6)), (0.5, 0.5 * scale, 0.5, span / 2))
    params, ll = fit_weighted(
        _terms,
        starts,
        x,
        t_x,
        T,
        weights=weights,
        prepare=lambda *columns: (Histories(*columns),),
    )
    return ParetoNbdFit(*map(float, params), log_likelihood=float(ll))
