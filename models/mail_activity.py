"""Phone tasks of the dunning: a Log a Call button on the activity itself, and the customer's follow-up."""

from odoo import api, fields, models

COLLECTION_USER = "account_debt_collection.group_debt_collection_user"


class MailActivity(models.Model):
    _inherit = "mail.activity"

    debt_is_collection_call = fields.Boolean(
        compute="_compute_debt_is_collection_call",
        help="A call to a customer a Collection User logs with Log a Call: a phone task of the "
        "dunning, or any call planned on a customer.",
    )

    @api.depends_context("uid")
    @api.depends("res_model", "res_id", "activity_type_id")
    def _compute_debt_is_collection_call(self):
        if not self.env.user.has_group(COLLECTION_USER):
            self.debt_is_collection_call = False
            return
        call_type = self.env.ref("mail.mail_activity_data_call", raise_if_not_found=False)
        ids = [activity.id for activity in self if isinstance(activity.id, int)]
        tasks = set(
            self.env["debt.collection.event"].sudo().search([("activity_id", "in", ids)]).activity_id.ids
        )
        for activity in self:
            on_customer = activity.res_model == "res.partner"
            activity.debt_is_collection_call = on_customer and (
                activity.id in tasks or activity.activity_type_id == call_type
            )

    def _to_store_defaults(self, target):
        return [*super()._to_store_defaults(target), "debt_is_collection_call"]

    def action_debt_log_call(self):
        """Log the call of this phone task (it closes the task)."""
        self.ensure_one()
        return self.env["debt.collection.call.wizard"]._action_open("mail.activity", self)

    def action_debt_open_followup(self):
        """The follow-up screen of the customer this task is about."""
        self.ensure_one()
        record = self.env[self.res_model].browse(self.res_id)
        partner = record.commercial_partner_id if "commercial_partner_id" in record else record.partner_id
        event = self.env["debt.collection.event"].search([("activity_id", "=", self.id)], limit=1)
        return self.env["debt.collection.followup"]._action_open(
            partner, event.company_id or self.env.company
        )
