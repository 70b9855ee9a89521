"""The customer follow-up: one screen per customer, as a credit controller works it.

Figures are hand-computed on a small ledger seen 40 days after the pinned due date; actions
are taken as real users (a credit controller, a salesperson, an accountant who only reads).
"""

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import DUE, DebtCollectionCommon, day

CONTROLLER_GROUPS = "account_debt_collection.group_debt_collection_user"


@tagged("post_install", "-at_install")
class TestFollowup(DebtCollectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = {"company_id": cls.company.id, "company_ids": [(6, 0, cls.company.ids)]}
        cls.controller = new_test_user(cls.env, "controleur", groups=CONTROLLER_GROUPS, **company)
        cls.salesperson = new_test_user(
            cls.env, "vendeuse", groups="account.group_account_invoice", **company
        )
        cls.auditor = new_test_user(cls.env, "auditrice", groups="account.group_account_readonly", **company)
        cls.Followup = cls.env["debt.collection.followup"]
        cls.customer.with_company(cls.company).debt_controller_id = cls.controller
        cls.customer.write({"street": "27 rue Oberkampf", "zip": "75011", "city": "Paris"})

    def followup(self, partner=None, user=None):
        action = (partner or self.customer).with_user(user or self.controller).action_debt_open_followup()
        self.assertEqual(action["res_model"], "debt.collection.followup")
        return self.Followup.with_user(user or self.controller).browse(action["res_id"])

    def test_what_the_customer_owes_by_age_with_its_invoices_and_dates(self):
        late = self.invoice(1000.0, due=DUE)
        recent = self.invoice(500.0, due=day(35))
        self.invoice(300.0, due=day(50))
        self._create_invoice_one_line(
            move_type="out_refund",
            price_unit=200.0,
            tax_ids=[],
            partner_id=self.customer,
            invoice_date=day(20),
            post=True,
        )
        self.pay(late, 100.0, day(38))
        for offset in (1, 10):
            self.escalate(day(offset))
        with freeze_time(day(40)):
            followup = self.followup()
            self.assertEqual(
                (followup.amount_due, followup.amount_overdue, followup.amount_credit),
                (1700.0, 1400.0, 200.0),
                "900 + 500 + 300 due, of which 900 + 500 overdue; the credit note apart",
            )
            self.assertEqual(
                [followup.amount_not_due, followup.amount_1_30, followup.amount_31_60, followup.amount_61_90],
                [300.0, 500.0, 900.0, 0.0],
                "not due, 5 days late, 40 days late",
            )
            self.assertEqual((followup.days_late, followup.invoice_count, followup.level), (40, 3, 3))
            self.assertEqual(followup.move_ids.mapped("amount_residual_signed"), [900.0, 500.0, 300.0])
            self.assertEqual(followup.move_ids[0].debt_step_id, self.steps[2], "the D+10 call")
            self.assertEqual(followup.user_id, self.controller)
            self.assertEqual(followup.event_ids.mapped("channel"), ["phone", "email"], "latest first")
            self.assertEqual(followup.activity_ids, followup.event_ids[0].activity_id, "the call to make")
            self.assertEqual(followup.task_date, day(10))
            self.assertTrue(followup.action_due, "the phone task is overdue")
            self.assertEqual(followup.next_date, day(10))
            self.assertIn(recent, followup.move_ids)

    def test_my_follow_ups_are_my_customers_whose_next_action_is_due_sorted_as_the_worklist(self):
        others = self.env["res.partner"].create(
            [
                {"name": name, "is_company": True, "email": f"{name.lower()}@example.fr"}
                for name in ("Alpha", "Beta", "Gamma")
            ]
        )
        alpha, beta, gamma = others
        for partner, amount in ((self.customer, 900.0), (alpha, 400.0), (beta, 2000.0), (gamma, 700.0)):
            self.invoice(amount, partner=partner)
        (alpha | beta).with_company(self.company).debt_controller_id = self.controller
        # the payer classes the nightly refresh would compute
        self.customer.sudo().with_company(self.company).debt_payer_class = "B"
        alpha.sudo().with_company(self.company).debt_payer_class = "D"
        beta.sudo().with_company(self.company).debt_payer_class = "B"
        with freeze_time(day(1)):
            action = self.env.ref("account_debt_collection.action_debt_collection_followup")
            self.assertEqual(action.context, "{'search_default_mine': 1, 'search_default_due': 1}")
            mine = self.Followup.with_user(self.controller).search(
                [("user_id", "=", self.controller.id), ("action_due", "=", True)]
            )
            self.assertEqual(mine.partner_id, alpha | beta | self.customer)
            self.assertEqual(
                mine.mapped("partner_id.name"),
                ["Alpha", "Beta", "Boulangerie Martin SARL"],
                "class D first, then B by amount: 2,000 before 900",
            )
        self.escalate(day(1))
        with freeze_time(day(2)):
            mine = self.Followup.with_user(self.controller).search(
                [("user_id", "=", self.controller.id), ("action_due", "=", True)]
            )
            self.assertFalse(mine, "reminded yesterday, the next step is in 9 days")

    def test_a_controller_logs_a_promise_prints_and_sends_the_statement_and_excludes(self):
        invoice = self.invoice(1200.0)
        self.escalate(day(1))
        with freeze_time(day(12)):
            followup = self.followup()
            action = followup.action_promise()
            self.assertEqual(action["context"]["active_model"], "res.partner")
            wizard_form = Form(
                self.env[action["res_model"]].with_user(self.controller).with_context(**action["context"])
            )
            self.assertEqual(wizard_form.outcome, "promise")
            wizard_form.promise_date = day(20)
            wizard_form.send_recap = False
            wizard_form.save().action_confirm()
            self.assertEqual(followup.promise_ids.mapped("date"), [day(20)])
            self.assertEqual(invoice.debt_promise_date, day(20), "the dunning waits for the promise")

            printed = followup.action_print_statement()
            followup.invalidate_recordset()  # the form reloads after each action
            self.assertEqual(printed["report_name"], "account_debt_collection.report_debt_letter")
            statement = followup.event_ids[0]
            self.assertEqual(
                (
                    statement.origin,
                    statement.channel,
                    statement.letter_type,
                    statement.state,
                    statement.printed_date,
                ),
                ("manual", "letter", "statement", "done", day(12)),
            )
            self.assertEqual(statement.line_ids.move_id, invoice)
            self.assertEqual(statement.action_debt_open_document()["report_name"], printed["report_name"])

            followup.action_send_statement()
            followup.invalidate_recordset()
            emailed = followup.event_ids[0]
            self.assertEqual(
                (emailed.channel, emailed.letter_type, emailed.delivery), ("email", "statement", "queued")
            )
            mail = self.mails(emailed)
            self.assertEqual(len(mail.attachment_ids), 1, "the statement attached")
            self.assertIn("Releve de compte - Boulangerie Martin SARL", mail.attachment_ids.name)
            self.assertIn(emailed.mail_message_id, self.customer.message_ids)

            followup.action_exclude()
            followup.invalidate_recordset()
            self.assertTrue(followup.excluded)
            self.assertIn("Excluded from the dunning", self.customer.message_ids[0].body)
            self.assertTrue(self.customer.with_company(self.company).debt_excluded)
            followup.action_include()
            self.assertFalse(self.customer.with_company(self.company).debt_excluded)

    def test_the_follow_up_is_the_controllers_the_server_refuses_the_others(self):
        self.invoice(800.0)
        followup_id = self.followup().id
        with self.assertRaises(AccessError):
            self.Followup.with_user(self.salesperson).browse(followup_id).read(["amount_due"])
        audited = self.Followup.with_user(self.auditor).browse(followup_id)
        self.assertEqual(audited.amount_due, 800.0, "an accountant reads it")
        for action in (
            "action_exclude",
            "action_print_statement",
            "action_send_statement",
            "action_open_case",
        ):
            with self.assertRaises(AccessError, msg=action):
                getattr(audited, action)()
        self.assertFalse(self.customer.with_company(self.company).debt_excluded)
        self.assertFalse(self.Event.search([("origin", "=", "manual")]), "nothing written")

    def test_a_customer_with_nothing_open_has_nothing_to_follow_up(self):
        action = self.customer.with_user(self.controller).action_debt_open_followup()
        self.assertEqual(action["tag"], "display_notification")

    def test_the_phone_task_offers_log_a_call_and_the_follow_up(self):
        self.invoice(650.0)
        for offset in (1, 10):
            self.escalate(day(offset))
        task = self.events()[-1].activity_id
        self.assertTrue(task.with_user(self.controller).debt_is_collection_call)
        self.assertFalse(
            task.with_user(self.salesperson).debt_is_collection_call, "Log a Call is a controller's"
        )
        store_fields = task._to_store_defaults(target=None)
        self.assertIn("debt_is_collection_call", store_fields, "the chatter's activity knows it")
        action = task.with_user(self.controller).action_debt_log_call()
        wizard = Form(
            self.env[action["res_model"]].with_user(self.controller).with_context(**action["context"])
        )
        self.assertEqual(wizard.activity_id, task)
        wizard.outcome = "satisfied"
        wizard.save().action_confirm()
        self.assertFalse(task.exists() and task.active, "the call closed its task")
        followup_action = task.with_user(self.controller).action_debt_open_followup()
        self.assertEqual(followup_action["res_id"], self.followup().id)
