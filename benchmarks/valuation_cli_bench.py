"""Benchmark of the valuation command line on 1,000,000 customers; prints its
figures.

    python3 -m benchmarks.valuation_cli_bench [--customers 1000000] [--seed 5]
        [--keep DIR]

Writes a CSV export of purchases (customer, date, amount, cost; about 3.4
rows per customer over 2023-2024: each customer buys a geometric number of
times, 3.7 on average, fewer within the two years, at their own pace,
spending around their own mean), then runs ``python3 -m
crm_engine.valuation`` on it under ``/usr/bin/time -v`` and prints the wall
time and the peak memory of the whole command, against the targets (60 s,
1.5 GB).
"""

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from benchmarks.bench_common import report, verdict

TARGET_SECONDS = 60
TARGET_BYTES = 1.5e9
START = np.datetime64("2023-01-01")
END = np.datetime64("2024-12-31")


def write_export(path, customers, seed):
    """The purchases CSV; how many rows it holds."""
    rng = np.random.default_rng(seed)
    purchases = rng.geometric(1 / 3.7, customers)
    customer = np.repeat(np.arange(customers), purchases)
    first = rng.integers(0, 600, customers)
    gap = rng.gamma(2.0, 20.0, customers)
    step = rng.exponential(1.0, len(customer)) * gap[customer] + 1
    start = np.cumsum(purchases) - purchases
    offset = np.cumsum(step) - np.repeat(
        np.cumsum(step)[start] - step[start], purchases
    )
    offset -= step  # the first purchase is on the first day
    day = START + (first[customer] + offset.astype(np.int64)).astype("timedelta64[D]")
    keep = day <= END
    customer, day = customer[keep], day[keep]
    spend = rng.gamma(3.0, 25.0, customers)
    amount = np.round(rng.gamma(4.0, spend[customer] / 4.0), 2)
    cost = np.round(amount * 0.6, 2)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("customer,date,amount,cost\n")
        for first_row in range(0, len(customer), 500_000):
            rows = slice(first_row, first_row + 500_000)
            handle.writelines(
                f"cust-{who:07d},{when},{paid:.2f},{spent:.2f}\n"
                for who, when, paid, spent in zip(
                    customer[rows].tolist(),
                    day[rows].astype(str).tolist(),
                    amount[rows].tolist(),
                    cost[rows].tolist(),
                    strict=True,
                )
            )
    return len(customer)


def run_cli(export, out_dir):
    """Wall seconds and peak resident bytes of the command."""
    command = [
        "/usr/bin/time",
        "-v",
        sys.executable,
        "-m",
        "crm_engine.valuation",
        str(export),
        "--out-dir",
        str(out_dir),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode:
        raise SystemExit(result.stdout + result.stderr)
    wall = re.search(
        r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", result.stderr
    )
    hours, minutes, seconds = wall.groups()
    elapsed = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    peak = int(
        re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)[1]
    )
    return elapsed, peak * 1024


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m benchmarks.valuation_cli_bench")
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the export and results here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        export = folder / "transactions.csv"
        rows = write_export(export, args.customers, args.seed)
        elapsed, peak = run_cli(export, folder / "out")
    report(
        [
            ("customers", f"{args.customers:,}"),
            ("purchase rows", f"{rows:,}"),
            (
                "command line, end to end",
                f"{elapsed:8.1f} s  (target <= {TARGET_SECONDS}: "
                f"{verdict(elapsed <= TARGET_SECONDS)})",
            ),
            (
                "peak memory",
                f"{peak / 1e9:8.2f} GB  (target <= 1.5: "
                f"{verdict(peak <= TARGET_BYTES)})",
            ),
        ]
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
