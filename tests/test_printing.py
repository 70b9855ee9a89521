"""A letter says what is true the day it is printed, and stays as it was printed.

Letters wait in the "To print" list; when someone prints them (hours or weeks later) each is
looked at again: paid invoices are left out, amounts and date are those of the print, a letter
whose invoices are all paid or whose customer received a later communication is not printed.
The PDF printed is kept on the letter. Registered letters get their number and their
acknowledgement of receipt, which dates the formal notice's legal effects.
"""

import base64
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools import format_date

from .common import day
from .test_letters import LETTER_REPORT, LettersCommon, pdf_text, plain


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
        self.assertEqual((recap.channel, recap.state, recap.kind), ("letter", "to_print", "manual"))
        self.print_on(4, recap)
        text = self.text_of(recap)
        self.assertIn("Our telephone conversation of", text)
        self.assertIn("Promise to pay $ 600.00", text.replace("\u00a0", " "))
        self.assertIn(invoice.name, text)
