"""Benchmark of the tier review on the bench data set; prints its figures.

    python3 -m benchmarks.tiering_bench -c odoo.conf -d BENCH_DB

BENCH_DB holds the ``bench`` data set (python3 -m datagen --size bench) with
crm_tiering installed; when it does not exist it is made so (a copy of the
test template, the bench set loaded, crm_tiering installed: about 5 minutes).
The company's latest finished valuation is used, made first when there is
none. On a scratch copy of the database (dropped at the end), each review
committed like the nightly job, it measures:

1. the engine alone: ``evaluate`` over every customer's value;
2. the first review of a four-tier program on the valuation margin: every
   customer enters a tier (standings and history inserted in bulk, the top
   tier's pricelist given);
3. the next day's review: the rule of every standing turns from "entered" to
   "kept", written in bulk statements, no history;
4. the day after: nothing changes and nothing is written;
5. a review after the Gold threshold is lowered by a tenth: only the customers
   who move get history rows, ORM writes, chatter messages and emails.

Target (the issue's): a review of 100,000 partners under 30 s, with only
changed partners written; printed as met or missed for the nightly reviews
(2 to 5). The first review, which enters every customer, is printed too.
"""

import argparse
import sys
from datetime import timedelta
from pathlib import Path

from benchmarks.bench_common import prepare_database, timed

ROOT = Path(__file__).resolve().parents[1]
TIERS = (("Bronze", 0.0), ("Silver", 0.5), ("Gold", 0.8), ("Platinum", 0.95))
TARGET_SECONDS = 30.0


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python3 -m benchmarks.tiering_bench")
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    return parser.parse_args(argv)


def latest_run(env):
    """The company's latest finished valuation, made (and committed) if none."""
    run = env["crm.valuation.run"].search(
        [("company_id", "=", env.company.id), ("is_latest", "=", True)], limit=1
    )
    if run:
        return run, None
    run = (
        env["crm.valuation.run"]
        .with_context(queue_job__no_delay=True)
        .create({"company_id": env.company.id})
    )
    _result, seconds = timed(run.action_run)
    env.cr.commit()
    return run, seconds


def make_program(env, today):
    """A program on the valuation margin, tiers at its 50/80/95th percentiles."""
    pricelist = env["product.pricelist"].create({"name": "Platinum bench"})
    program = env["crm.tier.program"].create(
        {
            "name": "Bench Card",
            "company_id": env.company.id,
            "metric": "margin",
            "notify_customers": True,
        }
    )
    values, _run = program._read_values(today)
    ranked = sorted(value for value in values.values() if value > 0)
    env["crm.tier"].create(
        [
            {
                "program_id": program.id,
                "name": name,
                "threshold": round(ranked[int(share * (len(ranked) - 1))])
                if share
                else 0.0,
                "pricelist_id": pricelist.id if name == "Platinum" else False,
            }
            for name, share in TIERS
        ]
    )
    return program


def engine_only(program, values, today):
    from crm_engine.tiering import Standing, evaluate_many  # noqa: PLC0415

    rules, _tiers = program._engine_program()
    standings = [Standing()] * len(values)
    _decisions, seconds = timed(
        evaluate_many, rules, standings, list(values.values()), today
    )
    return seconds


def counts(env, program):
    history = env["crm.tier.history"].search_count([("program_id", "=", program.id)])
    messages = env["mail.message"].search_count([("model", "=", "res.partner")])
    return history, messages


def review(env, program, today):
    """One review in its own transaction, as the nightly job runs it."""
    before = counts(env, program)
    stats, seconds = timed(program._review, today)
    env.cr.commit()
    after = counts(env, program)
    return stats, seconds, after[0] - before[0], after[1] - before[1]


def main(argv=None):
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from odoo import SUPERUSER_ID, api, fields, sql_db  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    from datagen.odoo_env import environment  # noqa: PLC0415
    from tools import odoo_runtime as runtime  # noqa: PLC0415

    prepare_database(args.config, args.database, "crm_tiering")
    addons = f"--addons-path={ROOT / 'addons'}"
    with environment(args.config, args.database, [addons]) as env:
        run, valuation_seconds = latest_run(env)
        run_label = f"{run.name} ({run.customer_count:,} customers)"
    sql_db.close_db(args.database)
    # Reviews commit like the nightly job: on a scratch copy, dropped after.
    pg = runtime.Postgres(args.config)
    scratch = f"{args.database}_tiers"
    if pg.exists(scratch):
        pg.drop(scratch)
    pg.copy(args.database, scratch)
    try:
        # The configuration is parsed already: open the copy's registry.
        with Registry(scratch).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            old = env["crm.tier.program"].search([("company_id", "=", env.company.id)])
            old.active = False
            today = fields.Date.context_today(env.user)
            program = make_program(env, today)
            env.cr.commit()
            (values, _run), read_seconds = timed(program._read_values, today)
            engine_seconds = engine_only(program, values, today)
            results = [review(env, program, today)]
            tomorrow = today + timedelta(days=1)
            results.append(review(env, program, tomorrow))
            results.append(review(env, program, tomorrow + timedelta(days=1)))
            gold = program.tier_ids.sorted("threshold")[2]
            gold.threshold = round(gold.threshold * 0.9)
            env.cr.commit()
            results.append(review(env, program, tomorrow + timedelta(days=1)))
    finally:
        sql_db.close_db(scratch)
        pg.drop(scratch)
    labels = (
        "first review (all enter)",
        "next day (entry -> kept)",
        "day after (nothing changes)",
        "after Gold threshold -10%",
    )
    lines = [
        ("valuation run used", run_label),
        (
            "  made for this benchmark",
            f"{valuation_seconds:8.2f} s" if valuation_seconds else "no (existing)",
        ),
        ("customers evaluated", f"{results[0][0]['customers']:,}"),
        ("read values (SQL)", f"{read_seconds:8.2f} s"),
        ("engine evaluate, all customers", f"{engine_seconds:8.2f} s"),
    ]
    for label, (stats, seconds, moves, messages) in zip(labels, results, strict=True):
        lines.append(
            (
                label,
                f"{seconds:8.2f} s  ({stats['upgrade']:,} up, "
                f"{stats['downgrade']:,} down, {moves:,} history rows, "
                f"{messages:,} partner messages)",
            )
        )
    steady = max(seconds for _stats, seconds, _moves, _messages in results[1:])
    lines.append(
        (
            f"target < {TARGET_SECONDS:.0f} s per nightly review",
            "met" if steady < TARGET_SECONDS else "MISSED",
        )
    )
    width = max(len(label) for label, _value in lines)
    for label, value in lines:
        print(f"{label:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
