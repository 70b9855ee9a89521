import base64
import io
from collections import defaultdict
from datetime import date, timedelta

import openpyxl
from freezegun import freeze_time

from odoo.addons.account_debt_collection.rules import analytics, dates
from odoo.addons.account_debt_collection.wizards.debt_collection_aged_balance import BUCKET_COLUMNS
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
        cls.inv7.sudo().debt_dispute = True  # a shortcut: the flag alone, without its dispute
        cls.Partner = cls.env["res.partner"]

    # ------------------------------------------------------------------ helpers

    def aged(self, at):
        """``{(partner name, bucket): amount}`` of the aged balance at ``at`` (the SQL)."""
        wizard = self.env["debt.collection.aged.balance.wizard"].create(
            {"date": at, "company_id": self.company.id}
        )
        wizard._fill_lines()
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

    def test_aged_balance_in_the_invoice_currency(self):
        # Durand is also invoiced 1000 EUR (2 EUR a dollar: 500 in company currency), due D-40,
        # and pays 400 EUR (200) on D+5. On D: 1000 EUR, 500 open, 40 days: 31-60; today: 600 EUR,
        # 300 open, 60 days: still 31-60.
        euro = self.setup_other_currency("EUR", rates=[("2025-01-01", 2.0)])
        with freeze_time(day(40)):
            invoice = self.invoice(1000.0, partner=self.other, due=day(-40), currency_id=euro.id)
            self.pay(invoice, 400.0, day(5))
        for at, foreign, company in ((day(0), 1000.0, 500.0), (TODAY, 600.0, 300.0)):
            _figures, wizard = self.aged(at)
            (row,) = wizard.line_ids.filtered(lambda r, move=invoice: r.move_id == move)
            self.assertEqual(
                (row.line_currency_id, row.amount_residual_currency, row.amount_residual, row.bucket),
                (euro, foreign, company, "31_60"),
            )
        by_currency = wizard._currency_rows()
        self.assertEqual(list(by_currency), [euro, self.company.currency_id])
        self.assertEqual([(p, b["31_60"], t) for p, b, t in by_currency[euro]], [(self.other, 600.0, 600.0)])

        sheet = openpyxl.load_workbook(io.BytesIO(wizard._xlsx_content()), data_only=True)["By Currency"]
        self.assertEqual([c.value for c in sheet[4]][:2], ["Customer", "Currency"])
        self.assertEqual([c.value for c in sheet[5]], [self.other.name, "EUR", 0, 0, 600, 0, 0, 600])
        self.assertEqual([c.value for c in sheet[6]][:2], ["Total EUR", "EUR"])
        self.assertEqual(
            [c.value for c in sheet[6]][2:], [0, 0, 600, 0, 0, 600], "cached values of the formulas"
        )
        # a blank row, then in company currency: Martin 600 + 500 + 700, Durand 3000
        self.assertEqual(sheet["A7"].value, None)
        self.assertEqual(sheet["A10"].value, f"Total {self.company.currency_id.name}")
        self.assertEqual(sheet["H10"].value, 4800)
        formulas = openpyxl.load_workbook(io.BytesIO(wizard._xlsx_content()))["By Currency"]
        self.assertEqual(formulas["H10"].value, "=SUM(H8:H9)")

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

    def test_open_credits_are_netted_oldest_first(self):
        # A customer who paid 500 on time, and owes an invoice of 1000 due 200 days ago against
        # which stands a credit note of 952 not matched yet: it owes 48. Without the credit note
        # (1000 x 200 + 500 x 0) / 1500 = 133 days: class D; with it, the invoice weighs the 48
        # it still owes: 48 x 200 / 548 = 17.5 days: class A.
        client = self.Partner.create({"name": "Fromagerie Roux", "is_company": True})
        with freeze_time(TODAY):
            paid = self.invoice(500.0, partner=client, due=day(-10))
            self.pay(paid, 500.0, day(-10))
            self.invoice(1000.0, partner=client, due=TODAY - timedelta(days=200))
            self.invoice(952.0, partner=client, due=day(5), move_type="out_refund")
        self.assertEqual(analytics.payer_class(analytics.weighted_days_late([(500, 0), (1000, 200)])), "D")
        self.refresh()
        self.assertAlmostEqual(client.debt_avg_days_late, 48 * 200 / 548, places=4)
        self.assertEqual(client.debt_payer_class, "A")
        profile = self.env["debt.collection.payer.profile"].search([("partner_id", "=", client.id)])
        self.assertEqual((profile.payer_class, profile.amount_open), ("A", 48.0))

    def test_payer_profiles_are_per_company(self):
        # Durand also buys from a second company, and pays it 120 days late: its class there is
        # D; here it stays A (27.86 days, see above), from this company's invoices only.
        other_data = self.setup_other_company(name="Froid Services SAS")
        other = other_data["company"]
        with freeze_time(TODAY):
            late = self._create_invoice_one_line(
                price_unit=5000.0,
                tax_ids=[],
                partner_id=self.other.id,
                invoice_date=day(-150),
                invoice_date_due=day(-120),
                invoice_payment_term_id=False,
                company_id=other.id,
                journal_id=other_data["default_journal_sale"].id,
                post=True,
            )
            self.env["account.payment.register"].with_company(other).with_context(
                active_model="account.move", active_ids=late.ids
            ).create({"amount": 5000.0, "payment_date": day(0)})._create_payments()
        self.refresh()
        self.assertEqual(self.other.debt_payer_class, "A")
        self.assertAlmostEqual(self.other.debt_avg_days_late, 292500 / 10500, places=4)
        there = self.other.with_company(other)
        self.assertEqual(there.debt_payer_class, "D")
        self.assertEqual(there.debt_avg_days_late, 120.0)
        self.assertEqual(there.debt_profile_date, TODAY)
        Profile = self.env["debt.collection.payer.profile"].with_context(
            allowed_company_ids=[self.company.id, other.id]
        )
        self.assertEqual(
            {(p.company_id, p.payer_class) for p in Profile.search([("partner_id", "=", self.other.id)])},
            {(self.company, "A"), (other, "D")},
        )
        # a user of this company only does not see the other company's profiles
        user = new_test_user(
            self.env, "here", groups="account.group_account_invoice", company_id=self.company.id
        )
        self.assertEqual(
            Profile.with_user(user)
            .with_context(allowed_company_ids=[self.company.id])
            .search([("partner_id", "=", self.other.id)])
            .company_id,
            self.company,
        )

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
            forecast = env["debt.collection.forecast"].browse(forecast_action["res_id"])
            # inv1, inv3, inv4 and inv7 (disputed, in a row of its own) are open
            self.assertEqual(len(forecast.line_ids), 4)
            self.assertEqual(forecast.amount_open, 4800.0)
            board = env["debt.collection.dashboard"].create({})
            self.assertEqual(board.amount_open, 4800.0)
            self.assertTrue(env["debt.collection.delay.trend"].search_count([]))
            self.Partner._debt_refresh_payer_profiles(TODAY)
            self.assertEqual(env["debt.collection.payer.profile"].search_count([]), 2)

    # ------------------------------------------------------------------ trend of delays

    def test_delay_trend_by_month(self):
        Trend = self.env["debt.collection.delay.trend"]
        rows = Trend.search([("company_id", "=", self.company.id)])
        self.assertEqual(
            {(row.move_id, row.payment_date, row.days_late) for row in rows},
            {(self.inv2, day(10), 50), (self.inv5, day(-5), 15), (self.inv6, day(-35), 0)},
        )
        for row in rows:
            self.assertEqual(row.days_late, dates.days_late(row.due_date, row.payment_date))
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
            company, by_partner = board._dso_figures(per_customer=True)
            own, none = board._dso_figures()  # the dashboard's own: the same, no customer's
            self.assertEqual([round(figure, 6) for figure in own], [round(figure, 6) for figure in company])
            self.assertEqual(none, {})
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

    # ------------------------------------------------------------------ dashboard

    def test_dashboard_figures_open_their_records(self):
        self.refresh()
        self.inv3.sudo().debt_promise_date = day(23)
        with freeze_time(TODAY):
            board = self.env["debt.collection.dashboard"].create({"company_id": self.company.id})
            self.assertEqual(board.display_name, f"{self.company.name} on 04/20/2026")
            # Overdue at D+20: inv1 600, inv3 500, inv4 3000; over 90 days: inv1 600 (due D-100).
            self.assertEqual(board.amount_open, 4800.0)
            self.assertEqual(board.amount_overdue, 4100.0)
            self.assertEqual(board.amount_over_90, 600.0)
            self.assertAlmostEqual(board.share_over_90, 600.0 / 4800.0)
            self.assertEqual(board.dispute_count, 1)
            self.assertEqual(board.promise_week_count, 1)
            # Classes (see the payer-profile test): Durand A for 3000, Martin C for 600 + 500 + 700.
            self.assertEqual((board.class_a_count, board.class_a_amount), (1, 3000.0))
            self.assertEqual((board.class_b_count, board.class_b_amount), (0, 0.0))
            self.assertEqual((board.class_c_count, board.class_c_amount), (1, 1800.0))
            self.assertEqual(board.class_d_count, 0)
            profiles = self.env["debt.collection.payer.profile"].search(board.action_open_class_c()["domain"])
            self.assertEqual(profiles.partner_id, self.customer)
            self.assertEqual(profiles.amount_open, 1800.0)
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
            # the 4-week figure is computed on opening; its drill-down takes the forecast now
            # and shows the lines that add up to it
            action = board.action_open_forecast()
            self.assertEqual(action["res_model"], "debt.collection.forecast.week")
            weeks = self.env["debt.collection.forecast.week"].search(action["domain"])
            self.assertAlmostEqual(sum(weeks.mapped("amount")), board.forecast_4_weeks, places=2)
            self.assertLessEqual(board.forecast_4_weeks, board.amount_open)
            self.assertFalse(board.forecast_measured, "no week of a weekly forecast is over")

    def test_dashboard_failed_communications_and_missing_rates(self):
        Event = self.env["debt.collection.event"]
        failed = Event.sudo().create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "channel": "email",
                "date": TODAY,
                "state": "error",
            }
        )
        Rate = self.env["debt.collection.rate"]
        ecb = next(kind for kind, _label in Rate._fields["kind"].selection if kind.startswith("ecb"))
        with freeze_time(date(2031, 2, 3)):
            board = self.env["debt.collection.dashboard"].create({"company_id": self.company.id})
            self.assertEqual(board.failed_count, 1)
            self.assertEqual(Event.search(board.action_open_failed()["domain"]), failed)
            # no rate at all for the first half of 2031
            self.assertEqual(board.missing_rate_count, 2)
            self.assertEqual(board.missing_rates, "ECB refinancing rate, legal interest rate")
            self.assertEqual(board.action_open_rates()["res_model"], "debt.collection.rate")
            Rate.create({"name": "BCE 2031-S1", "kind": ecb, "date_from": date(2031, 1, 1), "rate": 2.0})
            board.invalidate_recordset()
            self.assertEqual((board.missing_rate_count, board.missing_rates), (1, "legal interest rate"))

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
