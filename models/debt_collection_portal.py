"""The customer's page: what it shows, and what the customer does there.

The portal controller (``controllers/portal.py``) only checks who is asking and hands the
request here. Every promise and dispute goes through the back office's own code (the
promise's ``create`` and ``_debt_check_values``, the dispute's ``create``), so it pauses the
dunning exactly as one logged on the phone; every visit and action is a collection event of
origin "portal", which the run's cadence and once-a-day rule never count.
"""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount, format_date
from odoo.tools.mimetypes import guess_mimetype

from ..rules.analytics import BUCKETS, age_bucket
from ..rules.dates import days_late
from ..rules.portal import (
    FILE_EMPTY,
    FILE_TOO_LARGE,
    FILE_TYPE_REFUSED,
    TOO_FAR,
    TOO_MANY_FILES,
    actions_left,
    attachment_problems,
    promise_limit_problems,
)
from ..rules.promise import ACCEPTED, TO_ACCEPT
from .account_move import OPEN_ITEMS_DOMAIN
from .debt_collection_event import PORTAL_ACTIONS

#: Attachments of a dispute raised on the page: how many, how large, of which types.
MAX_FILES = 3
MAX_BYTES = 5 * 1024 * 1024
ALLOWED_MIMETYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})
#: Channels of the letters the page lists.
LETTER_CHANNELS = ("letter", "registered_letter")
#: How many past letters, promises and disputes the page lists.
HISTORY_LIMIT = 20


