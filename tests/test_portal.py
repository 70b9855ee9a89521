"""The customer's page over HTTP: who opens it, what it shows, what the customer does there.

Every request goes through the real routes (``url_open``), as the customer's browser would,
with the signed link of the emails or logged in as a portal user.
"""

import base64
import re

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import day
from .portal_common import PortalCommon

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@tagged("post_install", "-at_install")
class TestCustomerPageAccess(PortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(day(-40)):
            cls.mine = cls.invoice(1200.0, due=day(-10))
            cls.theirs = cls.invoice(800.0, partner=cls.other, due=day(-10))

    def assert_nothing_shown(self, url):
        status, html = self.open_page(url)
        self.assertEqual(status, 404)
        for secret in (self.customer.name, self.mine.name, "1,200.00"):
            self.assertNotIn(secret, html)

    def test_the_signed_link_opens_its_customers_page_only(self):
        with freeze_time(day(0)):
            status, html = self.open_page(self.link(self.customer))
            self.assertEqual(status, 200)
            self.assertIn(self.mine.name, html)
            self.assertIn("Boulangerie Martin SARL", html)
            self.assertNotIn(self.theirs.name, html)
            self.link(self.other)
            self.assert_nothing_shown(
                f"/my/collection/{self.customer.id}?access_token={self.token_of(self.other)}"
            )
            token = self.token_of(self.customer)
            tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
            self.assert_nothing_shown(f"/my/collection/{self.customer.id}?access_token={tampered}")
            self.assert_nothing_shown(f"/my/collection/{self.customer.id}")
            # the same token on another customer's page, its documents and forms
            for path in ("", "/statement", f"/invoice/{self.theirs.id}"):
                status, _html = self.open_page(f"/my/collection/{self.other.id}{path}?access_token={token}")
                self.assertEqual(status, 404, path)
            status, _html = self.open_page(
                f"/my/collection/{self.customer.id}/invoice/{self.theirs.id}?access_token={token}"
            )
            self.assertEqual(status, 404, "another customer's invoice through this customer's link")

    def test_a_link_expires_after_the_companys_days_and_can_be_revoked(self):
        self.company.debt_portal_token_days = 60
        with freeze_time(day(0)):
            link = self.link(self.customer)
        self.assertEqual(self.customer.debt_portal_expiry, day(60))
        with freeze_time(day(60)):
            self.assertEqual(self.open_page(link)[0], 200, "it opens on its last day")
        with freeze_time(day(61)):
            self.assert_nothing_shown(link)
            renewed = self.link(self.customer)
            self.assertNotEqual(renewed, link, "the next communication carries a new token")
            self.assertEqual(self.open_page(renewed)[0], 200)
            with self.assertRaises(AccessError):
                salesperson = new_test_user(
                    self.env, "vendeur.portail", groups="account.group_account_invoice"
                )
                self.customer.with_user(salesperson).action_debt_portal_revoke()
            self.customer.with_user(self.controller).action_debt_portal_revoke()
            self.assert_nothing_shown(renewed)

    def test_a_contact_of_the_customer_sees_its_page_logged_in(self):
        contact = self.env["res.partner"].create(
            {"name": "Julie Martin", "parent_id": self.customer.id, "email": "julie@boulangerie-martin.fr"}
        )
        new_test_user(self.env, "julie.portail", groups="base.group_portal", partner_id=contact.id)
        self.authenticate("julie.portail", "julie.portail")
        with freeze_time(day(0)):
            response = self.url_open("/my/collection")
            self.assertEqual(response.status_code, 200)
            self.assertTrue(response.url.endswith(f"/my/collection/{self.customer.id}"))
            self.assertIn(self.mine.name, response.text)
            self.assertNotIn(self.theirs.name, response.text)
            self.assert_nothing_shown(f"/my/collection/{self.other.id}")
            self.assertIn('href="/my/collection"', self.url_open("/my").text, "reached from My Account")

    def test_a_public_visitor_without_a_link_sees_nothing(self):
        with freeze_time(day(0)):
            self.assert_nothing_shown(f"/my/collection/{self.customer.id}")
            response = self.url_open("/my/collection", allow_redirects=False)
            self.assertIn("/web/login", response.headers.get("Location", ""))

    def test_nothing_internal_shows(self):
        insurer = self.env["res.partner"].create({"name": "Assureur Crédit Atlas", "is_company": True})
        self.customer.with_company(self.company).sudo().write(
            {"debt_insurer_id": insurer.id, "debt_insured_amount": 5000.0, "debt_payer_class": "D"}
        )
        self.customer._message_log(body="Client fragile, ne pas relancer avant lundi")
        with freeze_time(day(0)):
            self.env["debt.collection.promise"].create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [(6, 0, self.mine.ids)],
                    "date": day(20),
                    "amount": 600.0,
                    "note": "Le gérant est difficile au téléphone",
                }
            )
            other_invoice = self.invoice(300.0, due=day(-5))
            self.env["debt.collection.dispute"].create(
                {
                    "move_id": other_invoice.id,
                    "reason_id": self.reason.id,
                    "note": "<p>Erreur probable de notre livreur</p>",
                }
            )
            status, html = self.open_page(self.link(self.customer))
            self.assertEqual(status, 200)
            for secret in (
                insurer.name,
                "Client fragile",
                "Le gérant est difficile",
                "Erreur probable",
                "Payer Class",
                "Insur",
            ):
                self.assertNotIn(secret, html)
            self.assertIn("600.00", html, "the promise itself shows")
            # the message thread (the customer's chatter) with the page's token: no internal note
            result = self.make_jsonrpc_request(
                "/mail/chatter_fetch",
                {
                    "thread_model": "res.partner",
                    "thread_id": self.customer.id,
                    "token": self.token_of(self.customer),
                },
            )
            bodies = " ".join(message["body"] for message in result["data"]["mail.message"])
            self.assertNotIn("Client fragile", bodies)


