import subprocess
import tempfile
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.addons.base.models.ir_actions_report import _wkhtml
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import DebtCollectionCommon, day

REPORT_MODULE = "odoo.addons.account_debt_collection.models.ir_actions_report"


def pdf_text(pdf):
    """The text of a PDF, as a reader would copy it (poppler's pdftotext)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        return subprocess.run(
            ["pdftotext", "-layout", handle.name, "-"], check=True, capture_output=True, text=True
        ).stdout


class LettersCommon(DebtCollectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write({"street": "12 rue des Lilas", "zip": "69003", "city": "Lyon"})
        cls.Report = cls.env["ir.actions.report"].with_context(force_report_rendering=True)
        # wkhtmltopdf must not fetch the stylesheets from the server that runs the tests: that
        # server would wait on this test's transaction. Without them the text is the same.
        cls.env["ir.config_parameter"].sudo().set_param("report.url", "http://127.0.0.1:9")

    def walk_to(self, offset):
        for step_day in (-5, 1, 10, 20, 30, 45):
            if step_day <= offset:
                self.escalate(day(step_day))
        return self.events()

    def render(self, report, records):
        pdf, _kind = self.Report._render_qweb_pdf(report, records.ids)
        return pdf_text(pdf)


@tagged("post_install", "-at_install")
class TestLetters(LettersCommon):
    def test_firm_letter_lists_the_invoices_and_states_the_deadline(self):
        invoice = self.invoice(1234.56)
        letter = self.walk_to(20)[-1]
        self.assertEqual((letter.channel, letter.letter_type), ("letter", "firm"))
        text = self.render("account_debt_collection.action_report_debt_letter", letter)
        self.assertIn(invoice.name, text)
        self.assertIn("1,234.56", text)
        self.assertIn("within 8 days", text)
        self.assertIn("Boulangerie Martin SARL", text)

    def test_many_letters_print_in_one_rendering_call(self):
        others = self.env["res.partner"].create(
            [{"name": f"Client {i}", "street": f"{i} rue Neuve", "city": "Paris", "zip": "75011"}
             for i in range(3)]
        )
        for partner in others:
            self.invoice(100.0, partner=partner)
        self.escalate(day(1))
        letters = self.Event.search([("partner_id", "in", others.ids)])
        self.assertEqual(letters.mapped("state"), ["to_print"] * 3, "no email: letters")
        action = letters.with_context(discard_logo_check=True).action_print_letters()
        self.assertEqual(action["report_name"], "account_debt_collection.report_debt_letter")
        self.assertEqual(action["context"]["active_ids"], letters.ids, "one action for all letters")
        self.assertEqual(letters.mapped("state"), ["done"] * 3)
        self.assertTrue(all(letters.mapped("printed_date")))
        # One rendering pass. With the patched Qt, Odoo's one document per letter, handed to one
        # wkhtmltopdf call with the headers and footers; without it (which ignores them and converts
        # one document only), one document holding the letters in order, each with its letterhead.
        report = self.Report._get_report(action["report_name"])
        html, _kind = self.Report._render_qweb_html(action["report_name"], letters.ids)
        for patched in (True, False):
            with patch(f"{REPORT_MODULE}._wkhtml", return_value=_wkhtml()._replace(is_patched_qt=patched)):
                bodies, res_ids, header, footer, args = report._prepare_html(html, report_model=letters._name)
            self.assertEqual(res_ids, letters.ids)
            if patched:
                self.assertEqual(len(bodies), 3)
                for event, body in zip(letters, bodies, strict=True):
                    self.assertIn(event.partner_id.name, body)
                self.assertIn("minimal_layout_report_headers", header)
                self.assertNotIn("data-report-margin-top", args)
                continue
            self.assertEqual(len(bodies), 1)
            self.assertEqual((header, footer), ("", ""), "no --header-html/--footer-html switches")
            self.assertEqual(args["data-report-margin-top"], 10, "the header needs no room in the margin")
            positions = [bodies[0].index(name) for name in letters.partner_id.mapped("name")]
            self.assertEqual(positions, sorted(positions))
            self.assertEqual(bodies[0].count('<div class="o_debt_letter">'), 3)
            self.assertIn(".o_debt_letter + .o_debt_letter { page-break-before: always; }", bodies[0])
        text = pdf_text(self.Report._render_qweb_pdf(action["report_name"], letters.ids)[0])
        self.assertEqual(text.count("Payment reminder"), 3)

    def test_letters_print_as_one_pdf_each_from_a_new_page_with_the_sender(self):
        """Several letters make one PDF; each starts on a new page and shows who sends it."""
        self.company.partner_id.write({"street": "5 quai Saint-Antoine", "zip": "69002", "city": "Lyon"})
        self.company.report_footer = "SAS au capital de 10 000 EUR - RCS Lyon 443 061 841"
        names = ["Boucherie Alpha", "Cremerie Bravo", "Droguerie Charlie"]
        customers = self.env["res.partner"].create(
            [{"name": name, "is_company": True, "street": f"{i} rue Neuve", "zip": "75011", "city": "Paris"}
             for i, name in enumerate(names, start=1)]
        )
        for customer in customers:
            self.invoice(100.0, partner=customer)
        self.escalate(day(1))
        letters = self.Event.search([("partner_id", "in", customers.ids)], order="id")
        self.assertEqual(letters.partner_id.mapped("name"), names)
        action = letters.with_context(discard_logo_check=True).action_print_letters()
        pdf, kind = self.Report._render_qweb_pdf(action["report_name"], action["context"]["active_ids"])
        self.assertEqual(kind, "pdf")
        pages = pdf_text(pdf).split("\f")[:-1]  # pdftotext ends every page with a form feed
        starts = [next(i for i, page in enumerate(pages) if name in page) for name in names]
        self.assertEqual(starts[0], 0)
        self.assertEqual(starts, sorted(set(starts)), "in order, each letter from a new page")
        for name, first, end in zip(names, starts, [*starts[1:], len(pages)], strict=True):
            letter = "".join(pages[first:end])
            for other in set(names) - {name}:
                self.assertNotIn(other, letter)
            self.assertIn("Payment reminder", pages[first])
            self.assertIn("5 quai Saint-Antoine", pages[first], "the sender's address")
            self.assertIn("Yours faithfully", letter)
            self.assertIn("RCS Lyon 443 061 841", letter, "the sender's legal mentions")
            self.assertNotIn("Page /", letter)

    def test_statement_of_account_nets_the_credits(self):
        self.invoice(1000.0, due=day(-40))
        self.invoice(500.0, due=day(20))
        self._create_invoice_one_line(
            move_type="out_refund", price_unit=300.0, tax_ids=[], partner_id=self.customer,
            invoice_date=day(-10), post=True,
        )
        self.company.partner_id.street = "5 quai Saint-Antoine"
        text = self.render("account_debt_collection.action_report_debt_statement", self.customer)
        self.assertIn("Statement of account", text)
        self.assertIn("5 quai Saint-Antoine", text, "the sender's address, whether Qt is patched or not")
        self.assertIn("1,500.00", text)  # total due
        self.assertIn("300.00", text)  # credits
        self.assertIn("1,200.00", text)  # net balance


@tagged("post_install", "-at_install")
class TestPenalties(LettersCommon):
    """The formal notice and the penalty invoice, with figures computed by hand.

    1,000.00 due on 31 March 2026, formal notice on 30 April 2026: 30 days at the ECB rate of
    the first half of 2026 (2.15 %) plus 10 points: 1000 x 12.15 % x 30 / 365 = 9.99.
    """

    def test_formal_notice_states_the_claim_interest_and_indemnity(self):
        invoice = self.invoice(1000.0)
        notice = self.walk_to(30)[-1]
        self.assertEqual(notice.letter_type, "formal_notice")
        self.assertEqual((notice.amount_interest, notice.amount_indemnity), (9.99, 40.0))
        self.assertEqual(notice.amount_claimed, 1049.99)
        self.assertFalse(notice.penalty_warning)
        text = self.render("account_debt_collection.action_report_debt_letter", notice)
        self.assertIn("formal notice (mise en demeure)", text)
        self.assertIn("article 1344 of the Code civil", text)
        self.assertIn("1,049.99", text)
        self.assertIn("9.99", text)
        self.assertIn("40.00", text)
        self.assertIn("D441-5", text)
        self.assertIn("05/08/2026", text, "the deadline: 8 days after the letter")
        self.assertIn(invoice.name, text)

    def test_consumer_formal_notice_charges_no_indemnity(self):
        self.customer.write({"is_company": False})
        self.assertTrue(self.customer.debt_is_consumer)
        self.invoice(1000.0)
        notice = self.walk_to(30)[-1]
        self.assertEqual((notice.amount_interest, notice.amount_indemnity), (0.0, 0.0))
        text = self.render("account_debt_collection.action_report_debt_letter", notice)
        self.assertNotIn("D441-5", text)
        self.assertIn("article 1344 of the Code civil", text)

    def test_missing_rate_is_announced_on_the_event(self):
        self.env["debt.collection.rate"].search([("date_from", ">=", "2026-01-01")]).unlink()
        self.invoice(1000.0)
        notice = self.walk_to(30)[-1]
        self.assertIn("No ECB refinancing rate for the half-year starting 2026-01-01", notice.penalty_warning)
        self.assertEqual(notice.amount_interest, 9.99, "the rate of July 2025 (2.15 %) still applies")

    def test_penalty_invoice_has_one_interest_and_one_untaxed_indemnity_line_per_invoice(self):
        first = self.invoice(1000.0)
        second = self.invoice(500.0, due=day(20))
        wizard = Form(
            self.env["debt.collection.penalty.wizard"].with_context(
                active_model="account.move", active_ids=(first | second).ids
            )
        )
        wizard.date = day(30)
        # second invoice: 10 days at 12.15 %: 500 x 12.15 % x 10 / 365 = 1.66
        self.assertEqual((wizard.amount_interest, wizard.amount_indemnity), (11.65, 80.0))
        action = wizard.save().action_create_invoice()
        penalty = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(penalty.partner_id, self.customer)
        self.assertEqual(penalty.debt_penalty_source_ids, first | second)
        self.assertEqual(first.debt_penalty_invoice_ids, penalty)
        lines = penalty.invoice_line_ids.sorted("sequence")
        self.assertEqual(lines.mapped("price_unit"), [9.99, 40.0, 1.66, 40.0])
        self.assertFalse(lines.tax_ids, "penalties are outside the scope of VAT")
        self.assertEqual(penalty.amount_total, 91.65)
        self.assertIn("D441-5", lines[1].name)

    def test_contractual_rate_below_the_legal_floor_is_refused(self):
        # 3 x 2.62 % (legal rate of the first half of 2026) = 7.86 %
        with freeze_time(day(0)):
            with self.assertRaisesRegex(ValidationError, "below the legal floor of 7.86 %"):
                self.company.debt_late_interest_rate = 5.0
            self.company.debt_late_interest_rate = 8.0
        self.assertEqual(self.company.debt_late_interest_rate, 8.0)


@tagged("post_install", "-at_install")
class TestLettersInFrench(LettersCommon):
    """A French customer reads French letters, from the module's fr.po."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["account_debt_collection"], ["fr_FR"], overwrite=True)
        cls.customer.lang = "fr_FR"

    def test_formal_notice_in_french(self):
        invoice = self.invoice(1000.0)
        notice = self.walk_to(30)[-1]
        text = self.render("account_debt_collection.action_report_debt_letter", notice)
        self.assertIn("Mise en demeure", text)
        self.assertIn("article 1344 du Code civil", text)
        self.assertIn("Indemnité forfaitaire pour frais de recouvrement", text)
        self.assertIn("1 049,99", text.replace("\u202f", " ").replace("\xa0", " "))
        self.assertIn("08/05/2026", text, "French date of the deadline")
        self.assertIn(invoice.name, text)
        self.assertNotIn("Dear Sir or Madam", text)

    def test_reminder_email_in_french(self):
        self.invoice(500.0)
        self.escalate(day(1))
        mail = self.env["mail.mail"].search(
            [("model", "=", "debt.collection.event"), ("res_id", "in", self.events().ids)]
        )
        self.assertIn("rappel de paiement", mail.subject)
        self.assertIn("Bonjour", mail.body_html)
        self.assertIn("Cordialement", mail.body_html)


