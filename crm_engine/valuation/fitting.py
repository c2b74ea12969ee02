"""Maximum-likelihood machinery shared by the probability models.

Every model is fitted the same way: customers with identical histories add
identical terms to the log-likelihood, so the data are collapsed to unique rows
with a count, and the weighted negative log-likelihood is minimised over the
*logarithms* of the parameters, which keeps them positive without bounds.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

# Past this a parameter is not estimated but running away: the data do not
# identify it (for instance no repeat buyers at all), and forecasts would be
# artefacts of where the optimiser stopped.
RUNAWAY = 1e6


class FitError(RuntimeError):
    """The optimiser did not reach a usable maximum of the likelihood."""


@dataclass(frozen=True)
class UniqueRows:
    """Distinct rows, their weights, and where each original row went."""

    columns: tuple[np.ndarray, ...]
    counts: np.ndarray
    inverse: np.ndarray

    def expand(self, values) -> np.ndarray:
        """Per-unique-row results back to one value per original row."""
        return np.asarray(values)[self.inverse]


def unique_rows(*columns, weights=None) -> UniqueRows:
    """Collapse identical rows; ``weights`` (one per row) are summed per group.

    A million customers observed to the day have only tens of thousands of
    distinct (x, t_x, T) histories, so fits and predictions run on those.
    Rows come out sorted by the first column, then the next, like
    ``np.unique(axis=0)``, which is several times slower on a million rows
    because it compares whole rows as byte strings.
    """
    data = [np.asarray(c, dtype=float).ravel() for c in columns]
    size = data[0].shape[0]
    order = np.lexsort(data[::-1])
    ordered = [column[order] for column in data]
    starts = np.ones(size, dtype=bool)
    for column in ordered:
        starts[1:] &= column[1:] == column[:-1]
    starts = ~starts
    starts[:1] = True
    group = np.cumsum(starts) - 1
    inverse = np.empty(size, dtype=np.int64)
    inverse[order] = group
    first = np.flatnonzero(starts)
    counts = np.bincount(
        inverse,
        weights=None if weights is None else np.asarray(weights, dtype=float),
        minlength=first.shape[0],
    ).astype(float)
    return UniqueRows(tuple(column[first] for column in ordered), counts, inverse)


def _converged(result) -> bool:
    return bool(result.success) and bool(np.isfinite(result.fun))


def _refuse_runaway(result, wall):
    """A maximum on the wall means the likelihood still rises beyond it."""
    if np.any(np.abs(result.x) > wall - 0.01):
        raise FitError("a parameter ran off to 0 or infinity: the data cannot fix it")


def maximise(neg_log_likelihood, starts, total_weight, neg_gradient=None):
    """Return (parameters, log-likelihood) from the first start that converges.

    L-BFGS-B with tight tolerances gets the published CDNOW estimates to four
    digits; when it stops without convergence (its line search can give up on a
    flat ridge) Nelder-Mead polishes from where it stopped. Both stay within
    [1/RUNAWAY, RUNAWAY], so a likelihood that keeps rising along a ridge to
    infinity stops at the wall instead of being followed for minutes. The
    objective is divided by the total weight so tolerances mean the same for
    2,000 and 2,000,000 customers. Later starts are only tried when earlier
    ones fail. An analytic ``neg_gradient`` (by the parameters themselves)
    saves the extra likelihood evaluations of a numerical gradient.

    Raises FitError when no start converges or the optimum is at the wall.
    """
    scale = max(float(total_weight), 1.0)
    wall = np.log(RUNAWAY)

    def objective(log_params):
        value = neg_log_likelihood(np.exp(log_params)) / scale
        return value if np.isfinite(value) else 1e100

    def jacobian(log_params):
        params = np.exp(log_params)
        gradient = neg_gradient(params) * params / scale
        return gradient if np.all(np.isfinite(gradient)) else np.zeros_like(params)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for start in starts:
            bounds = [(-wall, wall)] * len(start)
            result = minimize(
                objective,
                np.log(start),
                method="L-BFGS-B",
                jac=None if neg_gradient is None else jacobian,
                bounds=bounds,
                options={"ftol": 1e-14, "gtol": 1e-9, "maxiter": 1000},
            )
            _refuse_runaway(result, wall)
            if not _converged(result) and result.fun < 1e99:
                result = minimize(
                    objective,
                    result.x,
                    method="Nelder-Mead",
                    bounds=bounds,
                    options={"xatol": 1e-8, "fatol": 1e-13, "maxfev": 1000},
                )
            if _converged(result) and result.fun < 1e99:
                break
        else:
            raise FitError("the optimiser did not converge from any start point")
    _refuse_runaway(result, wall)
    return np.exp(result.x), -result.fun * scale


def weighted_sum(values, weights):
    """Sum of ``values`` x ``weights`` along the last axis (one sum per row of
    a 2-D ``values``), in numpy's own loop. BLAS's dot product hands vectors
    this size to its threads, which on a busy machine costs far more than the
    sum itself: 0.8 ms against 0.02 ms for 70,000 rows, up to 16 ms under
    load, at every step of the optimiser."""
    return np.einsum("...i,i->...", values, weights)


def as_arrays(*values):
    """Float arrays of the inputs, so models accept scalars, lists and arrays."""
    return tuple(np.asarray(v, dtype=float) for v in values)


def fit_weighted(
    terms, starts, *columns, weights=None, gradient_terms=None, prepare=None
):
    """Maximise ``sum(count x terms(params, *unique columns))``.

    ``gradient_terms(params, *columns)`` -- one row of per-customer derivatives
    for each parameter -- is optional. ``prepare(*unique columns)``, when
    given, turns the columns once into whatever ``terms`` and
    ``gradient_terms`` take instead (a tuple of arguments), so work that does
    not depend on the parameters is not repeated at every iteration.
    """
    rows = unique_rows(*columns, weights=weights)
    data = prepare(*rows.columns) if prepare else rows.columns

    def neg_log_likelihood(params):
        return -weighted_sum(terms(params, *data), rows.counts)

    def neg_gradient(params):
        return -weighted_sum(gradient_terms(params, *data), rows.counts)

    return maximise(
        neg_log_likelihood,
        starts,
        rows.counts.sum(),
        None if gradient_terms is None else neg_gradient,
    )


def rate_scale(x, T, weights=None) -> float:
    """1 / (repeat purchases per unit of time): a start for a Gamma scale.

    Starting from the data's own rate keeps the fit unit-free: the same code
    converges whether time is counted in weeks or in days.
    """
    x, T = as_arrays(x, T)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    return float(max(weighted_sum(T, w), 1e-9) / max(weighted_sum(x, w), 1.0))
