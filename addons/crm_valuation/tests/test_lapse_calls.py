# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .recommendation_common import RecommendationCase


@tagged("post_install", "-at_install")
class TestLapseCalls(RecommendationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.recommend_min_support = 10.0
        cls._recommend()
        today = fields.Date.context_today(cls.env["crm.valuation.run"])
        cls.today = today
        runs = cls.env["crm.valuation.run"]
        cls.before = runs.create(
            {"company_id": cls.company.id, "date": today - timedelta(days=30)}
        )
        cls.latest = runs.create({"company_id": cls.company.id, "date": today})
        (cls.before | cls.latest).write(
            {"state": "done", "valuation_horizon_months": 12}
        )
        cls.latest.is_latest = True
        cls.falling, cls.rising, cls.class_b, cls.orphan = cls.env[
            "res.partner"
        ].create(
            [
                {"name": name, "is_company": True, "user_id": user}
                for name, user in (
                    ("Falling", cls.salesman.id),
                    ("Rising", cls.salesman.id),
                    ("Class B", cls.salesman.id),
                    ("No Manager", False),
                )
            ]
        )
        cls._value_row(cls.before, cls.falling, 0.9)
        cls._value_row(cls.latest, cls.falling, 0.5)
        cls._value_row(cls.before, cls.rising, 0.3)
        cls._value_row(cls.latest, cls.rising, 0.5)
        cls._value_row(cls.latest, cls.class_b, 0.5, abc="b")
        cls._value_row(cls.latest, cls.orphan, 0.5)
        # Toner for the falling customer, to find in the call's note.
        cls.env["crm.valuation.recommendation"].search(
            [("partner_id", "=", cls.printer_only.id)]
        ).partner_id = cls.falling

    @classmethod
    def _value_row(cls, run, partner, p_alive, abc="a"):
        # Bought every 30 days while active: the next purchase is due
        # 30 days after the last, here in 3 days.
        cls.env["crm.valuation.value"].create(
            {
                "run_id": run.id,
                "partner_id": partner.id,
                "abc_class": abc,
                "p_alive": p_alive,
                "expected_purchases": p_alive * 365.25 / 30,
                "last_purchase": cls.today - timedelta(days=27),
                "clv": 1000.0,
            }
        )

    def _calls(self, partner):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("crm_valuation.mail_activity_type_lapse_call").id,
                ),
            ]
        )

    def test_valuable_customer_buying_less_gets_a_call_with_products(self):
        self.env["crm.valuation.run"]._cron_lapse_calls()
        call = self._calls(self.falling)
        self.assertEqual(len(call), 1)
        self.assertEqual(call.user_id, self.salesman)
        self.assertEqual(call.date_deadline, self.today)
        self.assertIn("Toner", call.note)
        self.assertIn(str(self.today + timedelta(days=3)), call.note)

    def test_no_call_when_rising_class_b_or_no_manager(self):
        self.env["crm.valuation.run"]._cron_lapse_calls()
        for partner in (self.rising, self.class_b, self.orphan):
            self.assertFalse(self._calls(partner), partner.name)

    def test_no_second_call_while_one_is_recent(self):
        self.env["crm.valuation.run"]._cron_lapse_calls()
        self.env["crm.valuation.run"]._cron_lapse_calls()
        self.assertEqual(len(self._calls(self.falling)), 1)

    def test_a_call_waits_until_the_lead_days(self):
        self.company.lapse_lead_days = 1
        self.env["crm.valuation.run"]._cron_lapse_calls()
        self.assertFalse(self._calls(self.falling))

    def test_threshold_above_probability_is_needed(self):
        self.company.lapse_p_alive = 40.0
        self.env["crm.valuation.run"]._cron_lapse_calls()
        self.assertFalse(self._calls(self.falling))
