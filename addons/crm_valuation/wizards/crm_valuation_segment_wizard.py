# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmValuationSegmentWizard(models.TransientModel):
    """Turn a filtered set of customer values into a target for a campaign.

    A partner tag is what Odoo's lists, reports and mailings filter on, so a
    segment found here reaches a campaign without an export. Other targets
    (a mailing list, with Email Marketing) plug in through ``target``.
    """

    _name = "crm.valuation.segment.wizard"
    _description = "Target the Customers of a Segment"

    value_ids = fields.Many2many(
        "crm.valuation.value",
        string="Customer Values",
        default=lambda self: self._default_value_ids(),
    )
    partner_count = fields.Integer(compute="_compute_partner_count")
    target = fields.Selection(
        [("tag", "Partner tag")],
        string="Give Them",
        default="tag",
        required=True,
    )
    tag_id = fields.Many2one(
        "res.partner.category",
        string="Existing Tag",
        help="Add the customers to this tag.",
    )
    new_tag_name = fields.Char(
        string="New Tag", help="Or create a tag with this name for them."
    )

    @api.model
    def _default_value_ids(self):
        if self.env.context.get("active_model") != "crm.valuation.value":
            return []
        return [fields.Command.set(self.env.context.get("active_ids", []))]

    @api.depends("value_ids")
    def _compute_partner_count(self):
        for wizard in self:
            wizard.partner_count = len(wizard.value_ids.partner_id)

    def action_apply(self):
        self.ensure_one()
        if not self.value_ids:
            raise UserError(self.env._("Select the customers first."))
        # The customers of values the user may read, and no others.
        self.value_ids.check_access("read")
        message = getattr(self, f"_apply_{self.target}")(self.value_ids.partner_id)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": message,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _apply_tag(self, partners):
        """Tag the customers; returns the message shown to the user."""
        tag = self._chosen(
            self.tag_id,
            self.new_tag_name,
            self.env._("Choose an existing tag or name a new one (not both)."),
        )
        # sudo: tagging the customers of a segment is what the valuation
        # groups may do, without the right to edit contacts; the partners are
        # those of the values checked above, the tag is the one chosen.
        tag_sudo = tag.sudo() or self.env["res.partner.category"].sudo().create(
            {"name": self.new_tag_name.strip()}
        )
        partners.sudo().write({"category_id": [fields.Command.link(tag_sudo.id)]})
        return self.env._(
            "%(count)s customers tagged %(tag)s.",
            count=len(partners),
            tag=tag_sudo.display_name,
        )

    def _chosen(self, existing, new_name, refusal):
        """The existing record chosen, or nothing when a new name is given;
        neither or both is refused with ``refusal``."""
        if bool(existing) == bool(new_name and new_name.strip()):
            raise UserError(refusal)
        return existing
