"""What the data sets hold, decided from a seed before anything touches Odoo.

Keeping the plan free of Odoo makes its promises (counts, date spread, long tail,
seasonality) testable in milliseconds, and the loaders only have to write it.
"""

import dataclasses
import datetime
import random

from . import names
from .trades import TRADES

# Idul Fitri (Lebaran) dates: demand peaks in the weeks before them.
LEBARAN = (
    datetime.date(2023, 4, 22),
    datetime.date(2024, 4, 10),
    datetime.date(2025, 3, 31),
    datetime.date(2026, 3, 20),
    datetime.date(2027, 3, 10),
    datetime.date(2028, 2, 27),
)


@dataclasses.dataclass
class Customer:
    key: int
    name: str
    is_company: bool
    city: str
    state: str
    street: str
    zip: str
    vat: str | None
    email: str
    phone: str
    contacts: list[str]
    weight: float
    start: datetime.date
    end: datetime.date  # last day the customer may still buy (churn)
    reseller: bool = False
    trade: str | None = None  # a name of trades.TRADES (customers only)
    grade: int = 1  # position in names.GRADES of what it usually buys


@dataclasses.dataclass
class Product:
    key: int
    name: str
    category: str
    price: float
    cost: float
    item: str = ""  # the product without its grade
    grade: int = 1  # position in names.GRADES


@dataclasses.dataclass
class Order:
    customer: int
    day: datetime.date
    state: str  # quotation, sale, cancel
    lines: list[tuple[int, float, float]]  # product key, quantity, discount %
    invoice: str | None = None  # None, paid, partial, open, refunded


@dataclasses.dataclass
class Ticket:
    customer: int
    day: datetime.date
    name: str
    hours: list[float]
    closed: bool


@dataclasses.dataclass
class PurchaseOrder:
    supplier: int
    day: datetime.date
    lines: list[tuple[int, float]]  # product key, quantity
    lead_days: int
    delay_days: int  # receipt date minus planned date
    received_share: float  # 1.0 in full, less when short
    returned_share: float  # part of the receipt sent back


@dataclasses.dataclass
class DemoPlan:
    today: datetime.date
    customers: list[Customer]
    products: list[Product]
    orders: list[Order]
    tickets: list[Ticket]
    suppliers: list[Customer]
    purchases: list[PurchaseOrder]


def seasonality(day):
    """Demand multiplier: the four weeks before Lebaran and December are peaks."""
    factor = 1.0
    for lebaran in LEBARAN:
        if 0 <= (lebaran - day).days <= 28:
            factor *= 1.9
    if day.month == 12:
        factor *= 1.4
    return factor


def _npwp(rng):
    digits = "".join(str(rng.randrange(10)) for _ in range(15))
    return (
        f"{digits[:2]}.{digits[2:5]}.{digits[5:8]}.{digits[8]}-"
        f"{digits[9:12]}.{digits[12:15]}"
    )


def _person(rng):
    return f"{rng.choice(names.FIRST_NAMES)} {rng.choice(names.LAST_NAMES)}"


def _company_name(rng, used, trade_words):
    while True:
        name = (
            f"{rng.choice(('PT', 'PT', 'CV', 'UD'))} {rng.choice(names.COMPANY_WORDS)} "
            f"{rng.choice(names.COMPANY_WORDS)} {rng.choice(trade_words)}"
        )
        if name not in used:
            used.add(name)
            return name


def _slug(text):
    return "".join(ch for ch in text.lower() if ch.isalnum())[:20]


