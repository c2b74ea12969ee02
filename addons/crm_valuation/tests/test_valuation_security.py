# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import AS_OF, NOW, ValuationCase


@tagged("post_install", "-at_install")
class TestValuationSecurity(ValuationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.valuation = cls._value_both()
        elsewhere = cls.env["res.partner"].create({"name": "Elsewhere"})
        cls._order(
            elsewhere, AS_OF - timedelta(days=5), qty=1, company=cls.other_company
        )
        cls.other_run = cls._run(company=cls.other_company)

    def test_analyst_reads_values_of_own_company_only(self):
        values = self.env["crm.valuation.value"].with_user(self.analyst)
        self.assertEqual(values.search([]).partner_id, self.big + self.small)
        with self.assertRaises(AccessError):
            self.other_run.value_ids.with_user(self.analyst).read(["revenue"])

    def test_user_without_group_reads_nothing(self):
        for user in (self.salesman, self.portal):
            with self.assertRaises(AccessError, msg=user.login):
                self.env["crm.valuation.value"].with_user(user).search([])
            with self.assertRaises(AccessError, msg=user.login):
                self.valuation.value_ids.with_user(user).read(["revenue"])
            with self.assertRaises(AccessError, msg=user.login):
                self.valuation.with_user(user).read(["revenue_total"])

    def test_partner_value_fields_need_the_group(self):
        partner = self.big.with_user(self.salesman)
        with self.assertRaises(AccessError):
            partner.read(["valuation_clv"])
        fields = partner.fields_get()
        self.assertNotIn("valuation_clv", fields)
        analyst_partner = self.big.with_user(self.analyst)
        self.assertEqual(analyst_partner.valuation_revenue, 200.0)

    def test_partner_form_shows_the_value_tab_to_analysts_only(self):
        for user, shown in ((self.analyst, True), (self.salesman, False)):
            arch = (
                self.env["res.partner"]
                .with_user(user)
                .get_views([(False, "form")])["views"]["form"]["arch"]
            )
            self.assertEqual('name="crm_valuation"' in arch, shown, user.login)
            self.assertEqual("valuation_clv" in arch, shown, user.login)

    def test_values_cannot_be_edited(self):
        value = self.valuation.value_ids[:1]
        with self.assertRaises(AccessError):
            value.with_user(self.manager).write({"revenue": 0})
        with self.assertRaises(AccessError):
            self.env["crm.valuation.value"].with_user(self.analyst).create(
                {"run_id": self.valuation.id, "partner_id": self.big.id}
            )

    def test_only_managers_delete_runs(self):
        with self.assertRaises(AccessError):
            self.valuation.with_user(self.analyst).unlink()
        self.valuation.with_user(self.manager).unlink()
        self.assertFalse(self.valuation.exists())

    def test_cost_rates_readable_by_valuation_groups_and_settings_only(self):
        admin = new_test_user(
            self.env, login="val_settings", groups="base.group_user,base.group_system"
        )
        rates = [
            "valuation_hourly_cost",
            "valuation_order_cost",
            "valuation_delay_rate",
        ]
        for user in (self.salesman, self.portal):
            with self.assertRaises(AccessError, msg=user.login):
                self.company.with_user(user).read(rates)
        for user in (self.analyst, self.manager, admin):
            values = self.company.with_user(user).read(rates)[0]
            self.assertEqual(values["valuation_hourly_cost"], 50.0, user.login)

    def test_settings_need_the_manager(self):
        settings = self.env["res.config.settings"].with_user(self.analyst)
        with self.assertRaises(AccessError):
            settings.create({"valuation_hourly_cost": 1.0}).execute()


@tagged("post_install", "-at_install")
class TestValuationOverRpc(HttpCase):
    """What a browser session can call: nothing of the values without the group."""

    freeze_time = NOW

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, queue_job__no_delay=True))
        partner = cls.env["res.partner"].create({"name": "PT Rahasia"})
        product = cls.env["product.product"].create(
            {"name": "Gula 50 kg", "list_price": 10.0}
        )
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        order.action_confirm()
        cls.valuation = cls.env["crm.valuation.run"].create({})
        cls.valuation.action_run()
        for login, groups in (
            ("rpc_portal", "base.group_portal"),
            ("rpc_portal2", "base.group_portal"),
            ("rpc_salesman", "sales_team.group_sale_salesman"),
            ("rpc_analyst", "crm_valuation.group_valuation_analyst"),
        ):
            new_test_user(cls.env, login=login, password=f"{login}-pw", groups=groups)

    def _call(self, login, model, method, args, kwargs=None):
        self.authenticate(login, f"{login}-pw")
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": kwargs or {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    @mute_logger("odoo.http")
    def test_portal_and_salesman_get_access_errors(self):
        for login in ("rpc_portal", "rpc_portal2", "rpc_salesman"):
            for model, method, args in (
                ("crm.valuation.value", "search_read", [[]]),
                ("crm.valuation.run", "read", [self.valuation.ids, ["clv_total"]]),
                (
                    "res.partner",
                    "read",
                    [self.valuation.value_ids.partner_id.ids, ["valuation_clv"]],
                ),
            ):
                reply = self._call(login, model, method, args)
                self.assertIn("error", reply, (login, model))
                self.assertNotIn("result", reply, (login, model))

    def test_analyst_reads_over_rpc(self):
        reply = self._call(
            "rpc_analyst",
            "crm.valuation.value",
            "search_read",
            [[]],
            {"fields": ["partner_id", "revenue"]},
        )
        self.assertEqual(len(reply["result"]), 1)
        self.assertEqual(reply["result"][0]["revenue"], 10.0)
