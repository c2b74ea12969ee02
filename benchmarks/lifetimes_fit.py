"""Time the ``lifetimes`` library's BG/NBD fit, as a reference for the engine.

``crm_engine.valuation.bgnbd`` fits the BG/NBD model on weighted unique
(x, t_x, T) rows. To compare its speed and estimates with the best-known
Python implementation, this script fits ``lifetimes.BetaGeoFitter`` on the
same customers, one row per customer, the way its users run it (no
``weights``, no penalizer).

lifetimes 0.11 needs old numpy/pandas/scipy/autograd, so it lives in a venv of
its own and this script imports nothing from the project::

    python3 -m venv /work/lifetimes-venv
    /work/lifetimes-venv/bin/pip install numpy==1.26.4 scipy==1.11.4 \
        pandas==1.5.3 autograd==1.6.2 dill==0.3.8 lifetimes==0.11.3
    /work/lifetimes-venv/bin/python benchmarks/lifetimes_fit.py INPUT.npz

INPUT.npz holds float arrays ``x``, ``t_x`` and ``T``, one entry per customer.
Prints one line of JSON: r, alpha, a, b, the fit's wall time in seconds and
the lifetimes version. Anything lifetimes itself prints goes to stderr.
"""

import contextlib
import json
import sys
import time

import lifetimes
import numpy as np


def main(path):
    data = np.load(path)
    x, t_x, T = (np.asarray(data[name], dtype=float) for name in ("x", "t_x", "T"))
    fitter = lifetimes.BetaGeoFitter(penalizer_coef=0.0)
    # On failure lifetimes prints the optimiser's result: keep stdout for JSON.
    with contextlib.redirect_stdout(sys.stderr):
        start = time.perf_counter()
        fitter.fit(x, t_x, T)
        seconds = time.perf_counter() - start
    result = {name: float(fitter.params_[name]) for name in ("r", "alpha", "a", "b")}
    result.update(seconds=seconds, version=lifetimes.__version__)
    print(json.dumps(result))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} INPUT.npz")
    main(sys.argv[1])
