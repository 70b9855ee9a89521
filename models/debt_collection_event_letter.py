"""The life of a letter: printed with what is true that day, kept as printed, delivered or returned."""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date
from odoo.tools.pdf import merge_pdf
from odoo.tools.safe_eval import safe_eval

from ..rules.escalation import LETTER_CHANNELS
from ..rules.printing import PAID, PRINT, REPRINT, SUPERSEDED, print_decision
from .account_move import OPEN_PAYMENT_STATES
from .debt_collection_access import USER, require_group
from .debt_collection_event import COMMUNICATION_ORIGINS, NOT_SENT_STATES

CANCEL_REASONS = [
    ("refused", "Refused by a Manager"),
    ("nothing_left", "Nothing Left to Claim"),
    ("paid", "Paid Before Printing"),
    ("superseded", "Superseded by a Later Communication"),
]

LETTER_REPORT = "account_debt_collection.action_report_debt_letter"


class DebtCollectionEvent(models.Model):
    _inherit = "debt.collection.event"

    cancel_reason = fields.Selection(CANCEL_REASONS, readonly=True)
    delivered_date = fields.Date(
        string="Received On",
        readonly=True,
        help="Day the customer received the registered letter (acknowledgement of receipt).",
    )
    receipt_attachment_id = fields.Many2one(
        "ir.attachment", string="Acknowledgement of Receipt", readonly=True, ondelete="set null"
    )
    checked = fields.Boolean(readonly=True, help="A controller looked at this problem.")
    to_check = fields.Boolean(
        compute="_compute_to_check",
        store=True,
        precompute=True,
        index=True,
        help="Did not reach the customer: failed, bounced, returned, or cancelled when printing.",
    )

    @api.depends("state", "delivery", "cancel_reason", "checked")
    def _compute_to_check(self):
        for event in self:
            event.to_check = self._debt_to_check(
                event.state, event.delivery, event.cancel_reason, event.checked
            )

    @staticmethod
    def _debt_to_check(state, delivery, cancel_reason, checked):
        problem = (
            state == "error"
            or delivery in ("failed", "bounced", "returned")
            or cancel_reason in ("paid", "superseded")
        )
        return problem and not checked

    def _debt_precompute(self, rows):
        rows = super()._debt_precompute(rows)
        default_state = self._fields["state"].default(self)
        for row in rows:
            row["to_check"] = self._debt_to_check(
                row.get("state", default_state),
                row.get("delivery"),
                row.get("cancel_reason"),
                row.get("checked"),
            )
        return rows

    def _debt_legal_effect_date(self):
        """The day the communication reached the customer when known (the acknowledgement of
        receipt of a registered letter), else the day it left."""
        self.ensure_one()
        return self.delivered_date or super()._debt_legal_effect_date()

    def action_mark_checked(self):
        """A controller looked at these problems: they leave the "To Check" list."""
        require_group(self.env, USER, self.env._("Only a Collection User can mark a problem checked."))
        self.check_access("read")  # this company's events only
        self.sudo().write({"checked": True})
        return True

    # ------------------------------------------------------------------ printing

    def action_print_letters(self):
        """Print the selected letters as one PDF, each with the figures and the date of today.

        Each queued letter is looked at again first (``rules.printing``): one whose invoices
        were all paid since, or whose customer received a later communication, is cancelled
        with a note instead. Those printed are marked printed once their PDF exists, and that
        PDF is kept on the letter: printing it again gives the same document. A registered
        letter's customer gets that very PDF by email as a copy when its address works.
        """
        require_group(self.env, USER, self.env._("Only a Collection User can print letters."))
        letters = self.filtered(lambda e: e.channel in LETTER_CHANNELS)
        decisions = letters._debt_print_decisions()
        if not any(code in (PRINT, REPRINT) for code in decisions.values()) and not any(
            code in (PAID, SUPERSEDED) for code in decisions.values()
        ):
            raise UserError(self.env._("Select letters waiting to be printed, or printed already."))
        fresh = letters.filtered(lambda e: decisions[e] == PRINT)
        fresh._debt_check_addresses()
        today = fields.Date.context_today(self)
        letters.filtered(lambda e: decisions[e] in (PAID, SUPERSEDED))._debt_cancel_at_print(decisions)
        if fresh:
            fresh._debt_print(today)
            fresh.filtered(lambda e: e.channel == "registered_letter")._debt_email_copy()
        documents = letters.filtered(lambda e: decisions[e] in (PRINT, REPRINT)).letter_attachment_id
        if not documents:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "warning",
                    "message": self.env._("Nothing to print: the letters were cancelled (see their notes)."),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        return self._debt_download(documents, today)

    def _debt_print_decisions(self):
        """``{event: rules.printing code}`` for these letters, in three queries."""
        owes = self._debt_still_owed()
        later = self._debt_superseded()
        return {
            event: print_decision(
                event.state, bool(event.letter_attachment_id), event in owes, event in later
            )
            for event in self
        }

    def _debt_still_owed(self):
        """The letters one of whose instalments is still owed today."""
        if not self:
            return self
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT DISTINCT line.event_id
                     FROM debt_collection_event_line line
                     JOIN account_move m ON m.id = line.move_id
                LEFT JOIN account_move_line aml ON aml.id = line.move_line_id
                    WHERE line.event_id = ANY(%s)
                      AND m.payment_state IN %s
                      AND COALESCE(aml.amount_residual, m.amount_residual_signed) > 0""",
                self.ids,
                OPEN_PAYMENT_STATES,
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _debt_superseded(self):
        """The letters whose customer received a later communication that still stands."""
        if not self:
            return self
        self.env.cr.execute(
            SQL(
                """SELECT letter.id
                     FROM debt_collection_event letter
                    WHERE letter.id = ANY(%s)
                      AND EXISTS (SELECT 1 FROM debt_collection_event later
                                   WHERE later.partner_id = letter.partner_id
                                     AND later.company_id = letter.company_id
                                     AND later.id > letter.id
                                     AND later.origin IN %s
                                     AND later.state NOT IN %s)""",
                self.ids,
                COMMUNICATION_ORIGINS,
                NOT_SENT_STATES,
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _debt_check_addresses(self):
        unaddressed = self.partner_id.filtered(lambda p: not (p.street and p.zip and p.city))
        if unaddressed:
            raise UserError(
                self.env._(
                    "These customers have no complete postal address (street, postal code and city): "
                    "%(names)s.",
                    names=", ".join(unaddressed.mapped("display_name")),
                )
            )

    def _debt_cancel_at_print(self, decisions):
        """Not printed: the note says why, in the company's language, and the letter is to check."""
        for event in self:
            env = self.with_context(lang=event.company_id.partner_id.lang or self.env.lang).env
            reason = decisions[event]
            if reason == PAID:
                sentence = env._("Not printed: all its invoices were paid or credited before printing.")
            else:
                sentence = env._("Not printed: the customer received a later communication.")
            event.sudo().write(
                {
                    "state": "cancelled",
                    "cancel_reason": reason,
                    "note": "\n".join(filter(None, [event.note, sentence])),
                }
            )

    def _debt_print(self, today):
        """Render these letters as of ``today`` in one report call, keep each one's PDF.

        Nothing is marked printed unless its PDF was made: a rendering failure raises and the
        letters stay in the queue.
        """
        report = self.env.ref(LETTER_REPORT).sudo()
        streams = report.with_context(
            report_pdf_no_attachment=True, debt_letter_date=today
        )._render_qweb_pdf_prepare_streams(report.report_name, {"letter_date": today}, res_ids=self.ids)
        contents = {}
        for event in self:
            stream = streams.get(event.id, {}).get("stream")
            if stream is None:  # the PDF could not be split per letter: this one alone
                alone = report.with_context(report_pdf_no_attachment=True, debt_letter_date=today)
                stream = alone._render_qweb_pdf_prepare_streams(
                    report.report_name, {"letter_date": today}, res_ids=event.ids
                )[event.id]["stream"]
            contents[event] = stream.getvalue()
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": f"{safe_eval(report.print_report_name, {'object': event})}.pdf",
                        "raw": content,
                        "mimetype": "application/pdf",
                        "res_model": self._name,
                        "res_id": event.id,
                    }
                    for event, content in contents.items()
                ]
            )
        )
        for event, attachment in zip(contents, attachments, strict=True):
            event.sudo().write(
                {
                    "state": "done",
                    "printed_date": today,
                    "sent_date": today,
                    "letter_attachment_id": attachment.id,
                }
            )

    def _debt_email_copy(self):
        """Email the customers of these registered letters the very PDF that went by post."""
        template = self.env.ref(
            "account_debt_collection.mail_template_formal_notice", raise_if_not_found=False
        )
        for event in self:
            partner = event.partner_id
            if not template or not partner.email or partner.message_bounce or partner.is_blacklisted:
                continue
            lang = template._render_lang(event.ids)[event.id]
            rendered = template.with_context(lang=lang)
            copy = event.letter_attachment_id.sudo().copy({"res_model": "res.partner", "res_id": partner.id})
            partner.sudo().message_post(
                body=rendered._render_field("body_html", event.ids)[event.id],
                subject=rendered._render_field("subject", event.ids)[event.id],
                partner_ids=partner.ids,
                attachment_ids=copy.ids,
                email_from=rendered._render_field("email_from", event.ids)[event.id] or None,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )

    def _debt_download(self, attachments, today):
        """One PDF of these letters, in order, to download."""
        if len(attachments) == 1:
            document = attachments
        else:
            document = self.env["ir.attachment"].create(
                {
                    "name": self.env._("Letters %(date)s.pdf", date=today.isoformat()),
                    "raw": merge_pdf([attachment.raw for attachment in attachments]),
                    "mimetype": "application/pdf",
                }
            )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{document.id}?download=true",
            "target": "self",
        }

    # ------------------------------------------------------------------ delivery of registered letters

    def _debt_record_delivery(self, tracking_number=None, delivered_date=None, receipt=None, returned=False):
        """What the post says of this letter: its number, the day it was received (with the
        scanned acknowledgement of receipt), or that it came back."""
        self.ensure_one()
        require_group(
            self.env, USER, self.env._("Only a Collection User can record what the post says of a letter.")
        )
        self.check_access("read")  # this company's letters only
        if self.channel not in LETTER_CHANNELS or self.state != "done":
            raise UserError(self.env._("Only a printed letter can be recorded as delivered or returned."))
        if delivered_date and self.printed_date and delivered_date < self.printed_date:
            raise UserError(
                self.env._(
                    "The letter was printed on %(printed)s: it cannot have been received on %(date)s.",
                    printed=format_date(self.env, self.printed_date),
                    date=format_date(self.env, delivered_date),
                )
            )
        if delivered_date and delivered_date > fields.Date.context_today(self):
            raise UserError(self.env._("The day of receipt cannot be in the future."))
        values = {}
        if tracking_number:
            values["tracking_number"] = tracking_number.strip()
        if returned:
            values.update(delivery="returned", delivered_date=False)
        elif delivered_date:
            values.update(delivery="delivered", delivered_date=delivered_date)
        if receipt:
            attachment = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    {
                        "name": receipt["name"],
                        "datas": receipt["datas"],
                        "res_model": self._name,
                        "res_id": self.id,
                    }
                )
            )
            values["receipt_attachment_id"] = attachment.id
        self.sudo().write(values)
