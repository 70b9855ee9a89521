import io
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import DUE, DebtCollectionCommon, day, with_mail_as_in_use
from .test_letters import pdf_text


class _EmptyAssets(BaseHTTPRequestHandler):
    """Answers every request with an empty 200: wkhtmltopdf then ends without a network error."""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def serve_empty_assets(test_class):
    """``report.url`` for wkhtmltopdf: a local server answering every request with nothing.

    The Odoo server of the tests would wait on the test's transaction, and an unreachable
    URL makes wkhtmltopdf exit with code 1, which Odoo turns into a skipped test when a
    report renders several records at once with an unpatched Qt. The text is the same.
    """
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EmptyAssets)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    test_class.addClassCleanup(server.server_close)
    test_class.addClassCleanup(server.shutdown)
    return f"http://127.0.0.1:{server.server_address[1]}"


class CasesCommon(DebtCollectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Case = cls.env["debt.collection.case"]
        cls.customer.write(
            {"street": "12 rue des Lilas", "zip": "69003", "city": "Lyon", "company_registry": "552100554"}
        )
        cls.company.company_registry = "443061841"
        cls.agency = cls.env["res.partner"].create(
            {
                "name": "Recouvrement Express SAS",
                "email": "dossiers@recouvrement-express.fr",
                "debt_agency_kind": "agency",
                "debt_agency_commission": 12.0,
                "debt_agency_fixed_fee": 50.0,
            }
        )
        cls.env["ir.config_parameter"].sudo().set_param("report.url", serve_empty_assets(cls))

    def walk(self, *offsets):
        for offset in offsets:
            self.escalate(day(offset))

    def plan_form(self, case, count, first_date):
        """The payment plan wizard of ``case``, as a user fills it in: so many instalments from a date."""
        wizard = Form(self.env["debt.collection.payment.plan.wizard"].with_context(default_case_id=case.id))
        wizard.count = count
        wizard.first_date = first_date
        return wizard

    def follow_cases(self):
        """The daily scheduled action of cases, run as Odoo's scheduler runs it: it commits its
        batches (on the test's cursor, in registry test mode)."""
        cron = self.env.ref("account_debt_collection.ir_cron_debt_follow_cases")
        with self.enter_registry_test_mode():
            self.assertIs(cron.method_direct_trigger(), True, "the scheduled action ran without error")

    def open_case(self, on):
        with freeze_time(on):
            action = self.customer.action_debt_open_case()
        return self.Case.browse(action["res_id"])

    def events_of(self, case, since_id=0):
        return self.events().filtered(lambda e: e.case_id == case and e.id > since_id)


@tagged("post_install", "-at_install")
class TestCases(CasesCommon):
    def test_case_step_opens_one_case_with_the_invoices(self):
        first = self.invoice(1000.0)
        second = self.invoice(250.0, due=day(-3))
        self.walk(-5, 1, 10, 20, 30, 45)
        case = self.Case.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(case), 1)
        self.assertEqual(case.move_ids, first | second)
        self.assertEqual(case.stage_id, self.env.ref("account_debt_collection.stage_amicable"))
        self.assertEqual(case.amount_due, 1250.0)
        self.assertEqual(case.oldest_due_date, day(-3))
        self.assertEqual(case.limitation_date, day(-3).replace(year=DUE.year + 5))
        with freeze_time(day(45)):
            case.invalidate_recordset(["days_overdue", "amount_interest", "amount_indemnity"])
            self.assertEqual(case.days_overdue, 48)
            self.assertGreater(case.amount_interest, 0.0)
            self.assertEqual(case.amount_indemnity, 80.0, "40 EUR per late invoice")
            self.assertEqual(case.priority, "1", "no payer class: from 48 days overdue")
        # a second case step (run again, or by hand) feeds the same case
        case_event = self.events().filtered(lambda e: e.channel == "case")
        self.Run._dispatch_case(case_event)
        third = self.invoice(80.0, due=day(20))
        with freeze_time(day(50)):
            self.assertEqual(self.customer.action_debt_open_case()["res_id"], case.id)
        self.assertEqual(self.Case.search_count([("partner_id", "=", self.customer.id)]), 1)
        self.assertEqual(case.move_ids, first | second | third)
        with self.assertRaisesRegex(ValidationError, case.name):
            self.Case.create({"partner_id": self.customer.id})

    def test_cases_opened_together_are_numbered_in_turn_from_their_company_sequence(self):
        partners = self.env["res.partner"].create(
            [{"name": "Garage Durand", "is_company": True}, {"name": "Pressing Léa", "is_company": True}]
        )
        with freeze_time(day(45)):
            shared = self.Case.create([{"partner_id": partner.id} for partner in partners])
            prefix = f"DOS/{day(45).year}/"
            self.assertTrue(
                all(name.startswith(prefix) for name in shared.mapped("name")), shared.mapped("name")
            )
            first, second = (int(name.removeprefix(prefix)) for name in shared.mapped("name"))
            self.assertEqual(second, first + 1)
            # a company with a sequence of its own numbers its cases from it, the others do not
            self.env["ir.sequence"].create(
                {
                    "name": "Dossiers Paris",
                    "code": "debt.collection.case",
                    "prefix": "PAR-",
                    "padding": 3,
                    "company_id": self.company.id,
                }
            )
            own = self.Case.create({"partner_id": self.customer.id})
            company_2 = self.setup_other_company(name="Filiale Lyon")["company"]
            elsewhere = self.Case.with_company(company_2).create(
                {"partner_id": partners[0].id, "company_id": company_2.id}
            )
        self.assertEqual(own.name, "PAR-001")
        self.assertEqual(elsewhere.name, f"{prefix}{second + 1:04d}")

    def test_the_run_opens_its_cases_for_the_controller_without_an_email_per_case(self):
        """A night's run opens cases for a credit controller who reads notifications by email:
        the controller follows each case, and the controller's mailbox gets no "assigned to
        you" per case (hundreds on a large ledger)."""
        controller = new_test_user(
            self.env,
            login="controleur_credit",
            name="Claire Contrôle",
            email="claire@example.fr",
            notification_type="email",
            groups="account.group_account_invoice,account_debt_collection.group_debt_collection_user",
        )
        customers = self.customer | self.env["res.partner"].create(
            {"name": "Garage Durand", "is_company": True, "email": "compta@garage-durand.fr"}
        )
        for customer in customers:
            customer.debt_controller_id = controller
            self.invoice(600.0, partner=customer)
        run = with_mail_as_in_use(self.Run).with_company(self.company)
        for offset in (-5, 1, 10, 20, 30, 45):
            with freeze_time(day(offset)):
                run._escalate(self.company, today=day(offset))
        cases = self.Case.search([("partner_id", "in", customers.ids)])
        self.assertEqual(len(cases), 2, "one case a customer, opened by the run")
        self.assertEqual(cases.user_id, controller)
        for case in cases:
            self.assertIn(controller.partner_id, case.message_partner_ids)
        self.assertFalse(
            self.env["mail.mail"].search([("recipient_ids", "in", controller.partner_id.ids)]),
            "no email to the controller for the cases",
        )
        self.assertFalse(
            self.env["mail.message"].search(
                [
                    ("model", "=", "debt.collection.case"),
                    ("res_id", "in", cases.ids),
                    ("partner_ids", "!=", False),
                ]
            ),
            "no notification addressed to anyone",
        )

    def test_cases_opened_together_are_followed_by_their_responsibles_as_odoo_subscribes_them(self):
        """A manager opens three cases at once, two for a controller and one of their own: the
        controller follows their two with Odoo's default subscription of a responsible and is
        told of each (the responsible's "assigned to you"), the manager follows all three (as
        their creator) once each and is told nothing; nobody follows a case not theirs."""
        users = "account.group_account_invoice,account_debt_collection.group_debt_collection_"
        manager = new_test_user(
            self.env, login="responsable_recouvrement", email="paul@example.fr", groups=users + "manager"
        )
        controller = new_test_user(
            self.env, login="controleuse", email="lea@example.fr", groups=users + "user"
        )
        customers = self.env["res.partner"].create(
            [{"name": name, "is_company": True} for name in ("Garage Durand", "Fleurs Petit", "Café Lenoir")]
        )
        cases = (
            with_mail_as_in_use(self.Case)
            .with_user(manager)
            .create(
                [
                    {"partner_id": customers[0].id, "user_id": controller.id},
                    {"partner_id": customers[1].id, "user_id": controller.id},
                    {"partner_id": customers[2].id},
                ]
            )
        )
        theirs, own = cases[:2], cases[2]
        self.assertEqual(own.user_id, manager)
        discussions = self.env.ref("mail.mt_comment")
        for case in cases:
            followers = case.message_follower_ids
            expected = manager.partner_id | (controller.partner_id if case in theirs else manager.partner_id)
            self.assertEqual(followers.partner_id, expected)
            self.assertEqual(len(followers), len(expected), "each follows once")
            self.assertTrue(all(discussions in follower.subtype_ids for follower in followers))
        told = self.env["mail.message"].sudo().search(  # a user's notification is theirs to read
            [
                ("model", "=", "debt.collection.case"),
                ("res_id", "in", cases.ids),
                ("partner_ids", "!=", False),
            ]
        )
        self.assertEqual(len(told), 2, "one message a case given to someone else")
        self.assertEqual(told.partner_ids, controller.partner_id)
        self.assertEqual(sorted(told.mapped("res_id")), sorted(theirs.ids))
        for message in told:
            self.assertIn(self.Case.browse(message.res_id).name, message.subject)
        quiet = self.Case.create({"partner_id": self.customer.id, "user_id": controller.id})
        self.assertFalse(quiet.message_follower_ids, "no followers without tracking, as in Odoo")

    def test_case_from_a_selection_of_invoices(self):
        chosen = self.invoice(400.0)
        self.invoice(600.0)
        action = (
            self.env.ref("account_debt_collection.action_server_debt_open_case")
            .with_context(active_model="account.move", active_ids=chosen.ids)
            .run()
        )
        case = self.Case.browse(action["res_id"])
        self.assertEqual(case.move_ids, chosen)
        self.assertEqual(case.partner_id, self.customer)

    def test_priority_follows_the_payer_class(self):
        young = self.env["res.partner"].create({"name": "Café Jeune", "is_company": True})
        self.invoice(300.0, partner=young, due=day(-5))
        young.sudo().debt_payer_class = "D"
        with freeze_time(day(0)):
            case = self.Case._action_open_for_partners(young) and self.Case.search(
                [("partner_id", "=", young.id)]
            )
            self.assertEqual(case.priority, "3", "class D: most urgent, though 5 days late only")
            young.sudo().debt_payer_class = "A"
            self.assertEqual(case.priority, "0", "the nightly refresh made it a good payer: the case follows")

    def test_consumer_limitation(self):
        consumer = self.env["res.partner"].create({"name": "Jean Dupont", "debt_is_consumer": True})
        self.invoice(300.0, partner=consumer, due=day(-700))
        with freeze_time(day(0)):
            case = self.Case._action_open_for_partners(consumer) and self.Case.search(
                [("partner_id", "=", consumer.id)]
            )
            self.assertEqual(case.limitation_date, day(-700).replace(year=day(-700).year + 2))
            self.assertTrue(case.limitation_near, "30 days left")
            self.assertEqual(case.court_name, "Tribunal judiciaire")
            self.assertEqual(case.court_cerfa, "12948")

    def test_payment_plan_pauses_dunning_and_a_missed_instalment_returns_to_the_case(self):
        invoice = self.invoice(900.0)
        self.walk(-5, 1, 10)
        case = self.open_case(day(12))
        amicable = case.stage_id
        with freeze_time(day(12)):
            wizard = self.plan_form(case, count=3, first_date=day(30))
            wizard.every = 1
            wizard.unit = "months"
            wizard.save().action_confirm()
        self.assertEqual(case.stage_id, self.env.ref("account_debt_collection.stage_payment_plan"))
        self.assertEqual(case.instalment_ids.mapped("principal"), [300.0, 300.0, 300.0])
        self.assertEqual(case.instalment_ids.mapped("date"), [day(30), day(60), day(91)])
        self.assertEqual(case.plan_baseline, 900.0)
        last = self.events()[-1].id
        # day 20 would bring the firm letter: the plan pauses the dunning
        self.walk(20, 30)
        self.assertFalse(self.events().filtered(lambda e: e.id > last), "no reminder during the plan")
        self.pay(invoice, 300.0, day(29))
        with freeze_time(day(31)):
            self.follow_cases()
        self.assertEqual(case.instalment_ids.mapped("state"), ["paid", "pending", "pending"])
        self.assertEqual(case.instalment_ids[0].paid_amount, 300.0)
        self.pay(invoice, 100.0, day(60))
        with freeze_time(day(62)):
            self.follow_cases()
        self.assertEqual(case.instalment_ids.mapped("state"), ["paid", "partial", "pending"], "grace period")
        with freeze_time(day(70)):
            self.follow_cases()
        self.assertEqual(case.instalment_ids.mapped("state"), ["paid", "missed", "pending"])
        self.assertEqual(case.instalment_ids[1].paid_amount, 100.0)
        self.assertEqual(case.plan_state, "missed")
        self.assertEqual(case.stage_id, amicable, "the case goes back where it was")
        missed = self.events_of(case, last).filtered(lambda e: e.outcome == "promise_broken")
        self.assertEqual(len(missed), 1)
        self.assertEqual(missed.origin, "manual")
        self.assertIn("missed", missed.note)
        self.assertTrue(case.activity_ids, "the responsible gets a to-do")
        # once flagged, not again
        with freeze_time(day(71)):
            self.follow_cases()
        self.assertEqual(len(self.events_of(case, last).filtered(lambda e: e.outcome == "promise_broken")), 1)
        # and the dunning resumes
        self.escalate(day(72))
        self.assertTrue(self.events().filtered(lambda e: e.id > missed.id and e.letter_type == "firm"))

    def test_insured_customer_is_declared_to_its_credit_insurer(self):
        insurer = self.env["res.partner"].create(
            {"name": "Assurcrédit SA", "is_company": True, "email": "sinistres@assurcredit.example"}
        )
        self.invoice(1000.0)
        self.walk(-5, 1, 10)
        case = self.open_case(day(12))
        handoff = self.env["debt.collection.handoff.wizard"].with_context(
            default_case_id=case.id, force_report_rendering=True
        )
        with freeze_time(day(12)):
            uninsured = Form(handoff)
            uninsured.kind = "insurer"
            self.assertFalse(uninsured.agency_id, "no insurer on file")
            uninsured.agency_id = insurer
            with self.assertRaisesRegex(UserError, "has no credit insurer"):
                uninsured.save().action_confirm()
            self.assertEqual(case.stage_id, self.env.ref("account_debt_collection.stage_amicable"))

            self.customer.with_company(self.company).debt_insurer_id = insurer
            claim = Form(handoff)
            claim.kind = "insurer"
            self.assertEqual(claim.agency_id, insurer, "the customer's insurer is proposed")
            claim.save().action_confirm()
        self.assertEqual((case.handoff_kind, case.agency_id), ("insurer", insurer))
        self.assertTrue(case.stage_id.freezes_dunning)
        mail = self.env["mail.mail"].search(
            [("model", "=", "debt.collection.case"), ("res_id", "=", case.id)]
        )
        self.assertEqual(mail.recipient_ids, insurer)
        self.assertIn("payment default", mail.subject)
        self.assertIn(case.handoff_attachment_id, mail.attachment_ids)

    def test_handoff_freezes_dunning_and_builds_the_pack(self):
        first = self.invoice(1000.0)
        second = self.invoice(234.56, due=day(-5))
        # the second invoice has its legal PDF (Send & Print keeps it as the invoice's
        # invoice_pdf_report_file): the pack holds that very file; the first one has none (its
        # main attachment, a scan, is no legal PDF) and is rendered (several at once need
        # wkhtmltopdf's patched Qt, absent here)
        pdf, _kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("account.account_invoices", second.ids)
        )
        Attachment = self.env["ir.attachment"].sudo()
        Attachment.create(
            {
                "name": "sent.pdf",
                "raw": pdf,
                "res_model": "account.move",
                "res_id": second.id,
                "res_field": "invoice_pdf_report_file",
                "mimetype": "application/pdf",
            }
        )
        second.invalidate_recordset(["invoice_pdf_report_id", "invoice_pdf_report_file"])
        first.message_main_attachment_id = Attachment.create(
            {
                "name": "scan.pdf",
                "raw": b"%PDF-1.4 scan",
                "res_model": "account.move",
                "res_id": first.id,
                "mimetype": "application/pdf",
            }
        )
        self.walk(-5, 1, 10)
        case = self.open_case(day(12))
        with freeze_time(day(12)):
            wizard = Form(
                self.env["debt.collection.handoff.wizard"].with_context(
                    default_case_id=case.id, force_report_rendering=True
                )
            )
            wizard.kind = "agency"
            wizard.agency_id = self.agency
            wizard.save().action_confirm()
        self.assertEqual(case.stage_id, self.env.ref("account_debt_collection.stage_agency"))
        self.assertEqual((case.agency_id, case.handoff_date), (self.agency, day(12)))
        last = self.events()[-1]
        self.assertEqual((last.case_id, last.origin), (case, "manual"))
        self.assertIn("Recouvrement Express SAS", last.note)
        self.walk(20, 30)
        self.assertEqual(self.events()[-1], last, "dunning frozen")

        pack = zipfile.ZipFile(io.BytesIO(case.handoff_attachment_id.raw))
        names = pack.namelist()
        xlsx = [n for n in names if n.endswith(".xlsx")]
        self.assertEqual(len(xlsx), 1)
        sheet = openpyxl.load_workbook(io.BytesIO(pack.read(xlsx[0]))).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual([row[0] for row in rows[1:3]], [second.name, first.name])
        self.assertEqual(rows[-1][0], "Total")
        self.assertAlmostEqual(rows[-1][4], 1234.56)
        self.assertAlmostEqual(rows[-1][5], 1234.56)
        self.assertAlmostEqual(rows[-1][7], 80.0)

        pdfs = [n for n in names if n.endswith(".pdf")]
        self.assertEqual(len(pdfs), 3, "summary and two invoices")
        for name in pdfs:
            self.assertTrue(pack.read(name).startswith(b"%PDF"), name)
        summary = pdf_text(pack.read(next(n for n in pdfs if "summary" in n)))
        self.assertIn(case.name, summary)
        self.assertIn("Boulangerie Martin SARL", summary)
        self.assertIn("1,234.56", summary)
        invoice_text = pdf_text(pack.read(f"invoices/{first.name.replace('/', '_')}.pdf"))
        self.assertIn(first.name, invoice_text)
        self.assertEqual(pack.read("invoices/sent.pdf"), pdf, "the legal PDF, as it was sent")
        self.assertNotIn("invoices/scan.pdf", names)

        mail = self.env["mail.mail"].search([("model", "=", case._name), ("res_id", "=", case.id)])
        self.assertEqual(len(mail), 1)
        self.assertIn(self.agency, mail.recipient_ids, mail.recipient_ids.mapped("name"))
        self.assertEqual(mail.attachment_ids.mapped("name"), [case.handoff_attachment_id.name])

    def test_court_summary_and_evidence_pack(self):
        self.invoice(1000.0)
        # each letter printed when it is queued (a letter still queued when the next one comes
        # would be superseded by it, not printed)
        self.walk(-5, 1, 10, 20)
        with freeze_time(day(20)):
            self.events().filtered(lambda e: e.state == "to_print").action_print_letters()
        self.walk(30)
        with freeze_time(day(30)):
            self.events().filtered(lambda e: e.state == "to_print").action_print_letters()
        letters = self.events().filtered(lambda e: e.printed_date)
        self.assertEqual(sorted(letters.mapped("letter_type")), ["firm", "formal_notice"])
        case = self.open_case(day(35))
        case.action_collect_documents()
        self.assertEqual(sorted(case.document_ids.mapped("kind")), ["formal_notice", "invoice", "reminder"])
        self.assertFalse(case.evidence_complete)
        self.assertIn("Signed Quote", case.evidence_missing)
        Document = self.env["debt.collection.case.document"]
        Document.create(
            [
                Document._upload_values(case, "quote", "Devis DV-2026-014 signé.pdf", b"%PDF-1.4 quote"),
                Document._upload_values(case, "terms", "CGV.pdf", b"%PDF-1.4 terms"),
            ]
        )
        self.assertTrue(case.evidence_complete)
        terms = case.document_ids.filtered(lambda d: d.kind == "terms")
        self.assertEqual(terms.attachment_id.raw, b"%PDF-1.4 terms")
        case.action_collect_documents()
        self.assertEqual(len(case.document_ids), 5, "collecting twice adds nothing")
        with freeze_time(day(35)):
            Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
            pdf, _kind = Report._render_qweb_pdf("account_debt_collection.action_report_case_court", case.ids)
        text = pdf_text(pdf)
        for expected in (
            "Tribunal des activités économiques de Lyon",
            "12946",
            "443 061 841",
            "552 100 554",
            "Principal",
            "Indemnités forfaitaires pour frais de recouvrement",
            "CGV.pdf",
            "Boulangerie Martin SARL",
        ):
            self.assertIn(expected, text)

    def test_recovered_case_closes_when_all_its_invoices_are_paid(self):
        first = self.invoice(1000.0)
        second = self.invoice(500.0)
        case = self.open_case(day(12))
        self.pay(first, 1000.0, day(13))
        self.follow_cases()
        self.assertFalse(case.is_closed)
        self.pay(second, 500.0, day(14))
        self.follow_cases()
        self.assertEqual(case.stage_id, self.env.ref("account_debt_collection.stage_recovered"))
        self.assertTrue(case.is_closed)
        self.assertTrue(case.close_date)
        # the customer may now get a new case
        self.invoice(50.0)
        self.assertNotEqual(self.open_case(day(20)), case)

    def test_write_off_credits_the_rest_and_closes_the_case(self):
        invoice = self.invoice(1000.0)
        self.pay(invoice, 400.0, day(5))
        case = self.open_case(day(12))
        wizard = Form(self.env["debt.collection.case.outcome.wizard"].with_context(default_case_id=case.id))
        wizard.amount_recovered = 400.0
        wizard.write_off = True
        wizard.save().action_confirm()
        credit_note = case.writeoff_move_id
        self.assertEqual((credit_note.move_type, credit_note.state), ("out_refund", "posted"))
        self.assertEqual(credit_note.amount_total, 600.0)
        self.assertEqual(invoice.amount_residual, 0.0)
        self.assertEqual(credit_note.amount_residual, 0.0)
        self.assertEqual(case.amount_written_off, 600.0)
        self.assertEqual(case.stage_id, self.env.ref("account_debt_collection.stage_written_off"))

    def test_a_plan_that_does_not_add_up_is_refused_and_nothing_changes(self):
        self.invoice(900.0)
        case = self.open_case(day(12))
        amicable = case.stage_id
        with freeze_time(day(12)):
            wizard = self.plan_form(case, count=2, first_date=day(30))
            with wizard.line_ids.edit(1) as line:
                line.principal = 350.0  # 450 + 350: a hundred short
            plan = wizard.save()
            with self.assertRaises(UserError) as caught:
                plan.action_confirm()
        self.assertIn("The instalments add up to", str(caught.exception))
        self.assertIn("800.00", str(caught.exception))
        self.assertIn("900.00", str(caught.exception))
        self.assertEqual(case.stage_id, amicable, "the case did not move")
        self.assertFalse(case.instalment_ids, "no instalment written")

    def test_a_handoff_without_agency_is_refused_and_nothing_changes(self):
        self.invoice(1000.0)
        case = self.open_case(day(12))
        amicable = case.stage_id
        wizard = Form(self.env["debt.collection.handoff.wizard"].with_context(default_case_id=case.id))
        wizard.kind = "agency"
        with self.assertRaisesRegex(AssertionError, "agency_id is a required field"):
            wizard.save()
        self.assertEqual(case.stage_id, amicable)
        self.assertFalse(case.agency_id)

    def test_a_user_of_another_company_cannot_read_the_cases(self):
        self.invoice(1000.0)
        self.walk(-5, 1, 10, 20, 30, 45)  # the last step opens the case
        case = self.Case.search([("partner_id", "=", self.customer.id)])
        company_b = self.setup_other_company(name="Filiale Lyon")["company"]
        controller_b = new_test_user(
            self.env,
            login="controller_b",
            groups="account_debt_collection.group_debt_collection_manager",
            company_id=company_b.id,
            company_ids=[(6, 0, company_b.ids)],
        )
        self.assertFalse(self.Case.with_user(controller_b).search([("id", "=", case.id)]))
        with self.assertRaises(AccessError):
            case.with_user(controller_b).read(["amount_due"])
        self.assertTrue(case.event_ids, "the case has its history")
        self.assertFalse(self.Event.with_user(controller_b).search([("case_id", "=", case.id)]))
        with self.assertRaises(AccessError):
            case.with_user(controller_b).write({"user_id": controller_b.id})

    def test_salesperson_cannot_hand_off_or_write_off(self):
        self.invoice(1000.0)
        case = self.open_case(day(12))
        salesperson = new_test_user(
            self.env,
            login="salesperson",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        controller = new_test_user(
            self.env,
            login="controller",
            groups="account_debt_collection.group_debt_collection_user",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        self.customer.user_id = salesperson  # a salesperson reads the cases of their own customers
        for user in (salesperson, controller):
            own_case = case.with_user(user)
            own_case.read(["amount_due"])
            with self.assertRaises(AccessError):
                own_case.action_handoff()
            with self.assertRaises(AccessError):
                own_case.action_outcome()
        # the wizards are the managers' own: nobody else opens one, by any route
        for user in (salesperson, controller):
            with self.assertRaises(AccessError):
                self.env["debt.collection.handoff.wizard"].with_user(user).create(
                    {"case_id": case.id, "kind": "agency", "agency_id": self.agency.id}
                )
            with self.assertRaises(AccessError):
                self.env["debt.collection.case.outcome.wizard"].with_user(user).create(
                    {"case_id": case.id, "write_off": True}
                )
        self.assertEqual(case.stage_id, self.env.ref("account_debt_collection.stage_amicable"))


@tagged("post_install", "-at_install")
class TestCaseTour(HttpCase):
    def test_manager_drags_a_case_and_opens_the_handoff_wizard(self):
        partner = self.env["res.partner"].create({"name": "Tour Debtor SARL", "is_company": True})
        case = self.env["debt.collection.case"].create({"partner_id": partner.id})
        self.assertTrue(
            self.env.ref("base.user_admin").has_group("account_debt_collection.group_debt_collection_manager")
        )
        self.start_tour("/odoo/collection-cases", "debt_collection_case_kanban_tour", login="admin")
        self.assertEqual(case.stage_id, self.env.ref("account_debt_collection.stage_formal_notice"))
