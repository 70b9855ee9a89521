"""The SMS channel: a step of the scenario texts the customer's mobile through Odoo's SMS service.

Odoo's SMS gateway is mocked by its own test helpers (``sms.tests.common``): nothing reaches
a provider. The SMS is in the customer's chatter with its notification, its event follows
what the provider says, and a customer without a valid mobile gets the email, else a letter.
"""

from freezegun import freeze_time

from odoo.addons.sms.tests.common import SMSCase
from odoo.tests import tagged

from .common import DebtCollectionCommon, day

MOBILE = "+33612345678"


@tagged("post_install", "-at_install")
class TestSmsChannel(DebtCollectionCommon, SMSCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sms_step = cls.env["debt.collection.step"].create(
            {"scenario_id": cls.scenario.id, "name": "SMS reminder", "offset_days": 5, "channel": "sms"}
        )
        cls.customer.phone = "06 12 34 56 78"

    def communications(self, partner=None):
        return [
            (event.date, event.step_id.name, event.channel, event.state, event.delivery or None)
            for event in self.events(partner).filtered(lambda e: e.origin == "overdue")
        ]

    def send_queue(self, **gateway):
        """Odoo's SMS queue (its scheduled action, which commits), with the gateway mocked."""
        with self.mockSMSGateway(**gateway), self.enter_registry_test_mode():
            self.env.ref("sms.ir_cron_sms_scheduler_action").method_direct_trigger()

    def test_the_sms_step_texts_the_mobile_and_its_event_follows_the_providers_reports(self):
        invoice = self.invoice(1250.0)
        for offset in range(1, 6):
            self.escalate(day(offset))
        sms_event = self.events()[-1]
        self.assertEqual(
            self.communications(),
            [
                (day(1), "Courteous reminder", "email", "done", "queued"),
                (day(5), "SMS reminder", "sms", "done", "queued"),
            ],
        )
        self.assertEqual((invoice.debt_step_id, sms_event.delivery_address), (self.sms_step, MOBILE))
        message = sms_event.mail_message_id
        self.assertEqual(
            (message.model, message.res_id, message.message_type), ("res.partner", self.customer.id, "sms")
        )
        self.assertIn(message, self.customer.message_ids, "the SMS is in the customer's chatter")
        self.assertIn(invoice.name, message.body)
        self.assertIn("1,250.00", message.body, "the amount due, in the customer's language")

        self.send_queue()
        self.assertSMSIapSent([MOBILE], content=invoice.name)
        self.assertSMSNotification(
            [{"partner": self.customer, "number": MOBILE, "state": "pending"}], None, check_sms=False
        )
        self.assertEqual(sms_event.delivery, "sent", "the provider took it")

        # the provider's delivery report, on Odoo's own webhook
        uuid = (
            self.env["mail.notification"]
            .search([("mail_message_id", "=", message.id)])
            .sms_tracker_ids.sms_uuid
        )
        self.make_jsonrpc_request(
            "/sms/status", {"message_statuses": [{"sms_status": "delivered", "uuids": [uuid]}]}
        )
        self.assertEqual(sms_event.delivery, "delivered")
        self.assertEqual(sms_event.state, "done")

    def test_a_customer_without_a_valid_mobile_gets_the_email_else_a_letter(self):
        landline = self.env["res.partner"].create(
            {
                "name": "Garage Dubois",
                "is_company": True,
                "email": "garage@dubois.fr",
                "phone": "01 42 68 53 00",
                "country_id": self.env.ref("base.fr").id,
                "street": "18 rue Nationale",
                "zip": "59000",
                "city": "Lille",
            }
        )
        unreachable = self.env["res.partner"].create(
            {
                "name": "Menuiserie Rousseau",
                "is_company": True,
                "phone": "02 61 91",
                "country_id": self.env.ref("base.fr").id,
                "street": "6 rue de la Fosse",
                "zip": "44000",
                "city": "Nantes",
            }
        )
        self.invoice(700.0, partner=landline)
        self.invoice(300.0, partner=unreachable)
        with freeze_time(day(5)):
            preview = {r.partner_id: r.communication.channel for r in self.Run._preview(self.company, day(5))}
        self.assertEqual(preview, {landline.id: "email", unreachable.id: "letter"}, "the preview says it too")
        for offset in range(1, 6):
            self.escalate(day(offset))
        by_email = self.events(landline)[-1]
        self.assertEqual(
            (by_email.step_id, by_email.channel, by_email.sms_issue), (self.sms_step, "email", "no_mobile")
        )
        self.assertEqual(
            by_email.note, "No valid mobile number for Garage Dubois: the email is sent instead."
        )
        self.assertTrue(by_email.mail_message_id, "a real email, in the chatter")
        by_letter = self.events(unreachable)[-1]
        self.assertEqual(
            (by_letter.step_id, by_letter.channel, by_letter.letter_type, by_letter.state),
            (self.sms_step, "letter", "courteous", "to_print"),
        )
        self.assertEqual((by_letter.sms_issue, by_letter.email_issue), ("no_mobile", "missing"))
        self.assertEqual(
            by_letter.note,
            "No valid mobile number for Menuiserie Rousseau; No email address for Menuiserie Rousseau: "
            "a letter is sent instead.",
        )
        self.assertFalse(self.env["sms.sms"].search([]), "no SMS to a number that cannot receive one")

    def test_an_sms_the_provider_refuses_is_followed_by_the_email_at_the_same_step(self):
        invoice = self.invoice(480.0)
        for offset in range(1, 6):
            self.escalate(day(offset))
        sms_event = self.events()[-1]
        self.send_queue(sim_error="wrong_number_format")
        self.assertEqual((sms_event.state, sms_event.delivery), ("error", "failed"))
        self.assertIn("The SMS to +33612345678 was not delivered (Wrong Number Format)", sms_event.note)
        self.assertEqual(invoice.debt_level, 2, "back on the courteous email's step")
        self.assertIn("was not delivered", self.customer.message_ids[0].body)

        self.escalate(day(6))
        retry = self.events()[-1]
        self.assertEqual(
            (retry.date, retry.step_id, retry.channel, retry.sms_issue),
            (day(6), self.sms_step, "email", "failed"),
        )
        self.assertEqual(invoice.debt_step_id, self.sms_step)

    def test_no_sms_to_a_blacklisted_number_nor_when_the_company_turns_them_off(self):
        blacklisted = self.env["res.partner"].create(
            {
                "name": "Hôtel Les Tilleuls",
                "is_company": True,
                "email": "hotel@tilleuls.fr",
                "phone": "+33 6 12 34 56 99",
            }
        )
        later = self.env["res.partner"].create(
            {
                "name": "Laiterie des Alpes",
                "is_company": True,
                "email": "compta@laiterie.fr",
                "phone": "+33 6 12 34 56 98",
            }
        )
        self.invoice(200.0)
        self.invoice(200.0, partner=blacklisted)
        self.invoice(200.0, partner=later, due=day(10))
        self.env["phone.blacklist"].sudo().add("+33612345699")
        for offset in range(1, 6):
            self.escalate(day(offset))
        self.assertEqual((self.events()[-1].channel, self.events()[-1].sms_issue), ("sms", False))
        self.assertEqual(
            (self.events(blacklisted)[-1].channel, self.events(blacklisted)[-1].sms_issue),
            ("email", "blacklisted"),
        )
        self.assertEqual(
            self.events(blacklisted)[-1].note,
            "The number +33612345699 is blacklisted for SMS: the email is sent instead.",
        )

        # a Collection Manager turns collection SMS off in the settings
        settings = self.env["res.config.settings"].create({"debt_sms_enabled": False})
        settings.execute()
        self.assertFalse(self.company.debt_sms_enabled)
        for offset in range(6, 16):
            self.escalate(day(offset))
        last = self.events(later)[-1]
        self.assertEqual(
            (last.date, last.step_id, last.channel, last.sms_issue),
            (day(15), self.sms_step, "email", "disabled"),
        )
        self.assertEqual(last.note, "Collection SMS are turned off: the email is sent instead.")
