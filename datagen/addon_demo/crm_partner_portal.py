"""crm_partner_portal demo: the ten resellers with levels, deal registrations
in every state, forwarded leads answered, declined and expired, won deals
with commissions; the portal customer with a credit limit, open deliveries
and open tickets."""

import random
from datetime import datetime, time, timedelta

from odoo import Command, fields

from datagen import names

SEED = 42
GOLD = "website_crm_partner_assign.res_partner_grade_data_gold"
SILVER = "website_crm_partner_assign.res_partner_grade_data_silver"
# Odoo's levels with their thresholds, commission and lead capacity; the won
# revenue thresholds follow the demo's sales (see _revenue_thresholds).
LEVELS = {
    GOLD: {
        "partner_weight": 10,
        "min_win_rate": 40,
        "max_response_hours": 36,
        "commission_rate": 6,
        "lead_capacity": 8,
    },
    SILVER: {
        "partner_weight": 5,
        "min_win_rate": 25,
        "max_response_hours": 48,
        "commission_rate": 4,
        "lead_capacity": 5,
    },
    "website_crm_partner_assign.res_partner_grade_data_bronze": {
        "partner_weight": 2,
        "commission_rate": 2.5,
        "lead_capacity": 3,
    },
}
# Rates by product category that differ from the level's rate: electronics
# pay more, staple food less.
CATEGORY_RATES = {
    GOLD: {"Elektronik": 8, "Bahan Bangunan": 3},
    SILVER: {"Elektronik": 5},
    "website_crm_partner_assign.res_partner_grade_data_bronze": {"Sembako": 1.5},
}
REJECT_REASONS = (
    "The customer is already served by our key account team.",
    "Another partner registered this customer first.",
    "Not enough detail: please add the products and a contact.",
)
DECLINE_REASONS = (
    "Too far from our service area.",
    "We do not carry this product line.",
    "Our team is fully booked this month.",
)


def _company_name(rng):
    words = rng.sample(names.COMPANY_WORDS, 2)
    return f"PT {words[0]} {words[1]} {rng.choice(names.COMPANY_TRADES)}"


def _at(day, hour=9):
    return datetime.combine(day, time(hour))


def _resellers(env):
    resellers = env["res.partner"].search(
        [("category_id.name", "=", "Reseller"), ("is_company", "=", True)], order="id"
    )
    users = env["res.users"].search(
        [("share", "=", True), ("partner_id.parent_id", "in", resellers.ids)]
    )
    user_of = {user.partner_id.parent_id: user for user in users}
    return [(reseller, user_of.get(reseller)) for reseller in resellers]


def _configure(env):
    env.company.write(
        {
            "partner_protection_days": 90,
            "partner_protection_warning_days": 14,
            "partner_offer_hours": 48,
            "account_use_credit_limit": True,
        }
    )
    for xmlid, vals in LEVELS.items():
        env.ref(xmlid).write(vals)
    # Resellers and customers who pick Bahasa Indonesia get the portal in it.
    indonesian = env["res.lang"]._lang_get("id_ID")
    if indonesian:
        env["website"].search([]).language_ids |= indonesian
    categories = {categ.name: categ for categ in env["product.category"].search([])}
    env["crm.partner.commission.rate"].create(
        [
            {
                "grade_id": env.ref(xmlid).id,
                "categ_id": categories[name].id,
                "rate": rate,
            }
            for xmlid, rates in CATEGORY_RATES.items()
            for name, rate in rates.items()
            if name in categories
        ]
    )
    bronze = env.ref("website_crm_partner_assign.res_partner_grade_data_bronze")
    return bronze


def _registrations(env, rng, resellers, today):
    """Four or five per reseller, every state, some in conflict."""
    Registration = env["crm.deal.registration"]
    customers = env["res.partner"].search(
        [("is_company", "=", True), ("customer_rank", ">", 0), ("vat", "!=", False)],
        limit=40,
    )
    products = env["product.product"].search([("sale_ok", "=", True)], limit=60)
    created = Registration
    for index, (reseller, user) in enumerate(resellers):
        for slot in range(4 + index % 2):
            conflict = slot == 1 and customers
            known = customers[(index * 3) % len(customers)] if conflict else None
            name = known.name if known else _company_name(rng)
            domain = name.lower().replace("pt ", "").replace(" ", "")[:18]
            registration = Registration.create(
                {
                    "partner_id": reseller.id,
                    "submitted_by_id": user.id if user else False,
                    "customer_name": name,
                    "customer_vat": known.vat if known else False,
                    "contact_name": f"{rng.choice(names.FIRST_NAMES)} "
                    f"{rng.choice(names.LAST_NAMES)}",
                    "email": f"purchasing@{domain}.co.id",
                    "phone": f"+62 8{rng.randrange(10**9, 10**10)}",
                    "expected_revenue": rng.randrange(4, 80) * 500_000,
                    "date_expected_close": today
                    + timedelta(days=rng.randrange(20, 150)),
                    "product_ids": [Command.set(rng.sample(products.ids, 2))],
                    "description": "Registered from the reseller portal.",
                }
            )
            created |= registration
            state = ("submitted", "approved", "rejected", "expired", "approved")[slot]
            if state == "approved":
                registration.action_approve()
                if slot == 4:  # ends soon: the reseller has been warned
                    registration.date_protection_end = today + timedelta(days=7)
            elif state == "rejected":
                registration.reject_reason = rng.choice(REJECT_REASONS)
                registration.action_reject()
            elif state == "expired":
                registration.action_approve()
                registration.write(
                    {
                        "date_decided": today - timedelta(days=120),
                        "date_protection_end": today - timedelta(days=30),
                    }
                )
    Registration._cron_protection()
    return created