class DebtCollectionPortal(models.AbstractModel):
    _name = "debt.collection.portal"
    _description = "Customer Page"

    # ------------------------------------------------------------------ who

    @api.model
    def _customer_for(self, partner_id, token=None):
        """The customer (commercial entity) whose page this request may open, else an empty recordset.

        With a token: the customer whose valid token it is, and only if it is ``partner_id``.
        Without: a logged-in user of that customer (the customer itself or one of its contacts).
        """
        Partner = self.env["res.partner"].sudo()
        if token:
            return Partner._debt_portal_find(partner_id, token)
        user = self.env.user
        if user._is_public():
            return Partner.browse()
        customer = user.partner_id.commercial_partner_id.sudo()
        return customer if customer.id == partner_id else Partner.browse()

    @api.model
    def _companies(self, customer):
        """The companies the customer owes to (open items), else the request's company."""
        groups = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(self._open_items_domain(customer), ["company_id"])
        )
        return (
            self.env["res.company"].sudo().browse(company.id for [company] in groups)
            or self.env.company.sudo()
        )

    @api.model
    def _controller(self, customer, company):
        """Who answers the customer: its credit controller, the company's, else a Collection Manager."""
        controller = customer.with_company(company).sudo().debt_controller_id or company.debt_controller_id
        if controller:
            return controller
        manager_id = self.env["debt.collection.run"].sudo()._first_manager(company)
        return self.env["res.users"].sudo().browse(manager_id)

    # ------------------------------------------------------------------ what the page shows

    @api.model
    def _open_items_domain(self, customer):
        return [("partner_id", "=", customer.id), *OPEN_ITEMS_DOMAIN]

    @api.model
    def _open_invoices_domain(self, customer):
        return [
            ("commercial_partner_id", "=", customer.id),
            *self.env["account.move"]._debt_open_invoice_domain(),
        ]

    @api.model
    def _open_invoice_count(self, customer):
        return self.env["account.move"].sudo().search_count(self._open_invoices_domain(customer))

    @api.model
    def _page_values(self, customer, today=None):
        """Everything the page shows, as plain values formatted for the reader (nothing internal)."""
        today = today or fields.Date.context_today(self)
        companies = self._companies(customer)
        company = companies[:1]
        currency = company.currency_id
        invoices = (
            self.env["account.move"]
            .sudo()
            .search(self._open_invoices_domain(customer), order="invoice_date_due, id")
        )
        credit_lines = (
            self.env["account.move.line"]
            .sudo()
            .search([*self._open_items_domain(customer), ("amount_residual", "<", 0)], order="date, id")
        )
        labels = self._bucket_labels()
        by_bucket = dict.fromkeys(labels, 0.0)
        rows = []
        for move in invoices:
            due_date = move.invoice_date_due or move.date
            bucket = age_bucket(due_date, today)
            by_bucket[bucket] += move.amount_residual_signed
            rows.append(
                {
                    "id": move.id,
                    "name": move.name,
                    "company": move.company_id.name if len(companies) > 1 else "",
                    "date": format_date(self.env, move.invoice_date),
                    "due_date": format_date(self.env, due_date),
                    "amount": format_amount(self.env, move.amount_total, move.currency_id),
                    "due": format_amount(self.env, move.amount_residual, move.currency_id),
                    "due_value": move.amount_residual,
                    "days_late": days_late(due_date, today),
                    "age": labels[bucket],
                    "disputed": move.debt_dispute,
                    "promised": format_date(self.env, move.debt_promise_date)
                    if move.debt_promise_date
                    else "",
                }
            )
        total_due = sum(invoices.mapped("amount_residual_signed"))
        total_credit = -sum(credit_lines.mapped("amount_residual"))
        net_due = total_due - total_credit
        left = actions_left(self._actions_today(customer, today), company.debt_portal_daily_actions)
        return {
            "customer_name": customer.name,
            "invoices": rows,
            "buckets": [
                {"label": labels[key], "amount": format_amount(self.env, by_bucket[key], currency)}
                for key, _label, _last in BUCKETS
                if by_bucket[key]
            ],
            "credits": [
                {
                    "name": line.move_id.name,
                    "date": format_date(self.env, line.date),
                    "amount": format_amount(self.env, -line.amount_residual, currency),
                }
                for line in credit_lines
            ],
            "total_due": format_amount(self.env, total_due, currency),
            "total_credit": format_amount(self.env, total_credit, currency) if total_credit else "",
            "net_due": format_amount(self.env, net_due, currency),
            "net_due_value": net_due,
            "letters": self._letters(customer),
            "promises": self._promises(customer),
            "disputes": self._disputes(customer),
            "reasons": [
                {"id": reason.id, "name": reason.name}
                for reason in self.env["debt.collection.dispute.reason"]
                .sudo()
                .search(["|", ("company_id", "=", False), ("company_id", "in", companies.ids)])
            ],
            "limits": {
                "last_day": fields.Date.to_string(today),
                "max_days": company.debt_portal_promise_max_days,
                "min_percent": company.debt_portal_promise_min_percent,
                "actions_left": left,
                "max_files": MAX_FILES,
                "max_megabytes": MAX_BYTES // (1024 * 1024),
            },
            "pay": {
                "bank": company._debt_bank_details(),
                "qr": net_due > 0
                and company._debt_sepa_qr(net_due, currency, customer, invoices.mapped("name")),
                "online": company._debt_online_payment_ready(),
            },
        }

    def _bucket_labels(self):
        return {
            "0_not_due": self.env._("Not due yet"),
            "1_30": self.env._("1 to 30 days late"),
            "31_60": self.env._("31 to 60 days late"),
            "61_90": self.env._("61 to 90 days late"),
            "91_over": self.env._("Over 90 days late"),
        }

    def _letters(self, customer):
        events = (
            self.env["debt.collection.event"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", customer.id),
                    ("channel", "in", LETTER_CHANNELS),
                    ("state", "=", "done"),
                ],
                order="date desc, id desc",
                limit=HISTORY_LIMIT,
            )
        )
        kinds = dict(events._fields["letter_type"]._description_selection(self.env))
        return [
            {
                "id": event.id,
                "date": format_date(self.env, event.printed_date or event.date),
                "name": kinds.get(event.letter_type) or self.env._("Letter"),
            }
            for event in events
        ]

    def _promises(self, customer):
        promises = (
            self.env["debt.collection.promise"]
            .sudo()
            .search([("partner_id", "=", customer.id)], order="date desc, id desc", limit=HISTORY_LIMIT)
        )
        states = dict(promises._fields["state"]._description_selection(self.env))
        return [
            {
                "date": format_date(self.env, promise.date),
                "amount": format_amount(self.env, promise.amount, promise.currency_id),
                "invoices": ", ".join(promise.move_ids.mapped("name")),
                "state": promise.state,
                "state_label": states.get(promise.state, ""),
            }
            for promise in promises
        ]

    def _disputes(self, customer):
        disputes = (
            self.env["debt.collection.dispute"]
            .sudo()
            .search([("partner_id", "=", customer.id)], order="date desc, id desc", limit=HISTORY_LIMIT)
        )
        states = dict(disputes._fields["state"]._description_selection(self.env))
        return [
            {
                "name": dispute.name,
                "invoice": dispute.move_id.name,
                "reason": dispute.reason_id.name,
                "date": format_date(self.env, dispute.date),
                "state": dispute.state,
                "state_label": states.get(dispute.state, ""),
            }
            for dispute in disputes
        ]

    # ------------------------------------------------------------------ events

    @api.model
    def _record(self, customer, outcome, moves=None, note=None, once_a_day=False):
        """A collection event of origin "portal" per company concerned; a visit also dates the
        customer's last visit (the worklist shows invoices seen after their reminder).

        ``once_a_day``: not again if the same thing (outcome and note) was recorded today.
        """
        today = fields.Date.context_today(self)
        Event = self.env["debt.collection.event"].sudo()
        if once_a_day and Event.search_count(
            [
                ("partner_id", "=", customer.id),
                ("date", "=", today),
                ("outcome", "=", outcome),
                ("note", "=", note or False),
            ],
            limit=1,
        ):
            return Event
        moves = moves if moves is not None else self.env["account.move"]
        user = self.env.user
        values = []
        for company in moves.company_id or self._companies(customer):
            company_moves = moves.filtered(lambda move, c=company: move.company_id == c)
            due = sum(company_moves.mapped("amount_residual_signed"))
            values.append(
                {
                    "date": today,
                    "company_id": company.id,
                    "partner_id": customer.id,
                    "origin": "portal",
                    "channel": "portal",
                    "outcome": outcome,
                    "user_id": False if user._is_public() else user.id,
                    "level": max(company_moves.mapped("debt_level"), default=0),
                    "note": note,
                    "amount_due": due,
                    "amount_net": due,
                    "line_ids": Event._line_commands(company_moves, today),
                }
            )
        events = Event.create(values)
        if outcome == "portal_viewed":
            customer.sudo().debt_portal_visit_date = today
        return events

    def _actions_today(self, customer, today):
        return (
            self.env["debt.collection.event"]
            .sudo()
            .search_count(
                [("partner_id", "=", customer.id), ("date", "=", today), ("outcome", "in", PORTAL_ACTIONS)]
            )
        )

    @api.model
    def _check_daily_limit(self, customer, company=None):
        """Refuse what goes beyond the company's number of actions per customer and day."""
        company = company or self._companies(customer)[:1]
        today = fields.Date.context_today(self)
        if not actions_left(self._actions_today(customer, today), company.debt_portal_daily_actions):
            raise UserError(
                self.env._(
                    "You have reached today's limit of requests on this page. Please come back tomorrow, "
                    "or reply to our last email."
                )
            )

    def _company_text(self, company):
        """An environment in the company's language, for what the company's people read."""
        return self.with_context(lang=company.partner_id.lang or self.env.lang).env

    # ------------------------------------------------------------------ what the customer does

    @api.model
    def _chosen_invoices(self, customer, move_ids):
        """The open invoices of the customer the page's form chose; a clear error otherwise."""
        wanted = {int(move_id) for move_id in move_ids if str(move_id).isdigit()}
        moves = (
            self.env["account.move"]
            .sudo()
            .search([*self._open_invoices_domain(customer), ("id", "in", list(wanted))])
            if wanted
            else self.env["account.move"]
        )
        if not moves or len(moves) != len(wanted):
            raise UserError(self.env._("Choose one or several of your open invoices."))
        if len(moves.company_id) > 1:
            raise UserError(self.env._("Choose invoices of one company at a time."))
        return moves

    @api.model
    def _promise(self, customer, move_ids, promised_date, amount):
        """A promise to pay from the page, recorded by the back office's own code.

        Inside the company's limits it runs at once and pauses the dunning like one made on
        the phone; outside them it waits for the credit controller's acceptance (a to-do).
        The customer gets the recap email. Bad input raises and writes nothing.
        """
        moves = self._chosen_invoices(customer, move_ids)
        company = moves.company_id
        self._check_daily_limit(customer, company)
        Promise = self.env["debt.collection.promise"].sudo().with_company(company)
        Promise._debt_check_values(customer, moves, promised_date, amount)
        today = fields.Date.context_today(self)
        problems = promise_limit_problems(
            promised_date,
            amount,
            today,
            sum(moves.mapped("amount_residual_signed")),
            company.debt_portal_promise_max_days,
            company.debt_portal_promise_min_percent,
        )
        env = self._company_text(company)
        note = env._(
            "Promise to pay %(amount)s by %(date)s made on the customer's page.",
            amount=format_amount(env, amount, company.currency_id),
            date=format_date(env, promised_date),
        )
        event = self._record(customer, "portal_proposed" if problems else "portal_promise", moves, note)
        promise = Promise.create(
            {
                "company_id": company.id,
                "partner_id": customer.id,
                "move_ids": [fields.Command.set(moves.ids)],
                "date": promised_date,
                "amount": amount,
                "acceptance": TO_ACCEPT if problems else ACCEPTED,
                "user_id": False if self.env.user._is_public() else self.env.user.id,
                "event_id": event.id,
                "note": note,
            }
        )
        event.promise_id = promise
        if problems:
            self._ask_acceptance(promise, problems)
        self._send_promise_recap(promise)
        return promise

    def _ask_acceptance(self, promise, problems):
        """The credit controller's to-do: accept or refuse a promise beyond the company's limits."""
        company = promise.company_id
        env = self._company_text(company)
        reasons = []
        for code, value in problems:
            if code == TOO_FAR:
                reasons.append(
                    env._(
                        "It is later than the %(days)s days accepted at once (until %(date)s).",
                        days=company.debt_portal_promise_max_days,
                        date=format_date(env, value),
                    )
                )
            else:
                reasons.append(
                    env._(
                        "It is less than the %(percent)s %% of the amount due accepted at once (%(amount)s).",
                        percent=company.debt_portal_promise_min_percent,
                        amount=format_amount(env, value, company.currency_id),
                    )
                )
        controller = self._controller(promise.partner_id, company)
        promise.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=controller.id or self.env.ref("base.user_admin").id,
            summary=env._("Accept or refuse the promise proposed online"),
            note=Markup("<p>%s</p>") % " ".join(reasons),
        )

    @api.model
    def _send_promise_recap(self, promises):
        """Email the customers what became of their promises made on the page."""
        with_email = promises.filtered(lambda promise: promise.partner_id.email)
        if with_email:
            template = self.env.ref("account_debt_collection.mail_template_portal_promise")
            template.sudo().send_mail_batch(with_email.ids)

    @api.model
    def _dispute(self, customer, move_id, reason_id, comment, files):
        """A dispute from the page, opened as a controller would: the invoice's dunning stops, the
        salesperson gets the to-do. ``files``: ``[(name, content)]``. Bad input raises, writes nothing."""
        move = self._chosen_invoices(customer, [move_id])
        company = move.company_id
        self._check_daily_limit(customer, company)
        if move.debt_dispute:
            raise UserError(
                self.env._("This invoice is already in dispute: write to us in the messages below the page.")
            )
        reason = (
            self.env["debt.collection.dispute.reason"]
            .sudo()
            .search(
                [
                    ("id", "=", int(reason_id or 0)),
                    "|",
                    ("company_id", "=", False),
                    ("company_id", "=", company.id),
                ]
            )
        )
        if not reason:
            raise UserError(self.env._("Choose what the problem is."))
        self._check_files(files)
        env = self._company_text(company)
        note = env._(
            "Dispute raised on %(invoice)s from the customer's page: %(reason)s.",
            invoice=move.name,
            reason=reason.with_env(env).name,
        )
        event = self._record(customer, "portal_dispute", move, note)
        controller = self._controller(customer, company)
        dispute = (
            self.env["debt.collection.dispute"]
            .sudo()
            .with_company(company)
            .create(
                {
                    "move_id": move.id,
                    "reason_id": reason.id,
                    "user_id": controller.id or False,
                    "event_id": event.id,
                    "note": Markup("<p>%s</p>") % (comment or ""),
                }
            )
        )
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {"name": name, "raw": content, "res_model": dispute._name, "res_id": dispute.id}
                    for name, content in files
                ]
            )
        )
        dispute.message_post(
            body=comment or reason.name,
            author_id=customer.id,
            attachment_ids=attachments.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return dispute

    def _check_files(self, files):
        problems = attachment_problems(
            [(name, len(content), guess_mimetype(content)) for name, content in files],
            MAX_FILES,
            MAX_BYTES,
            ALLOWED_MIMETYPES,
        )
        if not problems:
            return
        messages = {
            TOO_MANY_FILES: lambda v: self.env._("Attach at most %(count)s files.", count=v),
            FILE_TOO_LARGE: lambda v: self.env._(
                "%(name)s is larger than %(size)s MB.", name=v, size=MAX_BYTES // (1024 * 1024)
            ),
            FILE_TYPE_REFUSED: lambda v: self.env._("%(name)s is not a PDF, PNG or JPEG file.", name=v),
            FILE_EMPTY: lambda v: self.env._("%(name)s is empty.", name=v),
        }
        raise UserError("\n".join(messages[code](value) for code, value in problems))
