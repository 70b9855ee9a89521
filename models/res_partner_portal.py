"""The customer's signed link to its own page: one per customer, revocable, expiring."""

import secrets

from odoo import api, fields, models
from odoo.tools import SQL, consteq

from ..rules.portal import VALID, extended_expiry, token_state
from .debt_collection_access import USER, require_group

#: The customer's page, relative to the database's URL (controllers/portal.py).
PAGE_ROUTE = "/my/collection"
#: Random bytes of a token (128 bits, as many as a UUID): short enough for a printed link.
TOKEN_BYTES = 16


class ResPartner(models.Model):
    """A customer (commercial entity) and the link to its page.

    Every collection email and letter carries the link: ``/my/collection/<id>?access_token=``.
    The token opens the page until its expiry, which each communication carrying it pushes
    to that day plus the company's number of days (``rules.portal``); a revoked or expired
    token opens nothing, and the next communication carries a new one. The same token lets
    the page's message thread read and post in the customer's chatter, as Odoo's portal does
    for invoices (``_mail_post_token_field``).
    """

    _inherit = "res.partner"
    _mail_post_token_field = "debt_portal_valid_token"

    debt_portal_token = fields.Char(copy=False, readonly=True, groups="base.group_system")
    debt_portal_expiry = fields.Date(
        string="Page Link Valid Until",
        copy=False,
        readonly=True,
        help="The link to the customer's page, carried by each reminder, works until this day.",
    )
    debt_portal_valid_token = fields.Char(
        compute="_compute_debt_portal_valid_token", compute_sudo=True, groups="base.group_system"
    )
    debt_portal_visit_date = fields.Date(
        string="Page Last Visited",
        copy=False,
        readonly=True,
        help="Last day the customer opened its page.",
    )

    @api.depends("debt_portal_token", "debt_portal_expiry")
    @api.depends_context("date")
    def _compute_debt_portal_valid_token(self):
        today = fields.Date.context_today(self)
        for partner in self:
            valid = token_state(partner.debt_portal_token, partner.debt_portal_expiry, today) == VALID
            partner.debt_portal_valid_token = partner.debt_portal_token if valid else ""

    # ------------------------------------------------------------------ the link

    def _debt_portal_ensure_tokens(self, today=None):
        """Give these customers a valid token, pushed to today plus the company's days, in one query.

        Called before a batch of communications is rendered, so that no rendering writes.
        """
        today = today or fields.Date.context_today(self)
        days = self.env.company.debt_portal_token_days
        partners = self.commercial_partner_id.sudo()
        partners.fetch(["debt_portal_token", "debt_portal_expiry"])
        rows = []
        for partner in partners:
            valid = token_state(partner.debt_portal_token, partner.debt_portal_expiry, today) == VALID
            expiry = extended_expiry(partner.debt_portal_expiry if valid else None, today, days)
            if valid and expiry == partner.debt_portal_expiry:
                continue
            rows.append((partner.id, None if valid else secrets.token_urlsafe(TOKEN_BYTES), expiry))
        if not rows:
            return
        partners.flush_model(["debt_portal_token", "debt_portal_expiry"])
        self.env.cr.execute(
            SQL(
                """UPDATE res_partner partner
                      SET debt_portal_token = COALESCE(v.token, partner.debt_portal_token),
                          debt_portal_expiry = v.expiry
                     FROM (VALUES %s) AS v(id, token, expiry)
                    WHERE partner.id = v.id""",
                SQL(", ").join(SQL("(%s, %s::varchar, %s::date)", *row) for row in rows),
            )
        )
        partners.invalidate_recordset(["debt_portal_token", "debt_portal_expiry", "debt_portal_valid_token"])

    def _debt_portal_url(self):
        """The customer's signed link, absolute (a token is made when there is none valid)."""
        self.ensure_one()
        partner = self.commercial_partner_id.sudo()
        if not partner.debt_portal_valid_token:
            partner._debt_portal_ensure_tokens()
        return f"{partner.get_base_url()}{PAGE_ROUTE}/{partner.id}?access_token={partner.debt_portal_token}"

    @api.model
    def _debt_portal_find(self, partner_id, token):
        """The customer whose valid token this is, else an empty recordset (compared in constant time)."""
        if not partner_id or not token or not isinstance(token, str):
            return self.browse()
        partner = self.sudo().browse(partner_id).exists()
        if not partner or partner != partner.commercial_partner_id:
            return self.browse()
        valid = partner.debt_portal_valid_token
        if not valid or not consteq(token, valid):
            return self.browse()
        return partner

    def action_debt_portal_revoke(self):
        """Revoke the customer's link: it opens nothing any more; the next communication carries a new one."""
        require_group(
            self.env, USER, self.env._("Only a Collection User can revoke the link to a customer's page.")
        )
        partners = self.commercial_partner_id
        partners.sudo().write({"debt_portal_token": False, "debt_portal_expiry": False})
        note = self.env._(
            "The link to the customer's page was revoked: the next communication carries a new one."
        )
        partners._message_log_batch(bodies=dict.fromkeys(partners.ids, note))
        return True

    # ------------------------------------------------------------------ the page's message thread

    def message_post(self, **kwargs):
        """A message the customer writes on its page: within its daily limit, an event, the
        credit controller told."""
        portal = self.env["debt.collection.portal"]
        from_page = (
            len(self) == 1
            and self.env.user.share
            and kwargs.get("message_type", "notification") == "comment"
            and self == self.commercial_partner_id
        )
        if not from_page:
            return super().message_post(**kwargs)
        portal._check_daily_limit(self)
        controller = portal._controller(self, portal._companies(self)[:1])
        if controller:
            kwargs["partner_ids"] = list({*(kwargs.get("partner_ids") or []), controller.partner_id.id})
        message = super().message_post(**kwargs)
        portal._record(self, "portal_message")
        return message
