"""Paying from the customer's page with Odoo's own online payment, when ``account_payment`` is there.

The module does not depend on ``account_payment``: it bridges to it. When the module is not
installed, or no payment provider is published for the company, these routes answer 404 and
the page offers the bank details and the EPC QR code only. Otherwise the customer chooses
one or several invoices and pays them through Odoo's payment form and providers; the
transaction carries the invoices, which ``account_payment`` reconciles when it is done.
"""

import importlib

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.http import request
from odoo.tools import format_amount

from ..models.res_partner_portal import PAGE_ROUTE
from .portal import DebtCollectionCustomerPortal, customer_or_404, page_url


def payment_portal():
    """Odoo's payment controller (module ``payment``), imported only when it is installed."""
    return importlib.import_module("odoo.addons.payment.controllers.portal").PaymentPortal


class DebtCollectionPaymentPortal(DebtCollectionCustomerPortal):
    @http.route(f"{PAGE_ROUTE}/<int:partner_id>/pay", type="http", auth="public", website=True, sitemap=False)
    def debt_collection_pay(self, partner_id, access_token=None, **kwargs):
        customer = customer_or_404(partner_id, access_token)
        portal = request.env["debt.collection.portal"].sudo()
        try:
            moves = portal._chosen_invoices(customer, request.httprequest.args.getlist("move_ids"))
            self._debt_check_payable(moves)
        except UserError as error:
            return self._debt_render(customer, access_token, error=self._debt_error(error), status=400)
        values = self._prepare_portal_layout_values()
        values.update(self._debt_payment_values(customer, moves, access_token))
        return request.render("account_debt_collection.portal_debt_collection_pay", values)

    @http.route(f"{PAGE_ROUTE}/<int:partner_id>/transaction/<string:move_ids>", type="jsonrpc", auth="public")
    def debt_collection_transaction(self, partner_id, move_ids, access_token=None, **kwargs):
        """Create the transaction of the chosen invoices (the payment form calls it) and return
        its processing values; the amount is what the invoices owe, whatever the browser sent."""
        portal = request.env["debt.collection.portal"].sudo()
        customer = portal._customer_for(partner_id, access_token or None)
        if not customer:
            raise ValidationError(request.env._("This link is not valid."))
        moves = portal._chosen_invoices(customer, move_ids.split("-"))
        self._debt_check_payable(moves)
        portal._check_daily_limit(customer, moves.company_id)
        PaymentPortal = payment_portal()
        PaymentPortal._validate_transaction_kwargs(kwargs)
        kwargs.update(
            amount=sum(moves.mapped("amount_residual")),
            currency_id=moves.currency_id.id,
            partner_id=self._debt_payer(customer).id,
            landing_route=page_url(customer, access_token, done="paid"),
        )
        kwargs.pop("csrf_token", None)
        transaction = PaymentPortal()._create_transaction(
            custom_create_values={"invoice_ids": [Command.set(moves.ids)]}, **kwargs
        )
        env = portal._company_text(moves.company_id)
        portal._record(
            customer,
            "portal_payment",
            moves,
            env._(
                "Online payment of %(amount)s started (%(reference)s).",
                amount=format_amount(env, transaction.amount, transaction.currency_id),
                reference=transaction.reference,
            ),
        )
        return transaction._get_processing_values()

    def _debt_check_payable(self, moves):
        if not moves.company_id._debt_online_payment_ready():
            raise request.not_found()
        if len(moves.currency_id) > 1:
            raise UserError(request.env._("Pay invoices of one currency at a time."))

    def _debt_payer(self, customer):
        """Who pays: the logged-in user's partner (its saved payment methods), else the customer."""
        user = request.env.user
        return customer if user._is_public() else user.partner_id

    def _debt_payment_values(self, customer, moves, access_token):
        """The values of Odoo's payment form (``payment.form``) for these invoices."""
        PaymentPortal = payment_portal()
        company = moves.company_id
        currency = moves.currency_id
        amount = sum(moves.mapped("amount_residual"))
        payer = self._debt_payer(customer)
        report = {}
        providers = (
            request.env["payment.provider"]
            .sudo()
            ._get_compatible_providers(company.id, payer.id, amount, currency_id=currency.id, report=report)
        )
        methods = (
            request.env["payment.method"]
            .sudo()
            ._get_compatible_payment_methods(providers.ids, payer.id, currency_id=currency.id, report=report)
        )
        return {
            "page_name": "debt_collection",
            "customer_name": customer.name,
            "page_url": page_url(customer, access_token),
            "invoices": [
                {"name": move.name, "due": format_amount(request.env, move.amount_residual, currency)}
                for move in moves
            ],
            "amount": amount,
            "amount_label": format_amount(request.env, amount, currency),
            "currency": currency,
            "partner_id": payer.id,
            "providers_sudo": providers,
            "payment_methods_sudo": methods,
            "tokens_sudo": request.env["payment.token"].sudo()._get_available_tokens(providers.ids, payer.id),
            "availability_report": report,
            "show_tokenize_input_mapping": PaymentPortal._compute_show_tokenize_input_mapping(providers),
            "company_mismatch": not PaymentPortal._can_partner_pay_in_company(payer, company),
            "expected_company": company,
            "transaction_route": f"{PAGE_ROUTE}/{customer.id}/transaction/{'-'.join(map(str, moves.ids))}",
            "landing_route": page_url(customer, access_token, done="paid"),
            "access_token": access_token or "",
        }
