from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import format_date

from .common import DebtCollectionCommon, day


@tagged("post_install", "-at_install")
class TestEscalation(DebtCollectionCommon):
    def test_default_scenario_walks_an_invoice_from_d_minus_5_to_d_plus_45(self):
        invoice = self.invoice(1000.0)
        self.assertEqual(invoice.debt_next_date, day(-5))

        self.escalate(day(-6))
        self.assertFalse(self.events(), "nothing before D-5")

        # D-5: the satisfaction call, a phone task for the credit controller
        self.escalate(day(-5))
        check = self.events()
        self.assertEqual((check.channel, check.origin, check.level), ("satisfaction_check", "pre_due", 1))
        self.assertEqual(check.activity_id.res_id, self.customer.id)
        self.assertIn("tel:+33142685300", str(check.activity_id.note))

        # D+1: the courteous email, queued with the invoice listed
        self.escalate(day(1))
        email = self.events() - check
        self.assertEqual((email.channel, email.level, email.amount_net), ("email", 2, 1000.0))
        mail = self.mails(email)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertIn(invoice.name, mail.body_html)
        self.assertEqual(mail.state, "outgoing")

        # D+10: a reminder call
        self.escalate(day(10))
        call = self.events() - check - email
        self.assertEqual((call.channel, call.level), ("phone", 3))
        self.assertTrue(call.activity_id)

        # D+20: the firm letter waits in the "to print" list
        self.escalate(day(20))
        letter = self.events() - check - email - call
        self.assertEqual((letter.channel, letter.letter_type, letter.state), ("letter", "firm", "to_print"))

        # D+30: the formal notice, by registered letter
        self.escalate(day(30))
        notice = self.events() - check - email - call - letter
        self.assertEqual(
            (notice.channel, notice.letter_type, notice.state),
            ("registered_letter", "formal_notice", "to_print"),
        )

        # D+45: a collection case groups the invoice
        self.escalate(day(45))
        case_event = self.events() - check - email - call - letter - notice
        self.assertEqual(case_event.channel, "case")
        self.assertEqual(invoice.debt_case_id, case_event.case_id)
        self.assertEqual(case_event.case_id.partner_id, self.customer)

        self.assertEqual(invoice.debt_level, 6)
        self.assertEqual(invoice.debt_step_id, self.steps[-1])
        self.assertFalse(invoice.debt_next_date, "the scenario is over")
        self.assertEqual(self.customer.debt_level, 6)
        self.assertEqual(
            invoice.debt_event_line_ids.filtered("advanced").step_id.sorted("offset_days"), self.steps
        )

    def test_second_run_the_same_day_does_nothing(self):
        self.invoice(500.0)
        self.escalate(day(1))
        first = self.events()
        self.assertEqual(len(first), 1)
        mails = self.mails(first)
        self.escalate(day(1))
        self.assertEqual(self.events(), first)
        self.assertEqual(self.mails(self.Event.search([])), mails)

    def test_missed_runs_do_not_skip_levels_and_keep_the_scenario_gaps(self):
        invoice = self.invoice(800.0)
        # Nobody ran the dunning for 40 days: the first reminder is the courteous email, and the
        # call comes the 9 days the scenario puts between them later, not the next night.
        self.escalate(day(40))
        self.assertEqual(self.events().channel, "email")
        self.assertEqual(invoice.debt_next_date, day(49))
        self.escalate(day(41))
        self.assertEqual(len(self.events()), 1)
        self.escalate(day(49))
        self.assertEqual(self.events()[-1].channel, "phone")

    def test_payment_stops_the_flow(self):
        invoice = self.invoice(1000.0)
        self.escalate(day(1))
        self.pay(invoice, 1000.0, day(5))
        self.assertEqual(invoice.payment_state, invoice._get_invoice_in_payment_state())
        self.escalate(day(10))
        self.escalate(day(20))
        self.assertEqual(len(self.events()), 1)

    def test_partial_payment_keeps_the_remaining_amount(self):
        invoice = self.invoice(1000.0)
        self.escalate(day(1))
        self.pay(invoice, 400.0, day(5))
        self.escalate(day(10))
        call = self.events()[-1]
        self.assertEqual((call.channel, call.amount_net), ("phone", 600.0))
        self.assertEqual(call.line_ids.amount_residual, 600.0)

    def test_one_communication_per_customer_net_of_credits(self):
        late = self.invoice(700.0, due=day(-10))
        recent = self.invoice(300.0)
        refund = self._create_invoice_one_line(
            move_type="out_refund",
            price_unit=250.0,
            tax_ids=[],
            partner_id=self.customer,
            invoice_date=day(-20),
            post=True,
        )
        self.assertEqual(refund.payment_state, "not_paid")
        self.escalate(day(1))
        (event,) = self.events()
        # the late invoice is at D+11: it takes the email (one step per run), so does the recent one
        self.assertEqual(event.channel, "email")
        self.assertEqual(event.line_ids.move_id, late | recent)
        self.assertEqual((event.amount_due, event.amount_credit, event.amount_net), (1000.0, 250.0, 750.0))

    def test_foreign_currency_invoice(self):
        other = self.setup_other_currency("EUR", rates=[("2000-01-01", 2.0)])
        invoice = self.invoice(1000.0, currency_id=other.id)
        self.assertEqual(invoice.amount_residual_signed, 500.0)
        self.escalate(day(1))
        event = self.events()
        self.assertEqual(event.amount_net, 500.0, "totals in company currency")
        self.assertEqual(event.line_ids.amount_residual, 1000.0, "lines in the invoice's currency")
        self.assertEqual(event.line_ids.currency_id, other)

    def test_customer_without_email_gets_a_letter_and_the_event_says_why(self):
        self.customer.email = False
        self.invoice(450.0)
        self.escalate(day(1))
        event = self.events()
        self.assertEqual((event.channel, event.state, event.letter_type), ("letter", "to_print", "courteous"))
        self.assertIn("No email address", event.note)
        self.assertFalse(self.mails(event))

    def test_never_chased(self):
        disputed = self.invoice(100.0)
        disputed.sudo().debt_dispute = True
        excluded = self.invoice(200.0)
        excluded.no_followup = True
        promised = self.invoice(300.0)
        promised.sudo().debt_promise_date = day(5)
        self.escalate(day(1))
        self.assertFalse(self.events())
        # the promise runs until its date plus the grace period (3 days), then dunning resumes
        self.escalate(day(8))
        self.assertFalse(self.events())
        self.escalate(day(9))
        self.assertEqual(self.events().line_ids.move_id, promised)

    def test_excluded_customer_is_never_chased(self):
        self.customer.with_company(self.company).debt_excluded = True
        self.invoice(100.0)
        self.escalate(day(15))
        self.assertFalse(self.events())

    def test_amount_below_the_step_minimum_waits(self):
        self.steps.filtered(lambda s: s.offset_days == 1).min_amount = 100.0
        small = self.invoice(60.0)
        self.escalate(day(1))
        self.assertFalse(self.events())
        self.assertEqual(small.debt_level, 0)
        self.assertEqual(small.debt_next_date, day(2), "looked at again the next day")
        self.invoice(50.0, due=day(-1))
        self.escalate(day(2))
        self.assertEqual(self.events().amount_net, 110.0)

    def test_two_companies_each_with_their_scenario(self):
        company_2 = self.setup_other_company(name="Filiale Lyon")["company"]
        scenario_2 = self.env["debt.collection.scenario"].search(
            [("company_id", "=", company_2.id), ("is_default", "=", True)]
        )
        self.assertTrue(scenario_2, "every new company gets its default scenario")
        scenario_2.step_ids.filtered(lambda s: s.offset_days == 1).offset_days = 3
        invoice_2 = self.invoice(900.0, company_id=company_2.id, journal_id=None)
        self.assertEqual(invoice_2.company_id, company_2)
        self.invoice(100.0)

        self.escalate(day(1))
        self.escalate(day(1), company_2)
        self.assertEqual(self.events().company_id, self.company)
        self.escalate(day(3), company_2)
        event_2 = self.events().filtered(lambda e: e.company_id == company_2)
        self.assertEqual((event_2.channel, event_2.step_id.scenario_id), ("email", scenario_2))
        self.assertEqual(event_2.line_ids.move_id, invoice_2)

    def test_manager_approval_holds_the_step(self):
        email_step = self.steps.filtered(lambda s: s.offset_days == 1)
        email_step.needs_approval = True
        self.invoice(500.0)
        self.escalate(day(1))
        event = self.events()
        self.assertEqual(event.state, "to_approve")
        self.assertFalse(self.mails(event))
        event.action_approve()
        self.assertEqual(event.state, "done")
        self.assertEqual(len(self.mails(event)), 1)

    def test_events_cannot_be_changed(self):
        self.invoice(500.0)
        self.escalate(day(1))
        event = self.events().with_user(self.env.user).sudo(False)  # a Collection Manager
        with self.assertRaisesRegex(AccessError, "itself can change a collection event"):
            event.write({"amount_net": 1.0})
        with self.assertRaisesRegex(AccessError, "itself can delete a collection event"):
            event.unlink()
        self.assertTrue(event.exists())
        self.assertEqual(event.amount_net, 500.0)

    def test_preview_announces_the_run_without_acting(self):
        self.invoice(500.0)
        wizard = self.env["debt.collection.run.wizard"].with_context(default_company_id=self.company.id)
        with self.subTest("preview"), freeze_time(day(1)):
            preview = wizard.create({})
            self.assertEqual(preview.line_ids.mapped("channel"), ["email"])
            self.assertEqual(preview.amount_total, 500.0)
            self.assertFalse(self.events())
            preview.action_run()
        self.assertEqual(self.events().channel, "email")

    def _queries_of_a_run(self, count):
        partners = self.env["res.partner"].create(
            [{"name": f"Client {count}-{i}", "email": f"c{count}-{i}@example.fr"} for i in range(count)]
        )
        for partner in partners:
            self.invoice(100.0, partner=partner)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.escalate(day(1))
        self.env.flush_all()
        queries = self.env.cr.sql_log_count - before
        self.assertEqual(self.Event.search_count([("partner_id", "in", partners.ids)]), count)
        return queries

    def test_query_count_does_not_grow_with_the_invoices(self):
        queries_20 = self._queries_of_a_run(20)
        self.Event.sudo().search([]).unlink()
        queries_200 = self._queries_of_a_run(200)
        self.assertLessEqual(queries_200, queries_20 + 5, (queries_20, queries_200))

    def _stored_columns(self, events):
        """Every stored column of ``events`` and of their lines, but their ids."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT * FROM debt_collection_event WHERE id IN %s ORDER BY id", [tuple(events.ids)]
        )
        stored_events = [{k: v for k, v in row.items() if k != "id"} for row in self.env.cr.dictfetchall()]
        self.env.cr.execute(
            "SELECT * FROM debt_collection_event_line WHERE event_id IN %s ORDER BY move_line_id",
            [tuple(events.ids)],
        )
        stored_lines = [
            {k: v for k, v in row.items() if k not in ("id", "event_id")}
            for row in self.env.cr.dictfetchall()
        ]
        return stored_events, stored_lines

    def test_the_run_stores_its_events_and_lines_as_create_would(self):
        """The run writes its events and lines in one INSERT each: what is stored is what
        ``create`` stores, computed fields and roundings included, and the cache follows."""
        other = self.setup_other_currency("EUR", rates=[("2000-01-01", 2.0)])
        invoices = self.invoice(700.0) | self.invoice(300.0, currency_id=other.id)
        receivables = invoices.line_ids.filtered(lambda line: line.display_type == "payment_term")
        step = self.steps.filtered(lambda s: s.offset_days == 1)
        Line = self.env["debt.collection.event.line"]
        today = day(1)
        common = {"company_id": self.company.id, "partner_id": self.customer.id, "date": today}
        events = [
            {
                **common,
                "step_id": step.id,
                "level": 2,
                "origin": "overdue",
                "channel": "email",
                "state": "done",
                "sent_date": today,
                "amount_due": 850.0 + 1 / 3,  # the rounding to the cent is create's too
                "amount_net": 850.0 + 1 / 3,
            },
            {**common, "origin": "manual", "channel": "letter", "state": "error", "note": "Refused"},
        ]
        lines = [[Line._values(line, today, step=step, advanced=True) for line in receivables], []]
        Event = self.Event.sudo()
        with freeze_time(today):
            with self.env.cr.savepoint() as savepoint:
                created = Event.create(
                    [
                        dict(vals, line_ids=[Command.create(line) for line in event_lines])
                        for vals, event_lines in zip(events, lines, strict=True)
                    ]
                )
                expected = self._stored_columns(created)
                savepoint.rollback()
            self.env.invalidate_all()
            self.assertFalse(invoices[0].debt_event_line_ids)  # now in the cache, empty
            inserted = Event._debt_insert(events)
            self.Run._insert_lines(inserted, lines)
            self.assertEqual(self._stored_columns(inserted), expected)
        self.assertEqual(inserted.mapped("to_check"), [False, True])
        self.assertEqual(inserted.mapped("amount_net"), [850.33, 0.0])
        self.assertEqual(inserted[0].scenario_id, self.scenario)
        self.assertEqual(
            invoices[0].debt_event_line_ids.event_id, inserted[0], "the cache follows the insert"
        )
        with self.assertRaisesRegex(AccessError, "itself can record a collection event"):
            self.Event.with_user(self.env.user).sudo(False)._debt_insert(events)
        company_2 = self.setup_other_company(name="Filiale Lyon")["company"]
        step_2 = self.env["debt.collection.scenario"].search([("company_id", "=", company_2.id)]).step_ids[:1]
        with self.assertRaisesRegex(UserError, "company crossover"), self.env.cr.savepoint():
            Event._debt_insert([events[1], {**events[0], "date": day(2), "step_id": step_2.id}])

    def test_an_invoice_in_instalments_is_late_from_its_first_instalment(self):
        terms = self.env["account.payment.term"].create(
            {
                "name": "30 % à la commande, 70 % à 60 jours",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 30.0, "nb_days": 0}),
                    Command.create({"value": "percent", "value_amount": 70.0, "nb_days": 60}),
                ],
            }
        )
        invoice = self._create_invoice_one_line(
            price_unit=1000.0,
            tax_ids=[],
            partner_id=self.customer,
            invoice_date=day(-45),
            invoice_payment_term_id=terms.id,
            post=True,
        )
        self.assertEqual(invoice.invoice_date_due, day(15), "the invoice's own due date is its last")
        self.escalate(day(0))
        (reminder,) = self.events()
        self.assertEqual(
            (reminder.channel, reminder.amount_net), ("email", 300.0), "the 300 EUR 45 days late"
        )
        self.assertEqual(
            reminder.line_ids.mapped(lambda line: (line.due_date, line.days_late, line.amount_residual)),
            [(day(-45), 45, 300.0)],
        )
        self.assertIn(format_date(self.env, day(-45)), self.mails(reminder).body_html)

    def test_the_phone_task_of_a_customer_who_paid_is_closed_with_a_note(self):
        invoice = self.invoice(800.0)
        self.escalate(day(1))
        self.escalate(day(10))
        task = self.events().filtered(lambda e: e.channel == "phone").activity_id
        self.assertTrue(task.exists())
        self.pay(invoice, 800.0, day(12))
        self.escalate(day(13))
        self.assertFalse(task.active, "marked done (Odoo keeps done activities archived)")
        self.assertIn("Nothing left to collect", self.customer.message_ids[0].body)

    def test_the_preview_shows_the_letter_a_customer_without_email_will_get(self):
        self.customer.email = False
        self.invoice(450.0)
        with freeze_time(day(1)):
            preview = self.env["debt.collection.run.wizard"].create({})
            (line,) = preview.line_ids
            self.assertEqual(line.channel, "letter")
            self.assertIn("No email address", line.note)
            preview.action_run()
        self.assertEqual((self.events().channel, self.events().letter_type), ("letter", "courteous"))

    def test_a_customer_left_out_of_run_dunning_now_waits_for_the_next_run(self):
        other = self.env["res.partner"].create({"name": "Autre Client", "email": "autre@example.fr"})
        self.invoice(300.0)
        self.invoice(200.0, partner=other)
        with freeze_time(day(1)):
            wizard = self.env["debt.collection.run.wizard"].create({})
            wizard.line_ids.filtered(lambda line: line.partner_id == other).include = False
            self.assertEqual(wizard.communication_count, 1)
            wizard.action_run()
        self.assertTrue(self.events())
        self.assertFalse(self.events(other), "left out today")
        self.escalate(day(2))
        self.assertEqual(self.events(other).channel, "email", "dunned by the next run")
