"""Delivery feedback of SMS: the provider's answers reach the collection event of each SMS."""

from odoo import models

#: The SMS notification's status, as the event's delivery (``ready`` is still ``queued``).
DELIVERY_OF_STATUS = {
    "process": "sent",
    "pending": "sent",
    "sent": "delivered",
    "exception": "failed",
    "bounce": "bounced",
}


class SmsTracker(models.Model):
    _inherit = "sms.tracker"

    def _update_sms_notifications(self, notification_status, failure_type=False, failure_reason=False):
        """At sending (the provider took the SMS, or refused it) and on the provider's delivery
        reports: the events of these SMS are sent, delivered, or failed (the email, else a
        letter, follows)."""
        result = super()._update_sms_notifications(
            notification_status, failure_type=failure_type, failure_reason=failure_reason
        )
        delivery = DELIVERY_OF_STATUS.get(notification_status)
        messages = self.mail_notification_id.mail_message_id
        if not delivery or not messages:
            return result
        events = (
            self.env["debt.collection.event"]
            .sudo()
            .search([("mail_message_id", "in", messages.ids), ("channel", "=", "sms")])
        )
        if delivery in ("failed", "bounced"):
            labels = dict(self.env["sms.sms"]._fields["failure_type"]._description_selection(self.env))
            events._debt_undelivered(delivery, failure_reason or labels.get(failure_type) or delivery)
        else:
            events._debt_delivered(delivery)
        return result
