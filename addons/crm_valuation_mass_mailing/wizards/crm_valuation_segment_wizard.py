# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CrmValuationSegmentWizard(models.TransientModel):
    """A segment of customers as a mailing list of Email Marketing."""

    _inherit = "crm.valuation.segment.wizard"

    target = fields.Selection(
        selection_add=[("mailing_list", "Mailing list")],
        ondelete={"mailing_list": "set default"},
    )
    mailing_list_id = fields.Many2one(
        "mailing.list",
        string="Existing Mailing List",
        help="Add the customers to this list.",
    )
    new_list_name = fields.Char(
        string="New Mailing List", help="Or create a list with this name for them."
    )
    no_email_count = fields.Integer(
        compute="_compute_no_email_count",
        string="Customers without Email",
    )

    @api.depends("value_ids")
    def _compute_no_email_count(self):
        for wizard in self:
            wizard.no_email_count = len(
                wizard.value_ids.partner_id.filtered(lambda partner: not partner.email)
            )

    def _apply_mailing_list(self, partners):
        """Subscribe the customers with an email; an address already on the
        list is not added twice."""
        mailing_list = self._chosen(
            self.mailing_list_id,
            self.new_list_name,
            self.env._("Choose an existing mailing list or name a new one (not both)."),
        ) or self.env["mailing.list"].create({"name": self.new_list_name.strip()})
        listed = set(mailing_list.contact_ids.mapped("email_normalized"))
        reachable = partners.filtered(
            lambda partner: (
                partner.email_normalized and partner.email_normalized not in listed
            )
        )
        self.env["mailing.contact"].create(
            [
                {
                    "name": partner.name,
                    "email": partner.email,
                    "company_name": partner.commercial_company_name or False,
                    "country_id": partner.country_id.id,
                    "list_ids": [fields.Command.link(mailing_list.id)],
                }
                for partner in reachable
            ]
        )
        return self.env._(
            "%(count)s customers added to %(list)s; %(skipped)s without an email "
            "address or already on it.",
            count=len(reachable),
            list=mailing_list.name,
            skipped=len(partners) - len(reachable),
        )
