"""What the demo plan promises, checked without Odoo."""

import collections
import datetime
import statistics

import numpy as np
import pytest

from benchmarks.recommend_demo_plan import evaluate_plan
from datagen import names
from datagen.plan import bench_plan, demo_plan, seasonality
from datagen.trades import TRADES

TODAY = datetime.date(2026, 11, 22)


def _revenue_by_customer(plan):
    prices = {product.key: product.price for product in plan.products}
    revenue = collections.Counter({customer.key: 0.0 for customer in plan.customers})
    for order in plan.orders:
        if order.state == "sale":
            revenue[order.customer] += sum(
                prices[key] * quantity * (1 - discount / 100)
                for key, quantity, discount in order.lines
            )
    return revenue


def test_same_seed_same_plan_other_seed_other_plan():
    first, again, other = (
        demo_plan(42, TODAY),
        demo_plan(42, TODAY),
        demo_plan(7, TODAY),
    )
    assert first.orders == again.orders and first.customers == again.customers
    assert first.orders != other.orders


def test_sizes():
    plan = demo_plan(42, TODAY)
    assert len(plan.customers) == 300
    assert len(plan.products) == 150
    assert len(plan.tickets) == 400
    assert len(plan.suppliers) == 20
    assert sum(customer.reseller for customer in plan.customers) == 10
    states = collections.Counter(order.state for order in plan.orders)
    assert states["sale"] > 1500 and states["cancel"] > 50 and states["quotation"] > 50
    outcomes = collections.Counter(order.invoice for order in plan.orders)
    assert outcomes["paid"] and outcomes["open"] and outcomes["partial"]
    assert outcomes["refunded"]


def test_two_years_of_history_every_month():
    plan = demo_plan(42, TODAY)
    months = {order.day.strftime("%Y-%m") for order in plan.orders}
    assert len(months) >= 24
    assert min(order.day for order in plan.orders) >= TODAY - datetime.timedelta(760)
    assert max(order.day for order in plan.orders) <= TODAY


