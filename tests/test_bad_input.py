"""Bad input gets its reason and writes nothing: never a traceback, never half a change.

Each test sends one bad input the way a user (or a script) would, checks the message, and
counts the rows the attempt could have written. The wizards and buttons check before writing:
their attempt runs without a savepoint, so a check made after a write would show in the counts.
A model constraint refuses after its row is inserted and relies on the request's rollback, as
every Odoo call does: those run in a savepoint (``rolled_back=True``).
"""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import SQL

from .common import DebtCollectionCommon, day

NOW = day(20)
#: The tables an attempt could write to.
TABLES = (
    "debt_collection_event",
    "debt_collection_event_line",
    "debt_collection_promise",
    "debt_collection_dispute",
    "debt_collection_case_instalment",
    "account_move",
    "mail_mail",
    "mail_activity",
)


@tagged("post_install", "-at_install")
class TestBadInput(DebtCollectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice_a = cls.invoice(1000.0)
        cls.invoice_b = cls.invoice(500.0)
        cls.other_customer = cls.env["res.partner"].create({"name": "Garage Dupont", "is_company": True})
        cls.other_invoice = cls.invoice(300.0, partner=cls.other_customer)
        cls.reason = cls.env["debt.collection.dispute.reason"].search([], limit=1)
        with freeze_time(NOW):
            cls.case = cls.env["debt.collection.case"].create({"partner_id": cls.customer.id})
            cls.invoice_b.debt_case_id = cls.case

    # ------------------------------------------------------------------ helpers

    def counts(self):
        self.env.flush_all()
        result = {}
        for table in TABLES:
            self.env.cr.execute(SQL("SELECT COUNT(*) FROM %s", SQL.identifier(table)))
            result[table] = self.env.cr.fetchone()[0]
        return result

    def assertRefused(self, attempt, message, rolled_back=False):
        """``attempt()`` raises a user error holding ``message``, and no row was written."""
        before = self.counts()
        with freeze_time(NOW):
            try:
                if rolled_back:
                    with self.env.cr.savepoint():
                        attempt()
                else:
                    attempt()
            except (UserError, ValidationError) as error:
                self.assertIn(message, str(error))
            else:
                self.fail(f"accepted, where {message!r} was expected")
        self.assertEqual(self.counts(), before, "nothing is written")
        self.env.invalidate_all()

    def call(self, **values):
        """A Log a Call wizard on the customer, as the form fills it in."""
        values = {"partner_id": self.customer.id, "move_ids": [Command.set(self.invoice_a.ids)], **values}
        with freeze_time(NOW):
            return self.env["debt.collection.call.wizard"].create(values)

    def plan(self, **values):
        with freeze_time(NOW):
            return self.env["debt.collection.payment.plan.wizard"].create({"case_id": self.case.id, **values})

    # ------------------------------------------------------------------ dates out of range

    def test_a_promise_more_than_a_year_ahead(self):
        wizard = self.call(outcome="promise", promise_date=day(20 + 366), promise_amount=100.0)
        self.assertRefused(wizard.action_confirm, "more than a year ahead")

    def test_a_promise_dated_year_9999_is_refused_not_a_traceback(self):
        wizard = self.call(outcome="promise", promise_date=date(9999, 12, 31), promise_amount=100.0)
        self.assertRefused(wizard.action_confirm, "more than a year ahead")

    def test_a_running_promise_moved_to_2099(self):
        with freeze_time(NOW):
            promise = self.env["debt.collection.promise"].create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [Command.set(self.invoice_a.ids)],
                    "date": day(25),
                    "amount": 100.0,
                }
            )
        self.assertRefused(lambda: promise.write({"date": date(2099, 1, 1)}), "more than a year ahead")
        self.assertEqual(promise.date, day(25))

    def test_a_plan_starting_in_1900(self):
        wizard = self.plan(count=3, first_date=date(1900, 1, 1))
        self.assertFalse(wizard.line_ids, "no date is computed from such a start")
        self.assertRefused(wizard.action_confirm, "starts on the date of the case's first invoice")
        self.assertFalse(self.case.freezes_dunning)

    def test_a_plan_starting_years_from_now(self):
        wizard = self.plan(count=3, first_date=date(9999, 12, 31))
        self.assertRefused(wizard.action_confirm, "starts within a year")

    def test_a_plan_lasting_longer_than_five_years_overflows_nothing(self):
        wizard = self.plan(count=3, every=10**9, first_date=day(25))  # 2 billion months: OverflowError before
        self.assertRefused(wizard.action_confirm, "lasts 5 years at the most")

    def test_free_plan_lines_out_of_range(self):
        wizard = self.plan(count=1, first_date=day(25))
        wizard.mode = "free"
        wizard.line_ids = [Command.clear(), Command.create({"date": date(1900, 1, 1), "principal": 500.0})]
        self.assertRefused(wizard.action_confirm, "starts on the date of the case's first invoice")

    def test_a_payment_said_made_in_the_future(self):
        wizard = self.call(outcome="paid", payment_method="transfer", payment_date=day(30))
        self.assertRefused(wizard.action_confirm, "paid between the invoice's date")

    def test_a_call_put_off_to_year_9999(self):
        wizard = self.call(outcome="unreachable", reschedule_date=date(9999, 12, 31), move_ids=[])
        self.assertRefused(wizard.action_confirm, "from today to a year from now")

    def test_a_dispute_raised_in_the_future_or_before_its_invoice(self):
        Dispute = self.env["debt.collection.dispute"]
        for raised in (day(30), date(1900, 1, 1)):
            self.assertRefused(
                lambda raised=raised: Dispute.create(
                    {"move_id": self.invoice_a.id, "reason_id": self.reason.id, "date": raised}
                ),
                "A dispute is raised between the invoice's date",
                rolled_back=True,
            )

    def test_penalties_computed_to_a_future_day(self):
        with freeze_time(NOW):
            wizard = self.env["debt.collection.penalty.wizard"].create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [Command.set(self.invoice_a.ids)],
                    "date": day(60),
                }
            )
        self.assertRefused(wizard.action_create_invoice, "Interest is invoiced up to today at the latest")

    def test_a_write_off_dated_in_the_future(self):
        with freeze_time(NOW):
            wizard = self.env["debt.collection.case.outcome.wizard"].create(
                {"case_id": self.case.id, "write_off": True, "date": day(60)}
            )
        self.assertRefused(wizard.action_confirm, "A write-off is dated between the case's first invoice")
        self.assertFalse(self.case.is_closed)

    # ------------------------------------------------------------------ counts and amounts

    def test_ten_thousand_instalments(self):
        with freeze_time(NOW):
            form = Form(
                self.env["debt.collection.payment.plan.wizard"].with_context(default_case_id=self.case.id)
            )
            form.first_date = day(25)
            form.count = 10_000  # the form computes nothing: no 10,000 lines, no error in the form
            self.assertEqual(len(form.line_ids), 0)
            wizard = form.save()
        self.assertRefused(wizard.action_confirm, "from 1 to 60 instalments")

    def test_a_negative_recovered_amount(self):
        with freeze_time(NOW):
            wizard = self.env["debt.collection.case.outcome.wizard"].create(
                {"case_id": self.case.id, "amount_recovered": -100.0}
            )
        self.assertRefused(wizard.action_confirm, "cannot be negative")
        self.assertFalse(self.case.is_closed)

    def test_a_negative_promised_amount(self):
        wizard = self.call(outcome="promise", promise_date=day(25), promise_amount=-50.0)
        self.assertRefused(wizard.action_confirm, "The promised amount must be positive.")

    def test_a_negative_plan_interest_rate(self):
        wizard = self.plan(count=3, first_date=day(25), with_interest=True, interest_rate=-5.0)
        self.assertRefused(wizard.action_confirm, "The interest rate of a plan cannot be negative.")

    def test_negative_insurance_and_agency_terms(self):
        partner = self.customer.with_company(self.company)
        self.assertRefused(
            lambda: partner.write({"debt_insured_amount": -1.0}),
            "An insured amount cannot be negative.",
            rolled_back=True,
        )
        for terms in (
            {"debt_agency_commission": 150.0},
            {"debt_agency_commission": -1.0},
            {"debt_agency_fixed_fee": -10.0},
        ):
            self.assertRefused(
                lambda terms=terms: partner.write(terms),
                "A commission goes from 0 to 100 %",
                rolled_back=True,
            )

    # ------------------------------------------------------------------ the wrong invoices, customers

    def test_another_customer_s_invoice_in_a_call(self):
        wizard = self.call(
            outcome="promise",
            promise_date=day(25),
            promise_amount=100.0,
            move_ids=[Command.set((self.invoice_a | self.other_invoice).ids)],
        )
        self.assertRefused(
            wizard.action_confirm, "A call is about the open invoices of Boulangerie Martin SARL"
        )

    def test_changing_the_customer_of_a_call_drops_the_other_s_invoices(self):
        with freeze_time(NOW):
            form = Form(
                self.env["debt.collection.call.wizard"].with_context(
                    active_model="account.move", active_ids=self.invoice_a.ids
                )
            )
            self.assertEqual(form.move_ids[:], self.invoice_a)
            form.partner_id = self.other_customer
            self.assertFalse(form.move_ids[:])

    def test_another_customer_s_invoices_in_a_penalty_invoice(self):
        with freeze_time(NOW):
            wizard = self.env["debt.collection.penalty.wizard"].create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [Command.set((self.invoice_a | self.other_invoice).ids)],
                    "date": NOW,
                }
            )
        self.assertRefused(wizard.action_create_invoice, "not on " + self.other_invoice.name)

    def test_another_company_s_invoice_in_another_currency(self):
        company_b = self.setup_other_company(name="Filiale US")["company"]
        usd = self.env.ref("base.USD")
        usd.active = True
        foreign = (
            self.env["account.move"]
            .with_company(company_b)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "currency_id": usd.id,
                    "invoice_date": day(-30),
                    "invoice_date_due": day(0),
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Maintenance", "quantity": 1, "price_unit": 100.0, "tax_ids": []}
                        )
                    ],
                }
            )
        )
        foreign.action_post()
        # Odoo's own company check refuses the wizard itself, by its model's check_company
        self.assertRefused(
            lambda: self.call(
                outcome="promise",
                promise_date=day(25),
                promise_amount=100.0,
                move_ids=[Command.set((self.invoice_a | foreign).ids)],
            ),
            "no company crossover is allowed",
        )

    def test_another_company_s_step_credit_note_or_agency(self):
        """A record of this company refuses company B's step (an event's), credit note (a case's
        write-off) and agency (a case's, and the hand-off's), by Odoo's company check: for a
        manager of both companies, who reads B's records, and for the workflow writing for them
        (as the run, the outcome and the hand-off do)."""
        company_b = self.setup_other_company(name="Filiale Lyon")["company"]
        manager = new_test_user(
            self.env,
            login="manager_two_companies",
            groups="account.group_account_manager,account_debt_collection.group_debt_collection_manager",
            company_id=self.company.id,
            company_ids=[Command.set((self.company | company_b).ids)],
        )
        step_b = self.env["debt.collection.scenario"].search([("company_id", "=", company_b.id)]).step_ids[:1]
        credit_note_b = (
            self.env["account.move"]
            .with_company(company_b)
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": self.customer.id,
                    "invoice_date": day(-30),
                    "invoice_line_ids": [
                        Command.create({"name": "Geste", "quantity": 1, "price_unit": 50.0, "tax_ids": []})
                    ],
                }
            )
        )
        agency_b = self.env["res.partner"].create(
            {"name": "Recouvrement Lyon", "company_id": company_b.id, "debt_agency_kind": "agency"}
        )
        for record in (step_b, credit_note_b, agency_b):  # theirs to read: the company check refuses them
            record.with_user(manager).check_access("read")
        event = {
            "company_id": self.company.id,
            "partner_id": self.customer.id,
            "origin": "overdue",
            "channel": "email",
            "step_id": step_b.id,
        }
        Event = self.env["debt.collection.event"].with_user(manager).sudo()
        case = self.case.with_user(manager)
        crossover = "no company crossover is allowed"
        self.assertRefused(lambda: Event.create(event), crossover, rolled_back=True)
        self.assertRefused(
            lambda: case.sudo().write({"writeoff_move_id": credit_note_b.id}), crossover, rolled_back=True
        )
        self.assertRefused(lambda: case.sudo().write({"agency_id": agency_b.id}), crossover, rolled_back=True)
        self.assertRefused(
            lambda: self.env["debt.collection.handoff.wizard"]
            .with_user(manager)
            .create({"case_id": self.case.id, "kind": "agency", "agency_id": agency_b.id}),
            crossover,
            rolled_back=True,
        )
        self.assertFalse(self.case.agency_id or self.case.writeoff_move_id)
        # this company's own step passes the same check
        step = self.scenario.step_ids[:1]
        with freeze_time(NOW):
            self.assertEqual(Event.create({**event, "step_id": step.id}).step_id, step)

    def test_an_archived_customer(self):
        wizard = self.call(outcome="satisfied")
        self.customer.active = False
        self.assertRefused(wizard.action_confirm, "is archived: restore the customer before logging a call")
        self.assertRefused(
            lambda: self.env["debt.collection.promise"].create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [Command.set(self.invoice_a.ids)],
                    "date": day(25),
                    "amount": 100.0,
                }
            ),
            "is archived: restore the customer before recording a promise",
        )

    def test_a_cancelled_invoice(self):
        cancelled = self.invoice(400.0)
        cancelled.button_draft()
        cancelled.button_cancel()
        with freeze_time(NOW):
            penalty = self.env["debt.collection.penalty.wizard"].create(
                {"partner_id": self.customer.id, "move_ids": [Command.set(cancelled.ids)], "date": NOW}
            )
        self.assertRefused(penalty.action_create_invoice, "not on " + cancelled.display_name)
        call = self.call(
            outcome="promise",
            promise_date=day(25),
            promise_amount=100.0,
            move_ids=[Command.set(cancelled.ids)],
        )
        self.assertRefused(call.action_confirm, "A call is about the open invoices")
        self.assertRefused(
            lambda: self.env["debt.collection.dispute"].create(
                {"move_id": cancelled.id, "reason_id": self.reason.id}
            ),
            "A dispute concerns a posted customer invoice",
            rolled_back=True,
        )

    def test_a_credit_note_larger_than_the_disputed_invoice(self):
        with freeze_time(NOW):
            self.env["debt.collection.dispute"].create(
                {"move_id": self.invoice_a.id, "reason_id": self.reason.id}
            )
            refund = self.env["account.move"].create(
                {
                    "move_type": "out_refund",
                    "partner_id": self.customer.id,
                    "reversed_entry_id": self.invoice_a.id,
                    "invoice_date": NOW,
                    "invoice_line_ids": [
                        Command.create({"name": "Avoir", "quantity": 1, "price_unit": 1500.0, "tax_ids": []})
                    ],
                }
            )
        self.assertRefused(refund.action_post, "credit what the dispute justifies, at most what is due")
        self.assertEqual(refund.state, "draft")
        refund.invoice_line_ids.price_unit = 1000.0  # what it owes: fine
        with freeze_time(NOW):
            refund.action_post()
        self.assertEqual(refund.state, "posted")
