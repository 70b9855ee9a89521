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
LETTER_REPORT = "account_debt_collection.action_report_debt_letter"


def pdf_text(pdf):
    """The text of a PDF, as a reader would copy it (poppler's pdftotext)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        return subprocess.run(
            ["pdftotext", "-layout", handle.name, "-"], check=True, capture_output=True, text=True
        ).stdout


def pdf_pages(pdf):
    """The text of each page: pdftotext ends every page with a form feed."""
    return pdf_text(pdf).split("\f")[:-1]


def plain(text):
    """``text`` with its non-breaking spaces (French figures) as plain spaces."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


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

    def letter(self, letter_type, offset=30):
        return self.walk_to(offset).filtered(lambda e: e.letter_type == letter_type)

    def render_pdf(self, records, report=LETTER_REPORT, **data):
        return self.Report._render_qweb_pdf(report, records.ids, data=data or None)[0]

    def render(self, report, records, **data):
        return plain(pdf_text(self.Report._render_qweb_pdf(report, records.ids, data=data or None)[0]))


class FrenchLettersCommon(LettersCommon):
    """A French company with its legal identifiers, signatory and bank account."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.company.partner_id.write(
            {"street": "5 quai Saint-Antoine", "zip": "69002", "city": "Lyon", "debt_legal_form": "SAS"}
        )
        cls.signatory = cls.env["res.users"].create(
            {
                "name": "Claire Martin",
                "login": "claire.martin",
                "email": "recouvrement@example.fr",
                "phone": "+33 4 72 00 00 01",
            }
        )
        cls.company.write(
            {
                "company_registry": "44306184100013",
                "vat": "FR12443061841",
                "debt_share_capital": 10000,
                "debt_trade_register_city": "Lyon",
                "debt_signatory_id": cls.signatory.id,
                "debt_signatory_function": "Credit Manager",
            }
        )
        cls.env["res.partner.bank"].create(
            {"acc_number": "FR7630006000011234567890189", "partner_id": cls.company.partner_id.id}
        )


@tagged("post_install", "-at_install")
class TestLetters(LettersCommon):
    def test_firm_letter_lists_the_invoices_and_states_the_deadline(self):
        invoice = self.invoice(1234.56)
        letter = self.letter("firm")
        self.assertEqual(letter.channel, "letter")
        text = self.render(LETTER_REPORT, letter, letter_date=str(day(21)))
        self.assertIn(invoice.name, text)
        self.assertIn("1,234.56", text)
        self.assertIn("within 8 days of this letter, that is by April 29, 2026", " ".join(text.split()))
        self.assertIn("Boulangerie Martin SARL", text)

    def test_many_letters_print_in_one_rendering_call(self):
        others = self.env["res.partner"].create(
            [
                {"name": f"Client {i}", "street": f"{i} rue Neuve", "city": "Paris", "zip": "75011"}
                for i in range(3)
            ]
        )
        for partner in others:
            self.invoice(100.0, partner=partner)
        self.escalate(day(1))
        letters = self.Event.search([("partner_id", "in", others.ids)])
        self.assertEqual(letters.mapped("state"), ["to_print"] * 3, "no email: letters")
        action = letters.with_context(discard_logo_check=True).action_print_letters()
        self.assertEqual(action["type"], "ir.actions.act_url", "one PDF to download for all the letters")
        self.assertEqual(letters.mapped("state"), ["done"] * 3)
        self.assertTrue(all(letters.mapped("printed_date")))
        self.assertEqual(len(letters.letter_attachment_id), 3, "each letter keeps its own PDF")
        # One rendering pass. With the patched Qt, Odoo's one document per letter, handed to one
        # wkhtmltopdf call with the headers and footers; without it (which ignores them and converts
        # one document only), one document holding the letters in order, each with its letterhead.
        report = self.Report._get_report(LETTER_REPORT)
        html, _kind = self.Report._render_qweb_html(LETTER_REPORT, letters.ids)
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
        text = pdf_text(self.Report._render_qweb_pdf(LETTER_REPORT, letters.ids)[0])
        self.assertEqual(text.count("Payment reminder"), 3)

    def test_letters_print_as_one_pdf_each_from_a_new_page_with_the_sender(self):
        """Several letters make one PDF; each starts on a new page and shows who sends it."""
        self.company.partner_id.write({"street": "5 quai Saint-Antoine", "zip": "69002", "city": "Lyon"})
        self.company.report_footer = "SAS au capital de 10 000 EUR - RCS Lyon 443 061 841"
        names = ["Boucherie Alpha", "Cremerie Bravo", "Droguerie Charlie"]
        customers = self.env["res.partner"].create(
            [
                {
                    "name": name,
                    "is_company": True,
                    "street": f"{i} rue Neuve",
                    "zip": "75011",
                    "city": "Paris",
                }
                for i, name in enumerate(names, start=1)
            ]
        )
        for customer in customers:
            self.invoice(100.0, partner=customer)
        self.escalate(day(1))
        letters = self.Event.search([("partner_id", "in", customers.ids)], order="id")
        self.assertEqual(letters.partner_id.mapped("name"), names)
        letters.with_context(discard_logo_check=True).action_print_letters()
        pdf, kind = self.Report._render_qweb_pdf(LETTER_REPORT, letters.ids)
        self.assertEqual(kind, "pdf")
        pages = pdf_pages(pdf)
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
            self.assertNotIn("page 1 /", letter, "a letter of one page carries no page number")

    def test_statement_of_account_nets_the_credits(self):
        self.invoice(1000.0, due=day(-40))
        self.invoice(500.0, due=day(20))
        self._create_invoice_one_line(
            move_type="out_refund",
            price_unit=300.0,
            tax_ids=[],
            partner_id=self.customer,
            invoice_date=day(-10),
            post=True,
        )
        self.company.partner_id.street = "5 quai Saint-Antoine"
        text = self.render("account_debt_collection.action_report_debt_statement", self.customer)
        self.assertIn("Statement of account", text)
        self.assertIn("5 quai Saint-Antoine", text, "the sender's address, whether Qt is patched or not")
        self.assertIn("1,500.00", text)  # total due
        self.assertIn("300.00", text)  # credits
        self.assertIn("1,200.00", text)  # net balance

    def test_a_letter_lists_only_the_invoices_still_open_at_its_date(self):
        paid, open_invoice = self.invoice(300.0), self.invoice(700.0)
        letter = self.letter("firm")
        self.pay(paid, 300.0, day(21))
        text = self.render(LETTER_REPORT, letter, letter_date=str(day(22)))
        self.assertNotIn(paid.name, text)
        self.assertIn(open_invoice.name, text)
        self.assertIn("Principal still due: $ 700.00", text)

    def test_an_english_reader_in_the_united_kingdom_reads_day_month_year(self):
        self.customer.write({"lang": "en_US", "country_id": self.env.ref("base.uk").id})
        invoice = self.invoice(100.0)
        text = self.render(LETTER_REPORT, self.letter("firm"), letter_date=str(day(21)))
        self.assertIn(f"{invoice.name} 01/03/2026 31/03/2026", " ".join(text.split()))
        self.assertIn("29 April 2026", text, "the deadline, written out")


@tagged("post_install", "-at_install")
class TestFormalNotices(FrenchLettersCommon):
    """Each letter for a professional and a consumer, in French and in English, read back from the PDF.

    1,000.00 due on 31 March 2026, formal notice on 30 April 2026 printed on 2 May: 32 days at the
    ECB rate of the first half of 2026 (2.15 %) plus 10 points: 1000 x 12.15 % x 32 / 365 = 10.65.
    """

    def notice_text(self, lang, letter_date=None, **data):
        letter_date = letter_date or day(32)
        self.customer.lang = lang
        notice = self.letter("formal_notice")
        return notice, self.render(LETTER_REPORT, notice, letter_date=str(letter_date), **data)

    def test_professional_formal_notice_in_french(self):
        invoice = self.invoice(1000.0)
        notice, text = self.notice_text("fr_FR")
        words = " ".join(text.split())
        self.assertIn("Objet : mise en demeure de payer", words)
        self.assertIn("Lettre recommandée avec demande d'avis de réception", words)
        self.assertIn("Lyon, le 2 mai 2026", words)
        self.assertIn("nous vous mettons en demeure, au sens de l'article 1344 du Code civil", words)
        self.assertIn("articles L441-10 et D441-5 du Code de commerce", words)
        # one deadline: a number of days from receipt, and no date beside it
        self.assertIn("dans un délai de 8 jours à compter de la réception de cette lettre", words)
        self.assertNotIn("À défaut de paiement au", words)
        self.assertNotIn("10/05/2026", words)
        # no false sentence: the debt was due and the interest running before the notice
        self.assertNotIn("rend la créance exigible", words)
        self.assertNotIn("fait courir les intérêts", words)
        self.assertIn("Les pénalités de retard continuent de courir jusqu'au complet paiement", words)
        # the calculation table: principal, period, days, rate, interest; the indemnity; totals
        self.assertIn(
            f"{invoice.name} du 01/04/2026 au 02/05/2026 32 $ 1 000,00 12,15 % (BCE 2,15 % + 10 pts) $ 10,65",
            words,
        )
        self.assertIn(
            "indemnité forfaitaire pour frais de recouvrement (article D441-5 du Code de commerce) $ 40,00",
            words,
        )
        self.assertIn("Total $ 1 050,65", words)
        self.assertIn("la somme de $ 1 050,65", words)
        # the signatory, the contact, the bank, the legal identifiers
        self.assertIn("Claire Martin Credit Manager", words)
        self.assertIn("recouvrement@example.fr", words)
        self.assertIn("IBAN FR76 3000 6000 0112 3456 7890 189", words)
        self.assertIn(
            "SAS au capital de $ 10 000,00 \N{EN DASH} RCS Lyon 443 061 841 "
            "\N{EN DASH} SIRET 443 061 841 00013",
            words,
        )
        self.assertIn("N° TVA intracommunautaire FR12443061841", words)
        pages = pdf_pages(self.render_pdf(notice, letter_date=str(day(32))))
        self.assertEqual(len(pages), 1, "one invoice: one page, not numbered")
        self.assertNotIn("page 1 /", pages[0])

    def test_professional_formal_notice_in_english(self):
        self.invoice(1000.0)
        _notice, text = self.notice_text("en_US")
        words = " ".join(text.split())
        self.assertIn("Formal notice to pay", words)
        self.assertIn(
            "we give you formal notice (mise en demeure), within the meaning of article 1344", words
        )
        self.assertIn("within 8 days of its receipt", words)
        self.assertIn("$ 1,050.65", words)
        self.assertIn("12.15% (ECB 2.15% + 10 pts) $ 10.65", words)
        self.assertIn(
            "RCS Lyon 443 061 841 \N{EN DASH} SIRET 443 061 841 00013 \N{EN DASH} VAT FR12443061841", words
        )
        self.assertIn("Claire Martin Credit Manager", words)

    def test_consumer_formal_notice_starts_the_interest_and_charges_no_indemnity(self):
        self.customer.write({"is_company": False})
        self.assertTrue(self.customer.debt_is_consumer)
        self.invoice(1000.0)
        notice, text = self.notice_text("fr_FR")
        self.assertEqual((notice.amount_interest, notice.amount_indemnity), (0.0, 0.0))
        words = " ".join(text.split())
        self.assertIn("au sens des articles 1344 et 1344-1 du Code civil", words)
        self.assertIn(
            "Cette mise en demeure fait courir sur ces sommes les intérêts moratoires au taux légal", words
        )
        self.assertNotIn("continueront de courir", words)
        self.assertNotIn("D441-5", words)
        self.assertNotIn("40 euros", words)
        self.assertIn("la somme de $ 1 000,00", words)
        _notice, english = self.notice_text("en_US")
        self.assertIn(
            "This formal notice makes these sums bear interest at the legal rate", " ".join(english.split())
        )
        self.assertNotIn("D441-5", english)

    def test_courteous_and_firm_reminders_in_french(self):
        self.customer.write({"lang": "fr_FR", "email": False})
        self.invoice(500.0)
        events = self.walk_to(20)
        courteous = events.filtered(lambda e: e.channel == "letter" and e.letter_type == "courteous")
        words = " ".join(self.render(LETTER_REPORT, courteous, letter_date=str(day(1))).split())
        self.assertIn("Objet : rappel de factures échues", words)
        self.assertIn("Il s'agit probablement d'un oubli", words)
        self.assertNotIn("mise en demeure", words)
        firm = events.filtered(lambda e: e.letter_type == "firm")
        words = " ".join(self.render(LETTER_REPORT, firm, letter_date=str(day(20))).split())
        self.assertIn("Objet : deuxième relance, factures échues impayées", words)
        self.assertIn("dans les 8 jours de la présente lettre, soit au plus tard le 28 avril 2026", words)
        self.assertIn("articles L441-10 et D441-5 du Code de commerce", words)

    def test_a_draft_says_which_rate_was_carried_over_and_the_printed_letter_does_not(self):
        # due 19 June 2026: its formal notice of 19 July bears interest in the second half of 2026,
        # whose rates are not in the table
        self.invoice(1000.0, due=day(80))
        for offset in (-5, 1, 10, 20, 30):
            self.escalate(day(80 + offset))
        notice = self.events().filtered(lambda e: e.letter_type == "formal_notice")
        self.assertIn(
            "No ECB Main Refinancing Rate for the half-year starting 07/01/2026: "
            "the rate of 01/01/2026 (2.15%) was carried over",
            notice.penalty_warning,
        )
        draft = self.render(LETTER_REPORT, notice, letter_date=str(day(112)), draft=True)
        self.assertIn("Draft to check before sending", draft)
        self.assertIn("was carried over", " ".join(draft.split()))
        printed = self.render(LETTER_REPORT, notice, letter_date=str(day(112)))
        self.assertNotIn("carried over", printed)


@tagged("post_install", "-at_install")
class TestLettersOnPaper(FrenchLettersCommon):
    """Long letters: rows never split across pages, page numbers, no blank page, alone or in a batch."""

    def test_a_long_formal_notice_keeps_its_rows_whole_numbers_its_pages_and_ends_on_text(self):
        self.customer.lang = "fr_FR"
        self.company.report_footer = "Atelier Dupuis SAS\nRCS Lyon 443 061 841"
        invoices = [self.invoice(100.0 + i, due=day(-i)) for i in range(45)]
        notice = self.letter("formal_notice")
        pages = [plain(page) for page in pdf_pages(self.render_pdf(notice, letter_date=str(day(32))))]
        self.assertGreater(len(pages), 2)
        for number, page in enumerate(pages, start=1):
            self.assertIn(f"page {number} / {len(pages)}", page)
            content = [line for line in page.splitlines() if line.strip() and "page " not in line]
            self.assertTrue(content, f"page {number} is not blank")
        for invoice in invoices:
            rows = [line for page in pages for line in page.splitlines() if invoice.name in line]
            self.assertEqual(
                len(rows), 3, f"{invoice.name}: its line, its interest and its indemnity: {rows}"
            )
            for row in rows:
                self.assertIn("$", row, f"the row of {invoice.name} is whole on its page: {row}")
        self.assertIn("salutations distinguées", pages[-1])

    def test_a_batch_numbers_each_letter_and_leaves_no_blank_page(self):
        footer = ("Atelier Dupuis SAS", "RCS Lyon 443 061 841", "Capital 10 000 EUR")
        self.company.report_footer = "\n".join(footer)
        long_customer = self.env["res.partner"].create(
            {
                "name": "Grossiste Delta",
                "is_company": True,
                "street": "1 rue Neuve",
                "zip": "75011",
                "city": "Paris",
                "lang": "fr_FR",
            }
        )
        for i in range(40):
            self.invoice(100.0 + i, partner=long_customer, due=day(-i))
        self.customer.lang = "fr_FR"
        self.invoice(250.0)
        self.walk_to(30)
        notices = self.Event.search([("letter_type", "=", "formal_notice")], order="id")
        self.assertEqual(notices.partner_id, long_customer | self.customer)
        pages = pdf_pages(self.render_pdf(notices, letter_date=str(day(32))))
        for number, page in enumerate(pages, start=1):
            content = [
                line
                for line in page.splitlines()
                if line.strip() and not any(part in line for part in footer)
            ]
            self.assertTrue(content, f"page {number} holds more than the footer")
        starts = [i for i, page in enumerate(pages) if "mise en demeure de payer" in page]
        self.assertEqual(len(starts), 2, "each notice from a new page")
        long_pages = (
            pages[starts[0] : starts[1]] if "Grossiste Delta" in pages[starts[0]] else pages[starts[1] :]
        )
        self.assertGreater(len(long_pages), 1)
        for number, page in enumerate(long_pages, start=1):
            self.assertIn(f"page {number} / {len(long_pages)}", page)
        short_pages = [page for page in pages if page not in long_pages]
        self.assertEqual(len(short_pages), 1, f"the short notice runs over: {short_pages}")
        self.assertNotIn("page 1 /", short_pages[0], "a letter of one page carries no number")


@tagged("post_install", "-at_install")
class TestPenalties(LettersCommon):
    """The formal notice and the penalty invoice, with figures computed by hand.

    1,000.00 due on 31 March 2026, formal notice on 30 April 2026: 30 days at the ECB rate of
    the first half of 2026 (2.15 %) plus 10 points: 1000 x 12.15 % x 30 / 365 = 9.99.
    """

    def test_formal_notice_states_the_claim_interest_and_indemnity(self):
        invoice = self.invoice(1000.0)
        notice = self.letter("formal_notice")
        self.assertEqual((notice.amount_interest, notice.amount_indemnity), (9.99, 40.0))
        self.assertEqual(notice.amount_claimed, 1049.99)
        self.assertFalse(notice.penalty_warning)
        text = self.render(LETTER_REPORT, notice, letter_date=str(day(30)))
        self.assertIn("formal notice (mise en demeure)", text)
        self.assertIn("article 1344", text)
        self.assertIn("1,049.99", text)
        self.assertIn("9.99", text)
        self.assertIn("40.00", text)
        self.assertIn("D441-5", text)
        self.assertIn(invoice.name, text)

    def test_missing_rate_is_announced_on_the_event(self):
        self.env["debt.collection.rate"].search([("date_from", ">=", "2026-01-01")]).unlink()
        self.invoice(1000.0)
        notice = self.letter("formal_notice")
        self.assertIn(
            "No ECB Main Refinancing Rate for the half-year starting 01/01/2026: "
            "the rate of 07/01/2025 (2.15%) was carried over",
            notice.penalty_warning,
        )
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
        self.assertTrue(penalty.debt_is_penalty_invoice)
        self.assertEqual(first.debt_penalty_invoice_ids, penalty)
        lines = penalty.invoice_line_ids.sorted("sequence")
        self.assertEqual(lines.mapped("price_unit"), [9.99, 40.0, 1.66, 40.0])
        self.assertFalse(lines.tax_ids, "penalties are outside the scope of VAT")
        self.assertEqual(penalty.amount_total, 91.65)
        self.assertEqual(
            lines[0].name,
            f"Late-payment interest on {first.name} (due on 03/31/2026), from 04/01/2026 to 04/30/2026",
        )
        self.assertIn("D441-5", lines[1].name)

    def test_contractual_rate_below_the_legal_floor_is_refused(self):
        # 3 x 2.62 % (legal rate of the first half of 2026) = 7.86 %
        with freeze_time(day(0)):
            with self.assertRaisesRegex(ValidationError, r"below the legal floor of 7\.86%"):
                self.company.debt_late_interest_rate = 5.0
            self.company.debt_late_interest_rate = 8.0
        self.assertEqual(self.company.debt_late_interest_rate, 8.0)


@tagged("post_install", "-at_install")
class TestLettersInFrench(LettersCommon):
    """A French customer reads French letters; the emails come from the module's fr.po."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["account_debt_collection"], ["fr_FR"], overwrite=True)
        cls.customer.lang = "fr_FR"

    def test_formal_notice_in_french(self):
        invoice = self.invoice(1000.0)
        notice = self.letter("formal_notice")
        text = self.render(LETTER_REPORT, notice, letter_date=str(day(30)))
        self.assertIn("mise en demeure de payer", text)
        self.assertIn("article 1344 du Code civil", text)
        self.assertIn("Indemnités forfaitaires pour frais de recouvrement", text)
        self.assertIn("1 049,99", text)
        self.assertIn("30 avril 2026", text, "the letter's date, in French")
        self.assertIn(invoice.name, text)
        self.assertNotIn("Dear Sir or Madam", text)

    def test_reminder_email_in_french(self):
        self.invoice(500.0)
        self.escalate(day(1))
        mail = self.mails(self.events())
        self.assertIn("rappel de paiement", mail.subject)
        self.assertIn("Bonjour", mail.body_html)
        self.assertIn("Cordialement", mail.body_html)


@tagged("post_install", "-at_install")
class TestInvoiceTerms(LettersCommon):
    def test_a_term_beyond_the_legal_maximum_is_flagged_not_blocked(self):
        # 20 March + 90 days: beyond 60 days net (19 May) and 45 days end of month (31 May)
        late_term = self._create_invoice_one_line(
            price_unit=100.0,
            tax_ids=[],
            partner_id=self.customer,
            invoice_date=day(-11),
            invoice_date_due=day(-11) + timedelta(days=90),
            invoice_payment_term_id=False,
            post=True,
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

    def test_a_contractual_rate_prints_in_the_customers_format(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.company.country_id = self.env.ref("base.fr")
        with freeze_time(day(0)):
            self.company.debt_late_interest_rate = 12.0
        self.customer.lang = "fr_FR"
        text = self.render("account.account_invoices", self.invoice(100.0))
        self.assertIn("12,00 %", text)
        self.assertNotIn("12.00", text)
