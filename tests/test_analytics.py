import base64
import io
from collections import defaultdict
from datetime import date

import openpyxl
from freezegun import freeze_time

from odoo.addons.account_debt_collection.models.debt_collection_aged_balance import BUCKET_COLUMNS
from odoo.addons.account_debt_collection.rules import analytics
from odoo.tests import Form, new_test_user, tagged

from .common import DebtCollectionCommon, day

#: "Today" of these tests: DUE + 20 days, Monday 20 April 2026.
TODAY = day(20)


@tagged("post_install", "-at_install")
class TestAnalytics(DebtCollectionCommon):
    """A small hand-made ledger whose figures are worked out in the comments.

    Boulangerie Martin (invoice date = due date - 30 days):
      inv1 1000 due D-100, 400 paid on D-50, 600 still open
      inv2 2000 due D-40, paid on D+10 (50 days late)
      inv3  500 due D+10, open
      inv7  700 due D+25, open, disputed
    Transports Durand:
      inv4 3000 due D-70, open
      inv5 1500 due D-20, paid on D-5 (15 days late)
      inv6 6000 due D-30, paid on D-35 (on time)
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls.env["res.partner"].create(
            {"name": "Transports Durand SA", "is_company": True, "email": "compta@durand.fr"}
        )
        with freeze_time(day(40)):
            cls.inv1 = cls.invoice(1000.0, due=day(-100))
            cls.inv2 = cls.invoice(2000.0, due=day(-40))
            cls.inv3 = cls.invoice(500.0, due=day(10))
            cls.inv4 = cls.invoice(3000.0, partner=cls.other, due=day(-70))
            cls.inv5 = cls.invoice(1500.0, partner=cls.other, due=day(-20))
            cls.inv6 = cls.invoice(6000.0, partner=cls.other, due=day(-30))
            cls.inv7 = cls.invoice(700.0, due=day(25))
            cls.pay(cls, cls.inv1, 400.0, day(-50))
            cls.pay(cls, cls.inv2, 2000.0, day(10))
            cls.pay(cls, cls.inv5, 1500.0, day(-5))
            cls.pay(cls, cls.inv6, 6000.0, day(-35))
        cls.inv7.debt_dispute = True
        cls.Partner = cls.env["res.partner"]

    # ------------------------------------------------------------------ helpers

    def aged(self, at):
        """``{(partner name, bucket): amount}`` of the aged balance at ``at`` (the SQL)."""
        wizard = self.env["debt.collection.aged.balance.wizard"].create(
            {"date": at, "company_id": self.company.id}
        )
        wizard._compute_lines()
        result = defaultdict(float)
        for row in wizard.line_ids:
            result[row.partner_id.name, row.bucket] += row.amount_residual
            self.assertEqual(
                row.amount_residual,
                sum(row[column] for column in BUCKET_COLUMNS.values()),
                "one bucket column holds the amount",
            )
        return dict(result), wizard

    def aged_by_rules(self, at):
        """The same figures by ``rules.analytics`` from the journal items read by the ORM."""
        lines = self.env["account.move.line"].search(
            [
                ("company_id", "=", self.company.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("date", "<=", at),
            ]
        )
        result = defaultdict(float)
        for line in lines:
            partials = [(p.max_date, "debit", p.amount) for p in line.matched_credit_ids] + [
                (p.max_date, "credit", p.amount) for p in line.matched_debit_ids
            ]
            amount = analytics.open_amount_at(line.balance, partials, at)
            if self.company.currency_id.is_zero(amount):
                continue
            bucket = analytics.age_bucket(line.date_maturity or line.date, at)
            result[line.partner_id.commercial_partner_id.name, bucket] += amount
        return dict(result)

    # ------------------------------------------------------------------ aged balance

    def test_aged_balance_at_the_due_date_and_today(self):
        martin, durand = self.customer.name, self.other.name
        # D: inv1 600 (100 days: over 90), inv2 2000 (paid only at D+10: 40 days, 31-60),
        # inv3 500 and inv7 700 not due; inv4 3000 (70 days: 61-90); inv5 and inv6 paid before.
        expected_at_due = {
            (martin, "91_over"): 600.0,
            (martin, "31_60"): 2000.0,
            (martin, "0_not_due"): 1200.0,
            (durand, "61_90"): 3000.0,
        }
        figures, _wizard = self.aged(day(0))
        self.assertEqual(figures, expected_at_due)
        self.assertEqual(self.aged_by_rules(day(0)), expected_at_due)

        # Today (D+20): inv2 paid; inv1 120 days, inv3 10 days, inv7 not due, inv4 90 days (61-90).
        expected_today = {
            (martin, "91_over"): 600.0,
            (martin, "1_30"): 500.0,
            (martin, "0_not_due"): 700.0,
            (durand, "61_90"): 3000.0,
        }
        self.assertEqual(self.aged(TODAY)[0], expected_today)
        self.assertEqual(self.aged_by_rules(TODAY), expected_today)

    def test_aged_balance_at_a_past_date_ignores_later_payments(self):
        # D-60: inv1 open for 1000 (its 400 came at D-50), 40 days: 31-60; inv2 dated D-70,
        # due D-40: not due; inv4 10 days: 1-30; inv6 dated D-60, due D-30: not due.
        # inv3, inv5, inv7 are dated after D-60; the payments of inv6 and inv1 too.
        expected = {
            (self.customer.name, "31_60"): 1000.0,
            (self.customer.name, "0_not_due"): 2000.0,
            (self.other.name, "1_30"): 3000.0,
            (self.other.name, "0_not_due"): 6000.0,
        }
        figures, wizard = self.aged(day(-60))
        self.assertEqual(figures, expected)
        self.assertEqual(self.aged_by_rules(day(-60)), expected)
        # each figure opens the journal items that make it up
        action = wizard.action_open()
        self.assertEqual(action["domain"], [("wizard_id", "=", wizard.id)])
        over = wizard.line_ids.filtered(lambda r: r.bucket == "31_60")
        items = self.env["account.move.line"].search(over.action_open_move_lines()["domain"])
        self.assertEqual(items.move_id, self.inv1)
        self.assertEqual(sum(items.mapped("balance")), 1000.0)

    def test_aged_balance_credit_applied_after_the_date(self):
        # A credit note of 300 dated D-10 (due D+20) applied to an invoice of 1000 dated D-5
        # (due D+25): the partial is dated D-5. On D-8 the credit is open, not due, and the
        # invoice does not exist yet; on D-5 the invoice is open for 700 and the credit is used.
        with freeze_time(day(40)):
            refund = self.invoice(300.0, partner=self.other, due=day(20), move_type="out_refund")
            invoice = self.invoice(1000.0, partner=self.other, due=day(25))
            (refund | invoice).line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
            ).reconcile()
        durand = self.other.name
        figures = self.aged(day(-8))[0]
        self.assertEqual(figures[durand, "0_not_due"], -300.0)
        self.assertEqual(figures, self.aged_by_rules(day(-8)))
        figures = self.aged(day(-5))[0]
        self.assertEqual(figures[durand, "0_not_due"], 700.0)
        self.assertEqual(figures, self.aged_by_rules(day(-5)))

    def test_aged_balance_xlsx(self):
        wizard = self.env["debt.collection.aged.balance.wizard"].create(
            {"date": day(0), "company_id": self.company.id}
        )
        action = wizard.action_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment_id = int(action["url"].split("/web/content/")[1].split("?")[0])
        attachment = self.env["ir.attachment"].browse(attachment_id)
        self.assertFalse(attachment.res_model, "the file outlives the wizard")
        wizard.unlink()
        content = io.BytesIO(base64.b64decode(attachment.datas))

        sheet = openpyxl.load_workbook(content).active
        self.assertEqual(sheet["A1"].value, self.company.name)
        self.assertEqual(sheet["B2"].value.date(), day(0))
        self.assertEqual(
            [cell.value for cell in sheet[5]],
            ["Customer", "VAT", "Not Due", "1-30", "31-60", "61-90", "Over 90", "Total"],
        )
        self.assertEqual(sheet.freeze_panes, "B6")
        self.assertEqual([c.value for c in sheet[6]], [self.customer.name, None, 1200, 0, 2000, 0, 600, 3800])
        self.assertEqual([c.value for c in sheet[7]], [self.other.name, None, 0, 0, 0, 3000, 0, 3000])
        self.assertEqual(sheet["A8"].value, "Total")
        self.assertEqual(sheet["C8"].value, "=SUM(C6:C7)")
        self.assertEqual(sheet["H8"].value, "=SUM(H6:H7)")
        self.assertEqual(sheet["C6"].number_format, "#,##0.00")

        values = openpyxl.load_workbook(content, data_only=True).active
        self.assertEqual([c.value for c in values[8]][2:], [1200, 0, 2000, 3000, 600, 6800])

    # ------------------------------------------------------------------ payer profile

    def refresh(self):
        with freeze_time(TODAY):
            return self.Partner._debt_refresh_payer_profiles(TODAY)

    def test_payer_profile_weighted_average_and_class(self):
        Event = self.env["debt.collection.event"]
        if "outcome" in Event._fields:
            Event.sudo().create(
                {
                    "partner_id": self.customer.id,
                    "channel": "phone",
                    "outcome": "promise_broken",
                    "date": day(5),
                }
            )
        self.refresh()
        # Martin: inv2 paid 50 days late (2000), inv1 open 120 days (1000), inv3 open 10 days
        # (500); inv7 not due. (2000*50 + 1000*120 + 500*10) / 3500 = 64.29 days: class C.
        martin_items = [(2000.0, 50), (1000.0, 120), (500.0, 10)]
        self.assertAlmostEqual(analytics.weighted_days_late(martin_items), 225000 / 3500)
        self.assertAlmostEqual(self.customer.debt_avg_days_late, 225000 / 3500, places=4)
        self.assertEqual(self.customer.debt_payer_class, "C")
        self.assertEqual(self.customer.debt_on_time_ratio, 0.0)
        self.assertEqual(self.customer.debt_late_count, 3)
        self.assertEqual(self.customer.debt_profile_date, TODAY)
        if "outcome" in Event._fields:
            self.assertEqual(self.customer.debt_broken_promise_count, 1)
        # Durand: inv5 15 days late (1500), inv6 on time (6000), inv4 open 90 days (3000):
        # (1500*15 + 0 + 3000*90) / 10500 = 27.86 days: class A; 1 of 3 on time.
        durand_items = [(1500.0, 15), (6000.0, 0), (3000.0, 90)]
        self.assertAlmostEqual(
            self.other.debt_avg_days_late, analytics.weighted_days_late(durand_items), places=4
        )
        self.assertAlmostEqual(self.other.debt_avg_days_late, 292500 / 10500, places=4)
        self.assertEqual(self.other.debt_payer_class, analytics.payer_class(292500 / 10500))
        self.assertEqual(self.other.debt_payer_class, "A")
        self.assertAlmostEqual(self.other.debt_on_time_ratio, 1 / 3)
        self.assertEqual(self.other.debt_late_count, 2)

        # The open invoices carry the class: the worklist puts class C before class A.
        self.assertEqual((self.inv1.debt_payer_class, self.inv4.debt_payer_class), ("C", "A"))
        worklist = self.env["account.move"].search(
            [("id", "in", (self.inv1 | self.inv4).ids)],
            order="debt_payer_class desc, debt_level desc, amount_residual_signed desc",
        )
        self.assertEqual(worklist.ids, [self.inv1.id, self.inv4.id])
        # A new invoice takes its customer's class when posted.
        self.assertEqual(self.invoice(100.0, partner=self.other, due=day(60)).debt_payer_class, "A")

    def test_payer_profile_window_and_reset(self):
        self.env["ir.config_parameter"].sudo().set_param("account_debt_collection.payer_profile_months", "1")
        self.refresh()
        # One month back from D+20 (from D-10): inv5 (paid D-5) is in, inv6 (paid D-35) is
        # not; inv4 is open: (1500*15 + 3000*90) / 4500 = 65 days: class C.
        self.assertAlmostEqual(self.other.debt_avg_days_late, 65.0)
        self.assertEqual(self.other.debt_payer_class, "C")
        # Everything paid: the customer's profile is reset at the next refresh.
        self.pay(self.inv4, 3000.0, TODAY)
        with freeze_time(day(200)):
            self.Partner._debt_refresh_payer_profiles(day(200))
        self.assertFalse(self.other.debt_payer_class)
        self.assertEqual(self.other.debt_late_count, 0)

    def test_class_selects_the_scenario(self):
        scenario_c = self.scenario.copy({"name": "Class C", "is_default": False, "payer_class": "C"})
        scenario_c.step_ids.sorted("offset_days")[0].offset_days = -10
        self.refresh()
        scenarios = self.Partner._debt_scenarios_of(self.inv3 | self.inv4)
        self.assertEqual(scenarios[self.company.id, self.customer.id], scenario_c)
        self.assertEqual(scenarios[self.company.id, self.other.id], self.scenario)
        # Martin became class C: its invoices follow the class C scenario from now on.
        self.escalate(TODAY)
        events = self.env["debt.collection.event"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(events.step_id.scenario_id, scenario_c)

    def test_invoicing_user_reads_the_reports(self):
        user = new_test_user(
            self.env, "reader", groups="account.group_account_invoice", company_id=self.company.id
        )
        env = self.env(user=user)
        with freeze_time(TODAY):
            wizard_form = Form(env["debt.collection.aged.balance.wizard"])
            wizard_form.date = day(0)
            wizard = wizard_form.save()
            action = wizard.action_open()
            self.assertEqual(
                sum(env["debt.collection.aged.balance"].search(action["domain"]).mapped("amount_residual")),
                6800.0,
            )
            self.assertEqual(wizard.action_export_xlsx()["type"], "ir.actions.act_url")
            forecast_action = env["debt.collection.forecast"].action_open_current()
            self.assertEqual(env["debt.collection.forecast.line"].search_count(forecast_action["domain"]), 3)
            board = env["debt.collection.dashboard"].create({})
            self.assertEqual(board.amount_open, 4800.0)
            self.assertTrue(env["debt.collection.delay.trend"].search_count([]))

    # ------------------------------------------------------------------ trend of delays

    def test_delay_trend_by_month(self):
        Trend = self.env["debt.collection.delay.trend"]
        rows = Trend.search([("company_id", "=", self.company.id)])
        self.assertEqual(
            {(row.move_id, row.payment_date, row.days_late) for row in rows},
            {(self.inv2, day(10), 50), (self.inv5, day(-5), 15), (self.inv6, day(-35), 0)},
        )
        for row in rows:
            self.assertEqual(row.days_late, analytics.days_late(row.due_date, row.payment_date))
        by_month = dict(
            Trend._read_group(
                [("company_id", "=", self.company.id)], ["payment_date:month"], ["days_late:avg"]
            )
        )
        self.assertEqual(by_month, {date(2026, 2, 1): 0, date(2026, 3, 1): 15, date(2026, 4, 1): 50})
        per_customer = dict(
            Trend._read_group([("company_id", "=", self.company.id)], ["partner_id"], ["days_late:avg"])
        )
        self.assertEqual(per_customer, {self.customer: 50, self.other: 7.5})

    # ------------------------------------------------------------------ DSO

    def test_dso_countback(self):
        with freeze_time(TODAY):
            board = self.env["debt.collection.dashboard"].create(
                {"company_id": self.company.id, "date_from": date(2025, 10, 1), "date_to": day(0)}
            )
            # Receivable at D: 600 + 2000 + 500 + 700 + 3000 = 6800. Sales by countback month:
            # March 500 + 700 (inv3, inv7 dated D-20, D-5), February 1500 (inv5), January
            # 2000 + 6000 (inv2, inv6), December 3000 (inv4), November 1000 (inv1).
            # 6800 - 1200 (31 days) - 1500 (28 days) = 4100 left, 4100 / 8000 of January's 31.
            self.assertAlmostEqual(board.amount_receivable, 6800.0)
            company, by_partner = board._dso_figures()
            self.assertAlmostEqual(company[2], 31 + 28 + 31 * 4100 / 8000)
            self.assertAlmostEqual(
                company[2], analytics.dso_countback(6800.0, [(31, 1200.0), (28, 1500.0), (31, 8000.0)])
            )
            self.assertAlmostEqual(board.dso, 74.9, places=1, msg="shown to a tenth of a day")
            board.action_open_dso_by_partner()
            self.assertEqual(
                {line.partner_id.id: line.dso for line in board.dso_line_ids},
                {partner_id: round(figures[2], 1) for partner_id, figures in by_partner.items()},
            )
            per_customer = {
                self.env["res.partner"].browse(pid): figures[2] for pid, figures in by_partner.items()
            }
        # Martin owes 3800: March 1200 (31 days, 2600 left), February nothing (28 days),
        # January 2000 (31 days, 600 left), December nothing (31), November 600/1000 of 30.
        self.assertAlmostEqual(per_customer[self.customer], 31 + 28 + 31 + 31 + 18)
        # Durand owes 3000: March nothing (31), February 1500 (28, 1500 left), 1500/8000... of
        # January's 6000: 31 * 1500 / 6000.
        self.assertAlmostEqual(per_customer[self.other], 31 + 28 + 31 * 1500 / 6000)

    # ------------------------------------------------------------------ forecast

    def test_forecast_weeks_and_actual(self):
        self.refresh()
        self.inv4.debt_promise_date = day(30)
        forecast = self.env["debt.collection.forecast"]._take_snapshot(self.company, TODAY)
        self.assertEqual(forecast.week_start, TODAY, "D+20 is a Monday")
        lines = {line.move_id: (line.expected_date, line.week, line.amount) for line in forecast.line_ids}
        # inv1: due D-100 + 64 days (Martin's 64.29) = D-36, already past: week 0, for its 600.
        # inv3: due D+10 + 64 = D+74, Saturday 13 June, week of 8 June: week 7.
        # inv4: promised for D+30 (Thursday 30 April): week 1. inv7 is disputed: left out.
        self.assertEqual(
            lines,
            {
                self.inv1: (day(-36), 0, 600.0),
                self.inv3: (day(74), 7, 500.0),
                self.inv4: (day(30), 1, 3000.0),
            },
        )
        for move, (expected, week, _amount) in lines.items():
            self.assertEqual(
                expected,
                analytics.expected_payment_date(
                    move.invoice_date_due,
                    move.commercial_partner_id.debt_avg_days_late,
                    move.debt_promise_date,
                ),
            )
            self.assertEqual(week, analytics.forecast_week(expected, TODAY))
        # Taken again the same day: replaced, not doubled.
        self.assertEqual(self.env["debt.collection.forecast"]._take_snapshot(self.company, TODAY), forecast)
        self.assertEqual(len(forecast.line_ids), 3)
        self.assertEqual(forecast.amount_total, 4100.0)

        # What came in: inv1 on D+22 (week 0, as forecast), inv4 on D+36 (week 2, not 1).
        self.pay(self.inv1, 600.0, day(22))
        self.pay(self.inv4, 3000.0, day(36))
        self.env.flush_all()
        actual = self.env["debt.collection.forecast.actual"].search([("forecast_id", "=", forecast.id)])
        self.assertEqual(len(actual), analytics.FORECAST_WEEKS)
        weeks = {
            row.week: (row.amount_forecast, row.amount_actual)
            for row in actual
            if row.amount_forecast or row.amount_actual
        }
        self.assertEqual(weeks, {0: (600.0, 600.0), 1: (3000.0, 0.0), 2: (0.0, 3000.0), 7: (500.0, 0.0)})

    # ------------------------------------------------------------------ dashboard

    def test_dashboard_figures_open_their_records(self):
        self.refresh()
        self.inv3.debt_promise_date = day(23)
        self.env["debt.collection.forecast"]._take_snapshot(self.company, TODAY)
        with freeze_time(TODAY):
            board = self.env["debt.collection.dashboard"].create({"company_id": self.company.id})
            # Overdue at D+20: inv1 600, inv3 500, inv4 3000; over 90 days: inv1 600 (due D-100).
            self.assertEqual(board.amount_open, 4800.0)
            self.assertEqual(board.amount_overdue, 4100.0)
            self.assertEqual(board.amount_over_90, 600.0)
            self.assertAlmostEqual(board.share_over_90, 600.0 / 4800.0)
            self.assertEqual(board.dispute_count, 1)
            self.assertEqual(board.promise_week_count, 1)
            # Weeks 0-3: inv1 600 (week 0), inv3 500 promised D+23 (week 0); inv4 D-70+28 (week 0).
            self.assertEqual(board.forecast_4_weeks, 4100.0)
            for method, model, expected in [
                ("action_open_overdue", "account.move.line", self.inv1 | self.inv3 | self.inv4),
                ("action_open_over_90", "account.move.line", self.inv1),
                ("action_open_disputes", "account.move", self.inv7),
                ("action_open_promises", "account.move", self.inv3),
            ]:
                action = getattr(board, method)()
                records = self.env[model].search(action["domain"])
                self.assertEqual(
                    records.move_id if model == "account.move.line" else records, expected, method
                )
            forecast_lines = self.env["debt.collection.forecast.line"].search(
                board.action_open_forecast()["domain"]
            )
            self.assertEqual(sum(forecast_lines.mapped("amount")), board.forecast_4_weeks)

    # ------------------------------------------------------------------ risk alerts

    def test_risk_alerts(self):
        self.company.account_use_credit_limit = True
        with freeze_time(TODAY):
            self.customer.credit_limit = 1000.0
            self.customer.invalidate_recordset()
            # Martin owes 600 + 500 + 700 = 1800: over its limit of 1000.
            self.assertTrue(self.customer.debt_over_credit_limit)
            self.assertIn("credit limit", self.customer.debt_risk_alert)
            self.assertEqual(self.inv3.debt_risk_alert, self.customer.debt_risk_alert)
            # Durand owes 3000, insured 5000 until D+60: no alert; 2000 insured: alert.
            insurer = self.env["res.partner"].create({"name": "Assureur Crédit SA", "is_company": True})
            self.other.write(
                {
                    "debt_insurer_id": insurer.id,
                    "debt_insured_amount": 5000.0,
                    "debt_insurance_end_date": day(60),
                }
            )
            self.assertFalse(self.other.debt_over_insurance)
            self.assertFalse(self.other.debt_risk_alert)
            self.other.debt_insured_amount = 2000.0
            self.assertTrue(self.other.debt_over_insurance)
            self.assertIn("Assureur", self.other.debt_risk_alert)
            # Cover ended on D+10: alert whatever the amount.
            self.other.write({"debt_insured_amount": 5000.0, "debt_insurance_end_date": day(10)})
            self.assertTrue(self.other.debt_over_insurance)
            self.assertIn("ended", self.other.debt_risk_alert)
