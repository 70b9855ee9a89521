"""Ways to pay in every communication: the portal links of the emails, the EPC QR code of the letters,
and Odoo's online payment when ``account_payment`` and a provider are there."""

import base64
import io
import re
from unittest.mock import patch
from urllib.parse import urlsplit

import zxingcpp
from PIL import Image, ImageOps

from odoo.orm.environments import Environment
from odoo.tests import tagged

from .common import DebtCollectionCommon, day
from .portal_common import BIC, IBAN, PortalCommon

LETTER_REPORT = "account_debt_collection.action_report_debt_letter"
QR_IMAGE = re.compile(r'<img[^>]*class="o_debt_qr"[^>]*src="data:image/png;base64,([^"]+)"')


def decode_qr(data_uri_payload):
    """The text of a QR code image (base64 PNG), read back with zxing-cpp."""
    image = Image.open(io.BytesIO(base64.b64decode(data_uri_payload))).convert("L")
    # a white margin, as printed on paper: Odoo draws the code without quiet zone
    codes = zxingcpp.read_barcodes(ImageOps.expand(image, border=16, fill=255))
    return codes[0].text if codes else None


def walk_to_firm_letter(case):
    for step_day in (-5, 1, 10, 20):
        case.escalate(day(step_day))
    return case.events().filtered(lambda event: event.letter_type == "firm")


@tagged("post_install", "-at_install")
class TestWaysToPay(PortalCommon):
    def test_the_reminder_links_each_invoice_and_the_customer_page(self):
        invoice = self.invoice(1234.56)
        self.escalate(day(-5))
        self.escalate(day(1))
        email = self.events().filtered(lambda event: event.channel == "email")
        body = self.mails(email).body_html
        self.assertIn(f"/my/invoices/{invoice.id}?access_token={invoice.access_token}", body)
        self.assertIn(f"/my/collection/{self.customer.id}?access_token={self.token_of(self.customer)}", body)
        self.assertIn("IBAN <strong>FR76 3000 6000 0112 3456 7890 189</strong>", body)
        self.assertIn(f"BIC {BIC}", body)
        self.assertEqual(self.customer.debt_portal_expiry, day(1 + self.company.debt_portal_token_days))
        # the invoice's link opens Odoo's own invoice page, without logging in
        link = re.search(rf'href="([^"]*/my/invoices/{invoice.id}\?[^"]*)"', body).group(1)
        parts = urlsplit(link.replace("&amp;", "&"))
        page = self.url_open(f"{parts.path}?{parts.query}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(invoice.name, page.text)

    def test_a_letter_in_euros_carries_an_epc_qr_code_of_what_it_asks(self):
        invoice = self.invoice(1234.56)
        letter = walk_to_firm_letter(self)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(LETTER_REPORT, letter.ids, data={"letter_date": str(day(21))})[0]
            .decode()
        )
        payload = decode_qr(QR_IMAGE.search(html).group(1))
        lines = payload.split("\n")
        self.assertEqual(lines[:5], ["BCD", "002", "1", "SCT", BIC])
        self.assertEqual(lines[6], IBAN)
        self.assertEqual(lines[7], "EUR1234.56", "the amount the letter asks for")
        self.assertIn(invoice.name, lines[10], "the remittance names the invoice")
        self.assertIn(f"/my/collection/{self.customer.id}?access_token={self.token_of(self.customer)}", html)

    def test_a_statement_carries_the_qr_code_of_the_net_balance(self):
        self.invoice(1000.0, due=day(-10))
        self.invoice(250.0, due=day(-3))
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account_debt_collection.action_report_debt_statement", self.customer.ids)[0]
            .decode()
        )
        lines = decode_qr(QR_IMAGE.search(html).group(1)).split("\n")
        self.assertEqual((lines[6], lines[7]), (IBAN, "EUR1250.0"))

    def test_the_page_offers_odoos_online_payment_only_with_a_published_provider(self):
        invoice = self.invoice(400.0, due=day(-10))
        portal = self.Portal.with_company(self.company)
        self.assertFalse(portal._page_values(self.customer)["pay"]["online"], "no provider for the company")
        status, html = self.open_page(self.link(self.customer))
        self.assertNotIn("Pay online", html)
        self.assertIn("FR76 3000 6000 0112 3456 7890 189", html)
        base, _sep, query = self.link(self.customer).partition("?")
        response = self.url_open(f"{base}/pay?{query}&move_ids={invoice.id}")
        self.assertEqual(response.status_code, 404)

        provider = (
            self.env["payment.provider"]
            .sudo()
            .search([("code", "=", "demo"), ("company_id", "=", self.company.id)], limit=1)
        )
        self.assertTrue(
            provider, "Odoo gives each company the demo provider (payment_demo, installed by make test)"
        )
        provider.write({"state": "test", "is_published": True})
        self.assertTrue(portal._page_values(self.customer)["pay"]["online"])
        status, html = self.open_page(self.link(self.customer))
        self.assertIn("Pay online", html)
        response = self.url_open(f"{base}/pay?{query}&move_ids={invoice.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn('id="o_payment_form"', response.text)
        self.assertIn('data-amount="400.0"', response.text)
        # without account_payment, the module only offers the bank details and the QR code
        payment_models = {"payment.provider", "payment.transaction"}
        with patch.object(
            Environment, "__contains__", lambda env, name: name not in payment_models and name in env.registry
        ):
            values = portal._page_values(self.customer)
        self.assertFalse(values["pay"]["online"])
        self.assertEqual(values["pay"]["bank"]["iban"], "FR76 3000 6000 0112 3456 7890 189")
        self.assertTrue(values["pay"]["qr"])


@tagged("post_install", "-at_install")
class TestWaysToPayOtherCurrency(DebtCollectionCommon):
    """A company working in US dollars: no EPC QR code (SEPA transfers are in euros)."""

    def test_no_qr_code_on_a_letter_not_in_euros(self):
        self.env["res.partner.bank"].create({"acc_number": IBAN, "partner_id": self.company.partner_id.id})
        self.customer.write({"street": "12 rue des Lilas", "zip": "69003", "city": "Lyon"})
        self.invoice(1234.56)
        letter = walk_to_firm_letter(self)
        html = self.env["ir.actions.report"]._render_qweb_html(LETTER_REPORT, letter.ids)[0].decode()
        self.assertEqual(self.company.currency_id.name, "USD")
        self.assertNotIn("o_debt_qr", html)
        self.assertIn(f"/my/collection/{self.customer.id}?access_token=", html, "the page's link is there")
