"""Invoice the late-payment interest and recovery indemnities still owed."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..models.debt_collection_access import USER, require_group


class DebtCollectionPenaltyWizard(models.TransientModel):
    """Invoice the late-payment interest and the recovery indemnity still owed on late invoices.

    Reads each invoice's penalty ledger (``account.move._debt_penalties``): a second penalty
    invoice charges only what the first did not, and an invoice paid late stays claimable
    until its penalties are invoiced.
    """

    _name = "debt.collection.penalty.wizard"
    _description = "Invoice Late-Payment Penalties"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True, check_company=True
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    date = fields.Date(
        string="Computed To",
        required=True,
        default=fields.Date.context_today,
        help="Interest runs up to this date, included; the penalty invoice bears this date.",
    )
    move_ids = fields.Many2many(
        "account.move",
        string="Late Invoices",
        domain="[('commercial_partner_id', '=', partner_id), ('company_id', '=', company_id),"
        " ('move_type', '=', 'out_invoice'), ('state', '=', 'posted'),"
        " ('debt_is_penalty_invoice', '=', False), ('invoice_date_due', '<', date)]",
        check_company=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_interest = fields.Monetary(string="Late Interest", compute="_compute_penalties")
    amount_indemnity = fields.Monetary(string="Recovery Indemnity", compute="_compute_penalties")
    warning = fields.Text(compute="_compute_penalties")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") == "account.move":
            moves = self.env["account.move"].browse(context.get("active_ids", []))
            partner = moves.commercial_partner_id
            if len(partner) != 1:
                raise UserError(self.env._("Select the late invoices of one customer."))
            moves = moves.filtered(lambda m: not m.debt_is_penalty_invoice)
            if not moves:
                raise UserError(self.env._("A penalty invoice bears no late-payment penalty."))
            values.update(partner_id=partner.id, move_ids=[fields.Command.set(moves.ids)])
        elif context.get("active_model") == "res.partner":
            partner = self.env["res.partner"].browse(context.get("active_id")).commercial_partner_id
            moves = self._claimable_invoices(partner, self.env.company, fields.Date.context_today(self))
            values.update(partner_id=partner.id, move_ids=[fields.Command.set(moves.ids)])
        return values

    @api.model
    def _claimable_invoices(self, partner, company, on_date):
        """The customer's invoices with penalties still to invoice on ``on_date``, paid or not."""
        moves = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("debt_is_penalty_invoice", "=", False),
                ("invoice_date_due", "<", on_date),
            ]
        )
        computed = moves._debt_penalties(on_date)
        return moves.filtered(lambda m: computed.by_invoice[m.id].total > 0)

    @api.depends("move_ids", "date")
    def _compute_penalties(self):
        for wizard in self:
            moves = wizard.move_ids._origin
            computed = moves._debt_penalties(wizard.date) if moves and wizard.date else None
            wizard.amount_interest = float(computed.interest) if computed else 0.0
            wizard.amount_indemnity = float(computed.indemnity) if computed else 0.0
            wizard.warning = "\n".join(computed.warnings) if computed and computed.warnings else False

    def _check_input(self):
        """The invoices of the wizard's customer and company, posted; a date up to today."""
        partner = self.partner_id.commercial_partner_id
        if not partner.active:
            raise UserError(
                self.env._("%(customer)s is archived: restore the customer before invoicing penalties.",
                           customer=partner.display_name)
            )
        strangers = self.move_ids.filtered(
            lambda m: m.commercial_partner_id != partner
            or m.company_id != self.company_id
            or m.move_type != "out_invoice"
            or m.state != "posted"
        )
        if strangers:
            raise UserError(
                self.env._(
                    "Penalties are invoiced on the posted invoices of %(customer)s in %(company)s: not on "
                    "%(invoices)s.",
                    customer=partner.display_name,
                    company=self.company_id.name,
                    invoices=", ".join(strangers.mapped("display_name")),
                )
            )
        if self.date > fields.Date.context_today(self):
            raise UserError(
                self.env._(
                    "Interest is invoiced up to today at the latest, not up to %(date)s: it has not run yet.",
                    date=format_date(self.env, self.date),
                )
            )

    def action_create_invoice(self):
        """A draft invoice: per late invoice, a line of the interest and one of the indemnity left."""
        self.ensure_one()
        require_group(
            self.env, USER, self.env._("Only a Collection User can invoice late-payment penalties.")
        )
        self._check_input()
        late = self.move_ids.filtered(
            lambda m: m.invoice_date_due and m.invoice_date_due < self.date and not m.debt_is_penalty_invoice
        )
        if not late:
            raise UserError(
                self.env._("None of the selected invoices is late on %s.", format_date(self.env, self.date))
            )
        computed = late._debt_penalties(self.date)
        accounts = self.company_id._debt_penalty_accounts()
        partner = self.partner_id.with_context(lang=self.partner_id.lang)
        lines, sources = [], self.env["account.move"]
        for move in late.sorted(lambda m: (m.invoice_date_due, m.id)):
            ledger = computed.by_invoice[move.id].ledger
            if ledger.interest:
                date_from, date_to = self._interest_span(ledger, move)
                lines.append(
                    self._line(
                        partner.env._(
                            "Late-payment interest on %(invoice)s (due on %(due)s), "
                            "from %(start)s to %(end)s",
                            invoice=move.name,
                            due=format_date(partner.env, move.invoice_date_due),
                            start=format_date(partner.env, date_from),
                            end=format_date(partner.env, date_to),
                        ),
                        ledger.interest,
                        accounts["interest"],
                        move,
                        "interest",
                        date_from,
                        date_to,
                    )
                )
            if ledger.indemnity:
                lines.append(
                    self._line(
                        partner.env._(
                            "Fixed recovery indemnity on %(invoice)s (article D441-5 of the "
                            "Code de commerce), not subject to VAT",
                            invoice=move.name,
                        ),
                        ledger.indemnity,
                        accounts["indemnity"],
                        move,
                        "indemnity",
                    )
                )
            if ledger.total:
                sources |= move
        if not lines:
            raise UserError(
                self.env._(
                    "These invoices owe no penalty left to invoice on %s.", format_date(self.env, self.date)
                )
            )
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "currency_id": self.company_id.currency_id.id,
                "invoice_date": self.date,
                "invoice_line_ids": lines,
                "debt_penalty_source_ids": [fields.Command.set(sources.ids)],
            }
        )
        return invoice._get_records_action(context={})  # not the wizard's context (its invoices)

    def _interest_span(self, ledger, move):
        """First and last day of the interest left: the open periods, else after what was invoiced."""
        periods = [period for _instalment, period in ledger.open_periods]
        if periods:
            return min(p.date_from for p in periods), max(p.date_to for p in periods)
        start = ledger.invoiced_to or move.invoice_date_due
        return start + timedelta(days=1), self.date

    @staticmethod
    def _line(label, amount, account, source, kind, date_from=None, date_to=None):
        """Penalties are outside the scope of VAT: no tax on either line."""
        values = {
            "name": label,
            "quantity": 1.0,
            "price_unit": float(amount),
            "tax_ids": [fields.Command.clear()],
            "debt_penalty_source_id": source.id,
            "debt_penalty_kind": kind,
            "debt_penalty_date_from": date_from,
            "debt_penalty_date_to": date_to,
        }
        if account:
            values["account_id"] = account.id
        return fields.Command.create(values)
