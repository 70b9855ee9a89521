"""What a dunning letter shows on the day it is printed: figures, penalties, identity, ways to pay."""

from datetime import timedelta

import babel.dates
import babel.numbers
from babel import Locale, UnknownLocaleError

from odoo import api, fields, models
from odoo.tools import format_amount, format_date
from odoo.tools.misc import babel_locale_parse, get_lang

from ..rules.dates import days_late
from ..rules.identity import registry_number
from ..rules.legal import CONSUMER, PROFESSIONAL, PUBLIC
from .account_move import OPEN_ITEMS_DOMAIN, SETTLED_PAYMENT_STATES

#: Days a firm reminder or a formal notice gives to pay.
DEADLINE_DAYS = 8


class ReportDebtLetter(models.AbstractModel):
    """What a dunning letter shows on the day it is printed, for each event.

    ``letter_date``: ``data["letter_date"]``, else the context's ``debt_letter_date``, else
    today. The letter lists the event's invoices still open with their amount due on that
    day, the penalties of its invoices (``account.move._debt_penalties``, still owed on that
    day), the deadline, who signs and how to pay; every text in the reader's language and
    formats. With ``data["draft"]`` (or the context's ``debt_letter_draft``), or for a
    letter awaiting approval, the warnings of the figures (rates carried over) are printed
    on top, for the person who checks it: never on what is sent.
    """

    _name = "report.account_debt_collection.report_debt_letter"
    _description = "Dunning Letter"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        context = self.env.context
        events = self.env["debt.collection.event"].browse(docids)
        events.check_access("read")  # the letters are read as superuser: only the events' readers print them
        letter_date = fields.Date.to_date(
            data.get("letter_date") or context.get("debt_letter_date") or fields.Date.context_today(self)
        )
        draft = bool(data.get("draft") or context.get("debt_letter_draft"))
        return {
            "doc_ids": docids,
            "doc_model": "debt.collection.event",
            "docs": events,
            "letters": self._letters(events, letter_date, draft),
        }

    # ------------------------------------------------------------------ per event

    def _letters(self, events, letter_date, draft):
        """``{event_id: values}`` of these events' letters, read in a few batched queries."""
        events = events.sudo()
        events._debt_prepare_links()
        moves = events.line_ids.move_id
        computed = moves._debt_penalties(letter_date) if moves else None
        credits = self._open_credits(events)
        letters = {}
        for event in events:
            partner = event.partner_id.commercial_partner_id
            reader = Reader(self.env, partner.lang, partner.country_id.code, event.company_id.currency_id)
            letters[event.id] = self._letter(event, partner, reader, letter_date, computed, credits, draft)
        # a statement of account sent or printed from the follow-up: the statement's own values
        Statement = self.env["report.account_debt_collection.report_debt_statement"].sudo()
        statements = events.filtered(lambda event: event.letter_type == "statement")
        for company, company_events in statements.grouped("company_id").items():
            values = Statement._statements(company_events.partner_id, company)
            for event in company_events:
                letters[event.id]["statement"] = values[event.partner_id.id]
        return letters

    def _letter(self, event, partner, reader, letter_date, computed, credits, draft):
        company = event.company_id
        lines = event.line_ids.filtered(_is_open).sorted(lambda line: (line.due_date or letter_date, line.id))
        total_due = sum(_amount_due(line) for line in lines)
        credit = credits.get((company.id, partner.id), 0.0)
        net_due = max(total_due - credit, 0.0)
        states_penalties = computed and self._states_penalties(event)
        penalties = self._penalty_table(event.line_ids.move_id, reader, computed) if states_penalties else []
        interest = sum(item["interest_value"] for item in penalties)
        indemnity = sum(item["indemnity_value"] for item in penalties)
        warnings = []
        if computed and (draft or event.state == "to_approve"):
            for move in event.line_ids.move_id:
                warnings += [w for w in computed.by_invoice[move.id].warnings if w not in warnings]
        return {
            "lang": reader.lang,
            "french": reader.lang.startswith("fr"),
            "debtor": self._debtor_kind(partner),
            "date": reader.long_date(letter_date),
            "place": company.city or "",
            "registered": event.channel == "registered_letter",
            "lines": [
                {
                    "name": line.move_id.name,
                    "invoice_date": reader.date(line.move_id.invoice_date),
                    "due_date": reader.date(line.due_date),
                    "amount": reader.amount(line.amount_total, line.currency_id),
                    "due": reader.amount(_amount_due(line), line.currency_id),
                    "days_late": days_late(line.due_date, letter_date),
                }
                for line in lines
            ],
            "total_due": reader.amount(total_due),
            "credit": reader.amount(credit) if credit else False,
            "net_due": reader.amount(net_due),
            "penalties": penalties,
            "bases": list(dict.fromkeys(row["basis"] for item in penalties for row in item["rows"])),
            "interest": reader.amount(interest),
            "indemnity": reader.amount(indemnity) if indemnity else False,
            "claimed": reader.amount(net_due + interest + indemnity),
            "deadline_days": DEADLINE_DAYS,
            "deadline_date": reader.long_date(letter_date + timedelta(days=DEADLINE_DAYS)),
            "promise": event.broken_promise_id
            and {
                "amount": reader.amount(event.broken_promise_id.amount, event.broken_promise_id.currency_id),
                "date": reader.long_date(event.broken_promise_id.date),
            },
            "signatory": self._signatory(company),
            "bank": company._debt_bank_details(),
            "pay": self._pay(
                company,
                partner,
                reader,
                net_due + interest + indemnity,
                lines.move_id.mapped("name"),
                all(line.currency_id == company.currency_id for line in lines),
            ),
            "identity": self._identity(company, reader),
            "warnings": warnings,
            "call_date": reader.long_date(event.date),
            "recap": (event.note or "").splitlines() if event.letter_type == "call_recap" else [],
        }

    @api.model
    def _states_penalties(self, event):
        """The letters that state the penalties: formal notices, and the steps that charge them."""
        return event.letter_type == "formal_notice" or bool(event.step_id.charge_penalties)

    @api.model
    def _debtor_kind(self, partner):
        if partner.debt_is_public_body:
            return PUBLIC
        return CONSUMER if partner.debt_is_consumer else PROFESSIONAL

    @api.model
    def _penalty_table(self, moves, reader, computed):
        """Per invoice with penalties left: its periods, interest and indemnity, for the reader.

        ``computed``: ``account.move._debt_penalties`` of (at least) these invoices. The court
        request prints the same table.
        """
        table = []
        for move in moves.sorted(lambda m: (m.invoice_date_due, m.id)):
            penalty = computed.by_invoice.get(move.id)
            if not penalty or not penalty.total:
                continue
            ledger = penalty.ledger
            several = len(ledger.instalments) > 1
            table.append(
                {
                    "name": move.name,
                    "due_date": reader.date(move.invoice_date_due),
                    "rows": [
                        self._penalty_row(period, reader, instalment.due_date if several else None)
                        for instalment, period in ledger.open_periods
                    ],
                    "adjustment": reader.amount(ledger.adjustment) if ledger.adjustment else False,
                    "invoiced_to": reader.date(ledger.invoiced_to) if ledger.interest_invoiced else False,
                    "interest": reader.amount(ledger.interest),
                    "interest_value": float(ledger.interest),
                    "indemnity": reader.amount(ledger.indemnity) if ledger.indemnity else False,
                    "indemnity_value": float(ledger.indemnity),
                }
            )
        return table

    @api.model
    def _penalty_row(self, period, reader, instalment_due=None):
        reference = period.reference_rate
        return {
            "due_date": reader.date(instalment_due) if instalment_due else False,
            "base": reader.amount(period.base),
            "date_from": reader.date(period.date_from),
            "date_to": reader.date(period.date_to),
            "days": period.days,
            "rate": reader.rate(period.rate),
            "basis": period.basis,
            "reference_rate": reader.rate(reference) if reference is not None else "",
            "reference_date": reader.long_date(period.reference_date) if period.reference_date else "",
            "carried_over": period.carried_over,
            "amount": reader.amount(period.amount),
        }

    @api.model
    def _open_credits(self, events):
        """``{(company_id, partner_id): amount}`` of the customers' unreconciled credits, in one query."""
        groups = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", events.partner_id.commercial_partner_id.ids),
                    ("company_id", "in", events.company_id.ids),
                    *OPEN_ITEMS_DOMAIN,
                    ("amount_residual", "<", 0),
                ],
                ["company_id", "partner_id"],
                ["amount_residual:sum"],
            )
        )
        return {(company.id, partner.id): -amount for company, partner, amount in groups}

    @api.model
    def _signatory(self, company):
        user = company.debt_signatory_id
        return {
            "name": user.name or "",
            "function": company.debt_signatory_function or "",
            "email": user.email or company.email or "",
            "phone": user.phone or company.phone or "",
        }

    @api.model
    def _pay(self, company, partner, reader, amount, invoice_names, in_company_currency=True):
        """How a letter says to pay ``amount`` (what it asks for), for ``reader``: the customer's
        page, the bank details, and when the amount is in euros an EPC (SEPA) QR code of it to the
        company's IBAN. Statements of account say the same (``report_debt_statement.py``)."""
        currency = company.currency_id
        qr = in_company_currency and company._debt_sepa_qr(amount, currency, partner, invoice_names)
        return {
            "page_url": partner._debt_portal_url(),
            "bank": company._debt_bank_details(),
            "qr": qr,
            "amount": reader.amount(amount),
        }

    @api.model
    def _identity(self, company, reader):
        """The company's legal mentions (Code de commerce R123-237), as parts the template words."""
        registry = registry_number(company.company_registry)
        return {
            "name": company.name,
            "legal_form": company.partner_id.debt_legal_form or "",
            "capital": reader.amount(company.debt_share_capital) if company.debt_share_capital else "",
            "rcs_city": company.debt_trade_register_city or "",
            "siren": registry.siren_spaced if registry else "",
            "siret": registry.spaced if registry and registry.kind == "siret" else "",
            "registry": company.company_registry if company.company_registry and not registry else "",
            "vat": company.vat or "",
        }


