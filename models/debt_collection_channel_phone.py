"""Phone channel: a call task for the assignee, in the assignee's language, created in one batch."""

from odoo import models


class DebtCollectionRun(models.AbstractModel):
    _inherit = "debt.collection.run"

    def _dispatch_phone(self, events):
        call_type = self.env.ref("mail.mail_activity_data_call")
        partner_model = self.env["ir.model"]._get_id("res.partner")
        values, ordered = [], []
        for lang, lang_events in events.grouped(self._task_lang).items():
            qweb = self.env["ir.qweb"].with_context(lang=lang)
            # format_amount, format_date...: the note shares its invoice lines' markup with the emails
            render_context = self.env["mail.template"].with_context(lang=lang)._debt_render_context()
            for event in lang_events.with_context(lang=lang):
                ordered.append(event)
                values.append(
                    {
                        "res_model_id": partner_model,
                        "res_id": event.partner_id.id,
                        "activity_type_id": (event.step_id.activity_type_id or call_type).id,
                        "user_id": (event.assignee_id or self.env.user).id,
                        "date_deadline": event.date,
                        "summary": event.step_id.name,
                        "note": qweb._render(
                            "account_debt_collection.phone_activity_note", {**render_context, "event": event}
                        ),
                        "automated": True,
                    }
                )
        # no notification mail per task: the controller finds the day's calls in the activities
        Activity = self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True)
        activities = Activity.create(values)
        self._link_many2one(
            "debt_collection_event",
            "activity_id",
            events,
            [(event.id, activity.id) for event, activity in zip(ordered, activities, strict=True)],
        )

    def _task_lang(self, event):
        """A task reads in its assignee's language (the company's when it has none)."""
        return event.assignee_id.lang or self._company_lang(event.company_id)