@tagged("post_install", "-at_install")
class TestCustomerPageActions(PortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"debt_portal_promise_max_days": 30, "debt_portal_promise_min_percent": 50.0})
        cls.salesperson = new_test_user(cls.env, "vendeuse", groups="account.group_account_invoice")
        with freeze_time(day(-40)):
            cls.first = cls.invoice(1000.0, due=day(-10), invoice_user_id=cls.salesperson.id)
            cls.second = cls.invoice(500.0, due=day(-5))

    def page(self):
        url = self.link(self.customer)
        status, html = self.open_page(url)
        self.assertEqual(status, 200)
        return url, html

    def post(self, url, path, data, files=None):
        """Post a form of the page, with its CSRF token and the visitor's token, as the browser does."""
        base, _sep, query = url.partition("?")
        _url, html = self.page()
        data = {"csrf_token": self.csrf_of(html), "access_token": query.split("=", 1)[1], **data}
        return self.url_open(f"{base}/{path}", data=data, files=files)

    def test_a_visit_is_an_event_once_a_day_and_shows_on_the_worklist(self):
        with freeze_time(day(1)):
            self.escalate(day(1))
        self.assertEqual(self.first.debt_last_date, day(1))
        with freeze_time(day(3)):
            self.page()
            self.page()
        visits = self.Event.search([("partner_id", "=", self.customer.id), ("outcome", "=", "portal_viewed")])
        self.assertEqual(
            (len(visits), visits.origin, visits.channel, visits.date), (1, "portal", "portal", day(3))
        )
        seen = self.env["account.move"].search(
            [("debt_seen_online", "=", True), ("id", "in", (self.first | self.second).ids)]
        )
        self.assertEqual(seen, self.first | self.second)
        with freeze_time(day(10)):
            self.escalate(day(10))
        self.assertFalse(self.first.debt_seen_online, "a later reminder was not seen yet")

    def test_a_promise_within_the_limits_runs_at_once(self):
        with freeze_time(day(0)):
            url, _html = self.page()
            response = self.post(
                url,
                "promise",
                {"move_ids": [self.first.id], "promise_date": str(day(20)), "amount": "600,00"},
            )
            self.assertEqual(response.status_code, 200)
            self.assertIn("your promise to pay is recorded", response.text)
        promise = self.env["debt.collection.promise"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual((promise.state, promise.amount, promise.date), ("running", 600.0, day(20)))
        self.assertEqual(self.first.debt_promise_date, day(20), "the dunning of the invoice waits")
        self.assertEqual(promise.event_id.outcome, "portal_promise")
        recap = self.env["mail.mail"].search(
            [("model", "=", "debt.collection.promise"), ("res_id", "=", promise.id)]
        )
        self.assertIn("we have recorded your promise", recap.body_html)

    def test_a_promise_beyond_the_limits_waits_for_the_controller(self):
        with freeze_time(day(0)):
            url, _html = self.page()
            self.post(
                url, "promise", {"move_ids": [self.first.id], "promise_date": str(day(45)), "amount": "1000"}
            )
            promise = self.env["debt.collection.promise"].search([("partner_id", "=", self.customer.id)])
            self.assertEqual(promise.state, "proposed")
            self.assertFalse(self.first.debt_promise_date, "nothing pauses the dunning yet")
            todo = promise.activity_ids
            self.assertEqual(todo.user_id, self.controller)
            self.assertIn("30 days", todo.note)
            promise.with_user(self.controller).action_accept()
        self.assertEqual((promise.state, self.first.debt_promise_date), ("running", day(45)))

    def test_bad_promises_are_refused_with_a_clear_error_and_write_nothing(self):
        with freeze_time(day(0)):
            url, _html = self.page()
            cases = [
                ({"move_ids": [self.first.id], "promise_date": str(day(-1)), "amount": "100"}, "in the past"),
                ({"move_ids": [self.first.id], "promise_date": str(day(5)), "amount": "5000"}, "more than"),
                ({"move_ids": [], "promise_date": str(day(5)), "amount": "100"}, "open invoices"),
                ({"move_ids": [self.first.id], "promise_date": "demain", "amount": "100"}, "Check the date"),
            ]
            for data, message in cases:
                response = self.post(url, "promise", data)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
        self.assertFalse(self.env["debt.collection.promise"].search([("partner_id", "=", self.customer.id)]))

    def test_a_dispute_with_a_document_stops_the_dunning_and_gives_the_salesperson_a_todo(self):
        with freeze_time(day(0)):
            url, _html = self.page()
            response = self.post(
                url,
                "dispute",
                {"move_id": self.first.id, "reason_id": self.reason.id, "comment": "Deux cartons abîmés"},
                files=[("attachments", ("bon-de-livraison.pdf", PDF, "application/pdf"))],
            )
            self.assertIn("your problem is passed on", response.text)
        dispute = self.env["debt.collection.dispute"].search([("move_id", "=", self.first.id)])
        self.assertEqual(
            (dispute.state, dispute.reason_id, self.first.debt_dispute), ("open", self.reason, True)
        )
        self.assertEqual(dispute.activity_ids.user_id, self.salesperson)
        self.assertEqual(dispute.event_id.outcome, "portal_dispute")
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", dispute._name), ("res_id", "=", dispute.id)]
        )
        self.assertEqual((attachment.name, base64.b64decode(attachment.datas)), ("bon-de-livraison.pdf", PDF))

    def test_attachments_of_the_wrong_type_or_size_are_refused(self):
        with freeze_time(day(0)):
            url, _html = self.page()
            for name, content, message in (
                ("facture.pdf", b"MZ\x90\x00" + b"\x00" * 64, "is not a PDF"),
                ("scan.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024), "larger than 5 MB"),
            ):
                response = self.post(
                    url,
                    "dispute",
                    {"move_id": self.first.id, "reason_id": self.reason.id},
                    files=[("attachments", (name, content, "application/pdf"))],
                )
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
        self.assertFalse(self.first.debt_dispute_ids)

    def test_every_form_needs_the_csrf_token(self):
        with freeze_time(day(0)):
            url, _html = self.page()
            base, _sep, query = url.partition("?")
            token = query.split("=", 1)[1]
            for path, data in (
                ("promise", {"move_ids": self.first.id, "promise_date": str(day(5)), "amount": "1000"}),
                ("dispute", {"move_id": self.first.id, "reason_id": self.reason.id}),
            ):
                response = self.url_open(f"{base}/{path}", data={"access_token": token, **data})
                self.assertEqual(response.status_code, 400, path)
        self.assertFalse(self.first.debt_promise_ids)
        self.assertFalse(self.first.debt_dispute_ids)

    def test_actions_are_limited_per_customer_and_day(self):
        self.company.debt_portal_daily_actions = 2
        with freeze_time(day(0)):
            url, _html = self.page()
            for invoice in (self.first, self.second):
                self.post(url, "dispute", {"move_id": invoice.id, "reason_id": self.reason.id})
            third = self.invoice(200.0, due=day(-2))
            response = self.post(
                url, "promise", {"move_ids": [third.id], "promise_date": str(day(5)), "amount": "200"}
            )
            self.assertEqual(response.status_code, 400)
            self.assertIn("today's limit", response.text)
        self.assertFalse(third.debt_promise_ids)
        self.assertEqual(len((self.first | self.second).debt_dispute_ids), 2)
        with freeze_time(day(1)):
            url, _html = self.page()
            self.post(url, "promise", {"move_ids": [third.id], "promise_date": str(day(5)), "amount": "200"})
        self.assertEqual(third.debt_promise_ids.state, "running", "a new day, a new allowance")

    def test_a_message_from_the_page_lands_in_the_customers_chatter(self):
        with freeze_time(day(0)):
            self.page()
            token = self.token_of(self.customer)
            self.make_jsonrpc_request(
                "/mail/message/post",
                {
                    "thread_model": "res.partner",
                    "thread_id": self.customer.id,
                    "post_data": {
                        "body": "Nous payons vendredi.",
                        "message_type": "comment",
                        "subtype_xmlid": "mail.mt_comment",
                    },
                    "token": token,
                },
            )
        message = self.customer.message_ids.filtered(lambda m: "Nous payons vendredi" in (m.body or ""))
        self.assertEqual(message.author_id, self.customer)
        self.assertIn(self.controller.partner_id, message.partner_ids, "the credit controller is told")
        event = self.Event.search([("partner_id", "=", self.customer.id), ("outcome", "=", "portal_message")])
        self.assertEqual(len(event), 1)

    def test_documents_download_as_the_customer_reads_them(self):
        with freeze_time(day(0)):
            url, html = self.page()
            base, _sep, query = url.partition("?")
            statement = self.url_open(f"{base}/statement?{query}")
            self.assertEqual(statement.headers["Content-Type"], "application/pdf")
            invoice = self.url_open(f"{base}/invoice/{self.first.id}?{query}")
            self.assertEqual(invoice.status_code, 200)
            self.assertEqual(invoice.headers["Content-Type"], "application/pdf")
        notes = self.Event.search(
            [("partner_id", "=", self.customer.id), ("outcome", "=", "portal_downloaded")]
        ).mapped("note")
        self.assertEqual(len(notes), 2)
        self.assertTrue(re.search(re.escape(self.first.name), " ".join(notes)))
