"""The penalty ledger of invoices, read by the wizard, the run and the letters; figures by hand.

interest = base x rate / 100 x days / 365, rounded to the cent per period; the ECB rate of the
first half of 2026 is 2.15 % (12.15 % with its 10 points), the legal rate "other cases" 2.62 %.
"""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import DebtCollectionCommon, day

USER = "account_debt_collection.group_debt_collection_user"


class PenaltiesCommon(DebtCollectionCommon):
    def ledger(self, invoice, on):
        return invoice._debt_penalties(on).by_invoice[invoice.id]

    def figures(self, invoice, on):
        penalty = self.ledger(invoice, on)
        return float(penalty.interest), float(penalty.indemnity)

    def wizard_from_customer(self, on):
        with freeze_time(on):
            return Form(
                self.env["debt.collection.penalty.wizard"].with_context(
                    active_model="res.partner", active_id=self.customer.id
                )
            )

    def invoice_penalties(self, wizard):
        action = wizard.save().action_create_invoice()
        return self.env["account.move"].browse(action["res_id"])


@tagged("post_install", "-at_install")
class TestPenaltyLedger(PenaltiesCommon):
    def test_an_invoice_paid_on_time_owes_nothing(self):
        invoice = self.invoice(1000.0)
        self.pay(invoice, 1000.0, day(0))
        self.assertEqual(self.figures(invoice, day(30)), (0.0, 0.0))

    def test_an_invoice_paid_late_stays_claimable_from_the_customer_until_invoiced(self):
        # paid on 10 April: 1-10 April on 1,000 at 12.15 %: 1000 x 12.15 % x 10 / 365 = 3.33, and 40 EUR
        invoice = self.invoice(1000.0)
        self.pay(invoice, 1000.0, day(10))
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        wizard = self.wizard_from_customer(day(30))
        self.assertEqual(wizard.move_ids[:], invoice)
        self.assertEqual((wizard.amount_interest, wizard.amount_indemnity), (3.33, 40.0))
        penalty = self.invoice_penalties(wizard)
        self.assertEqual(penalty.amount_total, 43.33)
        self.assertEqual(self.figures(invoice, day(60)), (0.0, 0.0), "all invoiced")
        self.assertFalse(self.wizard_from_customer(day(60)).move_ids[:], "nothing left to claim")

    def test_a_second_penalty_invoice_charges_only_what_the_first_did_not(self):
        invoice = self.invoice(1000.0)
        wizard = Form(
            self.env["debt.collection.penalty.wizard"].with_context(
                active_model="account.move", active_ids=invoice.ids
            )
        )
        wizard.date = day(30)
        first = self.invoice_penalties(wizard)  # 1-30 April: 9.99 and 40 EUR
        self.assertEqual(first.amount_total, 49.99)
        first.action_post()
        # on 30 May: 1-30 May, 30 more days at 12.15 % = 9.99, no indemnity again
        wizard = self.wizard_from_customer(day(60))
        self.assertEqual(wizard.move_ids[:], invoice, "still unpaid and accruing: still claimable")
        self.assertEqual((wizard.amount_interest, wizard.amount_indemnity), (9.99, 0.0))
        second = self.invoice_penalties(wizard)
        self.assertEqual(
            second.invoice_line_ids.mapped("name"),
            [f"Late-payment interest on {invoice.name} (due on 03/31/2026), from 05/01/2026 to 05/30/2026"],
        )
        ledger = self.ledger(invoice, day(60)).ledger
        self.assertEqual((float(ledger.interest_owed), float(ledger.interest_invoiced)), (19.98, 19.98))
        second.button_cancel()
        self.assertEqual(
            self.figures(invoice, day(60)), (9.99, 0.0), "a cancelled penalty invoice charged nothing"
        )

    def test_a_penalty_invoice_bears_no_penalty_and_is_not_claimed_on(self):
        invoice = self.invoice(1000.0)
        wizard = self.wizard_from_customer(day(30))
        penalty = self.invoice_penalties(wizard)
        penalty.write({"invoice_date_due": day(31)})
        penalty.action_post()
        self.assertTrue(penalty.debt_is_penalty_invoice)
        self.assertEqual(self.figures(penalty, day(120)), (0.0, 0.0))
        self.assertEqual(self.wizard_from_customer(day(120)).move_ids[:], invoice)

    def test_penalty_lines_go_to_the_interest_and_indemnity_accounts(self):
        # On a French chart: 763100 (financial income) and 758100 (other operating income).
        self.company.account_fiscal_country_id = self.env.ref("base.fr")
        Account = self.env["account.account"].with_company(self.company)
        interest, indemnity = (
            Account.search([("code", "=", code), ("company_ids", "in", self.company.id)])
            or Account.create(
                {"code": code, "name": name, "account_type": "income", "company_ids": self.company.ids}
            )
            for code, name in (
                ("763100", "Revenus des créances commerciales"),
                ("758100", "Dédits et pénalités"),
            )
        )
        self.invoice(1000.0)
        penalty = self.invoice_penalties(self.wizard_from_customer(day(30)))
        self.assertEqual(penalty.invoice_line_ids.mapped("account_id"), interest | indemnity)
        self.assertEqual(penalty.invoice_line_ids.sorted("sequence")[0].account_id, interest)
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(
            (settings.debt_interest_account_id, settings.debt_indemnity_account_id), (interest, indemnity)
        )

    def test_penalty_labels_use_the_customers_date_format(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.customer.lang = "fr_FR"
        invoice = self.invoice(1000.0)
        penalty = self.invoice_penalties(self.wizard_from_customer(day(30)))
        self.assertIn(f"{invoice.name} (", penalty.invoice_line_ids[0].name)
        self.assertIn("31/03/2026", penalty.invoice_line_ids[0].name)
        self.assertIn("01/04/2026", penalty.invoice_line_ids[0].name)
        self.assertNotIn("2026-03-31", penalty.invoice_line_ids[0].name)

    def test_a_public_body_owes_the_ecb_rate_plus_8_points(self):
        # 30 days at 2.15 + 8 = 10.15 %: 1000 x 10.15 % x 30 / 365 = 8.34, and 40 EUR
        self.customer.debt_is_public_body = True
        invoice = self.invoice(1000.0)
        self.assertEqual(self.figures(invoice, day(30)), (8.34, 40.0))

    def test_an_invoicing_user_reads_the_figures_without_collection_rights(self):
        salesperson = new_test_user(
            self.env,
            login="salesperson_penalties",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        invoice = self.invoice(1000.0)
        for offset in (-5, 1, 10, 20, 30):
            self.escalate(day(offset))
        with freeze_time(day(30)):
            figures = invoice.with_user(salesperson).read(
                ["debt_penalty_interest", "debt_penalty_indemnity"]
            )[0]
        self.assertEqual((figures["debt_penalty_interest"], figures["debt_penalty_indemnity"]), (9.99, 40.0))
        with self.assertRaises(AccessError):
            self.env["debt.collection.penalty.wizard"].with_user(salesperson).create(
                {"partner_id": self.customer.id, "move_ids": [Command.set(invoice.ids)]}
            )


@tagged("post_install", "-at_install")
class TestConsumerPenalties(PenaltiesCommon):
    """A consumer owes interest at the legal rate only on the invoices a sent formal notice named."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write(
            {
                "is_company": False,
                "name": "Jean Dupont",
                "street": "3 rue Haute",
                "zip": "69001",
                "city": "Lyon",
            }
        )

    def test_only_the_named_invoice_from_the_day_the_notice_left(self):
        named = self.invoice(1000.0)
        for offset in (-5, 1, 10, 20, 30):
            self.escalate(day(offset))
        later = self.invoice(500.0, due=day(40))  # not due when the notice went out: not named
        notice = self.events().filtered(lambda e: e.letter_type == "formal_notice")
        self.assertEqual(notice.line_ids.move_id, named)
        self.assertEqual(notice.state, "to_print")
        self.assertEqual(self.figures(named, day(61)), (0.0, 0.0), "a notice not sent yet starts nothing")
        with freeze_time(day(31)):
            notice.with_context(discard_logo_check=True).action_print_letters()
        self.assertEqual(notice.sent_date, day(31))
        # 2-31 May: 30 days at the legal rate 2.62 %: 1000 x 2.62 % x 30 / 365 = 2.15, no indemnity
        self.assertEqual(self.figures(named, day(61)), (2.15, 0.0))
        self.assertEqual(self.figures(later, day(61)), (0.0, 0.0), "an invoice the notice did not name")

    def test_a_notice_in_error_or_awaiting_approval_starts_nothing(self):
        invoice = self.invoice(1000.0)
        for offset in (-5, 1, 10, 20, 30):
            self.escalate(day(offset))
        notice = self.events().filtered(lambda e: e.letter_type == "formal_notice")
        for state in ("error", "to_approve"):
            notice.sudo().write({"state": state, "sent_date": day(31)})
            self.assertEqual(self.figures(invoice, day(61)), (0.0, 0.0), state)


@tagged("post_install", "-at_install")
class TestOddRates(PenaltiesCommon):
    def test_the_run_goes_on_for_every_customer_when_one_meets_an_odd_rate(self):
        # 8 % passes today's floor (7.86 %) but not that of the first half of 2025 (11.13 %):
        # 1,000 due 10 June 2025, to 30 April 2026 (its formal notice: long overdue, it gets its
        # first reminder on D-5 and the next ones at the scenario's gaps, the notice on D+30):
        # 11-30 June 2025 (20 days) at the floor 11.13 %: 1000 x 11.13 % x 20 / 365 = 6.10
        # July-December 2025 (184 days) at the floor 8.28 %: 1000 x 8.28 % x 184 / 365 = 41.74
        # 1 January-30 April 2026 (120 days) at 8 %: 1000 x 8 % x 120 / 365 = 26.30
        with freeze_time(day(0)):
            self.company.debt_late_interest_rate = 8.0
        other = self.env["res.partner"].create(
            {"name": "Quincaillerie Roux", "is_company": True, "email": "compta@roux.example"}
        )
        self.invoice(1000.0, due=date(2025, 6, 10))
        self.invoice(1000.0, partner=other)
        for offset in (-5, 1, 10, 20, 30):
            self.escalate(day(offset))
        notices = self.Event.search([("letter_type", "=", "formal_notice")])
        self.assertEqual(notices.partner_id, self.customer | other)
        odd = notices.filtered(lambda e: e.partner_id == self.customer)
        self.assertEqual(odd.date, day(30))
        self.assertEqual((odd.amount_interest, odd.amount_indemnity), (74.14, 40.0))
        self.assertIn("below the legal floor of 11.13%", odd.penalty_warning)
        self.assertIn("the floor applies", odd.penalty_warning)
        # the other customer: 30 days at 8 % on 1,000 = 6.58
        self.assertEqual(notices.filtered(lambda e: e.partner_id == other).amount_interest, 6.58)

    def test_without_any_rate_the_run_states_the_indemnity_and_says_why_there_is_no_interest(self):
        self.env["debt.collection.rate"].search([]).unlink()
        self.invoice(1000.0)
        for offset in (-5, 1, 10, 20, 30):
            self.escalate(day(offset))
        notice = self.events().filtered(lambda e: e.letter_type == "formal_notice")
        self.assertEqual((notice.amount_interest, notice.amount_indemnity), (0.0, 40.0))
        self.assertIn(
            "No ECB Main Refinancing Rate for the half-year starting 01/01/2026", notice.penalty_warning
        )
        self.assertIn("bear no interest", notice.penalty_warning)


@tagged("post_install", "-at_install")
class TestConsumerRule(DebtCollectionCommon):
    def test_an_individual_is_a_consumer_only_without_siren_siret_or_vat(self):
        Partner = self.env["res.partner"]
        self.assertTrue(Partner.create({"name": "Jean Dupont"}).debt_is_consumer)
        sole_trader = Partner.create({"name": "Paul Martin", "company_registry": "44306184100013"})
        self.assertFalse(sole_trader.debt_is_consumer, "a sole trader with a SIRET is a professional")
        self.assertFalse(Partner.create({"name": "Anne Roy", "vat": "FR12443061841"}).debt_is_consumer)
        self.assertFalse(
            Partner.create({"name": "Mairie de Lyon", "debt_is_public_body": True}).debt_is_consumer
        )
        self.assertFalse(Partner.create({"name": "SARL Durand", "is_company": True}).debt_is_consumer)
        corrected = Partner.create({"name": "Louise Petit"})
        corrected.debt_is_consumer = False
        self.assertFalse(corrected.debt_is_consumer, "the flag stays editable")


@tagged("post_install", "-at_install")
class TestRatesCheck(DebtCollectionCommon):
    """Two weeks before a half-year, the Collection Managers are told its rates are missing."""

    def check(self, on):
        with freeze_time(on):
            self.env["debt.collection.rate"]._cron_check_next_half_year()
        return self.env["mail.activity"].search(
            [("res_model", "=", "debt.collection.rate"), ("summary", "like", "Late-payment rates from")]
        )

    def test_the_managers_are_told_once_when_the_next_half_year_is_missing(self):
        manager = new_test_user(
            self.env,
            login="collection_manager",
            groups="account_debt_collection.group_debt_collection_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.assertFalse(self.check(date(2026, 6, 1)), "a month before: nothing yet")
        activities = self.check(date(2026, 6, 17))
        self.assertIn(manager, activities.user_id)
        self.assertEqual(set(activities.mapped("date_deadline")), {date(2026, 6, 30)})
        self.assertIn("ECB Main Refinancing Rate", activities[0].note)
        self.assertEqual(self.check(date(2026, 6, 20)), activities, "told once")

    def test_nothing_is_said_when_the_rows_are_there(self):
        self.env["debt.collection.rate"].create(
            [
                {"name": "ECB 2026-07", "kind": "ecb_refi", "date_from": date(2026, 7, 1), "rate": 2.15},
                {"name": "Legal 2026-07", "kind": "legal_other", "date_from": date(2026, 7, 1), "rate": 2.62},
            ]
        )
        self.assertFalse(self.check(date(2026, 6, 17)))


@tagged("post_install", "-at_install")
class TestCollectionSettings(DebtCollectionCommon):
    def test_the_collection_section_sets_the_company_terms(self):
        other = self.scenario.copy({"name": "Strict", "is_default": False})
        controller = new_test_user(
            self.env,
            login="controller_settings",
            groups=USER,
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        with freeze_time(day(0)):
            settings = Form(self.env["res.config.settings"].with_company(self.company))
            self.assertEqual(settings.debt_default_scenario_id, self.scenario)
            settings.debt_default_scenario_id = other
            settings.debt_controller_id = controller
            settings.debt_signatory_id = controller
            settings.debt_signatory_function = "Credit Manager"
            settings.debt_email_from = "Recouvrement <recouvrement@example.fr>"
            settings.debt_late_interest_rate = 9.5
            settings.debt_trade_register_city = "Lyon"
            settings.save().execute()
        self.assertTrue(other.is_default)
        self.assertFalse(self.scenario.is_default)
        self.assertEqual(
            (
                self.company.debt_controller_id,
                self.company.debt_signatory_id,
                self.company.debt_late_interest_rate,
            ),
            (controller, controller, 9.5),
        )
        self.assertEqual(self.company.debt_email_from, "Recouvrement <recouvrement@example.fr>")
        self.assertEqual(self.company.debt_trade_register_city, "Lyon")
