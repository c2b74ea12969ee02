# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from odoo import Command
from odoo.tests import TransactionCase, new_test_user

# Reviews in the tests happen on fixed days: quarterly reviews fall on
# 1 January, 1 April, 1 July and 1 October.
DAY = date(2026, 5, 10)


class TierCase(TransactionCase):
    """A revenue program (Bronze 0, Silver 1,000, Gold 5,000, Platinum 20,000)
    and customers whose confirmed orders put them in different tiers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company.partner_id.tz = "Asia/Jakarta"
        cls.other_company = cls.env["res.company"].create({"name": "Other Co"})
        cls.product = cls.env["product.product"].create(
            {
                "name": "Rice 25 kg",
                "type": "consu",
                "list_price": 100.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.env["product.pricelist"].create(
            {"name": "Public", "company_id": cls.company.id, "sequence": 1}
        )
        cls.gold_pricelist = cls.env["product.pricelist"].create(
            {
                "name": "Gold prices",
                "sequence": 20,
                "company_id": cls.company.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "3_global",
                            "compute_price": "percentage",
                            "percent_price": 10.0,
                        }
                    )
                ],
            }
        )
        cls.program = cls.env["crm.tier.program"].create(
            {
                "name": "Member Card",
                "company_id": cls.company.id,
                "metric": "revenue",
                "assessment": "rolling",
                "review_months": 3,
                "min_stay_months": 0,
                "grace_percent": 0.0,
                "warning_days": 30,
            }
        )
        tiers = cls.env["crm.tier"].create(
            [
                {"program_id": cls.program.id, "name": name, "threshold": threshold}
                for name, threshold in (
                    ("Bronze", 0.0),
                    ("Silver", 1000.0),
                    ("Gold", 5000.0),
                    ("Platinum", 20000.0),
                )
            ]
        )
        cls.bronze, cls.silver, cls.gold, cls.platinum = tiers
        cls.gold.write(
            {"pricelist_id": cls.gold_pricelist.id, "badge_color": "warning"}
        )
        cls.big = cls.env["res.partner"].create(
            {"name": "PT Big Buyer", "is_company": True, "email": "big@example.com"}
        )
        cls.big_contact = cls.env["res.partner"].create(
            {"name": "Budi", "parent_id": cls.big.id, "email": "budi@example.com"}
        )
        cls.small = cls.env["res.partner"].create(
            {"name": "Siti Small", "email": "siti@example.com"}
        )
        cls.manager = new_test_user(
            cls.env,
            login="tier_manager",
            groups="base.group_user,crm_tiering.group_tier_manager,"
            "sales_team.group_sale_manager",
        )
        cls.tier_user = new_test_user(
            cls.env,
            login="tier_user",
            groups="base.group_user,crm_tiering.group_tier_user",
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="tier_portal",
            groups="base.group_portal",
            partner_id=cls.big_contact.id,
        )
        cls.portal_other = new_test_user(
            cls.env,
            login="tier_portal_other",
            groups="base.group_portal",
            partner_id=cls.small.id,
        )

    @classmethod
    def _order(cls, partner, when, amount, company=None):
        company = company or cls.company
        order = (
            cls.env["sale.order"]
            .with_company(company)
            .with_context(tier_rules_off=True)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": cls.product.id,
                                "product_uom_qty": 1,
                                "price_unit": amount,
                                "tax_id": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        order.action_confirm()
        order.date_order = datetime.combine(when, datetime.min.time().replace(hour=3))
        return order

    @classmethod
    def _state(cls, partner, program=None):
        return cls.env["crm.tier.partner"].search(
            [
                ("partner_id", "=", partner.commercial_partner_id.id),
                ("program_id", "=", (program or cls.program).id),
            ]
        )

    def assertTierMatchesHistory(self, program=None):
        """Every standing's tier is the new tier of its last movement."""
        for state in self.env["crm.tier.partner"].search(
            [("program_id", "=", (program or self.program).id)]
        ):
            last = state.history_ids.sorted(lambda move: (move.date, move.id))[-1:]
            self.assertEqual(state.tier_id, last.to_tier_id, state.partner_id.name)
