"""Robustness of the dunning: failures mid-run, bad input, access."""

from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import DebtCollectionCommon, day

USER = "account_debt_collection.group_debt_collection_user"
MANAGER = "account_debt_collection.group_debt_collection_manager"
RUN_LOGGER = "odoo.addons.account_debt_collection.models.debt_collection_run"


@tagged("post_install", "-at_install")
class TestRobustness(DebtCollectionCommon):
    # ------------------------------------------------------------------ faults

    def test_failed_email_dispatch_is_an_error_event_and_the_next_run_retries(self):
        other = self.env["res.partner"].create(
            {"name": "Garage Dupont", "is_company": True, "email": "compta@garage-dupont.fr"}
        )
        failing_invoice = self.invoice(500.0)
        other_invoice = self.invoice(300.0, partner=other)
        run_class = type(self.Run)
        original = run_class._dispatch_email

        def dispatch_then_fail(run, events):
            original(run, events)  # the mails are queued, then the channel fails: they must go
            if self.customer in events.partner_id:
                raise ValueError("The mail template could not be rendered.")

        # one customer per batch: the batch of the customer fails, the other goes out
        with (
            patch.object(run_class, "_dispatch_email", dispatch_then_fail),
            self.assertLogs(RUN_LOGGER, "WARNING") as logs,
            freeze_time(day(1)),
        ):
            self.Run.with_company(self.company)._escalate(self.company, today=day(1), batch_size=1)
        self.assertIn(f"customer {self.customer.id} could not be dunned", logs.output[0])
        self.assertIn("The mail template could not be rendered.", logs.output[0], "the traceback is logged")

        failed = self.events()
        self.assertEqual((failed.state, failed.channel), ("error", "email"))
        self.assertIn("The mail template could not be rendered. (details in the server log of", failed.note)
        self.assertEqual(len(failed.note.splitlines()), 1, "one line for the controller")
        self.assertFalse(self.mails(failed), "the failed channel's mails are rolled back")
        self.assertFalse(failed.line_ids.advanced, "an error event's invoices took no step")
        self.assertEqual(failing_invoice.debt_level, 0)
        self.assertLessEqual(failing_invoice.debt_next_date, day(1), "decided again at the next run")
        self.assertIn("Dunning failed", self.customer.message_ids[0].body, "the chatter says so")

        sent = self.events(other)
        self.assertEqual((sent.state, len(self.mails(sent))), ("done", 1))
        self.assertEqual(other_invoice.debt_level, 2)

        # the template is fixed: the next run sends exactly one mail and advances once
        self.escalate(day(1))
        retried = self.events() - failed
        self.assertEqual((retried.state, retried.channel, retried.level), ("done", "email", 2))
        self.assertEqual(len(self.mails(retried)), 1)
        self.assertEqual(self.events(other), sent, "nothing twice for the customer already done")
        self.assertEqual(failing_invoice.debt_level, 2)
        self.assertEqual(len(failing_invoice.debt_event_line_ids.filtered("advanced")), 1)
        self.escalate(day(1))
        self.assertEqual(self.events(), failed | retried, "a third run the same day does nothing")

    def test_a_bounced_or_blacklisted_address_gets_a_letter_that_says_why(self):
        bounced = self.env["res.partner"].create(
            {"name": "Rebond SARL", "is_company": True, "email": "compta@rebond.fr", "message_bounce": 2}
        )
        unsubscribed = self.env["res.partner"].create(
            {"name": "Désinscrit SAS", "is_company": True, "email": "Compta <compta@desinscrit.fr>"}
        )
        self.env["mail.blacklist"].sudo()._add("compta@desinscrit.fr")
        for partner in (self.customer, bounced, unsubscribed):
            self.invoice(400.0, partner=partner)
        self.escalate(day(1))

        self.assertEqual(self.events().channel, "email", "a deliverable address still gets the email")
        self.assertEqual(len(self.mails(self.events())), 1)
        for partner, reason in (
            (bounced, "Mail to compta@rebond.fr bounced: a letter is sent instead."),
            (unsubscribed, "is blacklisted: a letter is sent instead."),
        ):
            event = self.events(partner)
            self.assertEqual(
                (event.channel, event.letter_type, event.state), ("letter", "courteous", "to_print")
            )
            self.assertIn(reason, event.note)
            self.assertFalse(self.mails(event), "no mail to an address that does not read it")

    def test_an_approved_step_that_fails_to_go_out_puts_its_invoices_back(self):
        self.steps.filtered(lambda s: s.offset_days == 1).needs_approval = True
        invoice = self.invoice(500.0)
        self.escalate(day(-5))
        self.assertEqual(invoice.debt_level, 1, "the satisfaction call went out")
        called = self.events()
        self.escalate(day(1))
        event = self.events() - called
        self.assertEqual((event.state, invoice.debt_level), ("to_approve", 1), "nothing moves yet")
        run_class = type(self.Run)
        with (
            patch.object(run_class, "_dispatch_email", side_effect=ValueError("SMTP refused")),
            mute_logger(RUN_LOGGER),
            freeze_time(day(3)),
        ):
            event.action_approve()
        self.assertEqual(event.state, "error")
        self.assertIn("SMTP refused", event.note)
        self.assertFalse(event.line_ids.advanced)
        self.assertEqual(invoice.debt_level, 1, "still at its step before")
        self.assertLessEqual(invoice.debt_next_date, day(3), "decided again by the next run")

        self.escalate(day(3))
        retried = self.events() - called - event
        self.assertEqual((retried.state, retried.level), ("to_approve", 2), "the next run decides it again")
        self.assertEqual(invoice.debt_level, 1)
        retried.action_approve()
        self.assertEqual((retried.state, invoice.debt_level), ("done", 2))
        self.assertEqual(len(self.mails(retried)), 1)

    # ------------------------------------------------------------------ bad input

    def test_duplicate_step_offset_is_refused_with_its_message(self):
        steps_before = self.scenario.step_ids
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError) as caught,
            self.env.cr.savepoint(),
        ):
            self.env["debt.collection.step"].create(
                {
                    "name": "Second call",
                    "scenario_id": self.scenario.id,
                    "offset_days": 10,
                    "channel": "phone",
                }
            )
            self.env.flush_all()
        message = self.env["debt.collection.step"]._sql_error_to_message(caught.exception)
        self.assertIn("Two steps of a scenario cannot have the same offset.", message)
        self.scenario.invalidate_recordset()
        self.assertEqual(self.scenario.step_ids, steps_before, "nothing written")

    def test_printing_letters_for_a_customer_without_address_names_it_and_prints_nothing(self):
        self.customer.write({"email": False, "street": "12 rue des Lilas", "zip": "69003", "city": "Lyon"})
        nowhere = self.env["res.partner"].create({"name": "Sans Adresse SAS", "is_company": True})
        no_zip = self.env["res.partner"].create(
            {"name": "Sans Code Postal SARL", "is_company": True, "street": "3 rue Neuve", "city": "Paris"}
        )
        self.invoice(500.0)
        self.invoice(300.0, partner=nowhere)
        self.invoice(200.0, partner=no_zip)
        self.escalate(day(1))
        letters = self.Event.search([("partner_id", "in", (self.customer | nowhere | no_zip).ids)])
        self.assertEqual(letters.mapped("channel"), ["letter"] * 3)
        with self.assertRaises(UserError) as caught:
            letters.action_print_letters()
        self.assertIn("no complete postal address (street, postal code and city)", str(caught.exception))
        self.assertIn("Sans Adresse SAS", str(caught.exception))
        self.assertIn("Sans Code Postal SARL", str(caught.exception))
        self.assertNotIn("Boulangerie Martin SARL", str(caught.exception))
        self.assertEqual(letters.mapped("state"), ["to_print"] * 3, "nothing marked printed")
        self.assertFalse(any(letters.mapped("printed_date")))

    def test_invalid_phone_number_is_flagged_on_the_customer(self):
        self.assertFalse(self.customer.debt_phone_invalid)
        self.customer.phone = "12 <b>34"
        self.assertTrue(self.customer.debt_phone_invalid)
        self.assertFalse(self.customer.phone_sanitized, "no E.164 form of an invalid number")
        self.customer.phone = False
        self.assertFalse(self.customer.debt_phone_invalid, "no number is not an invalid number")

    def test_french_local_formats_are_dialled_in_e164(self):
        """The phone tasks dial Odoo's ``phone_sanitized``: a French number however written."""
        for written in (
            "01 42 68 53 00",
            "01.42.68.53.00",
            "0142685300",
            "+33 1 42 68 53 00",
            "0033 1 42 68 53 00",
        ):
            self.customer.phone = written
            self.assertEqual(self.customer.phone_sanitized, "+33142685300", written)
            self.assertFalse(self.customer.debt_phone_invalid, written)
        for written in ("12", "01 42 68", "not a number", "+33 9 99"):
            self.customer.phone = written
            self.assertFalse(self.customer.phone_sanitized, written)
            self.assertTrue(self.customer.debt_phone_invalid, written)

    def test_the_phone_task_says_which_number_to_call(self):
        numbers = {"Valide SAS": "01 42 68 53 00", "Invalide SARL": "12 34", "Sans Numéro SA": False}
        customers = self.env["res.partner"].create(
            [
                {
                    "name": name,
                    "is_company": True,
                    "email": f"compta{i}@example.fr",
                    "phone": phone,
                    "country_id": self.env.ref("base.fr").id,
                }
                for i, (name, phone) in enumerate(numbers.items())
            ]
        )
        for customer in customers:
            self.invoice(650.0, partner=customer)
        for offset in (1, 10):
            self.escalate(day(offset))
        notes = {}
        for customer in customers:
            task = self.events(customer).filtered(lambda e: e.channel == "phone").activity_id
            notes[customer.name] = " ".join(str(task.note).split())
        self.assertIn('Call <a href="tel:+33142685300">+33 1 42 68 53 00</a>', notes["Valide SAS"])
        self.assertIn("The number 12 34 is invalid: check it before calling.", notes["Invalide SARL"])
        self.assertNotIn("tel:", notes["Invalide SARL"])
        self.assertIn("No phone number: find one before calling.", notes["Sans Numéro SA"])

    def test_html_in_names_and_notes_is_escaped_in_emails_letters_and_chatter(self):
        script = "<script>alert(1)</script>"
        self.customer.name = f"{script} Martin"
        silent = self.env["res.partner"].create(
            {"name": f"{script} Dupont", "is_company": True, "street": "3 rue Neuve", "city": "Paris"}
        )
        self.invoice(500.0)
        self.invoice(300.0, partner=silent)
        self.escalate(day(1))

        mail = self.mails(self.events())
        self.assertEqual(len(mail), 1)
        self.assertNotIn(script, mail.body_html)
        self.assertIn("&lt;script&gt;", mail.body_html)

        letter = self.events(silent)
        self.assertEqual(letter.channel, "letter")
        self.assertIn(script, letter.note, "the note is plain text, it names the customer")
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "account_debt_collection.action_report_debt_letter", letter.ids
        )
        html = html.decode()
        self.assertNotIn(script, html)
        self.assertIn("&lt;script&gt;", html)

        chatter = silent.message_ids[0].body
        self.assertNotIn(script, chatter)
        self.assertIn("&lt;script&gt;", chatter)

    # ------------------------------------------------------------------ access

    def _user(self, login, groups, company):
        return new_test_user(
            self.env,
            login=login,
            groups=groups,
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )

    def test_a_user_of_another_company_cannot_read_the_events(self):
        self.invoice(500.0)
        self.escalate(day(1))
        event = self.events()
        company_b = self.setup_other_company(name="Filiale Lyon")["company"]
        controller_a = self._user("controller_a", USER, self.company)
        controller_b = self._user("controller_b", USER, company_b)
        self.assertEqual(self.Event.with_user(controller_a).search([("id", "=", event.id)]), event)
        self.assertFalse(self.Event.with_user(controller_b).search([("id", "=", event.id)]))
        with self.assertRaises(AccessError):
            event.with_user(controller_b).read(["partner_id"])
        with self.assertRaises(AccessError):
            event.line_ids.with_user(controller_b).read(["amount_residual"])

    def test_a_salesperson_reads_the_dunning_of_their_own_customers_only(self):
        salesperson = self._user("salesperson_a", "account.group_account_invoice", self.company)
        controller = self._user("controller_a", USER, self.company)
        other = self.env["res.partner"].create(
            {"name": "Garage Dupont", "is_company": True, "email": "compta@garage-dupont.fr"}
        )
        sold_to_other = self.env["res.partner"].create(
            {"name": "Imprimerie Leroy", "is_company": True, "email": "compta@leroy.fr"}
        )
        self.customer.user_id = salesperson
        self.invoice(500.0)
        self.invoice(300.0, partner=other)
        self.invoice(200.0, partner=sold_to_other, invoice_user_id=salesperson.id)
        self.escalate(day(1))
        everyone = self.Event.search([("partner_id", "in", (self.customer | other | sold_to_other).ids)])
        self.assertEqual(len(everyone), 3)

        Event = self.Event.with_user(salesperson)
        seen = Event.search([("id", "in", everyone.ids)])
        self.assertEqual(
            seen.partner_id, self.customer | sold_to_other, "their customer, and the invoice they sold"
        )
        with self.assertRaises(AccessError):
            self.events(other).with_user(salesperson).read(["amount_net"])
        with self.assertRaises(AccessError):
            self.events(other).line_ids.with_user(salesperson).read(["amount_residual"])
        self.assertEqual(self.Event.with_user(controller).search([("id", "in", everyone.ids)]), everyone)

    def test_only_the_superuser_edits_or_deletes_an_event(self):
        self.invoice(500.0)
        self.escalate(day(1))
        event = self.events()
        manager = self._user("manager_a", f"{MANAGER},base.group_system", self.company)
        controller = self._user("controller_a", USER, self.company)
        for user in (manager, controller):
            # refused by the event itself, whatever rights the user's groups give on the model
            with self.assertRaisesRegex(AccessError, "Only the collection workflow itself can change"):
                event.with_user(user).write({"amount_net": 0.0})
            with self.assertRaisesRegex(AccessError, "Only the collection workflow itself can delete"):
                event.with_user(user).unlink()
        self.assertEqual(event.amount_net, 500.0)
        event.sudo().unlink()
        self.assertFalse(event.exists())

    def test_an_invoicing_user_cannot_create_scenarios(self):
        billing = self._user("billing_a", "account.group_account_invoice", self.company)
        Scenario = self.env["debt.collection.scenario"].with_user(billing)
        self.assertEqual(Scenario.search([("company_id", "=", self.company.id)]), self.scenario)
        with self.assertRaises(AccessError):
            Scenario.create({"name": "My own scenario", "company_id": self.company.id})
        with self.assertRaises(AccessError):
            self.scenario.with_user(billing).write({"name": "Renamed"})