def _forwarded_leads(env, rng, resellers, today):
    """Leads offered by rule; answered, declined, expired or still open."""
    Lead = env["crm.lead"]
    country = env.ref("base.id")
    leads = Lead.create(
        [
            {
                "name": f"{rng.choice(('Pengadaan', 'Kebutuhan', 'Permintaan'))} "
                f"{rng.choice(names.PRODUCT_FAMILIES)[0]}",
                "type": "lead",
                "partner_name": _company_name(rng),
                "contact_name": rng.choice(names.FIRST_NAMES),
                "email_from": f"lead{i}@example.co.id",
                "city": rng.choice(names.CITIES)[0],
                "country_id": country.id,
                "expected_revenue": rng.randrange(2, 40) * 500_000,
            }
            for i in range(40)
        ]
    )
    users = {reseller: user for reseller, user in resellers}
    outcome = {"accepted": 0, "declined": 0, "expired": 0, "offered": 0}
    for index, lead in enumerate(leads):
        lead._offer_to_next_match()
        offer = lead.partner_offer_id
        if not offer:
            continue
        user = users.get(offer.partner_id)
        # Offered some days ago, so the answers have a response time.
        offered = _at(today - timedelta(days=rng.randrange(3, 60)), 8)
        offer.write(
            {"date_offered": offered, "date_deadline": offered + timedelta(hours=48)}
        )
        kind = ("accepted", "accepted", "declined", "expired", "offered")[index % 5]
        if kind == "offered" or not user:
            offer.write(
                {
                    "date_offered": fields.Datetime.now(),
                    "date_deadline": fields.Datetime.now() + timedelta(hours=40),
                }
            )
            outcome["offered"] += 1
            continue
        if kind == "expired":
            Lead._cron_expire_partner_offers()
            outcome["expired"] += 1
            continue
        answered = offered + timedelta(hours=rng.randrange(2, 40))
        offer.write({"date_deadline": fields.Datetime.now() + timedelta(hours=1)})
        if kind == "accepted":
            lead.with_user(user).partner_interested("We will call them this week.")
        else:
            lead.with_user(user).partner_desinterested(rng.choice(DECLINE_REASONS))
        offer.write(
            {"date_answered": answered, "date_deadline": offered + timedelta(hours=48)}
        )
        outcome[kind] += 1
    return outcome


def _won_deals(env, rng, resellers, today):
    """Past invoiced orders become deals the resellers brought and won, a few
    lost ones beside them: the figures behind levels and commissions."""
    reseller_ids = [reseller.id for reseller, _user in resellers]
    orders = env["sale.order"].search(
        [
            ("state", "=", "sale"),
            ("invoice_status", "=", "invoiced"),
            ("date_order", ">=", _at(today - timedelta(days=330))),
            ("partner_id.commercial_partner_id", "not in", reseller_ids),
        ],
        order="date_order",
    )
    won_stage = env["crm.stage"].search([("is_won", "=", True)], limit=1)
    # The first resellers sell most: the demo shows every level.
    shares = [12, 9, 7, 5, 4, 3, 2, 2, 1, 1][: len(resellers)]
    picks = rng.sample(list(orders), min(len(orders), sum(shares)))
    vals, chosen = [], []
    for (reseller, _user), share in zip(resellers, shares, strict=False):
        for order in picks[:share]:
            vals.append(
                {
                    "name": f"{order.partner_id.commercial_partner_id.name}: "
                    f"{order.name}",
                    "type": "opportunity",
                    "partner_id": order.partner_id.id,
                    "partner_assigned_id": reseller.id,
                    "expected_revenue": order.amount_untaxed,
                    "user_id": order.user_id.id,
                }
            )
            chosen.append(order)
        picks = picks[share:]
    deals = env["crm.lead"].create(vals)
    deals.write({"stage_id": won_stage.id})
    for deal, order in zip(deals, chosen, strict=True):
        order.opportunity_id = deal
        deal.date_closed = order.date_order
    lost = env["crm.lead"].create(
        [
            {
                "name": f"Tender {_company_name(rng)}",
                "type": "opportunity",
                "partner_assigned_id": reseller.id,
                "expected_revenue": rng.randrange(2, 30) * 500_000,
            }
            for reseller, _user in resellers
            for _n in range(1 + rng.randrange(3))
        ]
    )
    lost.action_set_lost()
    for deal in lost:
        deal.date_closed = _at(today - timedelta(days=rng.randrange(10, 200)))
    return len(deals)


