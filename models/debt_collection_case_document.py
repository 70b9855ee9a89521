"""The evidence of a case: collected from Odoo or uploaded by a controller."""

import base64

from odoo import api, fields, models

from .debt_collection_access import SYSTEM

DOCUMENT_KINDS = [
    ("contract", "Contract"),
    ("quote", "Signed Quote"),
    ("purchase_order", "Purchase Order"),
    ("delivery", "Delivery Note"),
    ("invoice", "Invoice"),
    ("terms", "General Terms of Sale"),
    ("reminder", "Reminder Sent"),
    ("formal_notice", "Formal Notice"),
    ("registered_proof", "Registered Letter Proof"),
    ("other", "Other"),
]


class DebtCollectionCaseDocument(models.Model):
    """One piece of evidence of a case: collected from Odoo (by *Collect Evidence*) or uploaded.

    Collection Users upload and remove documents; whether one was collected, and from what
    record, is set by the collection alone.
    """

    _name = "debt.collection.case.document"
    _description = "Collection Case Evidence"
    _inherit = ["debt.collection.access.mixin"]
    _order = "case_id, sequence, kind, id"

    case_id = fields.Many2one("debt.collection.case", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    kind = fields.Selection(DOCUMENT_KINDS, required=True, default="other")
    name = fields.Char(required=True)
    attachment_id = fields.Many2one("ir.attachment", ondelete="set null")
    source = fields.Selection(
        [("auto", "Collected"), ("upload", "Uploaded")],
        required=True,
        default="upload",
        readonly=True,
        debt_write=SYSTEM,
    )
    origin = fields.Char(readonly=True, debt_write=SYSTEM, help="Record the document was collected from.")
    file = fields.Binary(compute="_compute_file", inverse="_inverse_file")
    file_name = fields.Char(compute="_compute_file", inverse="_inverse_file_name")

    @api.depends("attachment_id")
    def _compute_file(self):
        for document in self:
            document.file = document.attachment_id.datas
            document.file_name = document.attachment_id.name

    def _inverse_file(self):
        """An upload becomes an attachment of the case (so the chatter and the pack see it)."""
        for document in self.filtered("file"):
            name = document.file_name or document.name
            if document.attachment_id and document.source == "upload":
                document.attachment_id.write({"datas": document.file, "name": name})
                continue
            document.attachment_id = self.env["ir.attachment"].create(
                {
                    "name": name,
                    "datas": document.file,
                    "res_model": "debt.collection.case",
                    "res_id": document.case_id.id,
                }
            )

    def _inverse_file_name(self):
        for document in self.filtered("attachment_id"):
            if document.file_name and document.source == "upload":
                document.attachment_id.name = document.file_name

    @api.model
    def _upload_values(self, case, kind, name, content):
        """Values of an uploaded document (used by tests and imports)."""
        return {
            "case_id": case.id,
            "kind": kind,
            "name": name,
            "file": base64.b64encode(content),
            "file_name": name,
        }
