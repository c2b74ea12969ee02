"""Load on the partner portal: logged-in resellers and customers opening
their pages; prints the figures.

    python3 -m benchmarks.portal_load --url http://127.0.0.1:8069 \\
        [--users 20] [--seconds 60] [--locust /path/to/venv/bin/locust]

Serve the demo database first (python3 -m tools.demo, or the Odoo command of
the developers' guide). Locust (from the package index) runs in a virtual
environment of its own, as it pins newer requests and werkzeug than Odoo's:
``python3 -m venv VENV && VENV/bin/pip install locust``. The demo's ten
resellers and its portal customer log in once each simulated user starts,
then open the dashboard, registrations, commissions, leads, opportunities and
account overview pages in turn, 0.5 to 1.5 s apart.

Target (the issue's): 95th percentile under 300 ms with no error, on
loopback with 20 users for 60 s. Printed as met or missed.
"""

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

LOCUSTFILE = Path(__file__).with_name("portal_locustfile.py")
TARGET_P95_MS = 300


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python3 -m benchmarks.portal_load")
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--locust", default=shutil.which("locust") or "locust")
    return parser.parse_args(argv)


def run_locust(args, out_dir):
    command = [
        args.locust,
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.users),
        "--run-time",
        f"{args.seconds}s",
        "--csv",
        str(out_dir / "load"),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    env = {**os.environ, "PORTAL_URL": args.url}
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def read_stats(out_dir):
    with open(out_dir / "load_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def main(argv=None):
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="portal_load_") as tmp:
        out_dir = Path(tmp)
        result = run_locust(args, out_dir)
        if not (out_dir / "load_stats.csv").exists():
            print(result.stdout[-2000:], result.stderr[-2000:], sep="\n")
            return 1
        rows = read_stats(out_dir)
    print(
        f"portal load: {args.users} users, {args.seconds} s, {args.url}\n"
        f"{'page':<22}{'requests':>9}{'fails':>7}{'p50 ms':>8}{'p95 ms':>8}"
        f"{'max ms':>8}{'req/s':>8}"
    )
    total = None
    for row in rows:
        line = (
            f"{row['Name']:<22}{row['Request Count']:>9}{row['Failure Count']:>7}"
            f"{row['50%']:>8}{row['95%']:>8}{float(row['Max Response Time']):>8.0f}"
            f"{float(row['Requests/s']):>8.1f}"
        )
        print(line)
        if row["Name"] == "Aggregated":
            total = row
    if total is None:
        print("no aggregated figures: did any user log in?")
        return 1
    pages = [row for row in rows if row["Name"].startswith("/my")]
    worst = max(float(row["95%"]) for row in pages) if pages else float("inf")
    failures = sum(int(row["Failure Count"]) for row in rows)
    met = worst < TARGET_P95_MS and failures == 0
    print(
        f"worst page p95 {worst:.0f} ms, {failures} failures: target "
        f"(p95 < {TARGET_P95_MS} ms, no error) {'met' if met else 'missed'}"
    )
    return 0 if met else 2


if __name__ == "__main__":
    sys.exit(main())
