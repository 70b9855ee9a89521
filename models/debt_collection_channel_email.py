"""Email channel of the escalation run: the step's template, one batch send per template.

Each email is moved to its customer's chatter, as Odoo's own "Send & Print" shows what was
sent, and its event follows its delivery (``mail_mail.py``, ``mail_thread.py``).
"""

from collections import defaultdict

from odoo import models
from odoo.tools import SQL


class DebtCollectionRun(models.AbstractModel):
    _inherit = "debt.collection.run"

    def _dispatch_email(self, events):
        by_template = defaultdict(lambda: self.env["debt.collection.event"])
        for event in events:
            template = event.step_id.mail_template_id or self.env.ref(
                "account_debt_collection.mail_template_reminder"
            )
            by_template[template] |= event
        events._debt_prepare_links()
        mails = self.env["mail.mail"]
        for template, template_events in by_template.items():
            mails |= template.sudo().send_mail_batch(template_events.ids)
        self._show_on_customers(mails, events)

    def _show_on_customers(self, mails, events):
        """Put each email in its customer's chatter and link it to its event, in two queries."""
        event_of = {event.id: event for event in events}
        pairs = [
            (mail.mail_message_id.id, event_of[mail.res_id]) for mail in mails if mail.res_id in event_of
        ]
        if not pairs:
            return
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """UPDATE mail_message message
                      SET model = 'res.partner', res_id = v.partner_id
                     FROM (VALUES %s) AS v(id, partner_id)
                    WHERE message.id = v.id""",
                SQL(", ").join(
                    SQL("(%s, %s)", message_id, event.partner_id.id) for message_id, event in pairs
                ),
            )
        )
        self.env["mail.message"].invalidate_model(["model", "res_id"])
        self.env["mail.mail"].invalidate_model(["model", "res_id"])
        fnames = ["mail_message_id", "delivery", "delivery_address"]
        events.modified(fnames, before=True)
        self.env.cr.execute(
            SQL(
                """UPDATE debt_collection_event event
                      SET mail_message_id = v.message_id, delivery = 'queued', delivery_address = v.address
                     FROM (VALUES %s) AS v(id, message_id, address)
                    WHERE event.id = v.id""",
                SQL(", ").join(
                    SQL("(%s, %s, %s)", event.id, message_id, event.partner_id.email_normalized)
                    for message_id, event in pairs
                ),
            )
        )
        events.invalidate_recordset(fnames)
        events.modified(fnames)