def _revenue_thresholds(env, resellers):
    """Gold for the top fifth of the resellers' won revenue, Silver from the
    middle, rounded to a million: the demo shows every level."""
    partners = env["res.partner"].browse([r.id for r, _u in resellers])
    figures = partners._partner_performance(*partners._performance_window())
    revenues = sorted(f["won_revenue"] for f in figures.values())
    if not revenues:
        return

    def at(share):
        value = revenues[min(len(revenues) - 1, int(len(revenues) * share))]
        return max(1_000_000, value // 1_000_000 * 1_000_000)

    env.ref(GOLD).min_won_revenue = at(0.8)
    env.ref(SILVER).min_won_revenue = at(0.4)


def _commissions(env, today):
    Commission = env["crm.partner.commission"]
    Commission._compute_commissions()
    old = Commission.search(
        [("state", "=", "earned"), ("date", "<", today - timedelta(days=60))]
    )
    old.action_mark_paid()
    return Commission.search_count([])


def _customer_side(env, today):
    """The portal customer: a credit limit, an order on its way, tickets."""
    user = env["res.users"].search([("login", "=", "customer@demo.example")], limit=1)
    if not user:
        return
    customer = user.commercial_partner_id
    customer.write(
        {
            "use_partner_credit_limit": True,
            "credit_limit": max(customer.credit * 2, 25_000_000),
        }
    )
    product = env["product.product"].search(
        [("sale_ok", "=", True), ("is_storable", "=", True)], limit=1
    ) or env["product.product"].search(
        [("sale_ok", "=", True), ("type", "=", "consu")], limit=1
    )
    order = env["sale.order"].create(
        {
            "partner_id": customer.id,
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": 12})
            ],
        }
    )
    order.action_confirm()
    _customer_invoices(env, customer, product, today)
    teams = env["helpdesk.ticket.team"].search([], limit=1)
    env["helpdesk.ticket"].create(
        [
            {
                "name": subject,
                "description": subject,
                "partner_id": user.partner_id.id,
                "priority": priority,
                "team_id": teams.id,
            }
            for subject, priority in (
                ("Karung beras sobek saat pengiriman", "2"),
                ("Faktur pajak belum diterima", "1"),
            )
        ]
    )


def _customer_invoices(env, customer, product, today):
    """Invoices not yet due, a little late and long overdue, one paid in part."""
    invoices = env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": today - timedelta(days=age),
                "invoice_date_due": today - timedelta(days=age - 30),
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": product.id, "quantity": qty, "price_unit": price}
                    )
                ],
            }
            for age, qty, price in (
                (5, 10, 185_000),
                (45, 6, 240_000),
                (100, 4, 310_000),
            )
        ]
    )
    invoices.action_post()
    partial = invoices[1]
    env["account.payment.register"].with_context(
        active_model="account.move", active_ids=partial.ids
    ).create({"amount": partial.amount_total / 2})._create_payments()


def prepare(env):
    rng = random.Random(SEED)
    today = fields.Date.context_today(env["res.partner"])
    bronze = _configure(env)
    resellers = _resellers(env)
    for reseller, _user in resellers:
        reseller.write(
            {"grade_id": bronze.id, "user_id": reseller.user_id.id or env.user.id}
        )
    registrations = _registrations(env, rng, resellers, today)
    won = _won_deals(env, rng, resellers, today)
    _revenue_thresholds(env, resellers)
    partners = env["res.partner"].browse([r.id for r, _u in resellers])
    partners._review_partner_levels()
    outcome = _forwarded_leads(env, rng, resellers, today)
    partners._review_partner_levels()
    commissions = _commissions(env, today)
    _customer_side(env, today)
    levels = ", ".join(
        f"{grade.name} {count}"
        for grade, count in env["res.partner"]._read_group(
            [("id", "in", [r.id for r, _u in resellers])], ["grade_id"], ["__count"]
        )
    )
    return (
        f"partner portal: {len(resellers)} resellers ({levels}), "
        f"{len(registrations)} deal registrations, {won} won deals, forwarded leads "
        f"{outcome['accepted']} accepted / {outcome['declined']} declined / "
        f"{outcome['expired']} expired / {outcome['offered']} open, "
        f"{commissions} commissions"
    )
