"""The evidence of a collection case: what Odoo has (invoices, letters, orders) gathered into its pack."""

import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..rules import cases as rules
from .debt_collection_access import USER, require_group

_logger = logging.getLogger(__name__)


class DebtCollectionCase(models.Model):
    """The evidence pack of a case: collected from Odoo by *Collect Evidence* (and by the hand-off),
    uploaded by a controller for the rest; complete for court once it holds what
    ``rules.cases.missing_for_court`` asks for."""

    _inherit = "debt.collection.case"

    document_ids = fields.One2many("debt.collection.case.document", "case_id", string="Evidence")
    evidence_complete = fields.Boolean(
        string="Complete for Court",
        compute="_compute_evidence",
        store=True,
        help="Invoices, formal notice, a contract, quote or purchase order, and the terms of sale.",
    )
    evidence_missing = fields.Char(
        string="Missing Evidence",
        compute="_compute_evidence_missing",
        help="Read in the reader's language: not stored.",
    )

    # ------------------------------------------------------------------ computes

    @api.depends("document_ids.kind")
    def _compute_evidence(self):
        for case in self:
            case.evidence_complete = not rules.missing_for_court(case.document_ids.mapped("kind"))

    @api.depends("document_ids.kind")
    @api.depends_context("lang")
    def _compute_evidence_missing(self):
        kinds = self.env["debt.collection.case.document"]._fields["kind"]
        labels = dict(kinds._description_selection(self.env))
        for case in self:
            missing = rules.missing_for_court(case.document_ids.mapped("kind"))
            case.evidence_missing = ", ".join(
                self.env._(" or ").join(labels[kind] for kind in group) for group in missing
            ) or False

    # ------------------------------------------------------------------ collecting

    def action_collect_documents(self):
        require_group(
            self.env, USER, self.env._("Only a Collection User can collect the evidence of a case.")
        )
        self._debt_collect_documents()
        return True


    @api.model
    def _debt_render_split(self, report_xmlid, records):
        """``{record id: (content, extension)}``: the records rendered in ONE report call."""
        if not records:
            return {}
        report = self.env["ir.actions.report"]
        try:
            content, kind = report._pre_render_qweb_pdf(report_xmlid, res_ids=records.ids)
        except UserError:
            if len(records) == 1:
                raise
            # wkhtmltopdf without its patched Qt converts one document per call only
            _logger.warning("Rendering %s one record at a time (unpatched wkhtmltopdf)", report_xmlid)
            result = {}
            for record in records:
                result.update(self._debt_render_split(report_xmlid, record))
            return result
        split = report._get_splitted_report(report_xmlid, content, kind)
        return {res_id: (data, kind) for res_id, data in split.items() if res_id}

    def _debt_collect_documents(self):
        """Fill the evidence pack of these cases from what Odoo has, in a few report calls."""
        Document = self.env["debt.collection.case.document"].sudo()  # collected: the workflow's own
        existing = {(doc.case_id.id, doc.kind, doc.origin) for doc in self.document_ids}
        values, attachments, new_attachment_of = [], [], []

        def add(case, kind, name, origin, attachment=None, content=None, extension="pdf"):
            if (case.id, kind, origin) in existing:
                return
            existing.add((case.id, kind, origin))
            if content is not None:
                attachments.append(
                    {
                        "name": f"{name}.{extension}".replace("/", "_"),
                        "raw": content,
                        "res_model": self._name,
                        "res_id": case.id,
                        "mimetype": "application/pdf" if extension == "pdf" else "text/html",
                    }
                )
            vals = {"case_id": case.id, "kind": kind, "name": name, "origin": origin,
                    "source": "auto", "attachment_id": attachment}
            values.append(vals)
            if content is not None:
                new_attachment_of.append((vals, len(attachments) - 1))

        self._debt_collect_invoices(add, existing)

        # letters sent: the customer's letters and formal notices, one rendering for all
        letters = self.env["debt.collection.event"].search(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("company_id", "in", self.company_id.ids),
                ("letter_type", "!=", False),
                ("channel", "in", ("letter", "registered_letter")),
                ("state", "=", "done"),
            ]
        )
        letters_to_render = letters.filtered(lambda e: not e.letter_attachment_id)
        rendered = self._debt_render_split(
            "account_debt_collection.action_report_debt_letter", letters_to_render
        )
        for case in self:
            own = letters.filtered(
                lambda e, c=case: (e.partner_id, e.company_id) == (c.partner_id, c.company_id)
            )
            for letter in own:
                kind = "formal_notice" if letter.letter_type == "formal_notice" else "reminder"
                name = letter.reference
                if letter.tracking_number:
                    name = self.env._("%(letter)s (registered letter %(number)s)",
                                      letter=name, number=letter.tracking_number)
                origin = f"debt.collection.event,{letter.id}"
                if letter.id in rendered:
                    content, ext = rendered[letter.id]
                    add(case, kind, name, origin, content=content, extension=ext)
                else:
                    add(case, kind, name, origin, attachment=letter.letter_attachment_id.id)

        self._debt_collect_sales(add)

        created = self.env["ir.attachment"].create(attachments)
        for vals, index in new_attachment_of:
            vals["attachment_id"] = created[index].id
        return Document.create(values)

    def _debt_collect_invoices(self, add, existing):
        """Each invoice's legal PDF; the invoices without one rendered in one report call.

        The legal PDF is the one Odoo's Send & Print made and keeps (``invoice_pdf_report_id``,
        which ``account.move._get_invoice_legal_documents("pdf")`` and the customer's portal
        return): the invoice as the customer received it, which is what proves the debt, where a
        new rendering would show today's template and payment state. An invoice never sent nor
        printed through Send & Print has none (its main attachment, if any, is not one): only
        then is it rendered.
        """
        to_render = self.move_ids.filtered(
            lambda m: not m.invoice_pdf_report_id and (m.debt_case_id.id, "invoice", m.name) not in existing
        )
        rendered = self._debt_render_split("account.account_invoices", to_render)
        for case in self:
            for move in case.move_ids:
                if move.id in rendered:
                    content, ext = rendered[move.id]
                    add(case, "invoice", move.name, move.name, content=content, extension=ext)
                elif move.invoice_pdf_report_id:
                    add(case, "invoice", move.name, move.name, attachment=move.invoice_pdf_report_id.id)

    def _debt_collect_sales(self, add):
        """Sale orders and delivery slips, when ``sale`` and ``stock`` are installed."""
        if "sale.order" not in self.env:
            return
        lines = self.move_ids.invoice_line_ids
        if "sale_line_ids" not in lines._fields:
            return
        orders = lines.sale_line_ids.order_id
        rendered = self._debt_render_split("sale.action_report_saleorder", orders)
        pickings = self.env["stock.picking"]
        if "stock.picking" in self.env and "picking_ids" in orders._fields:
            pickings = orders.picking_ids.filtered(lambda p: p.state == "done")
        slips = self._debt_render_split("stock.action_report_delivery", pickings)
        for case in self:
            case_orders = case.move_ids.invoice_line_ids.sale_line_ids.order_id
            for order in case_orders:
                if order.id in rendered:
                    content, ext = rendered[order.id]
                    add(case, "quote", order.name, order.name, content=content, extension=ext)
                for picking in order.picking_ids.filtered(lambda p: p.id in slips):
                    content, ext = slips[picking.id]
                    add(case, "delivery", picking.name, picking.name, content=content, extension=ext)
