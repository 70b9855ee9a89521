"""Email channel of the escalation run: the step's template, one batch send per template."""

from collections import defaultdict

from odoo import models


class DebtCollectionRun(models.AbstractModel):
    _inherit = "debt.collection.run"

    def _dispatch_email(self, events):
        by_template = defaultdict(lambda: self.env["debt.collection.event"])
        for event in events:
            template = event.step_id.mail_template_id or self.env.ref(
                "account_debt_collection.mail_template_reminder"
            )
            by_template[template] |= event
        for template, template_events in by_template.items():
            template.sudo().send_mail_batch(template_events.ids)
