"""Customers lived over ten weeks: the real scheduled action, every morning, sometimes twice.

Each customer has an ordinary life (several invoices of different ages, a dispute resolved
after a month, a broken promise, an early payment, a step awaiting approval, a backlog at the
first run, no email address). The tests assert each customer's exact sequence of
communications, day by day, as a credit controller would read them in the events.
"""

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from .common import DebtCollectionCommon, day

FIRST_DAY, LAST_DAY = -10, 70
#: Days on which someone also presses "Run Dunning Now" after the scheduled run.
SECOND_RUN_DAYS = frozenset({1, 10, 18, 20, 30, 34, 45})


@tagged("post_install", "-at_install")
class TestStories(DebtCollectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("account_debt_collection.ir_cron_debt_escalate")
        cls.controller = new_test_user(
            cls.env,
            "controller",
            groups="account.group_account_invoice,account_debt_collection.group_debt_collection_user",
            company_id=cls.company.id,
        )
        cls.company.debt_controller_id = cls.controller
        cls.reason = cls.env["debt.collection.dispute.reason"].search([], limit=1)
        Partner = cls.env["res.partner"]

        def customer(name, **values):
            return Partner.create(
                {"name": name, "is_company": True, "email": f"{name.split()[0].lower()}@example.fr", **values}
            )

        cls.martin = customer("Martin Frères")
        cls.dupont = customer("Dupont Garage")
        cls.leroy = customer("Leroy Bâtiment")
        cls.petit = customer("Petit Traiteur")
        cls.moreau = customer("Moreau Transports")
        cls.bernard = customer("Bernard Imprimerie")
        cls.garnier = customer(
            "Garnier Menuiserie", email=False, street="3 rue du Port", zip="13002", city="Marseille"
        )

        # Moreau's firm letter needs a manager's approval
        approval = cls.scenario.copy({"name": "With approval", "is_default": False})
        approval.step_ids.filtered(lambda s: s.offset_days == 20).needs_approval = True
        cls.moreau.with_company(cls.company).debt_scenario_id = approval

        with freeze_time(day(FIRST_DAY - 5)):
            cls.a1 = cls.invoice(1000.0, partner=cls.martin)
            cls.a2 = cls.invoice(500.0, partner=cls.martin, due=day(18))
            cls.b1 = cls.invoice(800.0, partner=cls.dupont)
            cls.c1 = cls.invoice(1200.0, partner=cls.leroy)
            cls.d1 = cls.invoice(600.0, partner=cls.petit)
            cls.d2 = cls.invoice(400.0, partner=cls.petit, due=day(5))
            cls.e1 = cls.invoice(900.0, partner=cls.moreau)
            cls.f1 = cls.invoice(700.0, partner=cls.bernard, due=day(-60))
            cls.g1 = cls.invoice(300.0, partner=cls.garnier)

    # ------------------------------------------------------------------ living

    def live(self, mornings=None, second_runs=SECOND_RUN_DAYS):
        """Every day from FIRST_DAY to LAST_DAY: what happens that morning, then the cron.

        On ``second_runs`` days someone opens "Run Dunning Now" after the cron: returns what
        its preview offered each time.
        """
        mornings = mornings or {}
        offered = []
        for offset in range(FIRST_DAY, LAST_DAY + 1):
            with freeze_time(f"{day(offset)} 06:00:00"), self.enter_registry_test_mode():
                if offset in mornings:
                    mornings[offset]()
                self.cron.method_direct_trigger()
                if offset in second_runs:
                    wizard = self.env["debt.collection.run.wizard"].create({})
                    offered += wizard.line_ids.partner_id
                    if wizard.line_ids:
                        wizard.action_run()
        return offered

    def communications(self, partner):
        """``[(day offset, channel, letter type, [invoices])]`` of what went to ``partner``."""
        events = self.Event.search(
            [
                ("partner_id", "=", partner.id),
                ("origin", "in", ("pre_due", "overdue")),
                ("state", "not in", ("error", "cancelled")),
            ],
            order="date, id",
        )
        return [
            (
                (event.date - day(0)).days,
                event.channel,
                event.letter_type or None,
                event.line_ids.move_id.sorted("id"),
            )
            for event in events
        ]

    def raise_dispute(self, invoice):
        return self.env["debt.collection.dispute"].create(
            {"move_id": invoice.id, "reason_id": self.reason.id}
        )

    # ------------------------------------------------------------------ the stories

    def test_ten_weeks_of_ordinary_customers(self):
        disputes = {}

        def open_dispute():
            disputes["b1"] = self.raise_dispute(self.b1)

        def resolve_dispute():
            disputes["b1"].outcome = "unjustified"
            disputes["b1"].action_resolve()

        def promise():
            self.env["debt.collection.promise"].create(
                {
                    "partner_id": self.leroy.id,
                    "move_ids": [(6, 0, self.c1.ids)],
                    "date": day(30),
                    "amount": 1200.0,
                }
            )

        def approve():
            self.Event.search(
                [("partner_id", "=", self.moreau.id), ("state", "=", "to_approve")]
            ).action_approve()

        def pay_oldest():
            self.pay(self.d1, 600.0, day(19))

        offered = self.live({3: open_dispute, 33: resolve_dispute, 12: promise, 27: approve, 19: pay_oldest})
        self.assertEqual(offered, [], "after the scheduled run, Run Dunning Now has nothing left for today")
        a1, a2 = self.a1, self.a2
        both = a1 | a2
        # several invoices: the newer one joins the firm letter at the customer's level, never an
        # "oversight" email after it; one communication a day although a2 fell due on D+18
        self.assertEqual(
            self.communications(self.martin),
            [
                (-5, "satisfaction_check", None, a1),
                (1, "email", None, a1),
                (10, "phone", None, a1),
                (20, "letter", "firm", both),
                (30, "registered_letter", "formal_notice", both),
                (45, "case", None, both),
            ],
        )
        self.assertEqual((a2.debt_level, a2.debt_step_id.channel), (6, "case"), "recorded at the steps sent")
        # a dispute from D+3 to D+33: the next step the day it is resolved, then the scenario's gaps
        self.assertEqual(
            self.communications(self.dupont),
            [
                (-5, "satisfaction_check", None, self.b1),
                (1, "email", None, self.b1),
                (33, "phone", None, self.b1),
                (43, "letter", "firm", self.b1),
                (53, "registered_letter", "formal_notice", self.b1),
                (68, "case", None, self.b1),
            ],
        )
        # a promise made on D+12 for D+30, broken after the 3 days' grace: one step on D+34 that
        # says so, the next ones 10 and 15 days later
        leroy = self.communications(self.leroy)
        self.assertEqual(
            leroy,
            [
                (-5, "satisfaction_check", None, self.c1),
                (1, "email", None, self.c1),
                (10, "phone", None, self.c1),
                (34, "letter", "firm", self.c1),
                (44, "registered_letter", "formal_notice", self.c1),
                (59, "case", None, self.c1),
            ],
        )
        firm = self.Event.search([("partner_id", "=", self.leroy.id), ("letter_type", "=", "firm")])
        self.assertTrue(firm.broken_promise_id, "the letter after the broken promise says so")
        # the oldest invoice paid the day before the firm letter: the other one waits until it is
        # itself 20 days late
        self.assertEqual(
            self.communications(self.petit),
            [
                (-5, "satisfaction_check", None, self.d1),
                (0, "satisfaction_check", None, self.d2),
                (1, "email", None, self.d1),
                (10, "phone", None, self.d1 | self.d2),
                (25, "letter", "firm", self.d2),
                (35, "registered_letter", "formal_notice", self.d2),
                (50, "case", None, self.d2),
            ],
        )
        # the firm letter waited a week for approval: nothing went out meanwhile, and the formal
        # notice comes the scenario's 10 days after the approval
        moreau = self.communications(self.moreau)
        self.assertEqual(
            [(offset, channel) for offset, channel, _letter, _moves in moreau],
            [
                (-5, "satisfaction_check"),
                (1, "email"),
                (10, "phone"),
                (20, "letter"),
                (37, "registered_letter"),
                (52, "case"),
            ],
        )
        approved = self.Event.search([("partner_id", "=", self.moreau.id), ("channel", "=", "letter")])
        self.assertEqual((approved.state, approved.approved_date), ("to_print", day(27)))
        # a backlog at the first run: one step at a time, at the scenario's rhythm
        self.assertEqual(
            [(offset, channel) for offset, channel, _letter, _moves in self.communications(self.bernard)],
            [(-10, "email"), (-1, "phone"), (9, "letter"), (19, "registered_letter"), (34, "case")],
        )
        # no email address: letters where the scenario has emails
        garnier = self.communications(self.garnier)
        self.assertEqual(garnier[1][:3], (1, "letter", "courteous"))
        self.assertEqual(
            self.Event.search([("partner_id", "=", self.garnier.id), ("date", "=", day(1))]).email_issue,
            "missing",
        )

        runs = self.env["debt.collection.run.log"].search([("company_id", "=", self.company.id)])
        self.assertEqual(len(runs), LAST_DAY - FIRST_DAY + 1, "one scheduled run a day")
        self.assertEqual(set(runs.mapped("state")), {"done"}, "no run failed")
        # people: the phone tasks and the cases go to the credit controller, never to OdooBot
        calls = self.Event.search([("partner_id", "in", self.martin.ids), ("channel", "=", "phone")])
        self.assertEqual(calls.activity_id.user_id, self.controller)
        self.assertEqual(self.a1.debt_case_id.user_id, self.controller)
