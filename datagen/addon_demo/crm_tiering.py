"""crm_tiering demo: a member-card program whose tiers hold customers at every
level, replayed quarter by quarter over the demo's two years so that the tier
history, the movement report and the portal card have something to show."""

from datetime import date

from odoo import Command

from crm_engine.tiering import add_months

from .. import STAFF, staff_login

# Tier name, share of customers ranked below its threshold (by 12-month
# revenue), badge colour, pricelist discount (%), payment terms, benefits.
TIERS = (
    ("Bronze", 0.0, "danger", 0, False, "<p>Member prices on promotions.</p>"),
    (
        "Silver",
        0.5,
        "secondary",
        2,
        "account.account_payment_term_15days",
        "<p>2% off every order and 15 days to pay.</p>",
    ),
    (
        "Gold",
        0.8,
        "warning",
        5,
        "account.account_payment_term_30days",
        "<p>5% off every order, 30 days to pay and tickets answered within "
        "8 hours.</p>",
    ),
    (
        "Platinum",
        0.95,
        "primary",
        8,
        "account.account_payment_term_30days",
        "<p>8% off every order, 30 days to pay, your own account manager and "
        "tickets answered within 2 hours.</p>",
    ),
)
REVIEWS = 8  # quarterly reviews: the demo's two years


def _round(value):
    """A threshold people can read: two significant digits."""
    if value <= 0:
        return 0.0
    digits = len(str(int(value))) - 2
    return float(round(value, -digits))


def _thresholds(program, today):
    values, _run = program._read_values(today)
    ranked = sorted(value for value in values.values() if value > 0)
    if not ranked:
        return [0.0, 1.0, 2.0, 3.0]
    cuts = [_round(ranked[int(share * (len(ranked) - 1))]) for _n, share, *_ in TIERS]
    cuts[0] = 0.0
    for index in range(1, len(cuts)):
        cuts[index] = max(cuts[index], cuts[index - 1] + 1.0)
    return cuts


def _pricelist(env, name, discount):
    if not discount:
        return env["product.pricelist"]
    return env["product.pricelist"].create(
        {
            "name": f"{name} members",
            "company_id": env.company.id,
            "sequence": 50,
            "item_ids": [
                Command.create(
                    {
                        "applied_on": "3_global",
                        "compute_price": "percentage",
                        "percent_price": float(discount),
                    }
                )
            ],
        }
    )


def _users(env, names):
    logins = [staff_login(name) for name in names]
    return env["res.users"].search([("login", "in", logins)])


def prepare(env):
    env = env(context=dict(env.context, tracking_disable=True))
    company = env.company
    today = env["crm.tier.program"].with_company(company)._today()
    program = env["crm.tier.program"].create(
        {
            "name": "Member Card",
            "company_id": company.id,
            "metric": "revenue",
            "assessment": "rolling",
            "review_months": 3,
            "min_stay_months": 6,
            "grace_percent": 10.0,
            "warning_days": 30,
            "notify_customers": False,
        }
    )
    # Its name as Indonesian customers read it (the demo loads Bahasa Indonesia).
    if env["res.lang"]._lang_get("id_ID"):
        program.with_context(lang="id_ID").name = "Kartu Member"
    sellers = _users(env, STAFF["salesperson"])
    agents = _users(env, STAFF["helpdesk agent"])
    team = env["helpdesk.ticket.team"].search([], limit=1)
    cuts = _thresholds(program, today)
    tiers = env["crm.tier"]
    for (name, _share, color, discount, terms, benefits), threshold in zip(
        TIERS, cuts, strict=True
    ):
        tiers |= env["crm.tier"].create(
            {
                "program_id": program.id,
                "name": name,
                "threshold": threshold,
                "badge_color": color,
                "benefits": benefits,
                "pricelist_id": _pricelist(env, name, discount).id,
                "payment_term_id": env.ref(terms).id if terms else False,
                "ticket_priority": {"Gold": "2", "Platinum": "3"}.get(name, False),
                "helpdesk_team_id": team.id if name in ("Gold", "Platinum") else False,
                "response_hours": {"Gold": 8.0, "Platinum": 2.0}.get(name, 0.0),
                "user_id": sellers[:1].id if name == "Platinum" else False,
            }
        )
    gold, platinum = tiers[2], tiers[3]
    env["crm.tier.rule"].create(
        [
            {
                "name": "Gold and Platinum opportunities to senior sales",
                "target": "lead",
                "tier_ids": [Command.set([gold.id, platinum.id])],
                "user_ids": [Command.set(sellers[:2].ids)],
                "priority": "2",
                "activity_type_id": env.ref("mail.mail_activity_data_call").id,
                "activity_summary": "Call the customer within a day",
            },
            {
                "name": "Large Platinum quotations need approval",
                "target": "order",
                "tier_ids": [Command.set([platinum.id])],
                "min_amount": cuts[3] / 4,
                "require_approval": True,
            },
            {
                "name": "Platinum tickets to the senior agent",
                "target": "ticket",
                "tier_ids": [Command.set([platinum.id])],
                "user_ids": [Command.set(agents[:1].ids)],
                "priority": "3",
            },
        ]
    )
    # Replay the reviews of the last two years, one per quarter.
    first = add_months(
        date(today.year, (today.month - 1) // 3 * 3 + 1, 1), -3 * REVIEWS
    )
    for quarter in range(REVIEWS + 1):
        program._review(add_months(first, 3 * quarter))
    program._review(today)
    program.notify_customers = True
    counts = ", ".join(f"{tier.name} {tier.customer_count}" for tier in tiers)
    moves = env["crm.tier.history"].search_count([("program_id", "=", program.id)])
    return f"loyalty tiers: {counts}; {moves} movements over two years"
