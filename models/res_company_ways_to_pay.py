"""How a company's customers pay it: its bank account, an EPC (SEPA) QR code, Odoo's online payment."""

from odoo import models

#: Longest remittance text an EPC QR code carries (EPC069-12: 140 characters).
EPC_REMITTANCE_LENGTH = 140


class ResCompany(models.Model):
    _inherit = "res.company"

    def _debt_bank_account(self):
        """The company's bank account customers pay to (as invoices choose it), or an empty recordset.

        In the company's currency first, then one allowed for outgoing payments (a trusted one).
        Read as the company's own: whoever receives its letters or statements is told it.
        """
        self.ensure_one()
        return (
            self.sudo()
            .partner_id.bank_ids.filtered(lambda bank: not bank.company_id or bank.company_id == self)
            .sorted(
                lambda bank: (
                    bool(bank.currency_id and bank.currency_id != self.currency_id),
                    not bank.allow_out_payment,
                )
            )[:1]
        )

    def _debt_bank_details(self):
        """``{"iban", "bic", "bank"}`` of the account customers pay to, the IBAN in groups of 4; or False."""
        account = self._debt_bank_account()
        if not account:
            return False
        number = account.sanitized_acc_number or ""
        return {
            "iban": " ".join(number[i : i + 4] for i in range(0, len(number), 4)),
            "bic": account.bank_bic or "",
            "bank": account.bank_id.name or "",
        }

    def _debt_sepa_qr(self, amount, currency, debtor, invoice_names):
        """An EPC (SEPA credit transfer) QR code of ``amount`` to the company's account, as a data URI.

        Computed by Odoo's ``account_qr_code_sepa``; False for an amount not in euros, a zero
        amount or an account that is not a SEPA IBAN. The remittance text lists the invoices.
        """
        self.ensure_one()
        account = self._debt_bank_account()
        if not account or not currency or currency.name != "EUR" or currency.compare_amounts(amount, 0) <= 0:
            return False
        remittance = " ".join(invoice_names)[:EPC_REMITTANCE_LENGTH]
        return (
            account.build_qr_code_base64(
                currency.round(amount),
                remittance,
                None,
                currency,
                debtor,
                qr_method="sct_qr",
                silent_errors=True,
            )
            or False
        )

    def _debt_online_payment_ready(self):
        """True when Odoo's online payment (``account_payment``) is installed and a provider is
        published for the company: the customer's page then offers to pay its invoices online."""
        self.ensure_one()
        if "payment.provider" not in self.env or "invoice_ids" not in self.env["payment.transaction"]._fields:
            return False
        return bool(
            self.env["payment.provider"]
            .sudo()
            .search_count(
                [
                    ("company_id", "=", self.id),
                    ("state", "in", ("enabled", "test")),
                    ("is_published", "=", True),
                ],
                limit=1,
            )
        )
