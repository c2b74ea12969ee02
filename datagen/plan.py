"""What the data sets hold, decided from a seed before anything touches Odoo.

Keeping the plan free of Odoo makes its promises (counts, date spread, long tail,
seasonality) testable in milliseconds, and the loaders only have to write it.
"""

import dataclasses
import datetime
import random

from . import names

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


@dataclasses.dataclass
class Product:
    key: int
    name: str
    category: str
    price: float
    cost: float


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


def _company_name(rng, used):
    while True:
        name = (
            f"{rng.choice(('PT', 'PT', 'CV', 'UD'))} {rng.choice(names.COMPANY_WORDS)} "
            f"{rng.choice(names.COMPANY_WORDS)} {rng.choice(names.COMPANY_TRADES)}"
        )
        if name not in used:
            used.add(name)
            return name


def _slug(text):
    return "".join(ch for ch in text.lower() if ch.isalnum())[:20]


def make_partners(rng, count, start, today, key_offset=0, company_share=0.6):
    """Customers with long-tailed weights, start dates and churn."""
    used = set()
    partners = []
    span = (today - start).days
    for index in range(count):
        key = key_offset + index
        is_company = rng.random() < company_share
        city, state, zip_prefix = rng.choice(names.CITIES)
        name = _company_name(rng, used) if is_company else _person(rng)
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
            )
        )
    return partners


def make_products(rng, count):
    products = []
    for index in range(count):
        category, items, (low, high) = names.PRODUCT_FAMILIES[
            index % len(names.PRODUCT_FAMILIES)
        ]
        item = items[(index // len(names.PRODUCT_FAMILIES)) % len(items)]
        grade = index // (len(names.PRODUCT_FAMILIES) * len(items))
        label = f"{item} {('', 'Ekonomis', 'Super', 'Gold')[grade % 4]}".strip()
        if grade >= 4:
            label = f"{label} #{grade}"
        price = round(rng.uniform(low, high), -2)
        products.append(
            Product(
                key=index,
                name=label,
                category=category,
                price=price,
                cost=round(price * rng.uniform(0.55, 0.85), -2),
            )
        )
    return products


def _pick_weighted(rng, items, weights):
    return rng.choices(items, weights=weights, k=1)[0]


def make_orders(rng, customers, products, start, today, per_day):
    """Orders day by day; customers weighted by value and active window."""
    orders = []
    product_weights = [1.0 / (1 + index % 30) for index in range(len(products))]
    for customer in customers:  # everyone bought at least once, when they joined
        product = _pick_weighted(rng, products, product_weights)
        orders.append(
            Order(customer.key, customer.start, "sale", [(product.key, 1.0, 0.0)])
        )
    day = start
    while day <= today:
        active = [c for c in customers if c.start <= day <= c.end]
        if active:
            weights = [c.weight for c in active]
            expected = per_day * seasonality(day) * (0.35 if day.weekday() == 6 else 1)
            for _ in range(_poisson(rng, expected)):
                customer = _pick_weighted(rng, active, weights)
                lines = []
                for _ in range(rng.choice((1, 1, 2, 2, 3, 4))):
                    product = _pick_weighted(rng, products, product_weights)
                    quantity = float(
                        max(1, int(rng.lognormvariate(1.2, 0.9) * customer.weight**0.3))
                    )
                    discount = rng.choice((0, 0, 0, 0, 5, 10))
                    lines.append((product.key, quantity, float(discount)))
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
        rng, _scaled(20, scale, 3), start, today, key_offset=10_000, company_share=1
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
