# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import NOW


@tagged("post_install", "-at_install")
class TestSnapshotsCannotBeForged(HttpCase):
    """What a run computed is written by the run only: over RPC, analysts and
    managers can create a draft and set its date, nothing else."""

    freeze_time = NOW

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, queue_job__no_delay=True))
        partner = cls.env["res.partner"].create({"name": "PT Jujur"})
        product = cls.env["product.product"].create(
            {"name": "Teh 10 kg", "list_price": 25.0}
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
        cls.value = cls.valuation.value_ids
        for login, groups in (
            ("forge_analyst", "crm_valuation.group_valuation_analyst"),
            ("forge_manager", "crm_valuation.group_valuation_manager"),
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

    def _refused(self, login, model, method, args, kwargs=None):
        with mute_logger("odoo.http"):
            reply = self._call(login, model, method, args, kwargs)
        self.assertIn("error", reply, (login, method, args))
        return reply["error"]["data"]["message"]

    def test_results_of_a_run_cannot_be_written(self):
        run = self.valuation
        for login in ("forge_analyst", "forge_manager"):
            for vals in (
                {"clv_total": 1e12},
                {"state": "draft"},
                {"is_latest": False},
                {"fit_state": {"model": "bgnbd"}},
                {"valuation_hourly_cost": 0},
                {"duration_read": 0},
                {"company_id": run.company_id.id},
                {"value_ids": [Command.create({"partner_id": 1, "revenue": 1})]},
            ):
                message = self._refused(
                    login, "crm.valuation.run", "write", [run.ids, vals]
                )
                self.assertIn("written by the valuation itself", message)
        self.env.invalidate_all()
        self.assertEqual(run.state, "done")
        self.assertTrue(run.is_latest)
        self.assertAlmostEqual(run.clv_total, self.value.clv, places=2)

    def test_a_done_run_cannot_be_created_or_copied_into_one(self):
        message = self._refused(
            "forge_manager",
            "crm.valuation.run",
            "create",
            [{"state": "done", "is_latest": True, "clv_total": 5.0}],
        )
        self.assertIn("written by the valuation itself", message)
        reply = self._call(
            "forge_manager", "crm.valuation.run", "copy", [self.valuation.ids]
        )
        copy = self.env["crm.valuation.run"].browse(reply["result"])
        self.assertEqual(copy.state, "draft")
        self.assertFalse(copy.is_latest or copy.clv_total or copy.fit_state)
        self.assertTrue(self.valuation.is_latest)

    def test_value_rows_cannot_be_written_created_or_deleted(self):
        for login in ("forge_analyst", "forge_manager"):
            for method, args in (
                ("write", [self.value.ids, {"clv": 1e12}]),
                ("create", [{"run_id": self.valuation.id, "partner_id": 1}]),
                ("unlink", [self.value.ids]),
            ):
                self._refused(login, "crm.valuation.value", method, args)
        self.assertTrue(self.value.exists())

    def test_the_run_code_is_not_callable(self):
        for method, args in (
            ("_write_results", [self.valuation.ids, {"clv_total": 1.0}]),
            ("_finish", [self.valuation.ids]),
            ("_execute", [self.valuation.ids]),
        ):
            self._refused("forge_manager", "crm.valuation.run", method, args)

    def test_an_analyst_still_creates_dates_and_runs_a_draft(self):
        reply = self._call("forge_analyst", "crm.valuation.run", "create", [{}])
        run_id = reply["result"]
        self._call("forge_analyst", "crm.valuation.run", "action_run", [[run_id]])
        run = self.env["crm.valuation.run"].browse(run_id)
        # Done, or computing in a background job where crm_valuation_queue is.
        self.assertIn(run.state, ("done", "running"))