def _is_open(line):
    """An event line the letter still lists: its invoice not settled, its instalment still owed."""
    return line.move_id.payment_state not in SETTLED_PAYMENT_STATES and _amount_due(line) > 0


def _amount_due(line):
    """What the line's instalment still owes on the day of the letter, in the invoice's currency.

    Lines written before instalments were listed one by one stand for their whole invoice.
    """
    if line.move_line_id:
        return line.move_line_id.amount_residual_currency
    return line.move_id.amount_residual


class Reader:
    """Formats figures as a document's reader writes them: their language, and their country's dates.

    A customer in the United Kingdom whose language is plain English reads 30/04/2026, not
    4/30/2026: dates follow the locale of the language and the customer's country when babel
    knows it; amounts and rates follow the language, also one not installed (a court request
    is in French whatever the database's languages).
    """

    def __init__(self, env, lang, country_code, currency):
        installed = {code for code, _name in env["res.lang"].get_installed()}
        self.lang = lang if lang in installed or lang == "fr_FR" else get_lang(env, lang).code
        self.installed = self.lang in installed
        self.env = env(context=dict(env.context, lang=self.lang)) if self.installed else env
        self.currency = currency
        self.locale = babel_locale_parse(self.lang)
        self.date_locale = self.locale
        if country_code and country_code != self.locale.territory:
            try:
                self.date_locale = Locale.parse(f"{self.locale.language}_{country_code}")
            except (ValueError, UnknownLocaleError):
                self.date_locale = self.locale

    def date(self, day):
        if not day:
            return ""
        if self.installed and self.date_locale is self.locale:
            return format_date(self.env, day, lang_code=self.lang)
        pattern = self.date_locale.date_formats["short"].pattern
        if "yyyy" not in pattern:
            pattern = pattern.replace("yy", "y")
        return babel.dates.format_date(day, pattern, locale=self.date_locale)

    def long_date(self, day):
        """"2 May 2026", "2 mai 2026"; in French the first of the month is "1er"."""
        if not day:
            return ""
        text = babel.dates.format_date(day, "long", locale=self.date_locale)
        if self.date_locale.language == "fr" and day.day == 1 and text.startswith("1 "):
            text = "1er " + text[2:]
        return text

    def amount(self, value, currency=None):
        currency = currency or self.currency
        if self.installed:
            return format_amount(self.env, float(value), currency, lang_code=self.lang)
        return babel.numbers.format_currency(float(value), currency.name, locale=self.locale)

    def rate(self, value):
        return self.env["debt.collection.rate"]._format_rate(value, self.lang)
