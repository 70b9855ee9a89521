from freezegun import freeze_time

from odoo.tests import Form, new_test_user, tagged

from .common import DebtCollectionCommon, day

#: "Today" of these tests: DUE + 20 days, Monday 20 April 2026 (week 0 starts on it).
TODAY = day(20)


@tagged("post_install", "-at_install")
class TestForecast(DebtCollectionCommon):
    """The cash-in forecast of a small ledger, every row worked out by hand.

    Boulangerie Martin paid three invoices of 1000 exactly 10 days late (due D-80, D-70,
    D-60): its own delay is 10 days, give or take the narrowest spread of 1 day. It owes A,
    1000 due today, and has an open credit note of 300.
    Transports Durand owes B, 2000 due D-10, promised 1500 for Thursday D+23, and C, 700 due
    D+25, disputed.
    Petit Traiteur owes P, 3000 due D-60, on a payment plan: 1000 on D+24, D+38 and D+52.
    Leroy Frères owes W, 3000 due D-90, in a case at court; Exclu SA (excluded) owes X, 800 due
    D-5; Avoir SARL has a credit note of 250 and nothing to pay.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]

        def customer(name):
            return Partner.create(
                {"name": name, "is_company": True, "email": f"{name[:5].lower()}@example.fr"}
            )

        cls.martin = cls.customer
        cls.durand = customer("Transports Durand SA")
        cls.petit = customer("Petit Traiteur SARL")
        cls.leroy = customer("Leroy Frères SA")
        cls.exclu = customer("Exclu SA")
        cls.avoir = customer("Avoir SARL")
        with freeze_time(TODAY):
            for offset in (-80, -70, -60):
                paid = cls.invoice(1000.0, due=day(offset))
                cls.pay(cls, paid, 1000.0, day(offset + 10))
            cls.inv_a = cls.invoice(1000.0, due=TODAY)
            cls.refund_martin = cls.invoice(300.0, due=day(10), move_type="out_refund")
            cls.inv_b = cls.invoice(2000.0, partner=cls.durand, due=day(-10))
            cls.inv_c = cls.invoice(700.0, partner=cls.durand, due=day(25))
            cls.inv_p = cls.invoice(3000.0, partner=cls.petit, due=day(-60))
            cls.inv_w = cls.invoice(3000.0, partner=cls.leroy, due=day(-90))
            cls.inv_x = cls.invoice(800.0, partner=cls.exclu, due=day(-5))
            cls.refund_avoir = cls.invoice(250.0, partner=cls.avoir, due=day(30), move_type="out_refund")

            cls.exclu.debt_excluded = True
            cls.env["debt.collection.dispute"].create(
                {
                    "move_id": cls.inv_c.id,
                    "reason_id": cls.env["debt.collection.dispute.reason"].search([], limit=1).id,
                }
            )
            cls.env["debt.collection.promise"].create(
                {"partner_id": cls.durand.id, "move_ids": cls.inv_b.ids, "date": day(23), "amount": 1500.0}
            )
            plan_case = cls.env["debt.collection.case"].browse(cls.petit.action_debt_open_case()["res_id"])
            wizard = Form(
                cls.env["debt.collection.payment.plan.wizard"].with_context(default_case_id=plan_case.id)
            )
            wizard.count = 3
            wizard.first_date = day(24)
            wizard.every = 2
            wizard.unit = "weeks"
            wizard.save().action_confirm()
            cls.court_case = cls.env["debt.collection.case"].browse(
                cls.leroy.action_debt_open_case()["res_id"]
            )
            cls.court_case.stage_id = cls.env.ref("account_debt_collection.stage_court")
        cls.controller = new_test_user(
            cls.env,
            "controller",
            groups="account_debt_collection.group_debt_collection_user",
            company_id=cls.company.id,
        )
        cls.Forecast = cls.env["debt.collection.forecast"].with_user(cls.controller)

    def snapshot(self):
        with freeze_time(TODAY):
            return self.Forecast._take_snapshot(self.company, TODAY)

    def rows(self, forecast):
        """``{row label: (forecast, collected)}`` of a forecast, weeks by their Monday."""
        return {
            (row.week_start.isoformat() if row.kind == "week" else row.kind): (
                row.amount_forecast,
                row.amount_actual,
            )
            for row in forecast.row_ids
        }

    def test_every_row_of_the_forecast(self):
        forecast = self.snapshot()
        self.assertEqual(forecast.week_start, TODAY)
        lines = {line.move_id: line for line in forecast.line_ids}
        # A: 1000 less Martin's credit note of 300 = 700, expected on its due date + 10 days,
        # Thursday 30 April, with the share Martin pays at all: 10 days past due, all it owed
        # that late (3000) was paid. Its law, normal around day 10 from today with a spread of
        # 1 day: days 7-13 hold Φ(3.5) - Φ(-3.5) = 0.999535 of it, days 0-6 and 14-20
        # 0.000233 each: 699.67 next week, 0.16 this week and the week after.
        a = lines[self.inv_a]
        self.assertEqual((a.source, a.amount_residual, a.amount_open), ("delay", 1000.0, 700.0))
        self.assertEqual(a.expected_date, day(30))
        self.assertEqual((a.amount_week_0, a.amount_week_1, a.amount_week_2), (0.16, 699.67, 0.16))
        self.assertAlmostEqual(a.probability, 699.99 / 700, places=4)
        self.assertEqual(lines[self.refund_martin].source, "covered")
        # B: 1500 promised for Thursday, kept with the share of promises kept (none seen yet:
        # 4 in 5): 1200 this week; the 800 left is past its expected date, and the company
        # never collected anything once it was late: the collection curve gives it nothing.
        b = lines[self.inv_b]
        self.assertEqual(
            (b.source, b.expected_date, b.amount_week_0, b.amount), ("promise", day(23), 1200.0, 1200.0)
        )
        # P: each instalment of 1000 with the share of instalments paid (none seen: 4 in 5).
        p = lines[self.inv_p]
        self.assertEqual(p.source, "plan")
        self.assertEqual(
            (p.amount_week_0, p.amount_week_2, p.amount_week_4, p.amount), (800.0, 800.0, 800.0, 2400.0)
        )
        self.assertEqual(p.expected_date, day(24))
        for move, source, amount in (
            (self.inv_c, "disputed", 700.0),
            (self.inv_w, "handed_off", 3000.0),
            (self.inv_x, "excluded", 800.0),
            (self.refund_avoir, "credit", -250.0),
        ):
            self.assertEqual(
                (lines[move].source, lines[move].amount_open, lines[move].amount), (source, amount, 0.0)
            )

        self.assertEqual(
            self.rows(forecast),
            {
                "2026-04-20": (2000.16, 0.0),  # A 0.16, B 1200, P 800
                "2026-04-27": (699.67, 0.0),
                "2026-05-04": (800.16, 0.0),
                "2026-05-11": (0.0, 0.0),
                "2026-05-18": (800.0, 0.0),
                **{week: (0.0, 0.0) for week in ("2026-05-25", "2026-06-01", "2026-06-08", "2026-06-15")},
                **{week: (0.0, 0.0) for week in ("2026-06-22", "2026-06-29", "2026-07-06", "2026-07-13")},
                "later": (1400.01, 0.0),  # A 0.01, B 800, P 600
                "excluded": (800.0, 0.0),
                "handed_off": (3000.0, 0.0),
                "disputed": (700.0, 0.0),
                "credit": (-250.0, 0.0),
            },
        )
        # the rows add up to the open receivable; the weeks to no more than what is owed net of
        # credits by the customers forecast (A 700, B 2000, P 3000)
        self.assertEqual(forecast.amount_open, 9950.0)
        self.assertEqual(sum(row.amount_forecast for row in forecast.row_ids), 9950.0)
        self.assertEqual(forecast.amount_near, 3499.99)
        self.assertEqual(forecast.amount_total, 4299.99)
        self.assertLessEqual(forecast.amount_total, 5700.0)
        self.assertEqual(forecast.amount_apart, 4500.0)
        for line in forecast.line_ids:
            self.assertLessEqual(line.amount, max(line.amount_open, 0.0))

        # each row opens the lines that make it
        row = forecast.row_ids.filtered(lambda r: r.kind == "week" and r.week == 0)
        weeks = self.env["debt.collection.forecast.week"].search(row.action_open()["domain"])
        self.assertEqual(
            {(w.move_id, w.amount) for w in weeks},
            {(self.inv_a, 0.16), (self.inv_b, 1200.0), (self.inv_p, 800.0)},
        )
        apart = forecast.row_ids.filtered(lambda r: r.kind == "handed_off")
        self.assertEqual(
            self.env["debt.collection.forecast.line"].search(apart.action_open()["domain"]).move_id,
            self.inv_w,
        )

    def test_collected_is_payments_only_and_the_error_of_the_last_weeks(self):
        forecast = self.snapshot()
        # Tuesday: W is written off (a credit note); Wednesday: C is reversed; Friday: Petit
        # pays its instalment; next Thursday Martin pays 700 of A. Only the payments are collected.
        with freeze_time(day(21)):
            outcome = Form(
                self.env["debt.collection.case.outcome.wizard"].with_context(
                    default_case_id=self.court_case.id
                )
            )
            outcome.write_off = True
            outcome.save().action_confirm()
        self.assertEqual(self.inv_w.amount_residual, 0.0)
        self.inv_c._reverse_moves([{"date": day(22), "invoice_date": day(22)}], cancel=True)
        self.assertEqual(self.inv_c.amount_residual, 0.0)
        self.pay(self.inv_p, 1000.0, day(24))
        self.pay(self.inv_a, 700.0, day(30))
        self.env.flush_all()
        self.env.invalidate_all()
        rows = self.rows(forecast)
        self.assertEqual(rows["2026-04-20"], (2000.16, 1000.0))
        self.assertEqual(rows["2026-04-27"], (699.67, 700.0))
        self.assertEqual(rows["2026-05-04"], (800.16, 0.0))

        # Four weeks later, the first four weeks of this weekly forecast are over:
        # |2000.16 - 1000| + |699.67 - 700| + |800.16 - 0| + 0 = 1800.65 of 1700 collected;
        # bias (3499.99 - 1700) / 1700.
        with freeze_time(day(48)):
            self.env.invalidate_all()
            self.assertTrue(forecast.error_measured)
            self.assertAlmostEqual(forecast.error_share, 1800.65 / 1700, places=6)
            self.assertAlmostEqual(forecast.bias_share, 1799.99 / 1700, places=6)
            board = self.env["debt.collection.dashboard"].with_user(self.controller).create({})
            self.assertAlmostEqual(board.forecast_error, 1800.65 / 1700, places=6)
            self.assertAlmostEqual(board.forecast_bias, 1799.99 / 1700, places=6)
            measured = self.env["debt.collection.forecast.actual"].search(
                board.action_open_forecast_accuracy()["domain"]
            )
            self.assertEqual(sorted(measured.mapped("week")), [0, 1, 2, 3])

    def test_the_dashboard_on_opening(self):
        self.env["res.partner"]._debt_refresh_payer_profiles(TODAY)
        with freeze_time(TODAY):
            # opened from the menu, as the controller sees it
            board = Form(self.env["debt.collection.dashboard"].with_user(self.controller)).save()
            self.assertEqual(board.display_name, f"{self.company.name} on 04/20/2026")
            # no forecast was ever taken: the figure is computed now
            self.assertFalse(self.env["debt.collection.forecast"].search([]))
            self.assertEqual(board.forecast_4_weeks, 3499.99)
            self.assertEqual(board.amount_open, 9950.0)
            self.assertLessEqual(board.forecast_4_weeks, board.amount_open)
            # overdue: B 2000, P 3000, W 3000, X 800, Martin's credit note -300; over 90 days: W
            self.assertEqual(board.amount_overdue, 8500.0)
            self.assertEqual(board.amount_over_90, 3000.0)
            self.assertEqual((board.dispute_count, board.promise_week_count, board.failed_count), (1, 1, 0))
            # classes: Martin 10 days late (owes 700 net), Durand 30 (2700), Exclu 25 (800): A;
            # Petit 80: C (3000); Leroy 110: D (3000)
            self.assertEqual(
                [
                    (board.class_a_count, board.class_a_amount),
                    (board.class_b_count, board.class_b_amount),
                    (board.class_c_count, board.class_c_amount),
                    (board.class_d_count, board.class_d_amount),
                ],
                [(3, 4200.0), (0, 0.0), (1, 3000.0), (1, 3000.0)],
            )
            profiles = self.env["debt.collection.payer.profile"].search(board.action_open_class_a()["domain"])
            self.assertEqual(profiles.partner_id, self.martin | self.durand | self.exclu)
            action = board.action_open_forecast()
            weeks = self.env["debt.collection.forecast.week"].search(action["domain"])
            self.assertEqual(round(sum(weeks.mapped("amount")), 2), 3499.99)
            self.assertEqual(set(weeks.move_id), {self.inv_a, self.inv_b, self.inv_p})

    def test_the_dashboard_figure_opens_the_snapshot_of_the_day(self):
        Board = self.env["debt.collection.dashboard"].with_user(self.controller)
        Week = self.env["debt.collection.forecast.week"]
        with freeze_time(TODAY):
            board = Form(Board).save()
            first = board.action_open_forecast()
            lines = self.env["debt.collection.forecast"].search([]).line_ids
            # Martin pays 700 of A later that day: the figure is the day's, and so are its lines
            self.pay(self.inv_a, 700.0, TODAY)
            board = Form(Board).save()
            again = board.action_open_forecast()
            self.assertEqual(again["domain"], first["domain"])
            self.assertEqual(self.env["debt.collection.forecast"].search([]).line_ids, lines, "not retaken")
            near = Week.search(again["domain"]).mapped("amount")
            self.assertEqual(round(sum(near), 2), board.forecast_4_weeks)

    def test_the_dashboard_figure_is_computed_once_a_day(self):
        Board = self.env["debt.collection.dashboard"].with_user(self.controller)
        Figure = self.env["debt.collection.forecast.figure"]

        def computed_now(on):
            return self.Forecast._near_total(self.company, self.Forecast._compute_forecast(self.company, on))

        with freeze_time(TODAY):
            self.assertEqual(Form(Board).save().forecast_4_weeks, 3499.99)
            self.assertEqual(Figure.search([]).mapped("date"), [TODAY])
            # kept for the day: Martin paying 700 of A later that day shows tomorrow
            self.pay(self.inv_a, 700.0, TODAY)
            self.assertNotEqual(computed_now(TODAY), 3499.99)
            self.assertEqual(Form(Board).save().forecast_4_weeks, 3499.99)
        # the first opening of the next day computes it anew; the figure of the day before is gone
        with freeze_time(day(21)):
            self.assertEqual(Form(Board).save().forecast_4_weeks, computed_now(day(21)))
            self.assertEqual(Figure.search([]).mapped("date"), [day(21)])
        # the scheduled action computes it early, before any opening
        cron = self.env.ref("account_debt_collection.ir_cron_debt_forecast_figure")
        with freeze_time(f"{day(22)} 05:00:00"), self.enter_registry_test_mode():
            cron.method_direct_trigger()
        with freeze_time(day(22)):
            self.assertEqual(Figure.search([]).mapped("date"), [day(22)])
            self.assertEqual(Figure.search([]).amount_near, computed_now(day(22)))
        # and a snapshot keeps the figure of the forecast it takes
        with freeze_time(day(23)):
            forecast = self.Forecast._take_snapshot(self.company, day(23))
            self.assertEqual(Figure.search([]).mapped("date"), [day(23)])
            self.assertEqual(Form(Board).save().forecast_4_weeks, forecast.amount_near)
