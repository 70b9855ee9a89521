"""A letter says what is true the day it is printed, and stays as it was printed.

Letters wait in the "To print" list; when someone prints them (hours or weeks later) each is
looked at again: paid invoices are left out, amounts and date are those of the print, a letter
whose invoices are all paid or whose customer received a later communication is not printed.
The PDF printed is kept on the letter. Registered letters get their number and their
acknowledgement of receipt, which dates the formal notice's legal effects.
"""

import base64
import io
from unittest.mock import patch

from freezegun import freeze_time
from reportlab.pdfgen import canvas

from odoo.addons.base.models.ir_actions_report import _wkhtml
from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools import format_date
from odoo.tools.pdf import PdfFileReader

from ..models.ir_actions_report import _MARKER_RE, _MARKER_URL, _split_letters
from .common import day
from .test_letters import LETTER_REPORT, REPORT_MODULE, LettersCommon, pdf_text, plain

CASE_SUMMARY = "account_debt_collection.action_report_case_summary"


@tagged("post_install", "-at_install")
class TestPrinting(LettersCommon):
    def print_on(self, offset, letters):
        with freeze_time(day(offset)):
            return letters.with_context(discard_logo_check=True).action_print_letters()

    def text_of(self, event):
        return " ".join(plain(pdf_text(event.letter_attachment_id.raw)).split())

    def test_an_invoice_paid_before_the_print_is_left_out_and_the_letter_is_dated_of_the_print(self):
        paid = self.invoice(700.0)
        unpaid = self.invoice(450.0)
        firm = self.letter("firm", offset=20)
        self.assertEqual(firm.line_ids.move_id, paid | unpaid)
        self.pay(paid, 700.0, day(22))
        action = self.print_on(26, firm)
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual((firm.state, firm.printed_date, firm.sent_date), ("done", day(26), day(26)))
        text = self.text_of(firm)
        self.assertNotIn(paid.name, text, "paid since it was queued: not claimed")
        self.assertIn(unpaid.name, text)
        self.assertIn("450.00", text)
        self.assertIn(format_date(self.env, day(26), date_format="MMMM d, y"), text, "the day it was printed")

    def test_a_letter_whose_invoices_are_all_paid_is_cancelled_with_a_note(self):
        invoice = self.invoice(700.0)
        firm = self.letter("firm", offset=20)
        self.pay(invoice, 700.0, day(21))
        action = self.print_on(22, firm)
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual((firm.state, firm.cancel_reason, firm.printed_date), ("cancelled", "paid", False))
        self.assertIn("were paid or credited before printing", firm.note)
        self.assertFalse(firm.letter_attachment_id)
        self.assertTrue(firm.to_check, "in the To Check list")
        firm.action_mark_checked()
        self.assertFalse(firm.to_check)

    def test_a_letter_still_queued_when_the_next_step_comes_is_not_printed(self):
        self.invoice(900.0)
        letters = self.walk_to(30).filtered(lambda e: e.state == "to_print")
        firm = letters.filtered(lambda e: e.letter_type == "firm")
        notice = letters.filtered(lambda e: e.letter_type == "formal_notice")
        self.print_on(31, letters)
        self.assertEqual((firm.state, firm.cancel_reason), ("cancelled", "superseded"))
        self.assertEqual((notice.state, notice.printed_date), ("done", day(31)))

    def test_a_printed_letter_prints_again_as_the_same_document(self):
        invoice = self.invoice(800.0)
        firm = self.letter("firm", offset=20)
        self.print_on(21, firm)
        first = firm.letter_attachment_id.raw
        self.pay(invoice, 300.0, day(25))
        self.print_on(40, firm)
        self.assertEqual(firm.letter_attachment_id.raw, first, "printed again: the same PDF")
        with freeze_time(day(40)):
            again = self.Report._render_qweb_pdf(LETTER_REPORT, firm.ids)[0]
        self.assertIn("800.00", plain(pdf_text(again)), "the report itself gives the stored letter")
        self.assertNotIn("500.00", plain(pdf_text(again)))

    def test_when_printing_fails_nothing_is_marked_printed(self):
        self.invoice(800.0)
        firm = self.letter("firm", offset=20)
        report = type(self.env["ir.actions.report"])
        with (
            patch.object(
                report, "_render_qweb_pdf_prepare_streams", side_effect=UserError("wkhtmltopdf failed")
            ),
            self.assertRaises(UserError),
        ):
            self.print_on(21, firm)
        self.assertEqual((firm.state, firm.printed_date), ("to_print", False))
        self.assertFalse(firm.letter_attachment_id)

    def test_the_emailed_copy_of_a_registered_letter_is_the_printed_pdf(self):
        self.invoice(1000.0)
        letters = self.walk_to(20).filtered(lambda e: e.state == "to_print")
        self.print_on(20, letters)
        notice = self.walk_to(30).filtered(lambda e: e.letter_type == "formal_notice")
        self.print_on(30, notice)
        copy = self.customer.message_ids.filtered(lambda m: m.attachment_ids)[:1]
        self.assertTrue(copy, "the customer's chatter holds the emailed copy")
        self.assertEqual(copy.attachment_ids.raw, notice.letter_attachment_id.raw, "the very PDF posted")

    def test_the_acknowledgement_of_receipt_dates_the_formal_notice(self):
        self.invoice(1000.0)
        self.print_on(20, self.walk_to(20).filtered(lambda e: e.state == "to_print"))
        notice = self.walk_to(30).filtered(lambda e: e.letter_type == "formal_notice")
        self.print_on(30, notice)
        self.assertEqual(notice._debt_legal_effect_date(), day(30), "from its sending until received")
        wizard = (
            self.env["debt.collection.letter.delivery.wizard"].with_context(active_ids=notice.ids).create({})
        )
        wizard.line_ids.write(
            {
                "tracking_number": " 1A 234 567 8901 2 ",
                "delivered_date": day(33),
                "receipt_file": base64.b64encode(b"%PDF-1.4 AR"),
                "receipt_filename": "AR.pdf",
            }
        )
        with freeze_time(day(35)):
            wizard.action_confirm()
        self.assertEqual(
            (notice.tracking_number, notice.delivered_date, notice.delivery),
            ("1A 234 567 8901 2", day(33), "delivered"),
        )
        self.assertEqual(notice.receipt_attachment_id.raw, b"%PDF-1.4 AR")
        self.assertEqual(notice._debt_legal_effect_date(), day(33))
        with freeze_time(day(35)), self.assertRaisesRegex(UserError, "cannot have been received"):
            notice._debt_record_delivery(delivered_date=day(29))
        self.assertEqual(notice.delivered_date, day(33), "nothing written")

    def test_a_recap_that_cannot_be_emailed_is_printed_as_a_letter_and_the_wizard_says_so(self):
        self.customer.email = False
        invoice = self.invoice(600.0)
        self.escalate(day(1))
        with freeze_time(day(3)):
            wizard = self.env["debt.collection.call.wizard"].with_context(
                active_model="account.move", active_ids=invoice.ids, active_id=invoice.id
            )
            with Form(wizard) as form:
                form.outcome = "promise"
                form.promise_date = day(15)
                form.promise_amount = 600.0
                self.assertTrue(form.send_recap)
                self.assertTrue(form.recap_by_letter, "the wizard says it goes by letter")
            form.record.action_confirm()
        recap = self.events().filtered(lambda e: e.letter_type == "call_recap")
        self.assertEqual((recap.channel, recap.state, recap.origin), ("letter", "to_print", "manual"))
        self.print_on(4, recap)
        text = self.text_of(recap)
        self.assertIn("Our telephone conversation of", text)
        self.assertIn("Promise to pay $ 600.00", text.replace("\u00a0", " "))
        self.assertIn(invoice.name, text)


