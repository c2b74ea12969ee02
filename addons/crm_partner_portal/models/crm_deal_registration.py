# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression

from crm_engine.partner import find_conflicts
from crm_engine.partner.conflict import email_domain, normalize_vat, significant_word

_logger = logging.getLogger(__name__)

# Most candidates read per kind when looking for conflicts.
CONFLICT_CANDIDATES = 200


class CrmDealRegistration(models.Model):
    """A reseller's claim on a deal: checked for conflicts, approved or
    rejected by the channel manager, protected for a while once approved."""

    _name = "crm.deal.registration"
    _description = "Deal Registration"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"

    name = fields.Char(
        "Reference", required=True, readonly=True, copy=False, default="/"
    )
    partner_id = fields.Many2one(
        "res.partner",
        "Reseller",
        required=True,
        index=True,
        tracking=True,
        domain=[("is_company", "=", True)],
    )
    submitted_by_id = fields.Many2one("res.users", readonly=True)
    manager_id = fields.Many2one(
        "res.users",
        "Channel Manager",
        tracking=True,
        domain=[("share", "=", False)],
        help="Decides on the registration; by default the reseller's salesperson.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    customer_name = fields.Char("Customer Company", required=True, tracking=True)
    customer_vat = fields.Char("Customer Tax ID")
    contact_name = fields.Char("Contact", required=True)
    email = fields.Char(required=True)
    phone = fields.Char()
    expected_revenue = fields.Monetary(required=True, tracking=True)
    product_ids = fields.Many2many(
        "product.product", string="Products", domain=[("sale_ok", "=", True)]
    )
    date_expected_close = fields.Date("Expected Closing", required=True)
    description = fields.Text("Notes")
    state = fields.Selection(
        [
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("expired", "Expired"),
        ],
        required=True,
        default="submitted",
        tracking=True,
        index=True,
    )
    reject_reason = fields.Text("Rejection Reason", tracking=True)
    date_decided = fields.Date("Decided On", readonly=True, copy=False)
    date_protection_end = fields.Date(
        "Protected Until", readonly=True, copy=False, tracking=True
    )
    expiry_warned = fields.Boolean(readonly=True, copy=False)
    lead_id = fields.Many2one("crm.lead", "Opportunity", readonly=True, copy=False)
    conflict_ids = fields.One2many(
        "crm.deal.registration.conflict", "registration_id", string="Conflicts"
    )
    conflict_score = fields.Integer(
        compute="_compute_conflict_score",
        store=True,
        help="Strongest evidence that someone else already holds this customer "
        "(100: same tax ID, mail domain and name).",
    )
    conflict_level = fields.Selection(
        [("none", "None"), ("low", "Low"), ("medium", "Medium"), ("high", "High")],
        compute="_compute_conflict_score",
        store=True,
    )
    submit_token = fields.Char(
        readonly=True,
        copy=False,
        help="Random key of the portal form: the same form sent twice registers once.",
    )

    _sql_constraints = [
        (
            "submit_token_unique",
            "UNIQUE(partner_id, submit_token)",
            "This registration form was already sent.",
        ),
        (
            "expected_revenue_positive",
            "CHECK(expected_revenue > 0)",
            "The expected revenue must be more than zero.",
        ),
    ]

    @api.depends("conflict_ids.score")
    def _compute_conflict_score(self):
        for registration in self:
            score = max(registration.conflict_ids.mapped("score"), default=0)
            registration.conflict_score = score
            registration.conflict_level = (
                "high"
                if score >= 60
                else "medium"
                if score >= 40
                else "low"
                if score
                else "none"
            )

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for registration in self:
            registration.access_url = f"/my/registrations/{registration.id}"
        return result

    @api.constrains("email")
    def _check_email(self):
        for registration in self:
            if "@" not in (registration.email or ""):
                raise ValidationError(
                    self.env._(
                        "%(email)s is not an email address.", email=registration.email
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("crm.deal.registration") or "/"
                )
        registrations = super().create(vals_list)
        for registration in registrations:
            if not registration.manager_id:
                registration.manager_id = registration.partner_id.user_id
            registration._subscribe_reseller()
        registrations._check_conflicts()
        for registration in registrations:
            registration._notify_manager()
        return registrations

    # Conflicts ----------------------------------------------------------------

    def _conflict_candidates(self):
        """Leads, customers and other resellers' registrations that may be the
        same customer, as engine candidates. A prefilter on tax ID, mail domain
        or the name's longest word keeps this to a few rows."""
        self.ensure_one()
        vat = normalize_vat(self.customer_vat)
        domain_name = email_domain(self.email)
        word = significant_word(self.customer_name)
        candidates = []

        def any_of(*domains):
            return expression.OR([d for d in domains if d]) or [(0, "=", 1)]

        Lead = self.env["crm.lead"]
        lead_domain = any_of(
            word and [("partner_name", "ilike", word)],
            word and [("name", "ilike", word)],
            domain_name and [("email_from", "=ilike", f"%@{domain_name}")],
            vat and [("partner_id.vat", "ilike", vat[-6:])],
        )
        for lead in Lead.search(
            expression.AND(
                [
                    lead_domain,
                    [
                        ("id", "!=", self.lead_id.id),
                        ("company_id", "in", [self.company_id.id, False]),
                    ],
                ]
            ),
            limit=CONFLICT_CANDIDATES,
        ):
            candidates.append(
                {
                    "kind": "lead",
                    "id": lead.id,
                    "label": lead.name,
                    "name": lead.partner_name
                    or lead.partner_id.commercial_partner_id.name
                    or lead.name,
                    "vat": lead.partner_id.commercial_partner_id.vat,
                    "email": lead.email_from,
                }
            )
        Partner = self.env["res.partner"]
        partner_domain = any_of(
            word and [("name", "ilike", word)],
            domain_name and [("email", "=ilike", f"%@{domain_name}")],
            vat and [("vat", "ilike", vat[-6:])],
        )
        for partner in Partner.search(
            expression.AND(
                [
                    partner_domain,
                    [("is_company", "=", True), ("id", "!=", self.partner_id.id)],
                ]
            ),
            limit=CONFLICT_CANDIDATES,
        ):
            candidates.append(
                {
                    "kind": "customer",
                    "id": partner.id,
                    "label": partner.display_name,
                    "name": partner.name,
                    "vat": partner.vat,
                    "email": partner.email,
                }
            )
        registration_domain = any_of(
            word and [("customer_name", "ilike", word)],
            domain_name and [("email", "=ilike", f"%@{domain_name}")],
            vat and [("customer_vat", "ilike", vat[-6:])],
        )
        for other in self.search(
            expression.AND(
                [
                    registration_domain,
                    [
                        ("id", "!=", self.id),
                        ("state", "in", ("submitted", "approved")),
                        ("company_id", "=", self.company_id.id),
                    ],
                ]
            ),
            limit=CONFLICT_CANDIDATES,
        ):
            candidates.append(
                {
                    "kind": "registration",
                    "id": other.id,
                    "label": f"{other.name} ({other.partner_id.name})",
                    "name": other.customer_name,
                    "vat": other.customer_vat,
                    "email": other.email,
                }
            )
        return candidates

    def _check_conflicts(self):
        """Score this registration against everything that may be the same
        customer; keeps the conflicts found for the channel manager."""
        Conflict = self.env["crm.deal.registration.conflict"]
        for registration in self:
            deal = {
                "name": registration.customer_name,
                "vat": registration.customer_vat,
                "email": registration.email,
            }
            found = find_conflicts(deal, registration._conflict_candidates())
            registration.conflict_ids.unlink()
            Conflict.create(
                [Conflict._prepare_conflict_vals(registration, item) for item in found]
            )

    def action_check_conflicts(self):
        # Staff only: resellers read their registrations but never the
        # conflicts, which name other resellers' customers.
        self.check_access("write")
        self._check_conflicts()
        return True

    # Decisions ----------------------------------------------------------------

    def _check_manager(self):
        if not self.env.user.has_group("crm_partner_portal.group_channel_manager"):
            raise UserError(
                self.env._("Only channel managers approve or reject registrations.")
            )

    def action_approve(self):
        self._check_manager()
        if any(registration.state != "submitted" for registration in self):
            raise UserError(self.env._("Only submitted registrations can be approved."))
        today = fields.Date.context_today(self)
        for registration in self:
            days = registration.company_id.partner_protection_days
            registration.write(
                {
                    "state": "approved",
                    "date_decided": today,
                    "date_protection_end": today + timedelta(days=days),
                    "reject_reason": False,
                }
            )
            registration.lead_id = registration._create_lead()
            registration._notify_reseller(
                self.env._(
                    "Your registration %(name)s for %(customer)s is approved: the "
                    "deal is yours until %(date)s.",
                    name=registration.name,
                    customer=registration.customer_name,
                    date=registration.date_protection_end,
                )
            )
        return True

    def action_reject(self):
        self._check_manager()
        if any(registration.state != "submitted" for registration in self):
            raise UserError(self.env._("Only submitted registrations can be rejected."))
        if any(not (registration.reject_reason or "").strip() for registration in self):
            raise UserError(
                self.env._(
                    "Write the reason for the rejection first: the reseller sees it."
                )
            )
        for registration in self:
            registration.write(
                {"state": "rejected", "date_decided": fields.Date.context_today(self)}
            )
            registration._notify_reseller(
                self.env._(
                    "Your registration %(name)s for %(customer)s is rejected: "
                    "%(reason)s",
                    name=registration.name,
                    customer=registration.customer_name,
                    reason=registration.reject_reason,
                )
            )
        return True

    def _prepare_lead_vals(self):
        self.ensure_one()
        return {
            "name": self.env._(
                "%(customer)s (registered by %(reseller)s)",
                customer=self.customer_name,
                reseller=self.partner_id.name,
            ),
            "type": "opportunity",
            "partner_name": self.customer_name,
            "contact_name": self.contact_name,
            "email_from": self.email,
            "phone": self.phone,
            "expected_revenue": self.expected_revenue,
            "date_deadline": self.date_expected_close,
            "description": self.description,
            "partner_assigned_id": self.partner_id.id,
            "user_id": self.manager_id.id or self.partner_id.user_id.id,
            "company_id": self.company_id.id,
            "deal_registration_id": self.id,
        }

    def action_view_lead(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": self.lead_id.id,
            "view_mode": "form",
        }

    def _create_lead(self):
        return self.env["crm.lead"].create(self._prepare_lead_vals())

    # Messages -----------------------------------------------------------------

    def _subscribe_reseller(self):
        recipients = self.submitted_by_id.partner_id or self.partner_id
        self.message_subscribe(partner_ids=recipients.ids)

    def _reseller_recipients(self):
        return self.message_partner_ids.filtered(
            lambda partner: partner.commercial_partner_id == self.partner_id
        )

    def _notify_reseller(self, body):
        self.message_post(
            body=body,
            partner_ids=self._reseller_recipients().ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    def _notify_manager(self):
        if self.manager_id:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=self.manager_id.id,
                summary=self.env._("Approve or reject the deal registration"),
            )

    # Protection ---------------------------------------------------------------

    @api.model
    def _cron_protection(self):
        """Warn resellers before their protection ends, expire it after;
        one failing registration stops nothing."""
        today = fields.Date.context_today(self)
        approved = self.search([("state", "=", "approved")])
        for registration in approved:
            try:
                with self.env.cr.savepoint():
                    registration._protection_step(today)
            except Exception:
                _logger.exception("Protection check failed for %s", registration.id)

    def _protection_step(self, today):
        self.ensure_one()
        end = self.date_protection_end
        if not end:
            return
        if end < today:
            self.write({"state": "expired"})
            self._notify_reseller(
                self.env._(
                    "The protection of %(name)s for %(customer)s ended on %(date)s.",
                    name=self.name,
                    customer=self.customer_name,
                    date=end,
                )
            )
            return
        warn_days = self.company_id.partner_protection_warning_days
        if not self.expiry_warned and end - timedelta(days=warn_days) <= today:
            self.expiry_warned = True
            self._notify_reseller(
                self.env._(
                    "The protection of %(name)s for %(customer)s ends on %(date)s: "
                    "close the deal or ask us to extend it.",
                    name=self.name,
                    customer=self.customer_name,
                    date=end,
                )
            )
