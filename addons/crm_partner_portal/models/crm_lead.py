# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from crm_engine.partner import Candidate, rank_candidates

_logger = logging.getLogger(__name__)


class CrmLead(models.Model):
    """Forwarded leads get a deadline: accepted or declined by the reseller in
    time, or back to us and on to the next matching reseller."""

    _inherit = "crm.lead"

    partner_offer_ids = fields.One2many(
        "crm.partner.offer", "lead_id", string="Reseller Offers", readonly=True
    )
    partner_offer_id = fields.Many2one(
        "crm.partner.offer",
        "Open Offer",
        compute="_compute_partner_offer_id",
        help="The forwarding still waiting for the reseller's answer.",
    )
    partner_offer_deadline = fields.Datetime(
        "Answer By", compute="_compute_partner_offer_id"
    )
    deal_registration_id = fields.Many2one(
        "crm.deal.registration", readonly=True, copy=False
    )

    @api.depends("partner_offer_ids.state", "partner_offer_ids.date_deadline")
    def _compute_partner_offer_id(self):
        for lead in self:
            offer = lead.partner_offer_ids.filtered(
                lambda offer: offer.state == "offered"
            )[:1]
            lead.partner_offer_id = offer
            lead.partner_offer_deadline = offer.date_deadline

    def write(self, vals):
        """Forwarding a lead by hand (Odoo's forward wizard or the Assigned
        Partner field) opens an offer with a deadline."""
        if "partner_assigned_id" not in vals or self.env.context.get(
            "crm_partner_offer_skip"
        ):
            return super().write(vals)
        before = {lead.id: lead.partner_assigned_id for lead in self}
        result = super().write(vals)
        partner = self.env["res.partner"].browse(vals["partner_assigned_id"] or [])
        for lead in self:
            if before[lead.id] == partner:
                continue
            lead.partner_offer_ids.filtered(
                lambda offer: offer.state == "offered"
            ).sudo().write({"state": "expired"})
            if partner and lead.type == "lead" and lead.active:
                lead._create_partner_offer(partner)
        return result

    # Forwarding ---------------------------------------------------------------

    def _offer_recipients(self, partner):
        """The reseller's people who answer: its portal users."""
        users = (
            self.env["res.users"]
            .sudo()
            .search([("partner_id", "child_of", partner.id), ("share", "=", True)])
        )
        return users.partner_id or partner

    def _create_partner_offer(self, partner):
        self.ensure_one()
        hours = (
            self.company_id.partner_offer_hours or self.env.company.partner_offer_hours
        )
        now = fields.Datetime.now()
        self.env["crm.partner.offer"].sudo().create(
            {
                "lead_id": self.id,
                "partner_id": partner.id,
                "date_offered": now,
                "date_deadline": now + timedelta(hours=hours or 48),
            }
        )
        recipients = self._offer_recipients(partner)
        self.message_subscribe(partner_ids=recipients.ids)
        self.message_post(
            body=self.env._(
                "Lead forwarded to %(partner)s: please accept or decline it by "
                "%(deadline)s (UTC).",
                partner=partner.display_name,
                deadline=fields.Datetime.to_string(now + timedelta(hours=hours or 48)),
            ),
            partner_ids=recipients.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    def _offer_to_partner(self, partner):
        self.ensure_one()
        self.with_context(crm_partner_offer_skip=True).write(
            {"partner_assigned_id": partner.id}
        )
        self._create_partner_offer(partner)

    def _match_candidates(self):
        """Resellers that may take this lead, as engine candidates."""
        self.ensure_one()
        Partner = self.env["res.partner"]
        resellers = Partner.search(Partner._get_reseller_domain())
        if not resellers:
            return []
        figures = resellers._partner_performance(*Partner._performance_window())
        open_offers = dict(
            self.env["crm.partner.offer"]._read_group(
                [("partner_id", "in", resellers.ids), ("state", "=", "offered")],
                ["partner_id"],
                ["__count"],
            )
        )
        candidates = []
        for reseller in resellers:
            closed = figures[reseller.id]["won"] + figures[reseller.id]["lost"]
            candidates.append(
                Candidate(
                    partner_id=reseller.id,
                    weight=reseller.partner_weight,
                    same_country=not self.country_id
                    or reseller.country_id == self.country_id,
                    same_state=bool(self.state_id)
                    and reseller.state_id == self.state_id,
                    open_offers=open_offers.get(reseller, 0),
                    capacity=reseller.grade_id.lead_capacity,
                    acceptance_rate=figures[reseller.id]["acceptance_rate"],
                    win_rate=figures[reseller.id]["win_rate"] if closed else None,
                )
            )
        return candidates

    def _offer_to_next_match(self):
        """Forward each lead to the best reseller that has not had it yet."""
        offered = 0
        for lead in self:
            excluded = set(lead.partner_declined_ids.ids) | set(
                lead.partner_offer_ids.partner_id.ids
            )
            ranked = rank_candidates(lead._match_candidates(), excluded=excluded)
            if ranked:
                lead._offer_to_partner(self.env["res.partner"].browse(ranked[0]))
                offered += 1
            else:
                lead.message_post(
                    body=self.env._("No reseller is available for this lead.")
                )
        return offered

    def action_offer_to_reseller(self):
        """Forward by rule: level, place, free capacity and track record."""
        leads = self.filtered(
            lambda lead: (
                lead.active
                and lead.type == "lead"
                and not lead.partner_offer_id
                and not lead.partner_assigned_id
            )
        )
        if not leads:
            raise UserError(
                self.env._(
                    "Only unassigned leads can be forwarded; these are already "
                    "with a reseller or are opportunities."
                )
            )
        count = leads._offer_to_next_match()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if count else "warning",
                "message": self.env._(
                    "%(count)s of %(total)s leads forwarded.",
                    count=count,
                    total=len(leads),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # Answers from the portal --------------------------------------------------

    def _answer_partner_offer(self, state, reason=False):
        """Record the answer of the current user's reseller to its open offers
        on ``self`` (whose write access the caller has checked)."""
        commercial = self.env.user.commercial_partner_id
        now = fields.Datetime.now()
        for lead in self:
            # sudo: offers are read-only to resellers; narrowed to the open
            # offer of this user's own company on a lead they may write.
            offer_sudo = lead.sudo().partner_offer_ids.filtered(
                lambda offer: (
                    offer.state == "offered" and offer.partner_id == commercial
                )
            )
            if not offer_sudo:
                continue
            if offer_sudo.date_deadline < now:
                raise UserError(
                    self.env._(
                        "The time to answer this lead ran out on %(deadline)s (UTC).",
                        deadline=fields.Datetime.to_string(offer_sudo.date_deadline),
                    )
                )
            offer_sudo.write({"state": state, "date_answered": now, "reason": reason})

    def partner_interested(self, comment=False):
        self.check_access("write")
        self._answer_partner_offer("accepted", comment)
        return super().partner_interested(comment=comment)

    def partner_desinterested(self, comment=False, contacted=False, spam=False):
        self.check_access("write")
        if not (comment or "").strip():
            raise UserError(self.env._("Please say why you decline this lead."))
        self._answer_partner_offer("declined", comment)
        result = super(
            CrmLead, self.with_context(crm_partner_offer_skip=True)
        ).partner_desinterested(comment=comment, contacted=contacted, spam=spam)
        # sudo: a reseller cannot see the other resellers the lead goes to
        # next; narrowed to the leads whose write access was checked above.
        self.sudo()._offer_to_next_match()
        return result

    # Expiry -------------------------------------------------------------------

    def _expire_partner_offer(self, offer):
        self.ensure_one()
        offer.write({"state": "expired"})
        self.with_context(crm_partner_offer_skip=True).write(
            {
                "partner_assigned_id": False,
                "partner_declined_ids": [fields.Command.link(offer.partner_id.id)],
            }
        )
        self.message_unsubscribe(
            partner_ids=self._offer_recipients(offer.partner_id).ids
        )
        self.message_post(
            body=Markup("<p>%s</p>")
            % self.env._(
                "%(partner)s did not answer in time: the lead is back with us.",
                partner=offer.partner_id.display_name,
            )
        )
        self._offer_to_next_match()

    @api.model
    def _cron_expire_partner_offers(self):
        """Take back leads not answered in time; one failure stops nothing."""
        offers = self.env["crm.partner.offer"].search(
            [("state", "=", "offered"), ("date_deadline", "<", fields.Datetime.now())]
        )
        for offer in offers:
            try:
                with self.env.cr.savepoint():
                    offer.lead_id._expire_partner_offer(offer)
            except Exception:
                _logger.exception("Could not expire reseller offer %s", offer.id)
        return len(offers)
