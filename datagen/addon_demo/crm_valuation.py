"""crm_valuation demo: the company's cost rates, a first valuation, the
recommendations computed from it and the first calls before customers lapse."""

# Demo rates of the Indonesian trading company (IDR).
VALUATION_SETTINGS = {
    "valuation_hourly_cost": 85_000.0,
    "valuation_order_cost": 35_000.0,
    "valuation_delay_rate": 12.0,
}


def prepare(env):
    env.company.write(VALUATION_SETTINGS)
    run = (
        env["crm.valuation.run"]
        .with_context(queue_job__no_delay=True)
        .create({"company_id": env.company.id})
    )
    run.action_run()
    offers = env["crm.valuation.recommendation.run"].create(
        {"company_id": env.company.id}
    )
    offers.action_run()
    env["crm.valuation.run"]._cron_lapse_calls()
    return (
        f"customer valuation: {run.customer_count} customers valued, "
        f"{offers.recommendation_count} products recommended"
    )
