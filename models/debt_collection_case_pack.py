"""The hand-off pack of a collection case: its invoices as XLSX and the ZIP an agency receives."""

import io
import zipfile

import xlsxwriter

from odoo import fields, models

from ..rules.dates import days_late


class DebtCollectionCase(models.Model):
    """The pack a case is handed off with (to an agency, a factor or the credit insurer): the
    case summary, the evidence and a spreadsheet of the invoices, zipped and attached to it."""

    _inherit = "debt.collection.case"

    def _debt_invoices_xlsx(self):
        """The case's invoices as a spreadsheet, totals on the last row (values, not formulas)."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        moves = self.move_ids.sorted(lambda m: (m.invoice_date_due or m.date, m.id))
        penalties = moves._debt_penalties(today).by_invoice if moves else {}
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = book.add_worksheet(self.env._("Invoices"))
        bold = book.add_format({"bold": True})
        money = book.add_format({"num_format": "#,##0.00"})
        day = book.add_format({"num_format": "yyyy-mm-dd"})
        headers = [
            self.env._("Invoice"), self.env._("Invoice Date"), self.env._("Due Date"),
            self.env._("Days Overdue"), self.env._("Total"), self.env._("Amount Due"),
            self.env._("Late Interest"), self.env._("Recovery Indemnity"),
        ]
        sheet.write_row(0, 0, headers, bold)
        totals = [0.0] * 4
        for row, move in enumerate(moves, start=1):
            penalty = penalties.get(move.id)
            figures = [
                move.amount_total_signed,
                move.amount_residual_signed,
                float(penalty.interest) if penalty else 0.0,
                float(penalty.indemnity) if penalty else 0.0,
            ]
            sheet.write(row, 0, move.name)
            sheet.write_datetime(row, 1, fields.Datetime.to_datetime(move.invoice_date), day)
            sheet.write_datetime(row, 2, fields.Datetime.to_datetime(move.invoice_date_due), day)
            sheet.write_number(row, 3, days_late(move.invoice_date_due, today))
            for col, value in enumerate(figures, start=4):
                sheet.write_number(row, col, value, money)
            totals = [t + f for t, f in zip(totals, figures, strict=True)]
        last = len(moves) + 1
        sheet.write(last, 0, self.env._("Total"), bold)
        for col, value in enumerate(totals, start=4):
            sheet.write_number(last, col, round(value, 2), money)
        sheet.set_column(0, 0, 22)
        sheet.set_column(1, 7, 14)
        book.close()
        return buffer.getvalue()

    def _debt_build_pack(self):
        """The hand-off ZIP of this case, stored as an attachment on it.

        Holds the case summary (PDF), the invoices, the other documents of the evidence pack
        and a spreadsheet of the invoices.
        """
        self.ensure_one()
        self._debt_collect_documents()
        summary = self._debt_render_split("account_debt_collection.action_report_case_summary", self)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
            if self.id in summary:
                content, ext = summary[self.id]
                pack.writestr(f"00_{_safe(self.name)}_summary.{ext}", content)
            pack.writestr(f"01_{_safe(self.name)}_invoices.xlsx", self._debt_invoices_xlsx())
            used = set()
            for document in self.document_ids.filtered("attachment_id"):
                folder = "invoices" if document.kind == "invoice" else "documents"
                filename = f"{folder}/{_safe(document.attachment_id.name or document.name)}"
                while filename in used:
                    filename = f"{folder}/{document.id}_{_safe(document.attachment_id.name)}"
                used.add(filename)
                pack.writestr(filename, document.attachment_id.raw or b"")
        return self.env["ir.attachment"].create(
            {
                "name": f"{_safe(self.name)}_pack.zip",
                "raw": buffer.getvalue(),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/zip",
            }
        )


def _safe(name):
    """A file name without path separators."""
    return (name or "").replace("/", "_").replace("\\", "_")
