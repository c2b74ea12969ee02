# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CrmDealRegistrationConflict(models.Model):
    """Something that looks like the registered customer: shown to the
    channel manager, never to resellers."""

    _name = "crm.deal.registration.conflict"
    _description = "Deal Registration Conflict"
    _order = "score desc, id"

    registration_id = fields.Many2one(
        "crm.deal.registration", required=True, index=True, ondelete="cascade"
    )
    kind = fields.Selection(
        [
            ("lead", "Lead or Opportunity"),
            ("customer", "Customer"),
            ("registration", "Other Registration"),
        ],
        required=True,
    )
    name = fields.Char("Matches", required=True)
    score = fields.Integer(required=True)
    reasons = fields.Char("Evidence")
    lead_id = fields.Many2one("crm.lead", ondelete="cascade")
    customer_id = fields.Many2one("res.partner", ondelete="cascade")
    other_registration_id = fields.Many2one("crm.deal.registration", ondelete="cascade")

    @api.model
    def _reason_labels(self):
        return {
            "vat": self.env._("same tax ID"),
            "email_domain": self.env._("same mail domain"),
            "name": self.env._("similar name"),
        }

    @api.model
    def _prepare_conflict_vals(self, registration, conflict):
        labels = self._reason_labels()
        field = {
            "lead": "lead_id",
            "customer": "customer_id",
            "registration": "other_registration_id",
        }[conflict.kind]
        return {
            "registration_id": registration.id,
            "kind": conflict.kind,
            "name": conflict.label,
            "score": conflict.score,
            "reasons": ", ".join(labels[reason] for reason in conflict.reasons),
            field: conflict.ref,
        }
