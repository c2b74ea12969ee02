# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime, timedelta

from odoo import Command
from odoo.tests import TransactionCase, new_test_user

AS_OF = date(2026, 6, 30)
# Tests never read the real date: 01:00 on 15 July in Jakarta, still the 14th
# in UTC.
NOW = "2026-07-14 18:00:00"


class ValuationCase(TransactionCase):
    """Customers with known purchases, tickets and payments, in two companies."""

    freeze_time = NOW

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # queue_job__no_delay: valuations score in the test's transaction even
        # where crm_valuation_queue would send the scoring to background jobs.
        cls.env = cls.env(
            context=dict(
                cls.env.context, tracking_disable=True, queue_job__no_delay=True
            )
        )
        cls.company = cls.env.company
        cls.company.partner_id.tz = "Asia/Jakarta"
        cls.company.write(
            {
                "valuation_hourly_cost": 50.0,
                "valuation_order_cost": 10.0,
                "valuation_delay_rate": 36.5,
                "valuation_holdout_months": 0,
            }
        )
        cls.other_company = cls.env["res.company"].create({"name": "Other Co"})
        cls.product = cls.env["product.product"].create(
            {
                "name": "Rice 25 kg",
                "type": "consu",
                "list_price": 100.0,
                "standard_price": 60.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.big = cls.env["res.partner"].create(
            {"name": "PT Big Buyer", "is_company": True}
        )
        cls.big_contact = cls.env["res.partner"].create(
            {"name": "Budi", "parent_id": cls.big.id}
        )
        cls.small = cls.env["res.partner"].create({"name": "Siti Small"})
        cls.analyst = new_test_user(
            cls.env,
            login="val_analyst",
            groups="base.group_user,crm_valuation.group_valuation_analyst",
        )
        cls.manager = new_test_user(
            cls.env,
            login="val_manager",
            groups="base.group_user,crm_valuation.group_valuation_manager,"
            "base.group_partner_manager",
        )
        cls.salesman = new_test_user(
            cls.env, login="val_salesman", groups="sales_team.group_sale_salesman"
        )
        cls.portal = new_test_user(
            cls.env, login="val_portal", groups="base.group_portal"
        )

    @classmethod
    def _order(cls, partner, when, qty, price=100.0, discount=0.0, company=None):
        company = company or cls.company
        order = (
            cls.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": cls.product.id,
                                "product_uom_qty": qty,
                                "price_unit": price,
                                "discount": discount,
                                "tax_id": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        order.action_confirm()
        order.date_order = datetime.combine(when, datetime.min.time().replace(hour=9))
        return order

    @classmethod
    def _run(cls, company=None, on=AS_OF):
        company = company or cls.company
        run = (
            cls.env["crm.valuation.run"]
            .with_company(company)
            .create({"company_id": company.id, "date": on})
        )
        run.action_run()
        return run

    @classmethod
    def _value_both(cls):
        """One order each for the big buyer and Siti, valued: the run."""
        cls._order(cls.big, AS_OF - timedelta(days=40), qty=2)
        cls._order(cls.small, AS_OF - timedelta(days=80), qty=1)
        return cls._run()

    @classmethod
    def _value(cls, run, partner):
        return run.value_ids.filtered(lambda value: value.partner_id == partner)
