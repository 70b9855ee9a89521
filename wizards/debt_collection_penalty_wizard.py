from odoo import api, fields, models
from odoo.exceptions import UserError


class DebtCollectionPenaltyWizard(models.TransientModel):
    """Invoice the late-payment interest and the recovery indemnity of overdue invoices."""

    _name = "debt.collection.penalty.wizard"
    _description = "Invoice Late-Payment Penalties"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    date = fields.Date(
        string="Computed To", required=True, default=fields.Date.context_today,
        help="Interest runs up to this date, included.",
    )
    move_ids = fields.Many2many(
        "account.move",
        string="Late Invoices",
        domain="[('commercial_partner_id', '=', partner_id), ('company_id', '=', company_id),"
        " ('move_type', '=', 'out_invoice'), ('state', '=', 'posted'),"
        " ('invoice_date_due', '<', date)]",
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
            values.update(partner_id=partner.id, move_ids=[fields.Command.set(moves.ids)])
        elif context.get("active_model") == "res.partner":
            partner = self.env["res.partner"].browse(context.get("active_id")).commercial_partner_id
            today = fields.Date.context_today(self)
            moves = self.env["account.move"].search(
                [
                    ("commercial_partner_id", "=", partner.id),
                    ("company_id", "=", self.env.company.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("invoice_date_due", "<", today),
                    ("debt_penalty_invoice_ids", "=", False),
                ]
            )
            values.update(partner_id=partner.id, move_ids=[fields.Command.set(moves.ids)])
        return values

    @api.depends("move_ids", "date")
    def _compute_penalties(self):
        for wizard in self:
            computed = wizard.move_ids._debt_penalties(wizard.date) if wizard.move_ids else None
            wizard.amount_interest = float(computed.interest) if computed else 0.0
            wizard.amount_indemnity = float(computed.indemnity) if computed else 0.0
            wizard.warning = "\n".join(computed.warnings) if computed and computed.warnings else False

    def action_create_invoice(self):
        """A draft customer invoice: one interest line and one indemnity line per late invoice."""
        self.ensure_one()
        late = self.move_ids.filtered(lambda m: m.invoice_date_due and m.invoice_date_due < self.date)
        if not late:
            raise UserError(self.env._("None of the selected invoices is late on %s.", self.date))
        computed = late._debt_penalties(self.date)
        lines = []
        for move in late.sorted("invoice_date_due"):
            penalty = computed.by_invoice[move.id]
            if penalty.interest:
                lines.append(
                    self._line(
                        self.env._(
                            "Late-payment interest on %(invoice)s (due %(due)s), to %(date)s",
                            invoice=move.name, due=move.invoice_date_due, date=self.date,
                        ),
                        penalty.interest,
                    )
                )
            if penalty.indemnity:
                lines.append(
                    self._line(
                        self.env._(
                            "Fixed recovery indemnity on %(invoice)s (article D441-5 of the Code de "
                            "commerce, not subject to VAT)",
                            invoice=move.name,
                        ),
                        penalty.indemnity,
                    )
                )
        if not lines:
            raise UserError(self.env._("These invoices owe no penalty on %s.", self.date))
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "invoice_date": self.date,
                "invoice_line_ids": lines,
                "debt_penalty_source_ids": [fields.Command.set(late.ids)],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": invoice.id,
            "view_mode": "form",
        }

    @staticmethod
    def _line(label, amount):
        """Penalties are outside the scope of VAT: no tax on either line."""
        return fields.Command.create(
            {"name": label, "quantity": 1.0, "price_unit": float(amount), "tax_ids": [fields.Command.clear()]}
        )
