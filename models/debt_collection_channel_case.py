"""Case channel: open (or feed) the customer's collection case with the listed invoices."""

from odoo import models


class DebtCollectionRun(models.AbstractModel):
    _inherit = "debt.collection.run"

    def _dispatch_case(self, events):
        """Cases are numbered and staged once for the batch, given to the event's assignee
        (the customer's credit controller, else the company's, else a Collection Manager).

        The assignee follows each case but is not notified case by case: a night's run opens
        hundreds, which would be as many "assigned to you" emails (and three quarters of the
        channel's time); the cases are on the assignee's kanban, as the day's calls are in the
        activities.
        """
        cases = self.env["debt.collection.case"].sudo().with_context(mail_auto_subscribe_no_notify=True)
        open_cases = cases.search([("partner_id", "in", events.partner_id.ids), ("is_closed", "=", False)])
        by_key = {(case.partner_id.id, case.company_id.id): case for case in open_cases}
        to_create = {}
        for event in events:
            key = (event.partner_id.id, event.company_id.id)
            if key not in by_key:
                to_create.setdefault(
                    key,
                    {
                        "partner_id": event.partner_id.id,
                        "company_id": event.company_id.id,
                        "user_id": event.assignee_id.id or False,
                    },
                )
        for case in cases.create(list(to_create.values())):
            by_key[case.partner_id.id, case.company_id.id] = case
        case_of = {event: by_key[event.partner_id.id, event.company_id.id] for event in events}
        self._link_many2one(
            "account_move",
            "debt_case_id",
            events.line_ids.move_id,
            [(move.id, case.id) for event, case in case_of.items() for move in event.line_ids.move_id],
        )
        self._link_many2one(
            "debt_collection_event", "case_id", events, [(e.id, case.id) for e, case in case_of.items()]
        )
        self.env["debt.collection.case"].invalidate_model(["move_ids"])
