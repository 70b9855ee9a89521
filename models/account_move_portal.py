"""Invoices on the customer's page: their portal links, and whether the customer looked after a reminder."""

import uuid

from odoo import api, fields, models
from odoo.tools import SQL


class AccountMove(models.Model):
    _inherit = "account.move"

    debt_seen_online = fields.Boolean(
        string="Seen Online",
        compute="_compute_debt_seen_online",
        search="_search_debt_seen_online",
        help="The customer opened its page on or after the last reminder of this invoice.",
    )
    debt_portal_visit_date = fields.Date(
        related="commercial_partner_id.debt_portal_visit_date", string="Page Last Visited"
    )

    @api.depends("debt_last_date", "commercial_partner_id.debt_portal_visit_date")
    def _compute_debt_seen_online(self):
        for move in self:
            visit = move.commercial_partner_id.debt_portal_visit_date
            move.debt_seen_online = bool(visit and move.debt_last_date and visit >= move.debt_last_date)

    def _search_debt_seen_online(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        seen = SQL(
            """SELECT move.id FROM account_move move
                 JOIN debt_collection_invoice_state dunning ON dunning.id = move.debt_state_id
                 JOIN res_partner partner ON partner.id = move.commercial_partner_id
                WHERE dunning.debt_last_date IS NOT NULL
                  AND partner.debt_portal_visit_date >= dunning.debt_last_date"""
        )
        wanted = (operator == "=") == value
        return [("id", "in" if wanted else "not in", seen)]

    def _debt_ensure_portal_tokens(self):
        """Give these invoices their portal access token (Odoo's ``portal.mixin``) in one query."""
        missing = self.sudo().filtered(lambda move: not move.access_token)
        if not missing:
            return
        missing.flush_model(["access_token"])
        self.env.cr.execute(
            SQL(
                """UPDATE account_move move SET access_token = v.token
                     FROM (VALUES %s) AS v(id, token)
                    WHERE move.id = v.id AND move.access_token IS NULL""",
                SQL(", ").join(SQL("(%s, %s)", move.id, str(uuid.uuid4())) for move in missing),
            )
        )
        missing.invalidate_recordset(["access_token"])

    def _debt_portal_invoice_url(self):
        """The invoice's page on Odoo's customer portal, with its access token, absolute.

        With ``account_payment`` and a payment provider, Odoo's own "Pay Now" is there.
        """
        self.ensure_one()
        move = self.sudo()
        return f"{move.get_base_url()}{move.get_portal_url()}"
