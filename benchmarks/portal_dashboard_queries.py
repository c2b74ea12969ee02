"""SQL queries and server time of one reseller's dashboard (/my/partner);
prints the figures.

    python3 -m benchmarks.portal_dashboard_queries -c odoo.conf -d DB \\
        [--leads 3000] [--runs 30]

DB is a database with crm_partner_portal installed (a copy of the demo, or
of the test template with the addon installed). The first run adds a reseller
of the lowest level with its portal user (bench.reseller@example.com) and
``--leads`` opportunities assigned to it: open ones spread over the stages,
a quarter won and a sixth lost within the performance window, a few leads
waiting for its answer and some deal registrations; later runs reuse them.
The page is then requested ``--runs`` times in this process through Odoo's
WSGI application (no HTTP server, no network) after two warm-up requests;
each request's queries are counted by Odoo's cursor counter.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOGIN = "bench.reseller@example.com"
PASSWORD = "bench-reseller"
PAGE = "/my/partner"


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="python3 -m benchmarks.portal_dashboard_queries"
    )
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--leads", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=30)
    return parser.parse_args(argv)


def ensure_reseller(env, leads):
    """The bench reseller's portal user, made with its leads when missing."""
    from odoo import Command, fields  # noqa: PLC0415

    user = env["res.users"].search([("login", "=", LOGIN)])
    if user:
        return user
    grade = env["res.partner.grade"].search([], order="sequence desc", limit=1)
    reseller = env["res.partner"].create(
        {"name": "Bench Reseller", "is_company": True, "grade_id": grade.id}
    )
    user = env["res.users"].create(
        {
            "name": "Bench Reseller Sales",
            "login": LOGIN,
            "password": PASSWORD,
            "parent_id": reseller.id,
            "groups_id": [Command.set(env.ref("base.group_portal").ids)],
        }
    )
    stages = env["crm.stage"].search([("is_won", "=", False)])
    won_stage = env["crm.stage"].search([("is_won", "=", True)], limit=1)
    customer = env["res.partner"].create({"name": "Bench Customer", "is_company": True})
    now = fields.Datetime.now()
    vals = []
    for i in range(leads):
        kind = i % 12
        row = {
            "name": f"Bench deal {i}",
            "type": "opportunity",
            "partner_id": customer.id,
            "partner_assigned_id": reseller.id,
            "expected_revenue": 1000 + i,
            "stage_id": stages[i % len(stages)].id,
        }
        if kind < 3:
            row.update({"stage_id": won_stage.id, "date_closed": now})
        elif kind < 5:
            row.update({"active": False, "probability": 0, "date_closed": now})
        vals.append(row)
    env["crm.lead"].create(vals)
    for i in range(5):
        env["crm.lead"].create(
            {"name": f"Bench lead {i}", "type": "lead", "partner_name": "Toko"}
        ).partner_assigned_id = reseller
    env["crm.deal.registration"].create(
        [
            {
                "partner_id": reseller.id,
                "customer_name": f"Bench Customer {i}",
                "contact_name": "Andi",
                "email": f"andi{i}@bench.example",
                "expected_revenue": 5000,
                "date_expected_close": fields.Date.add(fields.Date.today(), days=30),
            }
            for i in range(40)
        ]
    )
    return user


def measure(runs):
    """``(queries, seconds, sql_seconds)`` of each of ``runs`` requests of
    the page."""
    import re  # noqa: PLC0415
    import threading  # noqa: PLC0415

    from werkzeug.test import Client  # noqa: PLC0415

    from odoo import http, sql_db  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    def application(environ, start_response):
        environ.setdefault("REMOTE_ADDR", "127.0.0.1")  # Odoo logs it at login.
        return http.root(environ, start_response)

    client = Client(application)
    page = client.get(f"/web/login?db={config['db_name']}")
    token = re.search(r'name="csrf_token"\s+value="([^"]+)"', page.text).group(1)
    client.post(
        "/web/login",
        data={"login": LOGIN, "password": PASSWORD, "csrf_token": token},
    )
    figures = []
    thread = threading.current_thread()
    for run in range(runs + 2):
        queries = sql_db.sql_counter
        # Odoo's cursor adds each query's time to these when they exist.
        thread.query_count, thread.query_time = 0, 0.0
        started = time.perf_counter()
        response = client.get(PAGE)
        seconds = time.perf_counter() - started
        if response.status_code != 200 or "Reseller Dashboard" not in response.text:
            raise SystemExit(
                f"{PAGE} answered {response.status_code}: not the dashboard"
            )
        if run >= 2:
            figures.append((sql_db.sql_counter - queries, seconds, thread.query_time))
    return figures


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    sys.path.insert(0, str(ROOT))
    import odoo  # noqa: PLC0415

    from datagen.odoo_env import environment  # noqa: PLC0415

    addons = f"--addons-path={ROOT / 'addons'}"
    with environment(args.config, args.database, [addons]) as env:
        user = ensure_reseller(env, args.leads)
        leads = (
            env["crm.lead"]
            .with_context(active_test=False)
            .search_count([("partner_assigned_id", "=", user.commercial_partner_id.id)])
        )
    odoo.service.server.load_server_wide_modules()
    figures = measure(args.runs)
    queries = sorted(count for count, _seconds, _sql in figures)
    times = sorted(seconds * 1000 for _count, seconds, _sql in figures)
    sql_times = sorted(sql * 1000 for _count, _seconds, sql in figures)
    print(f"{PAGE} for a reseller with {leads} leads, {args.runs} requests:")
    print(
        f"  SQL queries per request  median {statistics.median(queries):.0f}"
        f" (min {queries[0]}, max {queries[-1]})"
    )
    print(
        f"  server time (ms)         median {statistics.median(times):.1f},"
        f" p95 {times[int(0.95 * (len(times) - 1))]:.1f}"
    )
    print(f"  of which in SQL (ms)     median {statistics.median(sql_times):.1f}")


if __name__ == "__main__":
    main()
