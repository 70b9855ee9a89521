"""Record what a hand-off came to, write the rest off, close the case."""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date


class DebtCollectionCaseOutcomeWizard(models.TransientModel):
    """Record what a hand-off came to, write the rest off, close the case (Managers only)."""

    _name = "debt.collection.case.outcome.wizard"
    _description = "Collection Case Outcome"

    case_id = fields.Many2one("debt.collection.case", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="case_id.company_id")
    currency_id = fields.Many2one(related="case_id.currency_id")
    amount_recovered = fields.Monetary(help="What the agency, the factor or the court recovered.")
    amount_fees = fields.Monetary(string="Fees", compute="_compute_amount_fees", store=True, readonly=False)
    write_off = fields.Boolean(string="Write Off the Rest")
    amount_write_off = fields.Monetary(related="case_id.amount_due", string="Amount to Write Off")
    write_off_account_id = fields.Many2one(
        "account.account",
        string="Write-off Account",
        compute="_compute_write_off_account_id",
        store=True,
        readonly=False,
        check_company=True,
        domain="[('account_type', 'in', ('expense', 'expense_other'))]",
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    note = fields.Text()

    @api.depends("amount_recovered", "case_id.agency_id")
    def _compute_amount_fees(self):
        for wizard in self:
            agency = wizard.case_id.agency_id
            wizard.amount_fees = (
                wizard.amount_recovered * agency.debt_agency_commission / 100 + agency.debt_agency_fixed_fee
                if agency
                else 0.0
            )

    @api.depends("company_id")
    def _compute_write_off_account_id(self):
        Account = self.env["account.account"]
        for wizard in self:
            company_domain = Account._check_company_domain(wizard.company_id)
            wizard.write_off_account_id = Account.search(
                [*company_domain, ("code", "=like", "654%")], limit=1
            ) or Account.search([*company_domain, ("account_type", "=", "expense")], limit=1)

    def action_confirm(self):
        self.ensure_one()
        case = self.case_id
        case._debt_check_manager_on_open_case()
        self._check_input()
        credit_note = self.env["account.move"]
        if self.write_off and not case.currency_id.is_zero(case.amount_due):
            if not self.write_off_account_id:
                raise UserError(self.env._("Choose the account of the write-off."))
            credit_note = self._write_off(case)
        written_off = -sum(credit_note.mapped("amount_total_signed"))
        stage = "written_off" if credit_note else "recovered"
        case.sudo().write(
            {
                "amount_recovered": self.amount_recovered,
                "amount_fees": self.amount_fees,
                "amount_written_off": written_off,
                "writeoff_move_id": credit_note[:1].id,
                "stage_id": self.env["debt.collection.case.stage"]._debt_of_kind(stage).id,
            }
        )
        case._debt_log_events(
            {
                case.id: self.env._(
                    "Outcome: %(recovered)s recovered, %(fees)s fees, %(written_off)s written off.%(note)s",
                    recovered=case.currency_id.format(self.amount_recovered),
                    fees=case.currency_id.format(self.amount_fees),
                    written_off=case.currency_id.format(written_off),
                    note=f"\n{self.note}" if self.note else "",
                )
            }
        )
        return {"type": "ir.actions.act_window_close"}

    def _check_input(self):
        """Amounts are not negative; the write-off is dated between the first invoice and today."""
        if self.case_id.currency_id.compare_amounts(min(self.amount_recovered, self.amount_fees), 0.0) < 0:
            raise UserError(self.env._("What was recovered and the fees cannot be negative."))
        if self.write_off:
            moves = self.case_id.move_ids
            invoiced = min(moves.mapped(lambda m: m.invoice_date or m.date), default=self.date)
            if not invoiced <= self.date <= fields.Date.context_today(self):
                raise UserError(
                    self.env._(
                        "A write-off is dated between the case's first invoice (%(invoiced)s) and today: "
                        "not on %(date)s.",
                        invoiced=format_date(self.env, invoiced),
                        date=format_date(self.env, self.date),
                    )
                )

    def _write_off(self, case):
        """One credit note per currency for what the invoices still owe, reconciled with them."""
        open_moves = case.move_ids.filtered(lambda m: m.payment_state in ("not_paid", "partial"))
        credit_notes = self.env["account.move"]
        for currency, moves in open_moves.grouped("currency_id").items():
            credit_note = self.env["account.move"].create(
                {
                    "move_type": "out_refund",
                    "partner_id": case.partner_id.id,
                    "company_id": case.company_id.id,
                    "currency_id": currency.id,
                    "invoice_date": self.date,
                    "ref": self.env._("Write-off of collection case %s", case.name),
                    "invoice_line_ids": [
                        fields.Command.create(
                            {
                                "name": self.env._("Irrecoverable: %s", move.name),
                                "account_id": self.write_off_account_id.id,
                                "quantity": 1,
                                "price_unit": move.amount_residual,
                                "tax_ids": [fields.Command.clear()],
                            }
                        )
                        for move in moves
                    ],
                }
            )
            credit_note.action_post()
            receivable = (credit_note | moves).line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
            )
            for _account, lines in receivable.grouped("account_id").items():
                lines.reconcile()
            credit_notes |= credit_note
        return credit_notes
