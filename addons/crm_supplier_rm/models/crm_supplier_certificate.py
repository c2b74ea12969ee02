# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
import logging

from odoo import api, fields, models

_logger = logging.getLogger(__name__)


class CrmSupplierCertificate(models.Model):
    """A supplier's certificate (quality, halal, food safety ...) with its
    expiry; the purchaser and the supplier are reminded before it expires."""

    _name = "crm.supplier.certificate"
    _description = "Supplier Certificate"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "expiry_date, id"

    name = fields.Char(string="Certificate", required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Supplier",
        required=True,
        index=True,
        domain=[("is_company", "=", True)],
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, index=True
    )
    kind = fields.Selection(
        [
            ("quality", "Quality (ISO 9001 ...)"),
            ("halal", "Halal"),
            ("food_safety", "Food Safety"),
            ("environment", "Environment"),
            ("other", "Other"),
        ],
        string="Type",
        required=True,
        default="quality",
    )
    reference = fields.Char(string="Number")
    issue_date = fields.Date()
    expiry_date = fields.Date(required=True, tracking=True)
    document = fields.Binary(attachment=True)
    document_name = fields.Char()
    uploaded_by = fields.Many2one("res.users", readonly=True)
    reminder_sent = fields.Date(readonly=True, copy=False)
    expiry_state = fields.Selection(
        [("valid", "Valid"), ("expiring", "Expiring Soon"), ("expired", "Expired")],
        compute="_compute_expiry_state",
        string="Status",
    )

    _sql_constraints = [
        (
            "dates_order",
            "CHECK(issue_date IS NULL OR issue_date <= expiry_date)",
            "A certificate expires after it is issued.",
        ),
    ]

    @api.depends("expiry_date")
    def _compute_expiry_state(self):
        today = fields.Date.context_today(self)
        days = self._reminder_days()
        for certificate in self:
            if not certificate.expiry_date:
                certificate.expiry_state = False
            elif certificate.expiry_date < today:
                certificate.expiry_state = "expired"
            elif certificate.expiry_date <= today + datetime.timedelta(days=days):
                certificate.expiry_state = "expiring"
            else:
                certificate.expiry_state = "valid"

    def _reminder_days(self):
        config = (
            self.env["crm.supplier.scorecard.config"]
            .sudo()
            .search([("company_id", "=", self.env.company.id)], limit=1)
        )
        return config.certificate_reminder_days if config else 30

    def write(self, vals):
        if "expiry_date" in vals:
            vals = {**vals, "reminder_sent": False}
        return super().write(vals)

    @api.model
    def _cron_remind(self):
        """Certificates expiring within the reminder days, not reminded yet: an
        activity for the purchaser and a message to the supplier. One failing
        certificate is logged; the others are still reminded."""
        today = fields.Date.context_today(self)
        for company in self.env["res.company"].search([], limit=None, order="id"):
            days = self.with_company(company)._reminder_days()
            due = self.search(
                [
                    ("company_id", "in", [company.id, False]),
                    ("reminder_sent", "=", False),
                    ("expiry_date", "<=", today + datetime.timedelta(days=days)),
                ]
            )
            for certificate in due:
                try:
                    with self.env.cr.savepoint():
                        certificate._remind(company)
                except Exception:
                    _logger.exception(
                        "Reminder of certificate %s failed", certificate.id
                    )

    def _remind(self, company):
        self.ensure_one()
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=min(self.expiry_date, fields.Date.context_today(self)),
            user_id=self.partner_id._srm_purchaser(company).id,
            summary=self.env._(
                "Certificate %(name)s of %(supplier)s expires on %(date)s",
                name=self.name,
                supplier=self.partner_id.display_name,
                date=self.expiry_date,
            ),
        )
        self.message_post(
            body=self.env._(
                "Your certificate %(name)s expires on %(date)s: please upload "
                "the renewed one in your portal.",
                name=self.name,
                date=self.expiry_date,
            ),
            partner_ids=self.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.reminder_sent = fields.Date.context_today(self)
