from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import format_date

from .common import DebtCollectionCommon, day


@tagged("post_install", "-at_install")
class TestDisputesPromises(DebtCollectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = new_test_user(
            cls.env, login="salesperson", name="Sophie Vendeuse", groups="account.group_account_invoice"
        )
        cls.controller = new_test_user(
            cls.env,
            login="controller",
            name="Claire Recouvrement",
            groups="account_debt_collection.group_debt_collection_user",
        )
        cls.company.debt_controller_id = cls.controller
        cls.late_delivery = cls.env.ref("account_debt_collection.dispute_reason_late_delivery")
        cls.Wizard = cls.env["debt.collection.call.wizard"]
        cls.Promise = cls.env["debt.collection.promise"]
        cls.Dispute = cls.env["debt.collection.dispute"]

    # ------------------------------------------------------------------ helpers

    def log_call(self, on, model, records, **values):
        """Drive the Log a Call wizard as a user would, on day ``on``."""
        with freeze_time(on):
            wizard = self.Wizard.with_context(
                active_model=model, active_ids=records.ids, active_id=records[:1].id
            )
            with Form(wizard) as form:
                for name, value in values.items():
                    setattr(form, name, value)
            wizard = form.record
            wizard.action_confirm()
        return self.events().filtered(lambda e: e.origin == "manual")[-1:]

    def mail_of(self, event):
        return self.mails(event)

    # ------------------------------------------------------------------ satisfaction and disputes

    def test_satisfaction_check_problem_becomes_a_dispute_then_dunning_resumes_at_its_step(self):
        invoice = self.invoice(1000.0, invoice_user_id=self.salesperson.id)
        self.escalate(day(-5))
        check = self.events()
        self.assertEqual(check.channel, "satisfaction_check")
        self.assertEqual(invoice.debt_satisfaction, "pending", "the check went out")
        activity = check.activity_id

        # the controller calls from the phone task: the customer is unhappy with the delivery
        call = self.log_call(
            day(-4),
            "mail.activity",
            activity,
            outcome="problem",
            reason_id=self.late_delivery,
            satisfaction_score=2,
            note="Half of the order arrived a week late.",
        )
        self.assertEqual((call.origin, call.channel, call.outcome), ("manual", "phone", "problem"))
        self.assertEqual(call.line_ids.move_id, invoice)
        self.assertFalse(activity.exists().active, "the phone task is done")
        self.assertEqual((invoice.debt_satisfaction, invoice.debt_satisfaction_score), ("unsatisfied", 2))
        dispute = invoice.debt_dispute_ids
        self.assertEqual(
            (dispute.state, dispute.reason_id, dispute.event_id), ("open", self.late_delivery, call)
        )
        self.assertTrue(invoice.debt_dispute)
        self.assertEqual(dispute.activity_ids.user_id, self.salesperson, "the salesperson settles it")
        notified = dispute.message_ids.filtered(lambda m: self.controller.partner_id in m.partner_ids)
        self.assertTrue(notified, "the credit controller is notified")
        self.assertIn("Late delivery", self.mail_of(call).body_html, "the recap restates the problem")

        # no reminder while the dispute is open
        self.escalate(day(1))
        self.escalate(day(10))
        self.assertEqual(self.events(), check | call)
        self.assertEqual(invoice.debt_level, 1)

        with freeze_time(day(12)), Form(dispute) as form:
            form.outcome = "unjustified"
        with freeze_time(day(12)):
            dispute.action_resolve()
        self.assertEqual((dispute.state, dispute.resolved_date), ("resolved", day(12)))
        self.assertFalse(invoice.debt_dispute)
        self.assertEqual((invoice.debt_level, invoice.debt_step_id), (1, self.steps[0]), "kept its step")
        self.assertLessEqual(invoice.debt_next_date, day(12))

        # the run picks it up again at the next step of the scenario, the courteous email
        self.escalate(day(12))
        reminder = self.events() - check - call
        self.assertEqual((reminder.channel, reminder.level), ("email", 2))
        self.assertEqual(invoice.debt_level, 2)

    def test_satisfied_customer(self):
        invoice = self.invoice(500.0)
        self.escalate(day(-5))
        activity = self.events().activity_id
        call = self.log_call(day(-5), "res.partner", self.customer, outcome="satisfied", satisfaction_score=5)
        self.assertEqual(call.outcome, "satisfied")
        self.assertEqual((invoice.debt_satisfaction, invoice.debt_satisfaction_score), ("satisfied", 5))
        self.assertFalse(activity.exists().active, "the wizard found the customer's phone task")
        self.assertFalse(self.mail_of(call), "no recap unless asked for")

    def test_unreachable_customer_reschedules_the_phone_task(self):
        self.invoice(500.0)
        self.escalate(day(-5))
        activity = self.events().activity_id
        call = self.log_call(
            day(-5), "mail.activity", activity, outcome="unreachable", reschedule_date=day(-3)
        )
        self.assertEqual(call.outcome, "unreachable")
        self.assertTrue(activity.active)
        self.assertEqual(activity.date_deadline, day(-3))

    def test_old_open_dispute_comes_back_to_the_managers(self):
        invoice = self.invoice(800.0)
        with freeze_time(day(0)):
            dispute = self.Dispute.create({"move_id": invoice.id, "reason_id": self.late_delivery.id})
        managers = self.env.ref(
            "account_debt_collection.group_debt_collection_manager"
        ).all_user_ids.filtered(lambda u: u.active and not u.share and self.company in u.company_ids)
        self.assertTrue(managers)
        with freeze_time(day(29)):
            self.Dispute._cron_escalate_stale()
        self.assertFalse(dispute.escalated_date)
        with freeze_time(day(30)):
            self.Dispute._cron_escalate_stale()
            self.Dispute._cron_escalate_stale()
        self.assertEqual(dispute.escalated_date, day(30))
        escalations = dispute.activity_ids.filtered(lambda a: a.summary == "Dispute open for 30 days")
        self.assertEqual(escalations.user_id, managers)
        self.assertEqual(len(escalations), len(managers), "once per manager, not once per run")

    def test_salesperson_sees_the_dunning_read_only(self):
        invoice = self.invoice(800.0, invoice_user_id=self.salesperson.id)
        dispute = self.Dispute.create({"move_id": invoice.id, "reason_id": self.late_delivery.id})
        as_sales = self.env(user=self.salesperson)
        self.assertFalse(invoice.with_env(as_sales).debt_can_edit)
        self.assertFalse(self.customer.with_env(as_sales).debt_can_edit)
        self.assertTrue(invoice.with_user(self.controller).debt_can_edit)
        # read-only on the server, not only in the view
        with self.assertRaisesRegex(AccessError, "Only a Collection User can change"):
            invoice.with_env(as_sales).write({"no_followup": True})
        with self.assertRaisesRegex(AccessError, "Only a Collection User can change"):
            self.customer.with_env(as_sales).write({"debt_excluded": True})
        self.assertFalse(invoice.no_followup or self.customer.with_company(self.company).debt_excluded)
        self.assertEqual(dispute.with_env(as_sales).reason_id, self.late_delivery)
        dispute.with_env(as_sales).message_post(body="Spoke to the customer: a credit note is fair.")
        with self.assertRaises(AccessError):
            self.Dispute.with_env(as_sales).create(
                {"move_id": invoice.id, "reason_id": self.late_delivery.id}
            )
        with self.assertRaises(AccessError):
            dispute.with_env(as_sales).write({"outcome": "justified"})
        # the salesperson closes the to-do the dispute gave them
        todo = dispute.activity_ids.filtered(lambda a: a.user_id == self.salesperson)
        todo.with_env(as_sales).action_feedback(feedback="Credit note agreed with the customer.")
        self.assertFalse(todo.active)

    # ------------------------------------------------------------------ promises

    def test_a_promise_pauses_the_dunning_and_is_kept_by_the_payment(self):
        invoice = self.invoice(1000.0)
        self.escalate(day(1))
        call = self.log_call(
            day(3), "account.move", invoice, outcome="promise", promise_date=day(10), promise_amount=1000.0
        )
        promise = call.promise_id
        self.assertEqual(
            (promise.state, promise.date, promise.amount, promise.move_ids),
            ("running", day(10), 1000.0, invoice),
        )
        self.assertEqual(invoice.debt_promise_date, day(10))

        mail = self.mail_of(call)
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertIn(format_date(self.env, day(10)), mail.body_html)
        self.assertIn("1,000.00", mail.body_html)
        self.assertIn(invoice.name, mail.body_html)

        # paused until the promised date plus the grace period (3 days)
        self.escalate(day(10))
        self.escalate(day(13))
        self.assertEqual(len(self.events().filtered(lambda e: e.origin == "overdue")), 1)

        self.pay(invoice, 1000.0, day(12))
        self.assertEqual(promise.state, "kept")
        self.assertFalse(invoice.debt_promise_date)
        self.assertEqual(self.customer.debt_promise_kept_count, 1)
        self.escalate(day(14))
        self.assertFalse(self.events().filtered(lambda e: e.outcome == "promise_broken"))

    def test_a_promise_for_part_of_the_debt_is_kept_and_the_rest_is_chased(self):
        invoice = self.invoice(1000.0)
        self.escalate(day(1))
        call = self.log_call(
            day(2), "account.move", invoice, outcome="promise", promise_date=day(6), promise_amount=600.0
        )
        self.pay(invoice, 600.0, day(5))
        self.assertEqual((call.promise_id.state, call.promise_id.amount_received), ("kept", 600.0))
        self.escalate(day(10))
        phone = self.events()[-1]
        self.assertEqual((phone.channel, phone.amount_net), ("phone", 400.0))
        self.assertFalse(phone.broken_promise_id)

    def test_a_broken_promise_is_recorded_and_the_next_reminder_says_so(self):
        invoice = self.invoice(1000.0)
        call = self.log_call(
            day(-2), "account.move", invoice, outcome="promise", promise_date=day(2), promise_amount=1000.0
        )
        promise = call.promise_id
        self.pay(invoice, 300.0, day(1))
        self.escalate(day(5))
        self.assertEqual(promise.state, "running", "3 days of grace")
        self.assertFalse(self.events().filtered(lambda e: e.origin == "overdue"))

        self.escalate(day(6))
        self.assertEqual(promise.state, "broken")
        self.assertEqual(promise.amount_received, 300.0)
        broken = self.events().filtered(lambda e: e.outcome == "promise_broken")
        self.assertEqual(
            (broken.origin, broken.promise_id, broken.line_ids.move_id), ("promise", promise, invoice)
        )
        self.assertIn("was not kept", broken.note)
        reminder = self.events().filtered(lambda e: e.origin == "overdue")
        self.assertEqual((reminder.channel, reminder.broken_promise_id), ("email", promise))
        self.assertIn("was not kept", reminder.note)
        body = self.mail_of(reminder).body_html
        self.assertIn("you promised to pay", body)
        self.assertIn(format_date(self.env, day(2)), body)
        self.assertEqual(self.customer.debt_promise_broken_count, 1)

        # mentioned once: the following step does not repeat it; it comes the scenario's
        # 9 days after the reminder, not on the invoice's D+10 right after the pause
        self.escalate(day(10))
        self.assertEqual(self.events().filtered(lambda e: e.origin == "overdue"), reminder)
        self.escalate(day(15))
        phone = self.events().filtered(lambda e: e.origin == "overdue") - reminder
        self.assertEqual(phone.channel, "phone")
        self.assertFalse(phone.broken_promise_id)

    def test_paid_already_waits_for_the_payment_to_show(self):
        invoice = self.invoice(700.0)
        self.escalate(day(1))
        call = self.log_call(
            day(4), "account.move", invoice, outcome="paid", payment_method="cheque", payment_date=day(3)
        )
        self.assertEqual((call.payment_method, call.payment_date), ("cheque", day(3)))
        self.assertEqual((call.promise_id.date, call.promise_id.amount), (day(4), 700.0))
        self.assertIn("by cheque", self.mail_of(call).body_html)
        self.escalate(day(7))
        self.assertEqual(len(self.events().filtered(lambda e: e.origin == "overdue")), 1, "paused")

    def test_a_promise_in_the_past_is_refused_and_nothing_is_written(self):
        invoice = self.invoice(1000.0)
        events = self.events()
        with freeze_time(day(5)):
            with Form(self.Wizard.with_context(active_model="account.move", active_ids=invoice.ids)) as form:
                form.outcome = "promise"
                form.promise_date = day(4)
            with self.assertRaisesRegex(ValidationError, "in the past"):
                form.record.action_confirm()
            with self.assertRaisesRegex(ValidationError, "more than the selected invoices owe"):
                form.record.write({"promise_date": day(6), "promise_amount": 5000.0})
                form.record.action_confirm()
        self.assertEqual(self.events(), events)
        self.assertFalse(self.Promise.search([("partner_id", "=", self.customer.id)]))
        self.assertFalse(invoice.debt_promise_date)
