"""Bounces reach the collection event whose email bounced."""

from odoo import models
from odoo.tools import html2plaintext


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _routing_handle_bounce(self, email_message, message_dict):
        """Odoo counts the bounce on the customer (its blacklist mixin); the event of the email
        that bounced is then in error, and the next run sends a letter."""
        super()._routing_handle_bounce(email_message, message_dict)
        bounced = message_dict.get("bounced_message")
        if not bounced:
            return
        events = self.env["debt.collection.event"].sudo().search([("mail_message_id", "=", bounced.id)])
        if events:
            events._debt_undelivered("bounced", html2plaintext(message_dict.get("body") or "") or "bounce")
