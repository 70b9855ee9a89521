"""Statements of account sent or printed from the customer's follow-up: communications like the others.

Each is a collection event (origin "manual", outside the run's cadence) listing the customer's
open invoices, so that the follow-up's history shows it with its document: the email in the
customer's chatter with the statement attached, its delivery followed as the run's; the
letter printed again from the event.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError


class DebtCollectionEvent(models.Model):
    _inherit = "debt.collection.event"

    @api.model
    def _debt_statement_event(self, partner, company, channel):
        """A manual event of the statement of ``partner`` in ``company``, by ``channel``.

        The event is the workflow's record, written as such once the caller checked the user
        (``debt.collection.followup``: a Collection User).
        """
        moves = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", partner.commercial_partner_id.id),
                ("company_id", "=", company.id),
                *self.env["account.move"]._debt_open_invoice_domain(),
            ],
            order="invoice_date_due, id",
        )
        if not moves:
            raise UserError(
                self.env._("%(customer)s owes nothing: no statement to send.", customer=partner.name)
            )
        today = fields.Date.context_today(self)
        due = sum(moves.mapped("amount_residual_signed"))
        return self.sudo().create(
            {
                "date": today,
                "company_id": company.id,
                "partner_id": partner.commercial_partner_id.id,
                "origin": "manual",
                "channel": channel,
                "letter_type": "statement",
                "level": max(moves.mapped("debt_level"), default=0),
                "amount_due": due,
                "amount_net": due,
                "sent_date": today,
                "printed_date": today if channel == "letter" else False,
                "line_ids": self._line_commands(moves, today),
            }
        )

    @api.model
    def _debt_send_statement(self, partner, company):
        """Email the statement now, from the statement template, into the customer's chatter."""
        if not partner.commercial_partner_id.email:
            raise UserError(
                self.env._(
                    "%(customer)s has no email address: print the statement instead.", customer=partner.name
                )
            )
        event = self._debt_statement_event(partner, company, "email")
        template = self.env.ref("account_debt_collection.mail_template_statement")
        mails = template.sudo().send_mail_batch(event.ids)
        self.env["debt.collection.run"].sudo()._show_on_customers(mails, event)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Statement of account emailed to %(email)s.", email=partner.email),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _debt_print_statement(self, partner, company):
        """The PDF of the statement, recorded as a letter printed today."""
        event = self._debt_statement_event(partner, company, "letter")
        return self.env.ref("account_debt_collection.action_report_debt_letter").report_action(event)

    def action_debt_open_document(self):
        """What the customer received: the letter's PDF, or the email or SMS in the chatter."""
        self.ensure_one()
        if self.channel in ("letter", "registered_letter"):
            return self.env.ref("account_debt_collection.action_report_debt_letter").report_action(self)
        if self.mail_message_id:
            return self.mail_message_id._get_records_action(target="new", context={})
        return self._get_records_action()
