"""Delivery feedback: an email of a collection event tells its event whether it went out."""

from odoo import models


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _postprocess_sent_message(
        self, success_pids, success_emails, failure_reason=False, failure_type=None
    ):
        """After each sending attempt (Odoo calls this per mail, or per batch when the mail
        server cannot be reached): the events of these mails are sent, or failed."""
        events = (
            self.env["debt.collection.event"]
            .sudo()
            .search([("mail_message_id", "in", self.mail_message_id.ids), ("delivery", "=", "queued")])
        )
        if events:
            if failure_type:
                labels = dict(self._fields["failure_type"]._description_selection(self.env))
                events._debt_undelivered("failed", failure_reason or labels.get(failure_type, failure_type))
            else:
                events._debt_delivered()
        return super()._postprocess_sent_message(
            success_pids, success_emails, failure_reason=failure_reason, failure_type=failure_type
        )