def make_partners(
    rng, count, start, today, key_offset=0, company_share=0.6, trades=TRADES
):
    """Customers with long-tailed weights, start dates and churn; each of
    ``trades`` (none for suppliers) buying the grades its trade favours."""
    used = set()
    partners = []
    span = (today - start).days
    for index in range(count):
        key = key_offset + index
        is_company = rng.random() < company_share
        city, state, zip_prefix = rng.choice(names.CITIES)
        trade = (
            _pick_weighted(rng, trades, [trade.share for trade in trades])
            if trades
            else None
        )
        words = trade.company_words if trade else names.COMPANY_TRADES
        name = _company_name(rng, used, words) if is_company else _person(rng)
        # Log-normal value: about a fifth of customers bring about 80% of revenue.
        weight = rng.lognormvariate(0.0, 1.15) * (2.0 if is_company else 1.0)
        joined = start + datetime.timedelta(days=int(span * rng.random() ** 2.5 * 0.9))
        churn = rng.random() < 0.15
        end = (
            joined
            + datetime.timedelta(days=rng.randrange(60, max(61, (today - joined).days)))
            if churn
            else today
        )
        end = min(end, today - datetime.timedelta(days=183)) if churn else end
        partners.append(
            Customer(
                key=key,
                name=name,
                is_company=is_company,
                city=city,
                state=state,
                street=f"{rng.choice(names.STREETS)} No. {rng.randrange(1, 250)}",
                zip=f"{zip_prefix}{rng.randrange(100, 999)}",
                vat=_npwp(rng) if is_company else None,
                email=f"{_slug(name)}{key}@example.co.id",
                phone=f"+62 8{rng.randrange(11, 99)} {rng.randrange(1000, 9999)} "
                f"{rng.randrange(1000, 9999)}",
                contacts=[_person(rng) for _ in range(rng.randrange(1, 4))]
                if is_company
                else [],
                weight=weight,
                start=joined,
                end=max(end, joined),
                trade=trade.name if trade else None,
                grade=_pick_weighted(rng, range(len(names.GRADES)), trade.grade_weights)
                if trade
                else 1,
            )
        )
    return partners


