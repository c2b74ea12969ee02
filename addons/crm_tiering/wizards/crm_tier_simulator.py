# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import Counter

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from crm_engine.tiering import ProgramError, qualified_tier


class CrmTierSimulator(models.TransientModel):
    """Try other thresholds on today's values before changing the program."""

    _name = "crm.tier.simulator"
    _description = "Tier Simulator"

    program_id = fields.Many2one("crm.tier.program", required=True, readonly=True)
    currency_id = fields.Many2one(related="program_id.currency_id")
    line_ids = fields.One2many("crm.tier.simulator.line", "simulator_id")
    simulated = fields.Boolean(readonly=True)
    up_count = fields.Integer(string="Would Move Up", readonly=True)
    down_count = fields.Integer(string="Would Move Down", readonly=True)
    cost_current = fields.Monetary(
        string="Benefit Cost Now",
        readonly=True,
        help="Pricelist discounts of each tier applied to its customers' revenue "
        "of the last 12 months.",
    )
    cost_simulated = fields.Monetary(string="Benefit Cost Simulated", readonly=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        program = self.env["crm.tier.program"].browse(
            values.get("program_id") or self.env.context.get("active_id")
        )
        if program:
            values["program_id"] = program.id
            values["line_ids"] = [
                Command.create(
                    {
                        "tier_id": tier.id,
                        "threshold": tier.threshold,
                        "new_threshold": tier.threshold,
                    }
                )
                for tier in program.tier_ids.sorted("threshold")
            ]
        return values

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_simulate(self):
        """Count the moves and the cost of the draft thresholds (value alone:
        the downgrade protection would delay some of the moves down)."""
        self.ensure_one()
        program = self.program_id
        program.check_access("write")
        lines = self.line_ids.sorted("new_threshold")
        new_thresholds = lines.mapped("new_threshold")
        if len(set(new_thresholds)) != len(new_thresholds):
            raise UserError(self.env._("Two tiers cannot have the same threshold."))
        today = program._today()
        try:
            values, _run = program._read_values(today)
        except ProgramError as error:
            raise UserError(str(error)) from error
        revenue = dict(self.env.execute_query(program._revenue_query(today)))
        states = self.env["crm.tier.partner"].search_read(
            [("program_id", "=", program.id), ("tier_id", "!=", False)],
            ["partner_id", "tier_id"],
        )
        current = {state["partner_id"][0]: state["tier_id"][0] for state in states}
        rank = {tier.id: index for index, tier in enumerate(lines.tier_id)}
        discount = {line.tier_id.id: line._discount() for line in lines}
        now, simulated, ups, downs = Counter(), Counter(), Counter(), Counter()
        cost_now = cost_new = 0.0
        down_total = 0
        for partner in set(values) | set(current):
            before = current.get(partner)
            index = qualified_tier(new_thresholds, values.get(partner, 0.0))
            after = lines[index].tier_id.id if index is not None else None
            sales = float(revenue.get(partner) or 0.0)
            if before:
                now[before] += 1
                cost_now += sales * discount[before]
            if after:
                simulated[after] += 1
                cost_new += sales * discount[after]
            low, high = rank.get(before, -1), rank.get(after, -1)
            if high > low:
                ups[after] += 1
            elif high < low:
                down_total += 1
                downs[after] += 1
        for line in lines:
            tier = line.tier_id.id
            line.write(
                {
                    "count_now": now[tier],
                    "count_simulated": simulated[tier],
                    "up_count": ups[tier],
                    "down_count": downs[tier],
                }
            )
        self.write(
            {
                "simulated": True,
                "up_count": sum(ups.values()),
                "down_count": down_total,
                "cost_current": cost_now,
                "cost_simulated": cost_new,
            }
        )
        return self._reopen()

    def action_apply(self):
        """Save the draft thresholds on the program's tiers."""
        self.ensure_one()
        self.program_id.check_access("write")
        # Highest first when raising, lowest first when lowering, so the
        # program's unique thresholds never clash half-way.
        for line in self.line_ids.sorted(
            lambda line: (line.new_threshold < line.threshold, -line.new_threshold)
        ):
            line.tier_id.threshold = line.new_threshold
        self.program_id.message_post(
            body=self.env._("Thresholds changed with the simulator.")
        )
        return {"type": "ir.actions.act_window_close"}
