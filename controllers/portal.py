"""The customer's page on Odoo's portal: ``/my/collection/<customer id>``.

Reached logged in (My Account) or through the signed link of every collection email and
letter (``?access_token=``). Whoever is not that customer, or holds no valid token of it,
gets a 404 and nothing else. This controller only checks who asks and hands the request to
``debt.collection.portal``, which shows and does everything; every form is a POST with
Odoo's CSRF token.
"""

from werkzeug.urls import url_encode

from odoo import fields, http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.exceptions import UserError, ValidationError
from odoo.http import content_disposition, request
from odoo.tools import format_date

from ..models.debt_collection_portal import MAX_BYTES
from ..models.res_partner_portal import PAGE_ROUTE

#: What the page says after a form went through (``?done=``).
DONE_MESSAGES = ("promise", "proposed", "dispute", "paid")


def page_url(customer, access_token=None, **query):
    """The page's URL, keeping the token of a visitor who came through the signed link."""
    params = {key: value for key, value in {"access_token": access_token, **query}.items() if value}
    return f"{PAGE_ROUTE}/{customer.id}" + (f"?{url_encode(params)}" if params else "")


def customer_or_404(partner_id, access_token):
    """The customer this request may see; a 404 (nothing shown) for anyone else."""
    customer = request.env["debt.collection.portal"].sudo()._customer_for(partner_id, access_token)
    if not customer:
        raise request.not_found()
    return customer


class DebtCollectionCustomerPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "debt_collection_count" in counters:
            customer = request.env.user.partner_id.commercial_partner_id
            values["debt_collection_count"] = (
                request.env["debt.collection.portal"].sudo()._open_invoice_count(customer)
            )
        return values

    @http.route(PAGE_ROUTE, type="http", auth="user", website=True)
    def debt_collection_home(self, **kwargs):
        return request.redirect(page_url(request.env.user.partner_id.commercial_partner_id))

    @http.route(f"{PAGE_ROUTE}/<int:partner_id>", type="http", auth="public", website=True, sitemap=False)
    def debt_collection_page(self, partner_id, access_token=None, done=None, **kwargs):
        customer = customer_or_404(partner_id, access_token)
        request.env["debt.collection.portal"].sudo()._record(customer, "portal_viewed", once_a_day=True)
        return self._debt_render(customer, access_token, done=done if done in DONE_MESSAGES else None)

    def _debt_render(self, customer, access_token, error=None, done=None, status=200):
        portal = request.env["debt.collection.portal"].sudo()
        values = self._prepare_portal_layout_values()
        values.update(portal._page_values(customer))
        values.update(
            {
                "page_name": "debt_collection",
                "customer_id": customer.id,
                "access_token": access_token or "",
                "page_url": page_url(customer, access_token),
                "error": error,
                "done": done,
                # the message thread is the customer's chatter, opened by its token
                "thread_object": customer,
                "thread_token": customer.debt_portal_valid_token or self._debt_token_for(customer),
            }
        )
        return request.render("account_debt_collection.portal_debt_collection_page", values, status=status)

    def _debt_token_for(self, customer):
        """A logged-in customer without a valid link yet gets one, for the page's message thread."""
        customer.with_company(
            request.env["debt.collection.portal"].sudo()._companies(customer)[:1]
        )._debt_portal_ensure_tokens()
        return customer.debt_portal_valid_token

    # ------------------------------------------------------------------ forms

    @http.route(
        f"{PAGE_ROUTE}/<int:partner_id>/promise", type="http", auth="public", methods=["POST"], website=True
    )
    def debt_collection_promise(
        self, partner_id, access_token=None, promise_date=None, amount=None, **kwargs
    ):
        customer = customer_or_404(partner_id, access_token)
        try:
            promised = fields.Date.to_date(promise_date) if promise_date else None
            promise = (
                request.env["debt.collection.portal"]
                .sudo()
                ._promise(
                    customer,
                    request.httprequest.form.getlist("move_ids"),
                    promised,
                    self._debt_amount(amount),
                )
            )
        except (UserError, ValidationError, ValueError) as error:
            return self._debt_render(customer, access_token, error=self._debt_error(error), status=400)
        done = "proposed" if promise.state == "proposed" else "promise"
        return request.redirect(page_url(customer, access_token, done=done) + "#debt_promises")

    @http.route(
        f"{PAGE_ROUTE}/<int:partner_id>/dispute", type="http", auth="public", methods=["POST"], website=True
    )
    def debt_collection_dispute(
        self, partner_id, access_token=None, move_id=None, reason_id=None, comment=None, **kwargs
    ):
        customer = customer_or_404(partner_id, access_token)
        uploads = [upload for upload in request.httprequest.files.getlist("attachments") if upload.filename]
        # one byte more than allowed is enough to refuse a file too large
        files = [(upload.filename, upload.read(MAX_BYTES + 1)) for upload in uploads]
        try:
            request.env["debt.collection.portal"].sudo()._dispute(
                customer, move_id, reason_id, (comment or "").strip(), files
            )
        except (UserError, ValidationError, ValueError) as error:
            return self._debt_render(customer, access_token, error=self._debt_error(error), status=400)
        return request.redirect(page_url(customer, access_token, done="dispute") + "#debt_disputes")

    def _debt_amount(self, amount):
        """An amount typed by the customer, with a dot or a comma as decimal separator."""
        text = (amount or "").strip().replace("\N{NO-BREAK SPACE}", "").replace(" ", "").replace(",", ".")
        return float(text) if text else 0.0

    def _debt_error(self, error):
        if isinstance(error, ValueError):
            return request.env._("Check the date and the amount you typed.")
        return error.args[0] if error.args else str(error)

    # ------------------------------------------------------------------ documents

    @http.route(f"{PAGE_ROUTE}/<int:partner_id>/statement", type="http", auth="public", website=True)
    def debt_collection_statement(self, partner_id, access_token=None, **kwargs):
        customer = customer_or_404(partner_id, access_token)
        portal = request.env["debt.collection.portal"].sudo()
        company = portal._companies(customer)[:1]
        env = portal._company_text(company)
        portal._record(
            customer, "portal_downloaded", note=env._("Statement of account downloaded."), once_a_day=True
        )
        report = request.env["ir.actions.report"].sudo().with_company(company)
        pdf, _type = report._render_qweb_pdf(
            "account_debt_collection.action_report_debt_statement", customer.ids
        )
        return self._debt_pdf(pdf, request.env._("Statement of account"))

    @http.route(
        f"{PAGE_ROUTE}/<int:partner_id>/invoice/<int:move_id>", type="http", auth="public", website=True
    )
    def debt_collection_invoice(self, partner_id, move_id, access_token=None, **kwargs):
        """The invoice's PDF, from Odoo's own portal route (with the invoice's access token)."""
        customer = customer_or_404(partner_id, access_token)
        portal = request.env["debt.collection.portal"].sudo()
        move = (
            request.env["account.move"]
            .sudo()
            .search(
                [
                    ("id", "=", move_id),
                    ("commercial_partner_id", "=", customer.id),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("state", "=", "posted"),
                ]
            )
        )
        if not move:
            raise request.not_found()
        env = portal._company_text(move.company_id)
        portal._record(
            customer,
            "portal_downloaded",
            move,
            env._("Invoice %(invoice)s downloaded.", invoice=move.name),
            True,
        )
        return request.redirect(move.get_portal_url(report_type="pdf", download=True))

    @http.route(
        f"{PAGE_ROUTE}/<int:partner_id>/letter/<int:event_id>", type="http", auth="public", website=True
    )
    def debt_collection_letter(self, partner_id, event_id, access_token=None, **kwargs):
        """A letter sent to the customer, as it was printed."""
        customer = customer_or_404(partner_id, access_token)
        portal = request.env["debt.collection.portal"].sudo()
        event = (
            request.env["debt.collection.event"]
            .sudo()
            .search(
                [
                    ("id", "=", event_id),
                    ("partner_id", "=", customer.id),
                    ("channel", "in", ("letter", "registered_letter")),
                    ("state", "=", "done"),
                ]
            )
        )
        if not event:
            raise request.not_found()
        env = portal._company_text(event.company_id)
        portal._record(
            customer,
            "portal_downloaded",
            event.line_ids.move_id,
            env._("Letter of %(date)s downloaded.", date=format_date(env, event.printed_date or event.date)),
            True,
        )
        if event.letter_attachment_id:
            pdf = event.letter_attachment_id.raw
        else:
            report = request.env["ir.actions.report"].sudo().with_company(event.company_id)
            pdf, _type = report.with_context(
                debt_letter_date=event.printed_date or event.date
            )._render_qweb_pdf("account_debt_collection.action_report_debt_letter", event.ids)
        return self._debt_pdf(pdf, request.env._("Letter"))

    def _debt_pdf(self, pdf, name):
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", content_disposition(f"{name}.pdf")),
            ],
        )
