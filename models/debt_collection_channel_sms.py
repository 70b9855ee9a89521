"""SMS channel: the step's SMS template, texts in the customers' chatters, queued for Odoo's SMS service.

Each SMS is logged in its customer's chatter as Odoo's SMS composer logs one, with its
notification and tracker, so that the provider's reports reach it; its event follows its
delivery (``sms_tracker.py``). The texts are sent by Odoo's SMS queue after the run commits.
"""

from uuid import uuid4

from odoo import fields, models
from odoo.addons.sms.tools.sms_tools import sms_content_to_rendered_html
from odoo.tools import SQL


class DebtCollectionRun(models.AbstractModel):
    _inherit = "debt.collection.run"

    def _dispatch_sms(self, events):
        default = self.env.ref("account_debt_collection.sms_template_reminder")
        bodies = {}
        for template, template_events in events.grouped(
            lambda e: e.step_id.sms_template_id or default
        ).items():
            bodies.update(template.sudo()._render_field("body", template_events.ids, compute_lang=True))
        partners = events.partner_id
        messages = partners._message_log_batch(
            bodies={event.partner_id.id: sms_content_to_rendered_html(bodies[event.id]) for event in events},
            message_type="sms",
        )
        message_of = {message.res_id: message for message in messages}
        sms_values = [
            {
                "body": bodies[event.id],
                "number": event.partner_id.phone_sanitized,
                "partner_id": event.partner_id.id,
                "mail_message_id": message_of[event.partner_id.id].id,
                "state": "outgoing",
                "uuid": uuid4().hex,
            }
            for event in events
        ]
        texts = self.env["sms.sms"].sudo().create(sms_values)
        self.env["mail.notification"].sudo().create(
            [
                {
                    "author_id": sms.mail_message_id.author_id.id,
                    "mail_message_id": sms.mail_message_id.id,
                    "res_partner_id": sms.partner_id.id,
                    "sms_number": sms.number,
                    "notification_type": "sms",
                    "sms_id_int": sms.id,
                    "sms_tracker_ids": [fields.Command.create({"sms_uuid": sms.uuid})],
                    "is_read": True,
                    "notification_status": "ready",
                }
                for sms in texts
            ]
        )
        self._link_texts(events, texts)

    def _link_texts(self, events, texts):
        """Each event points to its SMS in the chatter, queued to its number (one query)."""
        fnames = ["mail_message_id", "delivery", "delivery_address"]
        events.modified(fnames, before=True)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """UPDATE debt_collection_event event
                      SET mail_message_id = v.message_id, delivery = 'queued', delivery_address = v.number
                     FROM (VALUES %s) AS v(id, message_id, number)
                    WHERE event.id = v.id""",
                SQL(", ").join(
                    SQL("(%s, %s, %s)", event.id, sms.mail_message_id.id, sms.number)
                    for event, sms in zip(events, texts, strict=True)
                ),
            )
        )
        events.invalidate_recordset(fnames)
        events.modified(fnames)