def marked_pdf(pages):
    """A PDF of ``len(pages)`` pages, each with the links of its list: a record id (an int) is
    a letter's mark, a string another link (a customer page, say) that must stay."""
    output = io.BytesIO()
    drawing = canvas.Canvas(output)
    for number, links in enumerate(pages, start=1):
        drawing.drawString(72, 720, f"sheet {number}")
        for position, link in enumerate(links):
            url = _MARKER_URL.format(link) if isinstance(link, int) else link
            drawing.linkURL(url, (72, 700 - 20 * position, 80, 701 - 20 * position))
        drawing.showPage()
    drawing.save()
    return output.getvalue()


def links_of(pdf):
    """The link targets of each page of ``pdf``."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    return [
        [str(annotation.get_object()["/A"]["/URI"]) for annotation in (page.get("/Annots") or [])]
        for page in (reader.getPage(index) for index in range(reader.getNumPages()))
    ]


@tagged("post_install", "-at_install")
class TestLetterSplit(LettersCommon):
    """Debian's wkhtmltopdf writes one PDF for a batch of letters and no outline: it is cut per
    letter at the mark each letter carries on its first page, or not at all."""

    def test_a_batch_is_cut_at_each_letters_mark_whatever_its_pages(self):
        customer_page = "https://example.fr/my/debt/1"
        pdf = marked_pdf([[7], [customer_page], [], [9], []])
        letters = _split_letters(pdf, [7, 9])
        self.assertEqual(list(letters), [7, 9])
        self.assertEqual(links_of(letters[7]), [[], [customer_page], []], "3 pages, the mark taken off")
        self.assertEqual(links_of(letters[9]), [[], []])

    def test_a_missing_doubled_or_misplaced_mark_cuts_nothing(self):
        for pages, why in (
            ([[7], [], []], "the second letter's mark is missing"),
            ([[], [7], [9]], "the first page carries no mark"),
            ([[9], [7]], "the marks are not in the records' order"),
            ([[7], [7], [9]], "a mark twice"),
            ([[7], [9], [11]], "a mark of another record"),
        ):
            with self.subTest(why):
                self.assertIsNone(_split_letters(marked_pdf(pages), [7, 9]))

    def test_letters_whose_pdf_cannot_be_cut_are_printed_each_alone(self):
        customers = self.env["res.partner"].create(
            [
                {"name": name, "is_company": True, "street": "1 rue Neuve", "zip": "75011", "city": "Paris"}
                for name in ("Boucherie Alpha", "Cremerie Bravo")
            ]
        )
        # a letter of several pages: Odoo cannot cut the batch one page per letter
        for i in range(40):
            self.invoice(100.0 + i, partner=customers[0])
        self.invoice(100.0, partner=customers[1])
        self.escalate(day(1))
        letters = self.Event.search([("partner_id", "in", customers.ids)], order="id")
        unpatched = _wkhtml()._replace(is_patched_qt=False)
        with (
            patch(f"{REPORT_MODULE}._wkhtml", return_value=unpatched),
            patch(f"{REPORT_MODULE}._split_letters", return_value=None) as split,
        ):
            streams = self.Report._render_qweb_pdf_prepare_streams(LETTER_REPORT, None, res_ids=letters.ids)
            self.assertEqual(list(streams), [False], "one PDF of both, not a wrong cut")
            letters.with_context(discard_logo_check=True).action_print_letters()
        self.assertTrue(split.called)
        for letter, other in zip(letters, reversed(letters), strict=True):
            text = plain(pdf_text(letter.letter_attachment_id.raw))
            self.assertIn(letter.partner_id.name, text)
            self.assertNotIn(other.partner_id.name, text, "each letter's PDF holds that letter only")

    def test_documents_of_several_headings_are_cut_per_document_and_lose_their_marks(self):
        """A case's summary has a heading per section (no outline without a patched Qt): each
        summary of one page is cut as Odoo cuts a PDF of one page per record, its mark taken off."""
        customers = self.env["res.partner"].create(
            [
                {"name": name, "is_company": True, "street": "1 rue Neuve", "zip": "75011", "city": "Paris"}
                for name in ("Boucherie Alpha", "Cremerie Bravo")
            ]
        )
        for customer in customers:
            self.invoice(1000.0, partner=customer)
        with freeze_time(day(31)):
            self.env["debt.collection.case"]._action_open_for_partners(customers)
        cases = self.env["debt.collection.case"].search([("partner_id", "in", customers.ids)], order="id")
        self.assertEqual(cases.partner_id, customers)
        unpatched = _wkhtml()._replace(is_patched_qt=False)
        with patch(f"{REPORT_MODULE}._wkhtml", return_value=unpatched):
            html, _kind = self.Report._render_qweb_html(CASE_SUMMARY, cases.ids)
            self.assertGreater(html.decode().count("<h5"), len(cases), "several headings per case")
            streams = self.Report._render_qweb_pdf_prepare_streams(CASE_SUMMARY, None, res_ids=cases.ids)
        self.assertEqual(list(streams), cases.ids)
        for case, other in zip(cases, reversed(cases), strict=True):
            pdf = streams[case.id]["stream"].getvalue()
            text = plain(pdf_text(pdf))
            self.assertIn(case.name, text)
            self.assertNotIn(other.name, text)
            self.assertFalse(any(_MARKER_RE.match(url) for page in links_of(pdf) for url in page))
