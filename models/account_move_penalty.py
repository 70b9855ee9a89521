"""Late-payment penalties of invoices: the ledger (``rules.penalties``) read and worded for its reader."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from odoo import api, fields, models
from odoo.tools import SQL

from ..rules.penalties import Charged, DueInvoice, Instalment, InvoiceLedger, penalties
from .debt_collection_access import USER

#: Events whose formal notice does not count: not sent yet, or failed.
NOTICE_NOT_SENT_STATES = ("to_approve", "to_print", "error")


@dataclass(frozen=True)
class InvoicePenalty:
    """The penalty ledger of one invoice (``rules.penalties.InvoiceLedger``), worded for its reader.

    ``interest`` and ``indemnity`` are what is still owed: not invoiced yet.
    """

    ledger: InvoiceLedger
    warnings: tuple[str, ...] = ()

    @property
    def interest(self):
        return self.ledger.interest

    @property
    def indemnity(self):
        return self.ledger.indemnity

    @property
    def total(self):
        return self.ledger.total


@dataclass
class DebtPenalties:
    by_invoice: dict = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    @property
    def interest(self):
        return sum((p.interest for p in self.by_invoice.values()), Decimal("0.00"))

    @property
    def indemnity(self):
        return sum((p.indemnity for p in self.by_invoice.values()), Decimal("0.00"))


class AccountMove(models.Model):
    """The penalty ledger of customer invoices: late interest and recovery indemnity.

    The arithmetic is in ``rules.legal`` and ``rules.penalties``; here the invoices, their
    payments, their formal notices and their penalty invoices are read in a few queries.
    """

    _inherit = "account.move"

    debt_is_penalty_invoice = fields.Boolean(
        string="Penalty Invoice",
        copy=False,
        readonly=True,
        debt_write=USER,
        help="Charges late-payment penalties: it bears no penalty itself and is not reminded.",
    )
    debt_penalty_interest = fields.Monetary(
        string="Interest to Invoice",
        compute="_compute_debt_penalty_figures",
        currency_field="company_currency_id",
        help="Late interest accrued and not invoiced yet (to the date of the penalty wizard, else today).",
    )
    debt_penalty_interest_invoiced = fields.Monetary(
        string="Interest Invoiced",
        compute="_compute_debt_penalty_figures",
        currency_field="company_currency_id",
    )
    debt_penalty_indemnity = fields.Monetary(
        string="Indemnity to Invoice",
        compute="_compute_debt_penalty_figures",
        currency_field="company_currency_id",
        help="The 40 EUR recovery indemnity when due and not invoiced yet.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("debt_penalty_source_ids"):
                vals["debt_is_penalty_invoice"] = True
        return super().create(vals_list)

    @api.depends_context("debt_penalty_date")
    def _compute_debt_penalty_figures(self):
        to_date = self.env.context.get("debt_penalty_date") or fields.Date.context_today(self)
        moves = self.filtered(lambda m: m.id and m.move_type == "out_invoice" and m.state == "posted")
        computed = moves._debt_penalties(fields.Date.to_date(to_date)) if moves else DebtPenalties()
        for move in self:
            penalty = computed.by_invoice.get(move.id)
            move.debt_penalty_interest = float(penalty.interest) if penalty else 0.0
            move.debt_penalty_interest_invoiced = float(penalty.ledger.interest_invoiced) if penalty else 0.0
            move.debt_penalty_indemnity = float(penalty.indemnity) if penalty else 0.0

    # ------------------------------------------------------------------ the ledger

    def _debt_penalties(self, to_date):
        """The penalty ledger of these invoices at ``to_date``, per invoice: what is still owed.

        Interest runs on each instalment (receivable line) including tax, from its own due
        date, net of the credit notes that corrected it; payments reduce its base from the day
        after; the indemnity is due once per late invoice; a consumer owes interest only on the
        invoices a sent formal notice named, from the day it took effect. What penalty
        invoices already charged is taken off. Never raises on an odd or missing rate: the
        figures come with ``warnings``, worded in the current language.
        """
        result = DebtPenalties()
        moves = self.filtered(lambda m: m.move_type == "out_invoice" and m.invoice_date_due)
        if not moves:
            return result
        moves = moves.sudo()  # payments, events and penalty lines are read whoever asks
        Rate = self.env["debt.collection.rate"]
        table = Rate.sudo()._rate_table()
        instalments = moves._debt_instalments()
        notices = moves._debt_formal_notice_dates()
        charged = moves._debt_charged_penalties()
        warnings = []
        worded = {}  # the same notice (a missing half-year, say) stands on most invoices
        for (company, partner), group in moves.grouped(
            lambda m: (m.company_id, m.commercial_partner_id)
        ).items():
            invoices = [
                DueInvoice(
                    move.id,
                    tuple(instalments.get(move.id, ())),
                    notices.get(move.id),
                    tuple(charged.get(move.id, ())),
                    move.debt_is_penalty_invoice,
                )
                for move in group
            ]
            computed = penalties(invoices, to_date, table=table, terms=company._debt_penalty_terms(partner))
            for move_id, ledger in computed.by_invoice.items():
                for notice in ledger.notices:
                    if notice not in worded:
                        worded[notice] = Rate._notice_text(notice)
                texts = tuple(worded[notice] for notice in ledger.notices)
                result.by_invoice[move_id] = InvoicePenalty(ledger, texts)
                warnings += [text for text in texts if text not in warnings]
        result.warnings = tuple(warnings)
        return result

    def _debt_instalments(self):
        """``{move_id: [Instalment]}``: each invoice's receivable lines and what reconciled them.

        Amounts in company currency. A credit note corrects the instalment it is reconciled
        with (its amount was never owed); anything else is a payment, made on the day the
        reconciliation took effect. Two queries, whatever the number of invoices.
        """
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT line.id, line.move_id, line.date_maturity, line.balance
                     FROM account_move_line line
                    WHERE line.move_id = ANY(%s) AND line.display_type = 'payment_term'
                 ORDER BY line.date_maturity, line.id""",
                self.ids,
            )
        )
        lines = self.env.cr.fetchall()
        self.env.cr.execute(
            SQL(
                """SELECT partial.debit_move_id, partial.max_date, counterpart_move.move_type = 'out_refund',
                          SUM(partial.amount)
                     FROM account_partial_reconcile partial
                     JOIN account_move_line counterpart ON counterpart.id = partial.credit_move_id
                     JOIN account_move counterpart_move ON counterpart_move.id = counterpart.move_id
                    WHERE partial.debit_move_id = ANY(%s)
                 GROUP BY 1, 2, 3""",
                [line_id for line_id, *_rest in lines],
            )
        )
        payments, credited = defaultdict(list), defaultdict(Decimal)
        for line_id, day, is_credit_note, amount in self.env.cr.fetchall():
            if is_credit_note:
                credited[line_id] += Decimal(str(amount))
            else:
                payments[line_id].append((day, Decimal(str(amount))))
        due_dates = {move.id: move.invoice_date_due for move in self}
        instalments = defaultdict(list)
        for line_id, move_id, date_maturity, balance in lines:
            instalments[move_id].append(
                Instalment(
                    line_id,
                    date_maturity or due_dates[move_id],
                    Decimal(str(balance)) - credited[line_id],
                    tuple(payments[line_id]),
                )
            )
        return instalments

    def _debt_formal_notice_dates(self):
        """``{move_id: date}``: when the first formal notice that named each invoice took effect.

        Only notices that went out count (not awaiting approval or printing, not failed); the
        date is the event's legal effect date (``debt.collection.event._debt_legal_effect_date``).
        """
        lines = (
            self.env["debt.collection.event.line"]
            .sudo()
            .search(
                [
                    ("move_id", "in", self.ids),
                    ("event_id.letter_type", "=", "formal_notice"),
                    ("event_id.state", "not in", NOTICE_NOT_SENT_STATES),
                ]
            )
        )
        effect = {event: event._debt_legal_effect_date() for event in lines.event_id}
        dates = {}
        for line in lines:
            day = effect[line.event_id]
            if day and (line.move_id.id not in dates or day < dates[line.move_id.id]):
                dates[line.move_id.id] = day
        return dates

    def _debt_charged_penalties(self):
        """``{move_id: [Charged]}``: what the penalty invoices that are not cancelled charged."""
        groups = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [("debt_penalty_source_id", "in", self.ids), ("parent_state", "!=", "cancel")],
                ["debt_penalty_source_id", "debt_penalty_kind", "debt_penalty_date_to:day"],
                ["balance:sum"],
            )
        )
        charged = defaultdict(list)
        for move, kind, date_to, balance in groups:
            charged[move.id].append(
                Charged(kind, Decimal(str(-balance)).quantize(Decimal("0.01")), date_to or None)
            )
        return charged