@tagged("post_install", "-at_install")
class TestInvoiceTerms(LettersCommon):
    def test_a_term_beyond_the_legal_maximum_is_flagged_not_blocked(self):
        # 20 March + 90 days: beyond 60 days net (19 May) and 45 days end of month (31 May)
        late_term = self._create_invoice_one_line(
            price_unit=100.0, tax_ids=[], partner_id=self.customer, invoice_date=day(-11),
            invoice_date_due=day(-11) + timedelta(days=90), invoice_payment_term_id=False, post=True,
        )
        self.assertEqual(late_term.state, "posted", "a warning, not a block")
        self.assertTrue(late_term.debt_term_exceeds_law)
        fair_term = self.invoice(100.0)
        self.assertFalse(fair_term.debt_term_exceeds_law)
        self.customer.is_company = False
        self.assertFalse(late_term.debt_term_exceeds_law, "the limit binds professionals only")

    def test_invoices_of_professional_customers_state_the_late_payment_terms(self):
        self.company.country_id = self.env.ref("base.fr")
        invoice = self.invoice(100.0)
        text = self.render("account.account_invoices", invoice)
        self.assertIn("40 EUR for recovery costs", text)
        self.assertIn("refinancing rate plus 10 percentage points", text)
        self.customer.is_company = False
        consumer_invoice = self.invoice(100.0)
        self.assertNotIn("recovery costs", self.render("account.account_invoices", consumer_invoice))
