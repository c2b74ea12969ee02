# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

BUYERS = "purchase.group_purchase_user"
MAX_PRICE = 1e12


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    srm_standing_id = fields.Many2one(
        "crm.supplier.standing",
        string="Supplier Standing",
        related="partner_id.commercial_partner_id.srm_standing_id",
        groups=BUYERS,
    )
    srm_standing_control = fields.Selection(
        related="srm_standing_id.control", groups=BUYERS
    )
    srm_rfq_sent_date = fields.Datetime(
        string="RFQ Sent",
        readonly=True,
        copy=False,
        help="When the request for quotation first went to the supplier; "
        "responsiveness counts from here.",
    )
    srm_acknowledged_date = fields.Datetime(
        string="Acknowledged by Supplier", readonly=True, copy=False, tracking=True
    )
    srm_acknowledged_by = fields.Many2one(
        "res.users", string="Acknowledged By", readonly=True, copy=False
    )
    srm_rfq_answered_date = fields.Datetime(
        string="Quotation Received", readonly=True, copy=False
    )
    srm_proposal_ids = fields.One2many(
        "crm.supplier.date.proposal", "order_id", string="Date Proposals"
    )
    srm_pending_proposal_count = fields.Integer(
        string="Pending Date Proposals", compute="_compute_srm_pending_proposal_count"
    )

    @api.depends("partner_id")
    def _compute_srm_standing_id(self):
        for order in self:
            order.srm_standing_id = (
                order.partner_id.commercial_partner_id.srm_standing_id
            )

    @api.depends("srm_proposal_ids.state")
    def _compute_srm_pending_proposal_count(self):
        for order in self:
            order.srm_pending_proposal_count = len(
                order.srm_proposal_ids.filtered(lambda p: p.state == "pending")
            )

    def write(self, vals):
        if vals.get("state") == "sent":
            unsent = self.filtered(lambda order: not order.srm_rfq_sent_date)
            if unsent:
                super(PurchaseOrder, unsent).write(
                    {"srm_rfq_sent_date": fields.Datetime.now()}
                )
        return super().write(vals)

    def button_confirm(self):
        blocked = self.filtered(
            lambda order: (
                order.state in ("draft", "sent") and order._srm_control() == "blocked"
            )
        )
        if blocked and not self.env.user.has_group("purchase.group_purchase_manager"):
            raise UserError(
                self.env._(
                    "%(suppliers)s is Blocked by its scorecard: a purchase manager "
                    "must confirm this order.",
                    suppliers=", ".join(blocked.partner_id.mapped("display_name")),
                )
            )
        result = super().button_confirm()
        for order in blocked:
            order.message_post(
                body=self.env._(
                    "Confirmed by %(user)s although the supplier is Blocked.",
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return result

    def _srm_control(self):
        """The purchasing control of the supplier's standing, whoever asks."""
        self.ensure_one()
        # sudo: confirming is for everyone with order rights; the standing
        # itself is for buyers; only its control is read.
        return self.sudo().partner_id.commercial_partner_id.srm_standing_id.control

    # Supplier actions from the portal (the controller checks ownership) -----

    def _srm_acknowledge(self, user):
        self.ensure_one()
        if self.state not in ("purchase", "done"):
            raise UserError(self.env._("Only a confirmed order can be acknowledged."))
        if self.srm_acknowledged_date:
            return False
        self.write(
            {
                "srm_acknowledged_date": fields.Datetime.now(),
                "srm_acknowledged_by": user.id,
            }
        )
        self.message_post(
            body=self.env._("The supplier acknowledged the order."),
            author_id=user.partner_id.id,
            subtype_xmlid="mail.mt_note",
        )
        return True

    def _srm_propose_dates(self, user, proposals, note):
        """``proposals``: {order line: date}. Each becomes a pending proposal the
        purchaser accepts or refuses."""
        self.ensure_one()
        if self.state not in ("purchase", "done"):
            raise UserError(self.env._("New dates are proposed on confirmed orders."))
        if not proposals:
            raise UserError(self.env._("Give a new date for at least one line."))
        today = fields.Date.context_today(self)
        for line, day in proposals.items():
            if line.order_id != self:
                raise UserError(self.env._("That line is not on this order."))
            if day < today:
                raise UserError(self.env._("A proposed date cannot be in the past."))
        proposals_model = self.env["crm.supplier.date.proposal"]
        created = proposals_model.create(
            [
                {
                    "order_id": self.id,
                    "line_id": line.id,
                    "previous_date": line.date_planned,
                    "proposed_date": day,
                    "note": note,
                    "proposed_by": user.id,
                }
                for line, day in proposals.items()
            ]
        )
        self.message_post(
            body=Markup("<p>%s</p><ul>%s</ul>")
            % (
                self.env._("The supplier proposes new dates:"),
                Markup().join(
                    Markup("<li>%s: %s</li>") % (p.line_id.name, p.proposed_date)
                    for p in created
                ),
            ),
            author_id=user.partner_id.id,
            subtype_xmlid="mail.mt_note",
        )
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=self.user_id.id
            or self.partner_id._srm_purchaser(self.company_id).id,
            summary=self.env._("Supplier proposes new dates"),
        )
        return created

    def _srm_answer_rfq(self, user, answers, note):
        """``answers``: {order line: (unit price, date)}; the supplier's quotation
        is written on the request and logged with the previous values."""
        self.ensure_one()
        if self.state not in ("draft", "sent"):
            raise UserError(self.env._("This request for quotation is closed."))
        if not answers:
            raise UserError(self.env._("Give a price for at least one line."))
        today = fields.Date.context_today(self)
        for line, (price, day) in answers.items():
            if line.order_id != self or line.display_type:
                raise UserError(self.env._("That line is not on this request."))
            if not 0 <= price < MAX_PRICE:
                raise UserError(self.env._("Prices must be positive numbers."))
            if day and day < today:
                raise UserError(self.env._("A delivery date cannot be in the past."))
        changes = []
        for line, (price, day) in answers.items():
            vals = {"price_unit": price}
            if day:
                vals["date_planned"] = datetime.datetime.combine(day, datetime.time(12))
            changes.append(
                Markup("<li>%s: %s &#8594; %s%s</li>")
                % (line.name, line.price_unit, price, f", {day}" if day else "")
            )
            line.write(vals)
        self.srm_rfq_answered_date = fields.Datetime.now()
        self.message_post(
            body=Markup("<p>%s</p><ul>%s</ul>%s")
            % (
                self.env._("The supplier answered the request for quotation:"),
                Markup().join(changes),
                Markup("<p>%s</p>") % note if note else "",
            ),
            author_id=user.partner_id.id,
            subtype_xmlid="mail.mt_note",
        )
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=self.user_id.id
            or self.partner_id._srm_purchaser(self.company_id).id,
            summary=self.env._("Supplier answered the request for quotation"),
        )
        return True
