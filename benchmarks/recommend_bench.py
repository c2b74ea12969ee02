"""Benchmark of the next best offer on the bench data set; prints its figures.

    python3 -m benchmarks.recommend_bench -c odoo.conf -d BENCH_DB

BENCH_DB holds the ``bench`` data set (python3 -m datagen --size bench);
crm_valuation is installed (or updated) in it first. In one transaction,
rolled back at the end, it measures:

1. a recommendation run end to end: the order lines read, product and
   category rules, every customer's cross-sell and up-sell, the offline check
   on the last 90 days, the rows written (target: under 60 s);
2. the customer 360 panel, as a user with every group, of a customer given
   1,000 of the data set's orders, a valuation and 200 logged interactions
   (target: under 150 ms of server time). Each call is timed in the server,
   after one call that warms the caches.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_common import report, verdict

ROOT = Path(__file__).resolve().parents[1]
HEAVY_ORDERS = 1000
INTERACTIONS = 200
PANEL_CALLS = 20
RUN_FIGURES = [
    "line_count",
    "customer_count",
    "recommendation_count",
    "product_rule_count",
    "category_rule_count",
    "duration_read",
    "duration_compute",
    "duration_evaluate",
    "duration_write",
    "evaluated_customers",
    "hit_at_5",
    "hit_at_10",
    "popular_hit_at_5",
    "popular_hit_at_10",
]
PANEL_GROUPS = (
    "crm_valuation.group_valuation_analyst",
    "sales_team.group_sale_salesman_all_leads",
    "account.group_account_invoice",
    "helpdesk_mgmt.group_helpdesk_user",
)


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python3 -m benchmarks.recommend_bench")
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument(
        "--no-update",
        action="store_true",
        help="crm_valuation is installed and current already",
    )
    return parser.parse_args(argv)


def prepare(config, database):
    """crm_valuation installed or updated to this worktree's code."""
    from tools import odoo_runtime as runtime  # noqa: PLC0415

    log_path = Path(tempfile.mkdtemp(prefix="crm-bench-")) / "prepare.log"
    if not runtime.Postgres(config).exists(database):
        raise SystemExit(f"{database} does not exist: load the bench set first")
    if runtime.run_odoo(
        config,
        [
            "-d",
            database,
            "-i",
            "crm_valuation",
            "-u",
            "crm_valuation",
            "--stop-after-init",
            "--no-http",
        ],
        log_path,
    ):
        raise SystemExit(f"installing crm_valuation failed: see {log_path}")


def recommendation_run(env):
    run = env["crm.valuation.recommendation.run"].create({"company_id": env.company.id})
    started = time.perf_counter()
    run.action_run()
    return run, time.perf_counter() - started


def heavy_customer(env):
    """A bench customer given 1,000 orders, valued, with interactions."""
    partner = env["res.partner"].create({"name": "Benchmark Heavy Buyer"})
    env.cr.execute(
        "UPDATE sale_order SET partner_id = %s, partner_invoice_id = %s,"
        " partner_shipping_id = %s WHERE id IN (SELECT id FROM sale_order"
        " WHERE state = 'sale' ORDER BY id LIMIT %s)",
        (partner.id, partner.id, partner.id, HEAVY_ORDERS),
    )
    env.invalidate_all()
    orders = env["sale.order"].search([("partner_id", "=", partner.id)], limit=50)
    for index in range(INTERACTIONS):
        record = orders[index % len(orders)] if index % 2 else partner
        record.message_post(
            body=f"Benchmark interaction {index}",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
    valuation = env["crm.valuation.run"].with_context(queue_job__no_delay=True)
    valuation.create({"company_id": env.company.id}).action_run()
    return partner


def panel_user(env):
    groups = [env.ref(xmlid).id for xmlid in PANEL_GROUPS]
    return env["res.users"].create(
        {
            "name": "Benchmark Panel User",
            "login": "bench_panel_user",
            "groups_id": [(6, 0, [env.ref("base.group_user").id, *groups])],
        }
    )


def panel_times(env, user, partner):
    panel = env["crm.valuation.customer.panel"].with_user(user)
    panel.get_panel_data("res.partner", partner.id)  # warm the caches
    seconds, queries = [], []
    for _ in range(PANEL_CALLS):
        env.invalidate_all()
        before = env.cr.sql_log_count
        started = time.perf_counter()
        data = panel.get_panel_data("res.partner", partner.id)
        seconds.append(time.perf_counter() - started)
        queries.append(env.cr.sql_log_count - before)
    return data, seconds, queries


def main(argv=None):
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from datagen.odoo_env import environment  # noqa: PLC0415

    if not args.no_update:
        prepare(args.config, args.database)
    addons = f"--addons-path={ROOT / 'addons'}"
    with environment(args.config, args.database, [addons]) as env:
        clock = time.perf_counter()
        partner = heavy_customer(env)
        print(
            f"heavy customer ready in {time.perf_counter() - clock:.1f} s", flush=True
        )
        run, total = recommendation_run(env)
        print(f"recommendation run done in {total:.1f} s", flush=True)
        data, seconds, queries = panel_times(env, panel_user(env), partner)
        run = run.read(RUN_FIGURES)[0]
        env.cr.rollback()  # leave the bench database as it was
    median = statistics.median(seconds) * 1000
    worst = max(seconds) * 1000
    lines = [
        ("order lines read", f"{run['line_count']:,}"),
        ("customers with recommendations", f"{run['customer_count']:,}"),
        ("recommendations written", f"{run['recommendation_count']:,}"),
        (
            "rules (products + categories)",
            f"{run['product_rule_count']:,} + {run['category_rule_count']:,}",
        ),
        (
            "recommendation run, end to end",
            f"{total:8.2f} s  (target < 60 s: {verdict(total < 60)})",
        ),
        ("  read (SQL, binary COPY)", f"{run['duration_read']:8.2f} s"),
        ("  rules + recommendations", f"{run['duration_compute']:8.2f} s"),
        ("  offline check (train + score)", f"{run['duration_evaluate']:8.2f} s"),
        ("  write", f"{run['duration_write']:8.2f} s"),
        ("offline check: customers", f"{run['evaluated_customers']:,}"),
        (
            "  hit rate at 5, ours / most popular",
            f"{run['hit_at_5']:.3f} / {run['popular_hit_at_5']:.3f}",
        ),
        (
            "  hit rate at 10, ours / most popular",
            f"{run['hit_at_10']:.3f} / {run['popular_hit_at_10']:.3f}",
        ),
        ("panel customer's orders", f"{data['orders']['count']:,}"),
        (
            f"panel, median of {PANEL_CALLS} calls",
            f"{median:8.1f} ms  (target < 150 ms: {verdict(median < 150)})",
        ),
        ("panel, slowest call", f"{worst:8.1f} ms"),
        ("panel, SQL queries per call", f"{max(queries)}"),
    ]
    report(lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
