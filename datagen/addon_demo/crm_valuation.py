"""crm_valuation demo: the company's cost rates, a first valuation, the
recommendations computed from it, the first calls before customers lapse, and
a history of calls, meetings, notes and emails with the customers for their
360 panel."""

import random
from datetime import datetime, time, timedelta

# Demo rates of the Indonesian trading company (IDR).
VALUATION_SETTINGS = {
    "valuation_hourly_cost": 85_000.0,
    "valuation_order_cost": 35_000.0,
    "valuation_delay_rate": 12.0,
}

# What the sales team logged with customers (activity type xmlid or None for a
# note, or "email" for a message from the customer), in Indonesian as the
# company's staff write it.
INTERACTIONS = (
    (
        "mail.mail_activity_data_call",
        "Telepon: menanyakan stok untuk pesanan bulan depan.",
    ),
    (
        "mail.mail_activity_data_call",
        "Telepon: konfirmasi jadwal kirim dan alamat gudang.",
    ),
    (
        "mail.mail_activity_data_meeting",
        "Kunjungan: membahas harga grosir dan produk baru.",
    ),
    (None, "Pelanggan minta penawaran untuk varian Super."),
    (None, "Pembayaran faktur terakhir dijanjikan minggu ini."),
    ("email", "Mohon kirim ulang faktur bulan lalu, terima kasih."),
    ("email", "Apakah ada diskon untuk pembelian dalam jumlah besar?"),
)
INTERACTION_DAYS = 90


def _interactions(env, today):
    """One to four interactions over the last three months on the latest order
    of every customer who ordered, by its salesperson or from the customer."""
    rng = random.Random(7)
    latest = {}
    for order in env["sale.order"].search(
        [("state", "=", "sale")], order="date_order desc, id desc"
    ):
        latest.setdefault(order.partner_id.commercial_partner_id, order)
    count = 0
    for order in latest.values():
        for kind, text in rng.sample(INTERACTIONS, rng.randint(1, 4)):
            day = today - timedelta(days=rng.randint(1, INTERACTION_DAYS))
            when = datetime.combine(day, time(rng.randint(2, 9), rng.randint(0, 59)))
            customer = kind == "email"
            order.message_post(
                body=text,
                author_id=(
                    order.partner_id if customer else order.user_id.partner_id
                ).id,
                message_type="email" if customer else "comment",
                subtype_xmlid="mail.mt_note",  # logged: nobody is notified
                mail_activity_type_id=(
                    env.ref(kind).id if kind and not customer else False
                ),
                date=when,
            )
            count += 1
    return count


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
    logged = _interactions(
        env(context=dict(env.context, mail_notify_force_send=False)), run.date
    )
    return (
        f"customer valuation: {run.customer_count} customers valued, "
        f"{offers.recommendation_count} products recommended, "
        f"{logged} calls, meetings, notes and emails with customers"
    )
