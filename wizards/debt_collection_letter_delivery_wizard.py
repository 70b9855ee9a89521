"""Record Letter Delivery: a registered letter's number, receipt or return."""

from odoo import api, fields, models
from odoo.exceptions import UserError


class DebtCollectionLetterDeliveryWizard(models.TransientModel):
    """Record what the post says of printed letters, one line per letter, in one step.

    The registered letter's number, the day the customer received it with the scanned
    acknowledgement of receipt, or that it came back. The formal notice's legal effects then
    date from the receipt.
    """

    _name = "debt.collection.letter.delivery.wizard"
    _description = "Record Letter Delivery"

    line_ids = fields.One2many("debt.collection.letter.delivery.wizard.line", "wizard_id")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "line_ids" in fields_list:
            letters = (
                self.env["debt.collection.event"]
                .browse(self.env.context.get("active_ids", []))
                .filtered(lambda e: e.channel in ("letter", "registered_letter") and e.state == "done")
            )
            if not letters:
                raise UserError(self.env._("Select printed letters."))
            values["line_ids"] = [
                fields.Command.create(
                    {
                        "event_id": letter.id,
                        "tracking_number": letter.tracking_number,
                        "delivered_date": letter.delivered_date,
                        "returned": letter.delivery == "returned",
                    }
                )
                for letter in letters
            ]
        return values

    def action_confirm(self):
        self.ensure_one()
        for line in self.line_ids:
            receipt = line.receipt_file and {
                "name": line.receipt_filename or "AR.pdf",
                "datas": line.receipt_file,
            }
            line.event_id._debt_record_delivery(
                tracking_number=line.tracking_number,
                delivered_date=line.delivered_date,
                receipt=receipt,
                returned=line.returned,
            )
        return {"type": "ir.actions.act_window_close"}


class DebtCollectionLetterDeliveryWizardLine(models.TransientModel):
    _name = "debt.collection.letter.delivery.wizard.line"
    _description = "Record Letter Delivery: one letter"

    wizard_id = fields.Many2one("debt.collection.letter.delivery.wizard", required=True, ondelete="cascade")
    event_id = fields.Many2one("debt.collection.event", string="Letter", required=True, readonly=True)
    partner_id = fields.Many2one(related="event_id.partner_id", string="Customer")
    printed_date = fields.Date(related="event_id.printed_date")
    tracking_number = fields.Char(string="Registered Letter Number")
    delivered_date = fields.Date(string="Received On")
    receipt_file = fields.Binary(string="Acknowledgement of Receipt")
    receipt_filename = fields.Char()
    returned = fields.Boolean(help="The letter came back undelivered.")

    @api.model_create_multi
    def create(self, vals_list):
        """A line names a letter the user may read (this company's), whoever fills the wizard."""
        self.env["debt.collection.event"].browse(
            {vals["event_id"] for vals in vals_list if vals.get("event_id")}
        ).check_access("read")
        return super().create(vals_list)