def test_long_tail_about_20_80():
    revenue = sorted(_revenue_by_customer(demo_plan(42, TODAY)).values(), reverse=True)
    top = sum(revenue[: len(revenue) // 5]) / sum(revenue)
    assert 0.7 <= top <= 0.9


def test_lebaran_and_year_end_peaks():
    assert seasonality(datetime.date(2026, 3, 10)) > 1.5
    assert seasonality(datetime.date(2025, 12, 15)) > 1.3
    assert seasonality(datetime.date(2026, 7, 15)) == 1.0


def test_churned_customers_stop_buying():
    plan = demo_plan(42, TODAY)
    last = {}
    for order in plan.orders:
        last[order.customer] = max(last.get(order.customer, order.day), order.day)
    churned = [
        c for c in plan.customers if last[c.key] < TODAY - datetime.timedelta(183)
    ]
    assert 0.05 * len(plan.customers) <= len(churned) <= 0.5 * len(plan.customers)


def test_bench_sizes_scale():
    plan = bench_plan(42, TODAY)
    assert plan.customers >= 100_000 and plan.lines >= 1_000_000
    assert (plan.today - plan.start).days >= 3 * 365
    assert bench_plan(42, TODAY, scale=0.01).lines == 10_000


def test_orders_peak_before_lebaran_and_in_december():
    plan = demo_plan(42, TODAY)
    days = [order.day for order in plan.orders]

    def per_day(first, last):
        return sum(first <= day <= last for day in days) / ((last - first).days + 1)

    quiet = per_day(datetime.date(2026, 6, 1), datetime.date(2026, 8, 31))
    lebaran = datetime.date(2026, 3, 20)
    before = per_day(lebaran - datetime.timedelta(days=27), lebaran)
    december = per_day(datetime.date(2025, 12, 1), datetime.date(2025, 12, 31))
    assert before > 1.5 * quiet
    assert december > 1.2 * quiet


def test_some_invoices_are_overdue():
    plan = demo_plan(42, TODAY)
    overdue = [
        order
        for order in plan.orders
        if order.invoice == "open" and (TODAY - order.day).days > 60
    ]
    assert 20 <= len(overdue) <= 0.15 * len(plan.orders)


def test_bench_customers_churn_and_buy_unevenly():
    # The loader imports Odoo; its draws need none.
    loader_class = pytest.importorskip("datagen.sql_loader").BenchLoader
    plan = bench_plan(seed=7, today=datetime.date(2026, 6, 30), scale=0.02)
    loader = loader_class.__new__(loader_class)
    loader.plan, loader.rng = plan, np.random.default_rng(plan.seed)
    customer, days, *_rest = loader._draw_lines()
    span = (plan.today - plan.start).days
    assert days.min() >= 0 and days.max() <= span
    last = np.full(plan.customers, -1)
    np.maximum.at(last, customer, days)
    # Churn: even among customers with ten orders or more, a good share had
    # stopped buying half a year before the end (uniform dates: about 8%).
    heavy = np.bincount(customer, minlength=plan.customers) >= 10
    assert 0.25 < np.mean(last[heavy] < span - 180) < 0.75


def _trade_orders(plan):
    """(trade, the items of each confirmed order of its customers)."""
    trade_of = {customer.key: customer.trade for customer in plan.customers}
    item_of = {product.key: product.item for product in plan.products}
    return [
        (trade_of[order.customer], {item_of[key] for key, _q, _d in order.lines})
        for order in plan.orders
        if order.state == "sale"
    ]


def test_every_customer_has_a_trade_and_trades_name_real_items():
    plan = demo_plan(42, TODAY)
    items = {item for _category, family in names.PRODUCT_FAMILIES for item, _ in family}
    for trade in TRADES:
        named = {*trade.items, *(item for pair in trade.complements for item in pair)}
        named |= {
            item
            for first, second, _days in trade.follow_ups
            for item in (first, second)
        }
        assert named <= items, trade.name
        assert len(trade.grade_weights) == len(names.GRADES)
    trades = collections.Counter(customer.trade for customer in plan.customers)
    assert set(trades) == {trade.name for trade in TRADES}
    assert all(supplier.trade is None for supplier in plan.suppliers)
    # A company's name says its trade (an electronics shop is "... Elektronik").
    words = {trade.name: trade.company_words for trade in TRADES}
    for customer in plan.customers:
        if customer.is_company:
            assert customer.name.rsplit(" ", 1)[1] in words[customer.trade]


def test_customers_buy_mostly_their_trades_products():
    plan = demo_plan(42, TODAY)
    items_of = {trade.name: set(trade.items) for trade in TRADES}
    inside, lines = collections.Counter(), collections.Counter()
    for trade, items in _trade_orders(plan):
        lines[trade] += len(items)
        inside[trade] += len(items & items_of[trade])
    for trade in TRADES:
        assert inside[trade.name] / lines[trade.name] > 0.85, trade.name
    # An electronics shop hardly ever buys cement: the trades' baskets differ.
    cement = sum(
        "Semen 50 kg" in items
        for trade, items in _trade_orders(plan)
        if trade == "Toko Elektronik"
    )
    assert cement <= 0.02 * lines["Toko Elektronik"]


def test_complements_are_bought_together():
    """B sells more often in an order with A than in the trade's orders at
    large (lift above 1), about twice as often typically; less for a B that
    is a staple of the trade anyway (oil with rice)."""
    plan = demo_plan(42, TODAY)
    orders = _trade_orders(plan)
    lifts = []
    for trade in TRADES:
        mine = [items for name, items in orders if name == trade.name]
        for first, second in trade.complements:
            with_first = [items for items in mine if first in items]
            if len(with_first) < 10:
                continue
            together = sum(second in items for items in with_first) / len(with_first)
            anywhere = sum(second in items for items in mine) / len(mine)
            lifts.append(together / anywhere)
            assert together > 1.1 * anywhere, (trade.name, first, second)
    assert len(lifts) > 15
    assert statistics.median(lifts) > 2


def test_follow_ups_come_after_the_first_purchase():
    plan = demo_plan(42, TODAY)
    trade_of = {customer.key: customer.trade for customer in plan.customers}
    item_of = {product.key: product.item for product in plan.products}
    first_day = {}
    for order in sorted(plan.orders, key=lambda order: order.day):
        if order.state == "sale":
            for key, _q, _d in order.lines:
                first_day.setdefault((order.customer, item_of[key]), order.day)
    after = before = 0
    for customer, trade_name in trade_of.items():
        trade = next(trade for trade in TRADES if trade.name == trade_name)
        for first, second, _days in trade.follow_ups:
            started = first_day.get((customer, first))
            followed = first_day.get((customer, second))
            if started and followed:
                after += followed > started
                before += followed < started
    assert after > 2 * before


def test_dearer_grades_cost_more():
    plan = demo_plan(42, TODAY)
    grades = collections.defaultdict(dict)
    for product in plan.products:
        grades[product.item][product.grade] = product
        assert product.name.startswith(product.item)
        assert product.name.endswith(names.GRADES[product.grade][0])
    assert len(grades) == sum(len(family) for _c, family in names.PRODUCT_FAMILIES)
    for item, by_grade in grades.items():
        prices = [by_grade[grade].price for grade in sorted(by_grade)]
        assert prices == sorted(prices) and len(set(prices)) == len(prices), item
        assert len({product.category for product in by_grade.values()}) == 1


def test_small_plan_still_covers_every_family_and_trade():
    plan = demo_plan(42, TODAY, scale=0.05)
    assert len(plan.products) == 10
    assert {product.category for product in plan.products} == {
        category for category, _items in names.PRODUCT_FAMILIES
    }
    assert all(order.lines for order in plan.orders)


def test_recommendations_beat_the_most_popular_on_the_demo():
    """The run's offline check on the demo plan: trades and complements are
    learnt, so the recommender clearly beats offering the best sellers."""
    for seed in (42, 7):
        result = evaluate_plan(demo_plan(seed, TODAY))
        assert result.customers >= 40
        assert result.hit_at_5 > result.popular_hit_at_5 + 0.15, seed
        assert result.hit_at_10 > result.popular_hit_at_10 + 0.15, seed


def _bench_draws(seed=7, scale=0.02):
    """The bench loader's draws (orders, billing, tickets), made without Odoo."""
    loader_class = pytest.importorskip("datagen.sql_loader").BenchLoader
    plan = bench_plan(seed=seed, today=datetime.date(2026, 6, 30), scale=scale)
    loader = loader_class.__new__(loader_class)
    loader.plan, loader.rng = plan, np.random.default_rng(plan.seed)
    customer, days, *_rest = loader._draw_lines()
    billing = loader._draw_billing(customer, days)
    return plan, customer, days, billing, loader._draw_tickets()


def test_bench_invoices_are_paid_late_returned_or_left_open():
    plan, customer, days, billing, _tickets = _bench_draws()
    span = (plan.today - plan.start).days
    invoiced = billing["invoiced"]
    # Every order but the last week's is invoiced, on its day or soon after.
    assert np.all(invoiced == (days <= span - 7))
    gap = billing["invoice_day"][invoiced] - days[invoiced]
    assert gap.min() >= 0 and gap.max() <= 2
    assert np.all(billing["due_day"] == billing["invoice_day"] + 30)
    refunded, pays = billing["refunded"], billing["pays"]
    assert 0.015 < refunded.sum() / invoiced.sum() < 0.05
    assert np.all(billing["refund_day"][refunded] >= billing["invoice_day"][refunded])
    assert np.all(billing["refund_day"] <= span)
    # Paid ones by the plan's today; some late, most not, some never.
    assert not np.any(pays & ~invoiced)
    assert np.all(billing["pay_day"][pays] <= span)
    late = billing["pay_day"][pays] > billing["due_day"][pays]
    assert 0.1 < late.mean() < 0.6
    old = invoiced & (billing["due_day"] < span - 90)
    unpaid_old = (old & ~pays).sum() / old.sum()
    assert 0.02 < unpaid_old < 0.1
    assert 0.02 < (billing["half"] & pays).sum() / pays.sum() < 0.08
    # Lateness is a habit: the customers' average delays differ widely.
    delay = (billing["pay_day"] - billing["due_day"])[pays]
    per_customer = np.bincount(customer[pays], weights=delay) / np.maximum(
        np.bincount(customer[pays]), 1
    )
    busy = np.bincount(customer[pays], minlength=plan.customers) >= 5
    assert np.percentile(per_customer[busy], 90) - np.median(per_customer[busy]) > 5


def test_bench_tickets_with_timesheet_hours_for_many_customers():
    plan, _customer, _days, _billing, tickets = _bench_draws()
    who, day, subject, ticket_of_entry, entry_day, hours = tickets
    span = (plan.today - plan.start).days
    assert len(who) == int(plan.customers * 0.6)
    assert np.all(np.diff(day) >= 0) and day.max() <= span
    assert 0.3 < len(np.unique(who)) / plan.customers < 0.8
    assert np.all(np.bincount(ticket_of_entry, minlength=len(who)) >= 1)
    assert np.all(entry_day >= day[ticket_of_entry]) and entry_day.max() <= span
    assert hours.min() > 0 and 1.0 < hours.mean() < 2.0
    assert subject.min() >= 0


def test_bench_draws_are_the_same_from_the_same_seed():
    first, again, other = _bench_draws(3), _bench_draws(3), _bench_draws(4)
    for one, two in ((first[3], again[3]), (first[4], again[4])):
        one = one.values() if isinstance(one, dict) else one
        two = two.values() if isinstance(two, dict) else two
        assert all(np.array_equal(a, b) for a, b in zip(one, two, strict=True))
    assert not np.array_equal(first[3]["pay_day"], other[3]["pay_day"])
