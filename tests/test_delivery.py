"""A communication is done when it reached the customer.

The run's emails are real Odoo mails: sent by the mail queue to an outgoing mail server that
refuses connections (a local port with nothing behind it), or bouncing back. Their events
follow: in error with the reason, the invoices back on their step, and the next run sends a
letter at the same level.
"""

import socket
from contextlib import closing
from unittest.mock import patch

from odoo.tests import tagged

from .common import DebtCollectionCommon, day


def _closed_port():
    """A local TCP port nothing listens on (connections to it are refused)."""
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@tagged("post_install", "-at_install")
class TestDelivery(DebtCollectionCommon):
    def mail_queue_with_the_mail_server_down(self):
        self.env["ir.mail_server"].create(
            {
                "name": "Serveur en panne",
                "smtp_host": "127.0.0.1",
                "smtp_port": _closed_port(),
                "smtp_encryption": "none",
                "sequence": 1,
            }
        )
        mail_server = type(self.env["ir.mail_server"])
        with patch.object(mail_server, "_disable_send", lambda *args: False):
            self.env["mail.mail"].process_email_queue()

    def communications(self):
        return [
            (event.date, event.channel, event.letter_type or None, event.state, event.level)
            for event in self.events().filtered(lambda e: e.origin in ("pre_due", "overdue"))
        ]

    def test_the_email_is_in_the_customers_chatter_as_sent(self):
        invoice = self.invoice(640.0)
        self.escalate(day(1))
        event = self.events()
        message = event.mail_message_id
        self.assertEqual((message.model, message.res_id), ("res.partner", self.customer.id))
        self.assertIn(message, self.customer.message_ids, "the customer's chatter shows the email")
        self.assertIn(invoice.name, message.body)
        self.assertEqual((event.delivery, event.delivery_address), ("queued", "compta@boulangerie-martin.fr"))
        self.assertNotIn("Dunning:", self.customer.message_ids[0].body, "the email itself, no note besides")

    def test_an_email_the_mail_server_refuses_is_followed_by_a_letter_at_the_same_level(self):
        invoice = self.invoice(900.0)
        self.escalate(day(1))
        email = self.events()
        self.assertEqual((email.channel, email.delivery, invoice.debt_level), ("email", "queued", 2))

        self.mail_queue_with_the_mail_server_down()
        self.assertEqual((email.state, email.delivery), ("error", "failed"))
        self.assertIn("was not delivered", email.note)
        self.assertEqual(invoice.debt_level, 0, "back on the step it had")
        self.assertFalse(email.line_ids.filtered("advanced"))
        self.assertLessEqual(invoice.debt_next_date, day(1), "looked at again by the next run")
        self.assertIn("was not delivered", self.customer.message_ids[0].body)

        # the next runs: the courteous step again, by letter, then the scenario goes on by its gaps
        for offset in range(2, 31):
            self.escalate(day(offset))
        self.assertEqual(
            self.communications(),
            [
                (day(1), "email", None, "error", 2),
                (day(2), "letter", "courteous", "to_print", 2),
                (day(11), "phone", None, "done", 3),
                (day(21), "letter", "firm", "to_print", 4),
            ],
        )
        letter = self.events().filtered(lambda e: e.date == day(2))
        self.assertEqual(letter.email_issue, "failed")
        self.assertEqual(len(invoice.debt_event_line_ids.filtered("advanced")), 3, "each step once")

    def test_a_bounce_puts_the_event_in_error_and_the_customer_gets_a_letter(self):
        invoice = self.invoice(500.0)
        self.escalate(day(1))
        email = self.events()
        self.env["mail.thread"]._routing_handle_bounce(
            False,
            {
                "bounced_email": "compta@boulangerie-martin.fr",
                "bounced_partner": self.customer,
                "bounced_msg_ids": [email.mail_message_id.message_id],
                "bounced_message": email.mail_message_id,
                "body": "<p>550 5.1.1 User unknown</p>",
                "email_from": "MAILER-DAEMON@example.fr",
                "to": "bounce@example.fr",
                "message_id": "<bounce-1@example.fr>",
            },
        )
        self.assertEqual((email.state, email.delivery), ("error", "bounced"))
        self.assertIn("550 5.1.1 User unknown", email.note)
        self.assertEqual(invoice.debt_level, 0)
        self.assertTrue(self.customer.message_bounce, "Odoo counts the bounce on the customer")
        self.escalate(day(2))
        letter = self.events() - email
        self.assertEqual((letter.channel, letter.letter_type, letter.level), ("letter", "courteous", 2))
