"""A collection case (dossier): its stage, figures, evidence pack and payment-plan follow-up."""

import io
import logging
import zipfile
from collections import defaultdict

import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_date

from ..rules import cases as rules
from ..rules.dates import days_late
from .account_move import OPEN_PAYMENT_STATES
from .debt_collection_access import MANAGER, SYSTEM, USER, require_group
from .debt_collection_case_stage import USER_KINDS

_logger = logging.getLogger(__name__)

PRIORITIES = [("0", "Normal"), ("1", "Medium"), ("2", "High"), ("3", "Urgent")]

PLAN_STATES = [("running", "Running"), ("missed", "Instalment Missed"), ("done", "Completed")]


class DebtCollectionCase(models.Model):
    """A collection case (dossier): a customer's overdue invoices worked as a whole.

    Dunning of the case's invoices stops while the case's stage ``freezes_dunning`` (payment
    plan, agency, factor, court): the escalation run reads that flag. A missed instalment
    moves the case back to the stage it had before the plan, so the dunning resumes.
    """

    _name = "debt.collection.case"
    _description = "Collection Case"
    _inherit = ["mail.thread", "mail.activity.mixin", "debt.collection.access.mixin"]
    _order = "priority desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, copy=False, readonly=True, default=lambda self: self.env._("New"))
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True, check_company=True
    )
    stage_id = fields.Many2one(
        "debt.collection.case.stage",
        required=True,
        tracking=True,
        index=True,
        group_expand="_read_group_stage_ids",
        default=lambda self: self._debt_first_stage(),
    )
    is_closed = fields.Boolean(related="stage_id.is_closed", store=True)
    freezes_dunning = fields.Boolean(related="stage_id.freezes_dunning")
    close_date = fields.Date(readonly=True, copy=False, debt_write=SYSTEM)
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user, tracking=True
    )
    priority = fields.Selection(
        PRIORITIES,
        compute="_compute_priority",
        store=True,
        readonly=False,
        help="From the customer's payer class when known, else from the delay of the oldest invoice.",
    )
    color = fields.Integer()
    move_ids = fields.One2many(
        "account.move", "debt_case_id", string="Invoices", domain=[("move_type", "=", "out_invoice")]
    )
    invoice_count = fields.Integer(compute="_compute_invoice_count")
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_due = fields.Monetary(compute="_compute_amount_due", store=True)
    amount_interest = fields.Monetary(string="Late Interest", compute="_compute_penalties")
    amount_indemnity = fields.Monetary(string="Recovery Indemnity", compute="_compute_penalties")
    amount_claimed = fields.Monetary(string="Total Claimed", compute="_compute_penalties")
    oldest_due_date = fields.Date(compute="_compute_oldest_due_date", store=True)
    days_overdue = fields.Integer(compute="_compute_days_overdue", help="Days overdue of the oldest invoice.")
    limitation_date = fields.Date(
        compute="_compute_limitation_date",
        store=True,
        help="Last day to sue: 5 years between professionals, 2 years for a consumer, from the "
        "due date of the oldest invoice.",
    )
    limitation_near = fields.Boolean(compute="_compute_days_overdue")
    event_ids = fields.One2many("debt.collection.event", "case_id", string="Events", readonly=True)

    # evidence pack
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

    # payment plan
    instalment_ids = fields.One2many("debt.collection.case.instalment", "case_id", string="Payment Plan")
    plan_state = fields.Selection(PLAN_STATES, readonly=True, copy=False, tracking=True, debt_write=SYSTEM)
    plan_date = fields.Date(readonly=True, copy=False, debt_write=SYSTEM)
    plan_baseline = fields.Monetary(
        readonly=True,
        copy=False,
        debt_write=SYSTEM,
        help="Amount due of the case's invoices when the plan was made.",
    )
    plan_previous_stage_id = fields.Many2one(
        "debt.collection.case.stage", readonly=True, copy=False, debt_write=SYSTEM
    )

    # hand-off and outcome
    # written by the hand-off and outcome wizards (Collection Managers), never by hand
    agency_id = fields.Many2one(
        "res.partner", string="Agency or Factor", readonly=True, tracking=True, debt_write=SYSTEM
    )
    handoff_kind = fields.Selection(
        [("agency", "Collection Agency"), ("factor", "Factor"), ("insurer", "Credit Insurer")],
        readonly=True,
        copy=False,
        debt_write=SYSTEM,
    )
    handoff_date = fields.Date(readonly=True, copy=False, debt_write=SYSTEM)
    handoff_attachment_id = fields.Many2one(
        "ir.attachment", string="Hand-off Pack", readonly=True, copy=False, debt_write=SYSTEM
    )
    amount_recovered = fields.Monetary(readonly=True, copy=False, debt_write=SYSTEM)
    amount_fees = fields.Monetary(string="Fees", readonly=True, copy=False, debt_write=SYSTEM)
    amount_written_off = fields.Monetary(readonly=True, copy=False, debt_write=SYSTEM)
    writeoff_move_id = fields.Many2one(
        "account.move", string="Write-off Credit Note", readonly=True, copy=False, debt_write=SYSTEM
    )

    # court
    court_city = fields.Char(
        string="Court Seat",
        compute="_compute_court_city",
        store=True,
        readonly=False,
        help="City of the court whose territory covers the debtor's domicile or seat (CPC 1406): the "
        "debtor's city by default; for a town without a court of that kind, the seat of the court "
        "covering it (justice.fr, annuaire des juridictions).",
    )
    court_name = fields.Char(string="Competent Court", compute="_compute_court")
    court_cerfa = fields.Char(string="Cerfa Form", compute="_compute_court")

    _one_open_case_per_partner = models.UniqueIndex(
        "(partner_id, company_id) WHERE NOT is_closed",
        "A customer has one open collection case per company.",
    )

    # ------------------------------------------------------------------ computes

    @api.depends("move_ids.amount_residual_signed")
    def _compute_amount_due(self):
        for case in self:
            case.amount_due = sum(case.move_ids.mapped("amount_residual_signed"))

    @api.depends("move_ids")
    def _compute_invoice_count(self):
        for case in self:
            case.invoice_count = len(case.move_ids)

    def _compute_penalties(self):
        """Interest and indemnity still owed to date, for all the cases in one computation.

        Every invoice of the case: one paid late still owes its interest and indemnity until
        they are invoiced (the ledger gives nothing for one paid on time).
        """
        moves = self.move_ids
        computed = moves._debt_penalties(fields.Date.context_today(self)) if moves else None
        for case in self:
            interest = indemnity = 0.0
            for move in case.move_ids:
                penalty = computed.by_invoice.get(move.id)
                if penalty:
                    interest += float(penalty.interest)
                    indemnity += float(penalty.indemnity)
            case.amount_interest = interest
            case.amount_indemnity = indemnity
            case.amount_claimed = case.amount_due + interest + indemnity

    @api.depends("move_ids.invoice_date_due", "move_ids.payment_state")
    def _compute_oldest_due_date(self):
        for case in self:
            moves = case.move_ids.filtered(lambda m: m.payment_state in OPEN_PAYMENT_STATES)
            case.oldest_due_date = min((moves or case.move_ids).mapped("invoice_date_due"), default=False)

    @api.depends("oldest_due_date")
    @api.depends_context("tz")
    def _compute_days_overdue(self):
        today = fields.Date.context_today(self)
        for case in self:
            case.days_overdue = days_late(case.oldest_due_date, today)
            case.limitation_near = not case.is_closed and rules.limitation_near(case.limitation_date, today)

    @api.depends("oldest_due_date", "partner_id.debt_is_consumer")
    def _compute_limitation_date(self):
        for case in self:
            case.limitation_date = rules.limitation_date(
                case.oldest_due_date, case.partner_id.commercial_partner_id.debt_is_consumer
            )

    @api.depends("partner_id.commercial_partner_id.debt_payer_class", "oldest_due_date")
    def _compute_priority(self):
        today = fields.Date.context_today(self)
        for case in self:
            payer_class = case.partner_id.commercial_partner_id.debt_payer_class
            case.priority = rules.priority(payer_class, days_late(case.oldest_due_date, today))

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

    @api.depends("partner_id.commercial_partner_id.city")
    def _compute_court_city(self):
        for case in self:
            case.court_city = case.partner_id.commercial_partner_id.city or False

    @api.depends("partner_id.debt_is_consumer", "partner_id.debt_is_public_body", "court_city")
    def _compute_court(self):
        """The court (named in French whatever the reader) and the Cerfa form of the request."""
        today = fields.Date.context_today(self)
        for case in self:
            debtor = case.partner_id.commercial_partner_id
            court = rules.competent_court(
                debtor.debt_is_consumer, case.court_city, today, debtor_is_public=debtor.debt_is_public_body
            )
            case.court_name = court.name
            case.court_cerfa = court.cerfa

    # ------------------------------------------------------------------ constraints

    def _debt_check_no_open_case(self, vals_list):
        """Name the case already open: clearer than the unique index's message.

        Checked before the insert (the index would fail first on the flush of a search).
        """
        keys = {
            (vals.get("partner_id"), vals.get("company_id") or self.env.company.id)
            for vals in vals_list
            if vals.get("partner_id")
        }
        if not keys:
            return
        others = self.search(
            [
                ("partner_id", "in", [partner for partner, _company in keys]),
                ("company_id", "in", [company for _partner, company in keys]),
                ("is_closed", "=", False),
            ]
        )
        for other in others:
            if (other.partner_id.id, other.company_id.id) in keys:
                raise ValidationError(
                    self.env._(
                        "%(customer)s already has an open collection case, %(case)s: add the invoices "
                        "to it, or close it before opening another one.",
                        customer=other.partner_id.display_name,
                        case=other.name,
                    )
                )

    @api.constrains("move_ids", "partner_id")
    def _check_invoices_partner(self):
        for case in self:
            strangers = case.move_ids.filtered(
                lambda m, c=case: m.commercial_partner_id != c.partner_id.commercial_partner_id
                or m.company_id != c.company_id
            )
            if strangers:
                raise ValidationError(
                    self.env._(
                        "Invoices %(invoices)s belong to another customer or company than case %(case)s.",
                        invoices=", ".join(strangers.mapped("name")),
                        case=case.name,
                    )
                )

    # ------------------------------------------------------------------ ORM

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return stages.search([], order=stages._order)  # pylint: disable=no-search-all

    @api.model
    def _debt_first_stage(self):
        return self.env["debt.collection.case.stage"].search([], limit=1)

    @api.model_create_multi
    def create(self, vals_list):
        """Number the cases and put them in the first stage, looking both up once for the batch."""
        self._debt_check_no_open_case(vals_list)
        new = self.env._("New")
        to_number = [vals for vals in vals_list if vals.get("name", new) == new]
        if to_number:
            sequence = self.env["ir.sequence"].sudo().search(
                [("code", "=", "debt.collection.case"), ("company_id", "in", [self.env.company.id, False])],
                order="company_id",
                limit=1,
            )
            for vals in to_number:
                vals["name"] = sequence._next() if sequence else new
        if any("stage_id" not in vals for vals in vals_list):
            first_stage = self._debt_first_stage()
            for vals in vals_list:
                vals.setdefault("stage_id", first_stage.id)
        Stage = self.env["debt.collection.case.stage"]
        for vals in vals_list:
            self.browse()._debt_check_stage_move(Stage.browse(vals["stage_id"]))
        return super().create(vals_list)

    def write(self, vals):
        if "stage_id" not in vals:
            return super().write(vals)
        stage = self.env["debt.collection.case.stage"].browse(vals["stage_id"])
        self._debt_check_stage_move(stage)
        thawed = self.filtered(lambda case: case.freezes_dunning and not stage.freezes_dunning)
        result = super().write(vals)
        # the close date follows the stage: the workflow's own field
        super(DebtCollectionCase, self.sudo()).write(
            {"close_date": fields.Date.context_today(self) if stage.is_closed else False}
        )
        thawed.move_ids._debt_reschedule()  # the dunning resumes: the run looks at them again
        return result

    def _debt_check_stage_move(self, stage):
        """A Collection User moves cases between Amicable and Formal Notice (a new case starts
        in one of them); a move to or from a stage that freezes the dunning or closes the case
        is made by the payment plan, hand-off and outcome wizards, the daily scheduled action
        (as superuser) or a Collection Manager: the kanban and the status bar included."""
        moving = self.filtered(lambda case: case.stage_id != stage)
        if self.env.su or self.env.user.has_group(MANAGER) or (self and not moving):
            return
        if stage.kind in USER_KINDS:
            held = moving.stage_id.filtered(lambda origin: origin.kind not in USER_KINDS)
        else:
            held = stage
        if held:
            raise AccessError(
                self.env._(
                    "Only a Collection Manager can move a case to or from %(stages)s by hand: a payment "
                    "plan, a hand-off or an outcome is recorded with its button.",
                    stages=", ".join(held.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------------ opening cases by hand

    @api.model
    def _debt_overdue_invoices(self, partners, company):
        """The posted, unpaid, overdue customer invoices of these customers in ``company``."""
        return self.env["account.move"].search(
            [
                ("commercial_partner_id", "in", partners.commercial_partner_id.ids),
                ("company_id", "=", company.id),
                *self.env["account.move"]._debt_open_invoice_domain(),
                ("invoice_date_due", "<", fields.Date.context_today(self)),
            ]
        )

    @api.model
    def _debt_open_for(self, moves_by_partner, company):
        """Open (or feed) the case of each customer with its invoices; return the cases."""
        partners = self.env["res.partner"].browse(list(moves_by_partner))
        existing = self.search(
            [("partner_id", "in", partners.ids), ("company_id", "=", company.id), ("is_closed", "=", False)]
        )
        by_partner = {case.partner_id.id: case for case in existing}
        missing = [pid for pid in moves_by_partner if pid not in by_partner]
        for case in self.create([{"partner_id": pid, "company_id": company.id} for pid in missing]):
            by_partner[case.partner_id.id] = case
        for partner_id, moves in moves_by_partner.items():
            moves.write({"debt_case_id": by_partner[partner_id].id})
        return self.browse([case.id for case in by_partner.values()])

    @api.model
    def _action_open_for_partners(self, partners):
        """Button on the customer: its case, opened with its overdue invoices when none is."""
        company = self.env.company
        moves = self._debt_overdue_invoices(partners, company)
        by_partner = {partner.commercial_partner_id.id: self.env["account.move"] for partner in partners}
        for move in moves:
            by_partner[move.commercial_partner_id.id] |= move
        return self._debt_open_for(by_partner, company)._action_view()

    @api.model
    def _action_open_for_invoices(self, moves):
        """Server action on selected invoices: add them to their customers' cases."""
        moves = moves.filtered(lambda m: m._debt_is_open())
        if not moves:
            raise UserError(self.env._("Select posted customer invoices that are not paid."))
        cases = self.browse()
        for company in moves.company_id:
            by_partner = defaultdict(lambda: self.env["account.move"])
            for move in moves.filtered(lambda m, c=company: m.company_id == c):
                by_partner[move.commercial_partner_id.id] |= move
            cases |= self.with_company(company)._debt_open_for(by_partner, company)
        return cases._action_view()

    def _action_view(self):
        action = {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "name": self.env._("Collection Cases"),
            "context": {"create": False},
        }
        if len(self) == 1:
            return {**action, "view_mode": "form", "views": [(False, "form")], "res_id": self.id}
        return {**action, "view_mode": "list,form", "views": [(False, "list"), (False, "form")],
                "domain": [("id", "in", self.ids)]}

    def action_view_invoices(self):
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "name": self.env._("Invoices"),
            "view_mode": "list,form",
            "views": [(self.env.ref("account.view_out_invoice_tree").id, "list"), (False, "form")],
            "domain": [("debt_case_id", "in", self.ids)],
            "context": {"create": False, "default_move_type": "out_invoice"},
        }

    # ------------------------------------------------------------------ security

    def _debt_check_manager(self):
        require_group(
            self.env, MANAGER, self.env._("Only a Collection Manager can hand a case off or write it off.")
        )

    def _debt_check_manager_on_open_case(self):
        """Hand-offs and outcomes: a Collection Manager, on a case that is not closed yet."""
        self.ensure_one()
        self._debt_check_manager()
        if self.is_closed:
            raise UserError(self.env._("Case %s is closed.", self.name))

    # ------------------------------------------------------------------ wizards

    def _wizard_action(self, model, name):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": model,
            "name": name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_case_id": self.id},
        }

    def action_payment_plan(self):
        require_group(self.env, USER, self.env._("Only a Collection User can agree a payment plan."))
        return self._wizard_action("debt.collection.payment.plan.wizard", self.env._("Payment Plan"))

    def action_handoff(self):
        self._debt_check_manager()
        return self._wizard_action("debt.collection.handoff.wizard", self.env._("Hand Off"))

    def action_outcome(self):
        self._debt_check_manager()
        return self._wizard_action("debt.collection.case.outcome.wizard", self.env._("Record the Outcome"))

    def action_print_summary(self):
        self.check_access("read")
        return self.env.ref("account_debt_collection.action_report_case_summary").report_action(self)

    def action_print_court(self):
        self.check_access("read")
        return self.env.ref("account_debt_collection.action_report_case_court").report_action(self)

    def action_collect_documents(self):
        require_group(
            self.env, USER, self.env._("Only a Collection User can collect the evidence of a case.")
        )
        self._debt_collect_documents()
        return True

    # ------------------------------------------------------------------ events

    def _debt_log_events(self, notes, outcome=None):
        """One manual event per case (``notes``: ``{case_id: text}``), created in one call."""
        today = fields.Date.context_today(self)
        Event = self.env["debt.collection.event"].sudo()
        values = []
        for case in self:
            moves = case.move_ids.filtered(lambda m: m.payment_state in OPEN_PAYMENT_STATES)
            values.append(
                {
                    "date": today,
                    "company_id": case.company_id.id,
                    "partner_id": case.partner_id.id,
                    "kind": "manual",
                    "channel": "case",
                    "case_id": case.id,
                    "note": notes[case.id],
                    "outcome": outcome,
                    "amount_due": case.amount_due,
                    "amount_net": case.amount_due,
                    "line_ids": Event._line_commands(moves, today),
                }
            )
        events = Event.create(values)
        self._message_log_batch(bodies={case.id: notes[case.id] for case in self})
        return events

    # ------------------------------------------------------------------ evidence pack

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

        # invoices: their main attachment, or one rendering of all the others
        moves = self.move_ids
        to_render = moves.filtered(
            lambda m: not (m.message_main_attachment_id.mimetype or "").endswith("pdf")
            and (m.debt_case_id.id, "invoice", m.name) not in existing
        )
        rendered = self._debt_render_split("account.account_invoices", to_render)
        for case in self:
            for move in case.move_ids:
                if move.id in rendered:
                    content, ext = rendered[move.id]
                    add(case, "invoice", move.name, move.name, content=content, extension=ext)
                elif move.message_main_attachment_id:
                    add(case, "invoice", move.name, move.name, attachment=move.message_main_attachment_id.id)

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

    # ------------------------------------------------------------------ hand-off pack

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

    # ------------------------------------------------------------------ daily follow-up

    @api.model
    def _cron_follow_cases(self):
        """Daily: match payments to payment plans, flag missed instalments, close paid cases."""
        today = fields.Date.context_today(self)
        self.search([("plan_state", "=", "running")])._debt_refresh_plans(today)
        self.search([("is_closed", "=", False)])._debt_close_recovered()

    def _debt_residuals(self):
        """``{case id: amount still due on its invoices}``, in one grouped read."""
        groups = self.env["account.move"]._read_group(
            [("debt_case_id", "in", self.ids)], ["debt_case_id"], ["amount_residual_signed:sum"]
        )
        return {case.id: amount for case, amount in groups}

    def _debt_refresh_plans(self, today):
        """Paid amounts and states of the instalments; missed ones go back to the case.

        Received = the plan's baseline minus what the case's invoices still owe, spread over
        the instalments' principal in date order (``rules.cases.allocate_payments``). One
        grouped read of residuals, one UPDATE of the instalments, one create of the events.
        """
        if not self:
            return
        residuals = self._debt_residuals()
        moves = self.move_ids
        scenarios = self.env["res.partner"]._debt_scenarios_of(moves) if moves else {}
        updates, newly_missed, done = [], self.browse(), self.browse()
        for case in self:
            scenario = scenarios.get((case.company_id.id, case.partner_id.commercial_partner_id.id))
            grace = scenario.promise_grace_days if scenario else 0
            received = case.plan_baseline - residuals.get(case.id, 0.0)
            items = [rules.Instalment(i.id, i.date, i.principal) for i in case.instalment_ids]
            statuses = rules.allocate_payments(items, received, today, grace)
            for instalment in case.instalment_ids:
                status = statuses[instalment.id]
                if (instalment.paid_amount, instalment.state) != (status.paid, status.state):
                    updates.append(SQL("(%s, %s, %s)", instalment.id, status.paid, status.state))
                    if status.state == "missed" and instalment.state != "missed":
                        newly_missed |= case
            if statuses and all(s.state == "paid" for s in statuses.values()):
                done |= case
        if updates:
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    """UPDATE debt_collection_case_instalment i
                          SET paid_amount = v.paid, state = v.state
                         FROM (VALUES %s) AS v(id, paid, state)
                        WHERE i.id = v.id""",
                    SQL(", ").join(updates),
                )
            )
            self.instalment_ids.invalidate_recordset(["paid_amount", "state"])
        done.sudo().write({"plan_state": "done"})
        self._debt_plan_missed(newly_missed - done, today)

    def _debt_plan_missed(self, cases, today):
        """A missed instalment: an event, a to-do for the responsible, the dunning resumes."""
        if not cases:
            return
        notes, summaries = {}, {}
        for case in cases:
            # for the case's responsible, who gets the to-do: in their language
            env = case.with_context(lang=case.user_id.lang or case.company_id.partner_id.lang).env
            missed = case.instalment_ids.filtered(lambda i: i.state == "missed")
            notes[case.id] = env._(
                "Payment plan: %(count)s instalment(s) missed (%(dates)s); the plan is broken and the "
                "dunning resumes.",
                count=len(missed),
                dates=", ".join(format_date(env, d) for d in missed.mapped("date")),
            )
            summaries[case.id] = env._("Instalment missed")
        cases._debt_log_events(notes, outcome="promise_broken")
        formal_notice = self.env["debt.collection.case.stage"]._debt_of_kind("formal_notice")
        for previous, group in cases.grouped("plan_previous_stage_id").items():
            group.sudo().write({"plan_state": "missed", "stage_id": (previous or formal_notice).id})
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        self.env["mail.activity"].sudo().create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": case.id,
                    "activity_type_id": todo.id,
                    "user_id": (case.user_id or self.env.user).id,
                    "date_deadline": today,
                    "summary": summaries[case.id],
                    "note": notes[case.id],
                }
                for case in cases
            ]
        )

    def _debt_close_recovered(self):
        """Cases whose invoices are all paid move to Recovered (one grouped read)."""
        if not self:
            return self.browse()
        counts = self.env["account.move"]._read_group(
            [("debt_case_id", "in", self.ids)],
            ["debt_case_id"],
            ["__count", "payment_state:array_agg"],
        )
        paid = self.browse(
            case.id
            for case, _count, states in counts
            if not set(states) & set(OPEN_PAYMENT_STATES)
        )
        if paid:
            recovered = self.env["debt.collection.case.stage"]._debt_of_kind("recovered")
            paid.sudo().write({"stage_id": recovered.id})
            paid.filtered(lambda c: c.plan_state == "running").sudo().write({"plan_state": "done"})
            body = self.env._("All the invoices of the case are paid: the case is recovered.")
            paid._message_log_batch(bodies=dict.fromkeys(paid.ids, body))
        return paid


def _safe(name):
    """A file name without path separators."""
    return (name or "").replace("/", "_").replace("\\", "_")
