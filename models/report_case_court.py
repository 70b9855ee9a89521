"""The request for an injonction de payer, and its copy for the debtor."""

from odoo import api, fields, models

from ..rules.cases import missing_for_court
from ..rules.identity import SIREN, SIRET, registry_number
from .account_move import OPEN_PAYMENT_STATES
from .report_debt_letter import Reader

#: A request to a French court is in French, whatever the user's language.
COURT_LANG = "fr_FR"


class ReportCaseCourt(models.AbstractModel):
    """The request for an injonction de payer (requête, CPC 1405 and following), in French.

    Both parties (legal form, name, seat, SIREN or SIRET, representative), the competent
    court and its Cerfa form, the claim itemised with the calculation of the interest and the
    indemnities from the invoices' penalty ledgers, and the numbered list of the pièces of the
    evidence pack. Always in French: it goes to a French greffe.
    """

    _name = "report.account_debt_collection.report_case_court"
    _description = "Court Request (Injonction de payer)"

    @api.model
    def _get_report_values(self, docids, data=None):
        cases = self.env["debt.collection.case"].browse(docids)
        cases.check_access("read")  # what follows reads the case as superuser: only its readers print it
        today = fields.Date.context_today(self)
        copy_lang = self._copy_lang()
        return {
            "doc_ids": docids,
            "doc_model": "debt.collection.case",
            "docs": cases,
            "requests": self._requests(cases, today, self._lang()),
            "copies": self._requests(cases, today, copy_lang) if copy_lang else {},
            "copy_lang": copy_lang,
            "court_lang": COURT_LANG if self._lang_installed(COURT_LANG) else self.env.lang,
        }

    @api.model
    def _lang_installed(self, code):
        """The layout around the request (address, footer) reads in French only if French is installed."""
        return code in dict(self.env["res.lang"].get_installed())

    @api.model
    def _lang(self):
        return COURT_LANG

    @api.model
    def _copy_lang(self):
        """The language of a copy for the user after the French original: none here."""
        return False

    def _requests(self, cases, today, lang):
        """``{case_id: values}`` of the requests in ``lang``, the penalties computed once for all."""
        cases = cases.sudo()
        moves = cases.move_ids
        computed = moves._debt_penalties(today) if moves else None
        Letter = self.env["report.account_debt_collection.report_debt_letter"]
        requests = {}
        for case in cases:
            company = case.company_id
            debtor = case.partner_id.commercial_partner_id
            reader = Reader(self.env, lang, company.country_id.code, company.currency_id)
            open_moves = case.move_ids.filtered(lambda m: m.payment_state in OPEN_PAYMENT_STATES)
            principal = sum(open_moves.mapped("amount_residual_signed"))
            penalties = Letter._penalty_table(case.move_ids, reader, computed) if computed else []
            interest = sum(item["interest_value"] for item in penalties)
            indemnity = sum(item["indemnity_value"] for item in penalties)
            warnings = []
            for move in case.move_ids:
                if computed and move.id in computed.by_invoice:
                    warnings += [w for w in computed.by_invoice[move.id].warnings if w not in warnings]
            signatory = company.debt_signatory_id
            requests[case.id] = {
                "date": reader.long_date(today),
                "place": company.city or "",
                "creditor": self._party(company.partner_id, reader, company),
                "debtor": self._party(debtor, reader),
                "representative": signatory.name or "",
                "representative_function": company.debt_signatory_function or "",
                "court": case.court_name,
                "cerfa": case.court_cerfa,
                "invoices": [
                    {
                        "name": move.name,
                        "date": reader.date(move.invoice_date),
                        "due_date": reader.date(move.invoice_date_due),
                        "amount": reader.amount(move.amount_total_signed),
                        "due": reader.amount(move.amount_residual_signed),
                    }
                    for move in open_moves.sorted(lambda m: (m.invoice_date_due, m.id))
                ],
                "penalties": penalties,
                "bases": list(dict.fromkeys(row["basis"] for item in penalties for row in item["rows"])),
                "principal": reader.amount(principal),
                "interest": reader.amount(interest),
                "indemnity": reader.amount(indemnity) if indemnity else False,
                "total": reader.amount(principal + interest + indemnity),
                "pieces": [
                    {"number": number, "kind": document.kind, "name": self._piece_name(document, reader)}
                    for number, document in enumerate(case.document_ids, start=1)
                ],
                "missing": missing_for_court(case.document_ids.mapped("kind")),
                "warnings": warnings,
            }
        return requests

    @api.model
    def _piece_name(self, document, reader):
        """What identifies a piece: a letter sent by its date (and registered number), else its name."""
        model, _sep, res_id = (document.origin or "").partition(",")
        if model != "debt.collection.event" or not res_id.isdigit():
            return document.name
        event = self.env["debt.collection.event"].browse(int(res_id)).exists()
        if not event:
            return document.name
        day = reader.long_date(event.sent_date or event.date)
        return f"{day} (n° {event.tracking_number})" if event.tracking_number else day

    @api.model
    def _party(self, partner, reader, company=None):
        """A party as the Cerfa form asks it: legal form, name, seat, registration, representative."""
        registry = registry_number(partner.company_registry)
        address = [
            partner.street,
            partner.street2,
            " ".join(filter(None, [partner.zip, partner.city])),
            partner.country_id.name if partner.country_id.code != "FR" else False,
        ]
        return {
            "name": partner.name,
            "is_company": bool(partner.is_company or company),
            "consumer": not company and partner.debt_is_consumer,
            "public": not company and partner.debt_is_public_body,
            "legal_form": partner.debt_legal_form or "",
            "capital": reader.amount(company.debt_share_capital)
            if company and company.debt_share_capital
            else "",
            "address": [line for line in address if line],
            "registry_label": {SIRET: "SIRET", SIREN: "SIREN"}[registry.kind] if registry else "",
            "registry": registry.spaced if registry else partner.company_registry or "",
            "siren": registry.siren_spaced if registry else "",
            "rcs_city": company.debt_trade_register_city if company else "",
            "vat": partner.vat or "",
        }


class ReportCaseCourtCopy(models.AbstractModel):
    """The French request, followed by a copy of the case summary in the user's language."""

    _name = "report.account_debt_collection.report_case_court_copy"
    _inherit = "report.account_debt_collection.report_case_court"
    _description = "Court Request with a Copy in the User's Language"

    @api.model
    def _copy_lang(self):
        lang = self.env.user.lang or self.env.lang
        return lang if lang and not lang.startswith("fr") else False


class ReportCaseSummary(models.AbstractModel):
    """The summary of a case for an agency, a factor or the user, in the user's language."""

    _name = "report.account_debt_collection.report_case_summary"
    _inherit = "report.account_debt_collection.report_case_court"
    _description = "Collection Case Summary"

    @api.model
    def _lang(self):
        return self.env.lang or self.env.user.lang
