"""The customer's last communication that reached it, shown on its Collection tab."""

from odoo import fields, models
from odoo.tools import SQL

from .debt_collection_event import COMMUNICATION_ORIGINS


class ResPartner(models.Model):
    _inherit = "res.partner"

    debt_last_communication_id = fields.Many2one(
        "debt.collection.event",
        string="Last Communication Received",
        compute="_compute_debt_last_communication",
        help="The customer's last reminder that went out and did not fail, bounce or come back.",
    )

    def _compute_debt_last_communication(self):
        """One query for all the customers shown, in the current company."""
        commercial = self.commercial_partner_id
        last = {}
        if commercial.ids:
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    """SELECT DISTINCT ON (partner_id) partner_id, id FROM debt_collection_event
                        WHERE partner_id = ANY(%s) AND company_id = %s AND origin IN %s AND state = 'done'
                          AND (delivery IS NULL OR delivery NOT IN ('failed', 'bounced', 'returned'))
                     ORDER BY partner_id, COALESCE(sent_date, date) DESC, id DESC""",
                    commercial.ids,
                    self.env.company.id,
                    COMMUNICATION_ORIGINS,
                )
            )
            last = dict(self.env.cr.fetchall())
        Event = self.env["debt.collection.event"]
        for partner in self:
            partner.debt_last_communication_id = Event.browse(last.get(partner.commercial_partner_id.id))