def make_products(rng, count):
    """Every item in its standard grade first, then Ekonomis, Super and Gold
    (further series numbered): a small catalogue still covers every family.
    Dearer grades of an item cost more: an up-sell is a real step up."""
    items = _interleaved_items()
    order = (1, 0, 2, 3)  # standard, Ekonomis, Super, Gold
    products = []
    for index in range(count):
        category, item, base = items[index % len(items)]
        series, grade = divmod(index // len(items), len(order))
        grade = order[grade]
        suffix, factor = names.GRADES[grade]
        label = f"{item} {suffix}".strip()
        if series:
            label = f"{label} #{series + 1}"
        price = round(base * factor * rng.uniform(0.97, 1.03), -2)
        products.append(
            Product(
                key=index,
                name=label,
                category=category,
                price=price,
                cost=round(price * rng.uniform(0.55, 0.85), -2),
                item=item,
                grade=grade,
            )
        )
    return products


def _interleaved_items():
    """(category, item, standard price) taking one item of each family in turn."""
    families = [
        [(category, item, price) for item, price in items]
        for category, items in names.PRODUCT_FAMILIES
    ]
    longest = max(len(family) for family in families)
    return [
        family[position]
        for position in range(longest)
        for family in families
        if position < len(family)
    ]


def _pick_weighted(rng, items, weights):
    return rng.choices(items, weights=weights, k=1)[0]


# How a customer fills an order line: from its own staples, else from its
# trade's items (most common first), else anything at all; a complement of the
# item before is added this often, a due follow-up leads the order this often.
STAPLE_SHARE = 0.6
TRADE_SHARE = 0.33
COMPLEMENT_SHARE = 0.7
FOLLOW_UP_SHARE = 0.8
ADOPT_SHARE = 0.5  # an item new to the customer becomes one of its staples
TRADE_UP_SHARE = 0.03  # a line moves the item to the next grade for good
OTHER_GRADE_SHARE = 0.1  # a line of the grade below or above, this once


class _Buyer:
    """One customer's buying habits while its orders are drawn."""

    def __init__(self, rng, customer, trade, shelf):
        self.rng = rng
        self.trade = trade
        self.shelf = shelf
        items = [item for item in trade.items if item in shelf.grades] or list(
            shelf.grades
        )
        self.items = items
        self.item_weights = [1.0 / (1 + 0.35 * rank) for rank in range(len(items))]
        self.complements = {}
        for first, second in trade.complements:
            if first in shelf.grades and second in shelf.grades:
                self.complements.setdefault(first, []).append(second)
        self.grade = customer.grade
        self.grade_of = {}
        self.staples = []
        for _ in range(rng.randint(3, 6)):
            item = _pick_weighted(rng, items, self.item_weights)
            if item not in self.staples:
                self.staples.append(item)
        self.bought = set()
        self.due = {}  # follow-up item -> day it is due

    def lines(self, day, count):
        """The items of an order of ``count`` lines on ``day``."""
        chosen = []
        due = sorted((when, item) for item, when in self.due.items() if when <= day)
        if due and self.rng.random() < FOLLOW_UP_SHARE:
            chosen.append(due[0][1])
            del self.due[due[0][1]]
        for _attempt in range(4 * count):
            if len(chosen) >= count:
                break
            item = self._next(chosen)
            if item not in chosen:
                chosen.append(item)
        return chosen

    def _next(self, chosen):
        rng = self.rng
        if chosen and rng.random() < COMPLEMENT_SHARE:
            extra = [
                item
                for item in self.complements.get(chosen[-1], ())
                if item not in chosen
            ]
            if extra:
                return extra[0]
        roll = rng.random()
        if roll < STAPLE_SHARE:
            return rng.choice(self.staples)
        if roll < STAPLE_SHARE + TRADE_SHARE:
            return _pick_weighted(rng, self.items, self.item_weights)
        return rng.choice(list(self.shelf.grades))

    def product(self, item):
        """The product of ``item`` in the grade this customer buys it in."""
        grade = self.grade_of.get(item, self.grade)
        roll = self.rng.random()
        if grade < len(names.GRADES) - 1 and roll < TRADE_UP_SHARE:
            grade += 1
            self.grade_of[item] = grade
        elif roll < TRADE_UP_SHARE + OTHER_GRADE_SHARE:
            grade += self.rng.choice((-1, 1))
        return self.shelf.product(item, grade)

    def bought_on(self, day, items):
        for item in items:
            if item not in self.bought and item not in self.staples:
                if self.rng.random() < ADOPT_SHARE:
                    self.staples.append(item)
            self.bought.add(item)
        for first, second, days in self.trade.follow_ups:
            if (
                first in items
                and second in self.shelf.grades
                and second not in self.bought
                and second not in self.due
            ):
                jitter = self.rng.randrange(-days // 3, days // 3 + 1)
                self.due[second] = day + datetime.timedelta(days=days + jitter)


class _Shelf:
    """Product keys by item and grade."""

    def __init__(self, products):
        self.grades = {}
        for product in products:
            self.grades.setdefault(product.item, {}).setdefault(
                product.grade, product.key
            )

    def product(self, item, grade):
        """The key of the grade nearest to ``grade`` (cheaper first on a tie)."""
        grades = self.grades[item]
        nearest = min(grades, key=lambda known: (abs(known - grade), known))
        return grades[nearest]


def make_orders(rng, customers, products, start, today, per_day):
    """Orders day by day; customers weighted by value and active window, each
    buying what its trade buys."""
    orders = []
    shelf = _Shelf(products)
    trades = {trade.name: trade for trade in TRADES}
    buyers = {
        customer.key: _Buyer(rng, customer, trades[customer.trade], shelf)
        for customer in customers
    }
    for customer in customers:  # everyone bought at least once, when they joined
        buyer = buyers[customer.key]
        item = buyer.staples[0]
        buyer.bought_on(customer.start, [item])
        orders.append(
            Order(
                customer.key,
                customer.start,
                "sale",
                [(buyer.product(item), 1.0, 0.0)],
            )
        )
    day = start
    while day <= today:
        active = [c for c in customers if c.start <= day <= c.end]
        if active:
            weights = [c.weight for c in active]
            expected = per_day * seasonality(day) * (0.35 if day.weekday() == 6 else 1)
            for _ in range(_poisson(rng, expected)):
                customer = _pick_weighted(rng, active, weights)
                buyer = buyers[customer.key]
                items = buyer.lines(day, rng.choice((1, 1, 2, 2, 3, 4)))
                lines = []
                for item in items:
                    quantity = float(
                        max(1, int(rng.lognormvariate(1.2, 0.9) * customer.weight**0.3))
                    )
                    discount = rng.choice((0, 0, 0, 0, 5, 10))
                    lines.append((buyer.product(item), quantity, float(discount)))
                age = (today - day).days
                roll = rng.random()
                if age < 21 and roll < 0.45:
                    state = "quotation"
                elif roll < 0.06:
                    state = "quotation"
                elif roll < 0.13:
                    state = "cancel"
                else:
                    state = "sale"
                if state == "sale":
                    buyer.bought_on(day, items)
                orders.append(Order(customer.key, day, state, lines))
        day += datetime.timedelta(days=1)
    for order in orders:
        if order.state == "sale" and (today - order.day).days > 7:
            order.invoice = _invoice_outcome(rng, (today - order.day).days)
    return orders


def _invoice_outcome(rng, age):
    roll = rng.random()
    if roll < 0.03:
        return "refunded"
    if age < 45 and roll < 0.55:
        return "open"
    if roll < 0.09:
        return "open"  # overdue: older than its 30-day term and unpaid
    if roll < 0.13:
        return "partial"
    return "paid"


def _poisson(rng, mean):
    """Poisson draw from the standard library generator (Knuth; means are small)."""
    limit, count, product = pow(2.718281828459045, -mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


TICKET_SUBJECTS = (
    "Barang terlambat datang",
    "Jumlah barang kurang",
    "Faktur tidak sesuai",
    "Produk rusak saat diterima",
    "Permintaan retur",
    "Pertanyaan harga grosir",
    "Ganti alamat pengiriman",
    "Konfirmasi pembayaran",
)


# Hours of one timesheet entry on a ticket.
TIMESHEET_HOURS = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)


def make_tickets(rng, customers, start, today, count):
    weights = [c.weight**0.5 for c in customers]
    span = (today - start).days
    tickets = []
    for _ in range(count):
        customer = _pick_weighted(rng, customers, weights)
        day = start + datetime.timedelta(days=rng.randrange(span))
        day = min(max(day, customer.start), today)
        hours = [
            round(rng.choice(TIMESHEET_HOURS), 2)
            for _ in range(rng.choice((1, 1, 2, 3)))
        ]
        tickets.append(
            Ticket(
                customer.key,
                day,
                rng.choice(TICKET_SUBJECTS),
                hours,
                closed=(today - day).days > 10 and rng.random() < 0.9,
            )
        )
    return tickets


def make_purchases(rng, suppliers, products, start, today, count):
    span = (today - start).days
    purchases = []
    for _ in range(count):
        supplier = rng.choice(suppliers)
        day = start + datetime.timedelta(days=rng.randrange(span - 14))
        lines = [
            (rng.randrange(len(products)), float(rng.randrange(10, 200, 10)))
            for _ in range(rng.choice((1, 2, 3)))
        ]
        # Each supplier has its own reliability: weight doubles as the score.
        reliable = supplier.weight > 1.5
        late = rng.random() < (0.1 if reliable else 0.35)
        short = rng.random() < (0.05 if reliable else 0.2)
        purchases.append(
            PurchaseOrder(
                supplier=supplier.key,
                day=day,
                lines=lines,
                lead_days=rng.choice((3, 5, 7, 14)),
                delay_days=rng.randrange(2, 15) if late else rng.randrange(-2, 1),
                received_share=rng.choice((0.5, 0.8, 0.9)) if short else 1.0,
                returned_share=0.2 if rng.random() < 0.06 else 0.0,
            )
        )
    return purchases


def demo_plan(seed, today, scale=1.0):
    """About 300 customers, 24 months of sales, 400 tickets, 20 suppliers.

    ``scale`` shrinks the counts (not the 24 months), for quick loader tests.
    """
    rng = random.Random(seed)
    start = today.replace(day=1) - datetime.timedelta(days=730)
    start = start.replace(day=1)
    customers = make_partners(rng, _scaled(300, scale, 20), start, today)
    companies = [c for c in customers if c.is_company]
    for customer in rng.sample(companies, min(len(companies), _scaled(10, scale, 2))):
        customer.reseller = True
        customer.end = today
    products = make_products(rng, _scaled(150, scale, 10))
    orders = make_orders(rng, customers, products, start, today, per_day=3.2 * scale)
    tickets = make_tickets(rng, customers, start, today, _scaled(400, scale, 10))
    suppliers = make_partners(
        rng,
        _scaled(20, scale, 3),
        start,
        today,
        key_offset=10_000,
        company_share=1,
        trades=(),
    )
    for supplier in suppliers:
        supplier.start, supplier.end = start, today
    purchases = make_purchases(
        rng, suppliers, products, start, today, _scaled(260, scale, 15)
    )
    return DemoPlan(today, customers, products, orders, tickets, suppliers, purchases)


def _scaled(count, scale, least):
    return max(least, round(count * scale))


@dataclasses.dataclass
class BenchPlan:
    """Sizes and distributions of the bench set; rows are drawn while loading."""

    seed: int
    today: datetime.date
    start: datetime.date
    customers: int
    products: int
    lines: int
    lines_per_order: float = 2.5


def bench_plan(seed, today, scale=1.0):
    start = today - datetime.timedelta(days=3 * 365)
    return BenchPlan(
        seed=seed,
        today=today,
        start=start,
        customers=max(50, int(100_000 * scale)),
        products=max(20, int(2_000 * scale**0.5)),
        lines=max(500, int(1_000_000 * scale)),
    )
