"""Who may do what, tried as each kind of user on every model the module adds or extends.

The expectations are read from the README's "Who may do what" table: each attempt below
names the row it belongs to, and the test fails with the list of calls whose outcome differs
from what the row says (or that crashed instead of being allowed or refused). Every attempt
runs as a real user (``new_test_user`` with the groups such a user has), in a savepoint that
is rolled back, on a day pinned by freezegun. A refusal is an ``AccessError``; "the other
company" tries this company's records; "their customers" means allowed on a customer of the
salesperson's, refused on another one.
"""

import re
from collections.abc import Callable
from typing import NamedTuple
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.addons.account_debt_collection.models.debt_collection_followup import (
    ID_FACTOR as FOLLOWUP_ID_FACTOR,
)
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools.misc import file_path

from .common import DebtCollectionCommon, day

NOW = day(40)
ROLES = ("salesperson", "controller", "manager", "other", "portal")
ROLE_GROUPS = {
    "salesperson": "account.group_account_invoice,base.group_partner_manager",
    "controller": "account_debt_collection.group_debt_collection_user",
    "manager": "account_debt_collection.group_debt_collection_manager",
    "other": "account_debt_collection.group_debt_collection_manager",
    "portal": "base.group_portal",
}
#: The models and what is tried on each: the module's own models get every operation, the
#: models it extends those on its own fields, the report models their rendering.
OWN_OPS = ("read", "write", "create", "unlink", "load")
EXTENDED_OPS = {
    "res.partner": ("read", "write", "create", "load"),
    "account.move": ("read", "write", "create", "load"),
    "account.move.line": ("read", "write", "create", "load"),
    "res.company": ("write",),
}
REPORTS = (
    "report.account_debt_collection.report_debt_letter",
    "report.account_debt_collection.report_case_court",
    "report.account_debt_collection.report_case_court_copy",
    "report.account_debt_collection.report_case_summary",
)
#: Overrides of the ORM's and mail's own methods: tried as the operations they are (a message
#: the customer writes on its page is tried by ``test_portal``).
ORM_OVERRIDES = ("create", "write", "unlink", "default_get", "message_post")
#: Models the module extends with neither a field nor a public method of its own: nothing to try.
NOTHING_TO_TRY = ("res.config.settings", "mail.template", "mail.mail", "ir.actions.report")

# README rows (their first cell)
R_READ = "Read the dunning: events and their invoices, cases, evidence, plans, disputes, promises"
R_FILE = "Read a customer's collection file: dunning settings, payer profile, insurer, call notes, risk"
R_SETTINGS = (
    "Change a customer's dunning settings (scenario, controller, Never Remind, consumer, public body, "
    "insurer, agency terms), an invoice's Never Remind, or revoke the link to the customer's page"
)
R_FOLLOWUP = "Open a customer's follow-up screen"
R_COMPUTED = (
    "Set what the collection computes or records: payer profiles, forecasts, dunning runs, an "
    "invoice's step, level, dates, dispute and promise flags, satisfaction"
)
R_CALL = (
    "Log a call, record or change a running promise, accept or refuse a promise made on the customer's "
    "page, raise, resolve or reopen a dispute"
)
R_COMMENT = "Comment on a dispute or a promise"
R_RESTART = "Restart the dunning of invoices"
R_RUN = (
    "Run the dunning now, print letters, send or print a statement of account, record what the post "
    "says of a letter (its number, receipt or return), mark a problem checked"
)
R_CORRECT = "Correct a registered letter's number"
R_APPROVE = "Approve or refuse a step awaiting approval"
R_EVENTS = "Create, change or delete a collection event or the invoices it lists"
R_CASE = (
    "Open a case, change its responsible, move it between Amicable and Formal Notice, collect, upload "
    "or remove evidence, agree a payment plan"
)
R_CASE_MANAGER = (
    "Move a case to or from Payment Plan, Agency, Factor, Court, Recovered or Written Off by hand, "
    "hand it off, record its outcome"
)
R_CASE_FIGURES = (
    "Change a payment plan's instalments, a case's hand-off or outcome figures, how evidence was collected"
)
R_DELETE = "Delete a case, a dispute or a promise"
R_PENALTIES = "Invoice late-payment penalties"
R_SCENARIOS = "Read the company's dunning scenarios and steps"
R_SCENARIOS_EDIT = "Configure the company's dunning scenarios and steps"
R_SHARED = "Read the case stages, dispute reasons and late-payment rates (shared by the companies)"
R_SHARED_EDIT = "Configure the case stages, dispute reasons and late-payment rates"
R_REPORTS = "Reports: dashboard, aged balance, payer profiles, trend of delays, cash-in forecast"
R_FORECAST_DELETE = "Delete a cash-in forecast snapshot"
R_RUNS = "Read the dunning runs"
R_OTHERS = "Read or delete a wizard, a dashboard or an aged balance someone else opened"
R_COMPANY = "Change the company's collection settings (Settings, for its administrators)"
R_INVOICES = (
    "Read the customer's invoices and statement of account (the customer: its own, never their "
    "collection fields)"
)


class Unseen(Exception):
    """The call went through but did not reach this company's data: a refusal."""


class _Undo(Exception):
    """Rolls back an attempt that was allowed."""


class Try(NamedTuple):
    row: str
    model: str
    op: str
    what: str
    run: Callable
    stranger: bool = False  # on a customer that is not the salesperson's
    more: tuple = ()  # the other operations the attempt makes (a create, then a button)


def readme_rights():
    """``{row: {role: cell}}`` from the README's "Who may do what" table."""
    with open(file_path("account_debt_collection/README.md"), encoding="utf-8") as readme:
        text = readme.read()
    section = text.split("## Who may do what", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")][2:]  # header, separator
    rights = {}
    for line in rows:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        rights[cells[0]] = dict(zip(ROLES, cells[1:], strict=True))
    return rights


def expected(cell, attempt):
    """What a README cell says of one attempt: allowed (True) or refused (False)."""
    if cell == "their customers":
        return not attempt.stranger
    if cell in ("yes", "no"):
        return cell == "yes"
    raise ValueError(f"README cell {cell!r} is neither yes, no nor their customers")


@tagged("post_install", "-at_install")
class TestAccess(DebtCollectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Filiale Lyon")["company"]
        company = cls.company
        cls.users = {
            role: new_test_user(
                cls.env,
                login=f"access_{role}",
                groups=ROLE_GROUPS[role],
                company_id=(cls.company_b if role == "other" else company).id,
                company_ids=[Command.set((cls.company_b if role == "other" else company).ids)],
            )
            for role in ("salesperson", "controller", "manager", "other")
        }
        # the customer of this company only (a partner shared by two companies is tried apart)
        cls.customer.write(
            {
                "company_id": company.id,
                "user_id": cls.users["salesperson"].id,
                "street": "12 rue des Lilas",
                "zip": "69003",
                "city": "Lyon",
            }
        )
        contact = cls.env["res.partner"].create(
            {"name": "Claire Martin", "parent_id": cls.customer.id, "email": "claire@boulangerie-martin.fr"}
        )
        cls.users["portal"] = new_test_user(
            cls.env,
            login="access_portal",
            groups="base.group_portal",
            partner_id=contact.id,
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        # who opens the wizards and dashboards nobody else may read: a manager of its own
        cls.assistant = new_test_user(
            cls.env,
            login="access_assistant",
            groups=ROLE_GROUPS["manager"],
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        cls.stranger = cls.env["res.partner"].create(
            {
                "name": "Garage Dupont",
                "is_company": True,
                "email": "compta@garage-dupont.fr",
                "company_id": company.id,
                "street": "3 rue Neuve",
                "zip": "69002",
                "city": "Lyon",
            }
        )
        cls.newcomer = cls.env["res.partner"].create(
            {"name": "Imprimerie Leroy", "is_company": True, "company_id": company.id}
        )
        # a customer the dunning reaches again on the day of the attempts (Run Dunning Now)
        cls.due = cls.env["res.partner"].create(
            {
                "name": "Café du Port",
                "is_company": True,
                "email": "compta@cafe-du-port.fr",
                "company_id": company.id,
            }
        )
        cls.agency = cls.env["res.partner"].create(
            {
                "name": "Recouvrement Express SAS",
                "email": "dossiers@recouvrement-express.fr",
                "debt_agency_kind": "agency",
                "debt_agency_commission": 12.0,
            }
        )
        cls.inv1 = cls.invoice(1000.0)
        cls.inv2 = cls.invoice(500.0)
        cls.inv3 = cls.invoice(300.0)
        cls.inv4 = cls.invoice(200.0)
        cls.paid = cls.invoice(100.0, due=day(-10))
        cls.late = cls.invoice(400.0, due=day(-60))
        cls.stranger_inv = cls.invoice(700.0, partner=cls.stranger)
        cls.stranger_inv2 = cls.invoice(150.0, partner=cls.stranger)
        cls.invoice(900.0, partner=cls.due)
        with freeze_time(day(5)):
            cls.pay(cls, cls.paid, 100.0, day(5))
        cls.escalate(cls, day(1))
        cls._fixtures()

    @classmethod
    def _fixtures(cls):
        """The records each attempt aims at, all in this company."""
        env, company = cls.env, cls.company
        Event = cls.Event.sudo()
        steps = {step.channel: step for step in cls.steps}
        reason = env.ref("account_debt_collection.dispute_reason_quality", raise_if_not_found=False) or env[
            "debt.collection.dispute.reason"
        ].search([], limit=1)
        with freeze_time(NOW):

            def letter(on, **values):
                return Event.create(
                    {
                        "date": on,
                        "company_id": company.id,
                        "partner_id": cls.customer.id,
                        "origin": "overdue",
                        "channel": "registered_letter",
                        "letter_type": "formal_notice",
                        "step_id": steps["registered_letter"].id,
                        "line_ids": Event._line_commands(cls.inv1, on),
                        **values,
                    }
                )

            cls.printed = letter(day(20), state="done", printed_date=day(20), sent_date=day(20))
            cls.numbered = letter(
                day(25),
                state="done",
                printed_date=day(25),
                sent_date=day(25),
                tracking_number="1A 000 000 0001 1",
            )
            cls.to_print = letter(day(30), state="to_print")
            cls.failed = letter(day(35), state="error", note="The mail server refused it.")
            cls.to_approve = Event.create(
                {
                    "date": NOW,
                    "company_id": company.id,
                    "partner_id": cls.customer.id,
                    "origin": "overdue",
                    "channel": "phone",
                    "step_id": steps["phone"].id,
                    "state": "to_approve",
                    "line_ids": Event._line_commands(cls.inv2, NOW),
                }
            )
            cls.email = cls.events(cls).filtered(lambda e: e.channel == "email")[:1]
            cls.stranger_event = cls.Event.search([("partner_id", "=", cls.stranger.id)], limit=1)
            Case = env["debt.collection.case"]
            cls.case = Case.create({"partner_id": cls.customer.id})
            cls.inv3.debt_case_id = cls.case
            court = env["debt.collection.case.stage"]._debt_of_kind("court")
            cls.court_case = Case.sudo().create({"partner_id": cls.stranger.id, "stage_id": court.id})
            cls.stranger_inv2.debt_case_id = cls.court_case
            Document = env["debt.collection.case.document"]
            cls.document = Document.create(
                Document._upload_values(cls.case, "contract", "Contrat", b"%PDF-1.4")
            )
            cls.stranger_document = Document.create(
                Document._upload_values(cls.court_case, "contract", "Contrat Dupont", b"%PDF-1.4")
            )
            Instalment = env["debt.collection.case.instalment"].sudo()
            cls.instalment = Instalment.create({"case_id": cls.case.id, "date": day(60), "principal": 100.0})
            cls.stranger_instalment = Instalment.create(
                {"case_id": cls.court_case.id, "date": day(60), "principal": 100.0}
            )
            Dispute = env["debt.collection.dispute"]
            cls.reason = reason
            cls.dispute = Dispute.create({"move_id": cls.inv1.id, "reason_id": reason.id})
            cls.resolved = Dispute.create(
                {"move_id": cls.inv4.id, "reason_id": reason.id, "outcome": "unjustified"}
            )
            cls.resolved.action_resolve()
            cls.stranger_dispute = Dispute.create({"move_id": cls.stranger_inv.id, "reason_id": reason.id})
            Promise = env["debt.collection.promise"]
            cls.promise = Promise.create(
                {
                    "partner_id": cls.customer.id,
                    "move_ids": [Command.set(cls.inv2.ids)],
                    "date": NOW,
                    "amount": 100.0,
                }
            )
            cls.stranger_promise = Promise.create(
                {
                    "partner_id": cls.stranger.id,
                    "move_ids": [Command.set(cls.stranger_inv2.ids)],
                    "date": NOW,
                    "amount": 50.0,
                }
            )
            # a promise made on the customer's page beyond the company's limits: to accept
            cls.proposed = Promise.sudo().create(
                {
                    "partner_id": cls.customer.id,
                    "move_ids": [Command.set(cls.inv3.ids)],
                    "date": day(70),
                    "amount": 30.0,
                    "acceptance": "to_accept",
                }
            )
            cls.followup = env["debt.collection.followup"].browse(
                cls.customer.id * FOLLOWUP_ID_FACTOR + company.id
            )
            assert cls.followup.exists(), "the customer has open invoices: it has a follow-up"
            cls.inv1.sudo().debt_satisfaction_note = "Client en colère contre le livreur."
            cls.spare_scenario = env["debt.collection.scenario"].create(
                {
                    "name": "Export",
                    "company_id": company.id,
                    "step_ids": [Command.create({"name": "Rappel", "offset_days": 5, "channel": "email"})],
                }
            )
            cls.spare_stage = env["debt.collection.case.stage"].create({"name": "Médiation", "sequence": 99})
            cls.spare_reason = env["debt.collection.dispute.reason"].create({"name": "Délai"})
            cls.spare_rate = env["debt.collection.rate"].create(
                {
                    "name": "BCE 2031",
                    "kind": env["debt.collection.rate"].search([], limit=1).kind,
                    "date_from": "2031-01-01",
                    "rate": 2.0,
                }
            )
            env["res.partner"]._debt_refresh_payer_profiles(NOW)
            cls.customer.with_company(company).sudo().debt_insurer_id = cls.agency
            cls.forecast = env["debt.collection.forecast"]._take_snapshot(company, NOW)
            cls.figure = env["debt.collection.forecast.figure"].search([("company_id", "=", company.id)])
            cls.run_log = env["debt.collection.run.log"].search([("company_id", "=", company.id)], limit=1)
            cls.profile = env["debt.collection.payer.profile"].search([("partner_id", "=", cls.customer.id)])
            cls.trend = env["debt.collection.delay.trend"].search([("move_id", "=", cls.paid.id)])
            # what someone else opened
            mine = env(user=cls.assistant)
            cls.others = {
                "debt.collection.dashboard": mine["debt.collection.dashboard"].create(
                    {"company_id": company.id}
                ),
                "debt.collection.aged.balance.wizard": mine["debt.collection.aged.balance.wizard"].create(
                    {"company_id": company.id, "date": NOW}
                ),
                "debt.collection.call.wizard": mine["debt.collection.call.wizard"].create(
                    {
                        "partner_id": cls.customer.id,
                        "move_ids": [Command.set(cls.inv1.ids)],
                        "outcome": "satisfied",
                    }
                ),
                "debt.collection.penalty.wizard": mine["debt.collection.penalty.wizard"].create(
                    {"partner_id": cls.customer.id, "move_ids": [Command.set(cls.inv1.ids)], "date": NOW}
                ),
                "debt.collection.run.wizard": mine["debt.collection.run.wizard"].create(
                    {"company_id": company.id}
                ),
                "debt.collection.payment.plan.wizard": mine["debt.collection.payment.plan.wizard"].create(
                    {"case_id": cls.case.id, "count": 3, "first_date": day(45)}
                ),
                "debt.collection.handoff.wizard": mine["debt.collection.handoff.wizard"].create(
                    {"case_id": cls.case.id, "kind": "agency", "agency_id": cls.agency.id}
                ),
                "debt.collection.case.outcome.wizard": mine["debt.collection.case.outcome.wizard"].create(
                    {"case_id": cls.case.id, "amount_recovered": 10.0}
                ),
            }
            cls.others["debt.collection.letter.delivery.wizard"] = (
                mine["debt.collection.letter.delivery.wizard"]
                .with_context(active_ids=cls.printed.ids)
                .create({})
            )
            cls.others["debt.collection.letter.delivery.wizard.line"] = cls.others[
                "debt.collection.letter.delivery.wizard"
            ].line_ids[:1]
            cls.others["debt.collection.dashboard"].action_open_dso_by_partner()
            cls.others["debt.collection.aged.balance.wizard"]._fill_lines()
            cls.others["debt.collection.dashboard.dso"] = cls.others[
                "debt.collection.dashboard"
            ].dso_line_ids[:1]
            cls.others["debt.collection.aged.balance"] = cls.others[
                "debt.collection.aged.balance.wizard"
            ].line_ids[:1]
            cls.others["debt.collection.run.wizard.line"] = mine["debt.collection.run.wizard.line"].create(
                {"wizard_id": cls.others["debt.collection.run.wizard"].id, "partner_id": cls.customer.id}
            )
            plan = cls.others["debt.collection.payment.plan.wizard"]
            cls.others["debt.collection.payment.plan.wizard.line"] = plan.line_ids[:1]
        assert all(cls.others.values()), {model: bool(record) for model, record in cls.others.items()}

    def setUp(self):
        super().setUp()
        # the evidence pack's PDFs: not what is tried here (and wkhtmltopdf takes seconds)
        patcher = patch.object(
            type(self.env["debt.collection.case"]), "_debt_render_split", lambda *a, **k: {}
        )
        patcher.start()
        self.addCleanup(patcher.stop)

    # ------------------------------------------------------------------ the attempts

    def _attempts(self):
        """Every attempt, with the README row that says who may make it."""
        t = self
        A = t.company.id
        tries = []

        def add(row, model, op, what, run, stranger=False, more=()):
            tries.append(Try(row, model, op, what, run, stranger, more))

        def rec(env, record):
            return env[record._name].browse(record.id)

        def read(record, names, stranger=False, row=R_READ):
            add(
                row, record._name, "read", f"read {names}", lambda env: rec(env, record).read(names), stranger
            )

        def write(row, record, vals, check=None):
            def run(env):
                rec(env, record).write(vals)
                if check:
                    check(env)

            add(row, record._name, "write", f"write {vals}", run)

        def load(row, model, names, row_values, op="load"):
            def run(env):
                if names[0] == ".id" and not env[model].search_count([("id", "=", int(row_values[0]))]):
                    # what the import finds for this user: nothing to update (it would then try,
                    # and fail, to create the row from the other columns alone)
                    raise Unseen("Unknown database identifier")
                result = env[model].load(names, [row_values])
                errors = [m["message"] for m in result["messages"] if m["type"] == "error"]
                if errors:
                    refusal = r"Only |not allowed|access|Access|company inconsistencies"
                    if any(re.search(refusal, e) for e in errors):
                        raise AccessError("; ".join(errors))
                    raise ValueError("; ".join(errors))

            add(row, model, op, f"load {names} {row_values}", run)

        def call(row, record, method, *args, stranger=False):
            add(
                row,
                record._name,
                method,
                f"{method}{args or ''}",
                lambda env: getattr(rec(env, record), method)(*args),
                stranger,
            )

        def unlink(row, record):
            add(row, record._name, "unlink", "unlink", lambda env: rec(env, record).unlink())

        def create(row, model, vals, then=None, op="create"):
            def run(env):
                record = env[model].create(vals() if callable(vals) else vals)
                if then:
                    then(record)

            more = ("create", then.__name__) if then else ()
            add(
                row, model, op, f"create {model}" + (f" then {then.__name__}" if then else ""), run, more=more
            )

        def customer_value_in_company_a(name, value):
            def check(env):
                if t.customer.sudo().with_company(t.company)[name] != value:
                    raise Unseen(f"{name} of company A unchanged")

            return check

        # --- reading the dunning, and a salesperson's own customers only
        for own, other in (
            (t.email, t.stranger_event),
            (t.email.line_ids[:1], t.stranger_event.line_ids[:1]),
            (t.case, t.court_case),
            (t.document, t.stranger_document),
            (t.instalment, t.stranger_instalment),
            (t.dispute, t.stranger_dispute),
            (t.promise, t.stranger_promise),
        ):
            read(own, ["display_name"])
            read(other, ["display_name"], stranger=True)
        add(
            R_READ,
            REPORTS[0],
            "render",
            "render the letter",
            lambda env: env["ir.actions.report"]._render_qweb_html(
                "account_debt_collection.action_report_debt_letter", t.printed.ids
            ),
        )
        add(
            R_READ,
            REPORTS[1],
            "render",
            "render the court request",
            lambda env: env["ir.actions.report"]._render_qweb_html(
                "account_debt_collection.action_report_case_court", t.case.ids
            ),
        )
        add(
            R_READ,
            REPORTS[2],
            "render",
            "render the court request's copy",
            lambda env: env["ir.actions.report"]._render_qweb_html(
                "account_debt_collection.action_report_case_court_copy", t.case.ids
            ),
        )
        add(
            R_READ,
            REPORTS[3],
            "render",
            "render the case summary",
            lambda env: env["ir.actions.report"]._render_qweb_html(
                "account_debt_collection.action_report_case_summary", t.case.ids
            ),
        )
        for method in ("action_view_invoices", "action_print_summary", "action_print_court"):
            call(R_READ, t.case, method)
        call(R_READ, t.customer, "action_debt_view_promises")
        call(R_READ, t.printed, "action_debt_open_document")
        call(R_READ, t.stranger_event, "action_debt_open_document", stranger=True)
        call(R_READ, t.customer, "action_debt_view_disputes")
        read(t.inv1, ["debt_step_id", "debt_next_date", "debt_event_line_ids", "debt_dispute_ids"])
        read(t.inv1.debt_state_id, ["debt_step_id", "debt_next_date"])

        # --- the collection file
        read(
            t.customer,
            [
                "debt_payer_class",
                "debt_avg_days_late",
                "debt_insurer_id",
                "debt_risk_alert",
                "debt_scenario_id",
                "debt_excluded",
            ],
            row=R_FILE,
        )
        read(t.inv1, ["debt_satisfaction_note", "debt_payer_class"], row=R_FILE)
        call(R_FILE, t.customer, "action_debt_open_paid_invoices")
        call(R_FILE, t.customer, "action_debt_open_receivables")

        # --- the follow-up screen
        read(t.followup, ["amount_due", "payer_class"], row=R_FOLLOWUP)
        call(R_FOLLOWUP, t.followup, "action_open_customer")
        call(R_FOLLOWUP, t.customer, "action_debt_open_followup")
        call(R_FOLLOWUP, t.inv1, "action_debt_open_followup")
        for method in ("action_log_call", "action_promise", "action_raise_dispute"):
            call(R_CALL, t.followup, method)
        for method in ("action_send_statement", "action_print_statement"):
            call(R_RUN, t.followup, method)
        call(R_CASE, t.followup, "action_open_case")
        for method in ("action_exclude", "action_include"):
            call(R_SETTINGS, t.followup, method)
        call(R_SETTINGS, t.customer, "action_debt_portal_revoke")
        write(R_COMPUTED, t.followup, {"excluded": True})
        create(R_COMPUTED, "debt.collection.followup", lambda: {"partner_id": t.customer.id})
        unlink(R_COMPUTED, t.followup)
        load(R_COMPUTED, "debt.collection.followup", [".id", "excluded"], [str(t.followup.id), "1"])

        # --- dunning settings
        write(
            R_SETTINGS,
            t.customer,
            {"debt_excluded": True},
            customer_value_in_company_a("debt_excluded", True),
        )
        write(R_SETTINGS, t.customer, {"debt_is_consumer": True})
        write(R_SETTINGS, t.customer, {"debt_is_public_body": True})
        write(R_SETTINGS, t.customer, {"debt_insured_amount": 5000.0})
        write(R_SETTINGS, t.customer, {"debt_agency_commission": 99.0})
        write(R_SETTINGS, t.customer, {"debt_controller_id": t.users["controller"].id})
        write(R_SETTINGS, t.inv1, {"no_followup": True})
        write(
            R_SETTINGS,
            t.inv1.line_ids.filtered(lambda line: line.display_type == "payment_term")[:1],
            {"no_followup": True},
        )
        load(R_SETTINGS, "res.partner", [".id", "debt_excluded"], [str(t.customer.id), "1"])
        load(R_SETTINGS, "account.move", [".id", "no_followup"], [str(t.inv1.id), "1"])
        create(R_SETTINGS, "res.partner", {"name": "Client exclu", "company_id": A, "debt_excluded": True})

        # --- what the collection computes or records: nobody
        write(R_COMPUTED, t.customer, {"debt_payer_class": "A"})
        write(R_COMPUTED, t.customer, {"debt_phone_invalid": True})
        write(R_COMPUTED, t.inv1, {"debt_next_date": "2099-01-01"})
        write(R_COMPUTED, t.inv1, {"debt_level": 9})
        write(R_COMPUTED, t.inv1, {"debt_dispute": False})
        write(R_COMPUTED, t.inv2, {"debt_promise_date": "2099-01-01"})
        write(R_COMPUTED, t.inv1, {"debt_satisfaction": "satisfied"})
        load(R_COMPUTED, "account.move", [".id", "debt_next_date"], [str(t.inv1.id), "2099-01-01"])
        # the invoice's dunning state, in its own table: read with the invoice, written by the run alone
        state = t.inv1.debt_state_id
        write(R_COMPUTED, state, {"debt_level": 9})
        write(R_COMPUTED, t.inv1, {"debt_state_id": t.inv2.debt_state_id.id})
        unlink(R_COMPUTED, state)
        create(R_COMPUTED, "debt.collection.invoice.state", lambda: {"debt_level": 1})
        load(R_COMPUTED, "debt.collection.invoice.state", [".id", "debt_level"], [str(state.id), "9"])
        load(R_COMPUTED, "res.partner", [".id", "debt_payer_class"], [str(t.customer.id), "A"])
        for guarded in ({"debt_next_date": "2099-01-01"}, {"debt_state_id": t.inv2.debt_state_id.id}):
            create(
                R_COMPUTED,
                "account.move",
                lambda guarded=guarded: {
                    "move_type": "out_invoice",
                    "partner_id": t.customer.id,
                    **guarded,
                    "invoice_line_ids": [Command.create({"name": "x", "quantity": 1, "price_unit": 10.0})],
                },
            )
        write(R_COMPUTED, t.forecast, {"date": day(1)})
        write(R_COMPUTED, t.forecast.line_ids[:1], {"amount": 0.0})
        write(R_COMPUTED, t.figure, {"amount_near": 0.0})
        write(R_COMPUTED, t.run_log, {"error_count": 0})
        create(
            R_COMPUTED, "debt.collection.forecast", {"company_id": A, "date": day(2), "week_start": day(1)}
        )
        create(R_COMPUTED, "debt.collection.forecast.line", lambda: {"forecast_id": t.forecast.id})
        create(R_COMPUTED, "debt.collection.forecast.figure", {"company_id": A, "date": day(3)})
        create(R_COMPUTED, "debt.collection.run.log", {"company_id": A, "date": NOW})
        unlink(R_COMPUTED, t.forecast.line_ids[:1])
        unlink(R_COMPUTED, t.figure)
        unlink(R_COMPUTED, t.run_log)
        load(R_COMPUTED, "debt.collection.forecast", [".id", "date"], [str(t.forecast.id), "2026-01-01"])
        load(
            R_COMPUTED,
            "debt.collection.forecast.line",
            [".id", "amount"],
            [str(t.forecast.line_ids[:1].id), "0"],
        )
        load(R_COMPUTED, "debt.collection.run.log", [".id", "error_count"], [str(t.run_log.id), "0"])
        load(R_COMPUTED, "debt.collection.forecast.figure", [".id", "amount_near"], [str(t.figure.id), "0"])
        for view_model in (
            "debt.collection.payer.profile",
            "debt.collection.delay.trend",
            "debt.collection.forecast.week",
            "debt.collection.forecast.actual",
        ):
            target = t.env[view_model].search([("company_id", "=", A)], limit=1)
            write(R_COMPUTED, target, {"company_id": A})
            create(R_COMPUTED, view_model, {"company_id": A})
            unlink(R_COMPUTED, target)
            load(R_COMPUTED, view_model, ["company_id/.id"], [str(A)])

        # --- calls, promises, disputes
        def action_confirm(wizard):
            wizard.action_confirm()

        def action_run(wizard):
            wizard.action_run()

        def action_create_invoice(wizard):
            wizard.action_create_invoice()

        create(
            R_CALL,
            "debt.collection.call.wizard",
            lambda: {
                "partner_id": t.customer.id,
                "company_id": A,
                "move_ids": [Command.set(t.inv1.ids)],
                "outcome": "satisfied",
            },
            then=action_confirm,
        )
        load(
            R_CALL,
            "debt.collection.call.wizard",
            ["partner_id/.id", "outcome"],
            [str(t.customer.id), "satisfied"],
        )
        call(R_CALL, t.inv1, "action_debt_log_call")
        call(R_CALL, t.customer, "action_debt_log_call")
        call(R_CALL, t.inv2, "action_debt_raise_dispute")
        create(R_CALL, "debt.collection.dispute", lambda: {"move_id": t.inv2.id, "reason_id": t.reason.id})
        load(
            R_CALL,
            "debt.collection.dispute",
            ["move_id/.id", "reason_id/.id"],
            [str(t.inv2.id), str(t.reason.id)],
        )

        def resolve(env):
            dispute = rec(env, t.dispute)
            dispute.outcome = "justified"
            dispute.action_resolve()

        add(R_CALL, "debt.collection.dispute", "action_resolve", "action_resolve", resolve)
        call(R_CALL, t.resolved, "action_reopen")
        call(R_CALL, t.dispute, "action_credit_note")
        write(R_CALL, t.dispute, {"note": "<p>Livraison incomplète</p>"})
        create(
            R_CALL,
            "debt.collection.promise",
            lambda: {
                "partner_id": t.customer.id,
                "move_ids": [Command.set(t.inv3.ids)],
                "date": day(50),
                "amount": 50.0,
            },
        )
        load(
            R_CALL,
            "debt.collection.promise",
            ["partner_id/.id", "move_ids/.id", "date", "amount"],
            [str(t.customer.id), str(t.inv3.id), str(day(50)), "50"],
        )
        write(R_CALL, t.promise, {"date": day(45)})
        call(R_CALL, t.proposed, "action_accept")
        call(R_CALL, t.proposed, "action_refuse")

        # --- comments
        add(
            R_COMMENT,
            "debt.collection.dispute",
            "message_post",
            "comment on a dispute",
            lambda env: rec(env, t.dispute).message_post(body="Le client rappelle demain."),
        )
        add(
            R_COMMENT,
            "debt.collection.dispute",
            "message_post",
            "comment on another customer's dispute",
            lambda env: rec(env, t.stranger_dispute).message_post(body="Vu."),
            stranger=True,
        )
        add(
            R_COMMENT,
            "debt.collection.promise",
            "message_post",
            "comment on a promise",
            lambda env: rec(env, t.promise).message_post(body="Virement annoncé."),
        )

        # --- restart, run, letters
        call(R_RESTART, t.inv1, "action_debt_reset")
        create(R_RUN, "debt.collection.run.wizard", {"company_id": A}, then=action_run)
        load(R_RUN, "debt.collection.run.wizard", ["company_id/.id"], [str(A)])
        call(R_RUN, t.to_print, "action_print_letters")
        write(R_RUN, t.printed, {"tracking_number": "1A 234 567 8901 2"})
        load(
            R_RUN,
            "debt.collection.event",
            [".id", "tracking_number"],
            [str(t.printed.id), "1A 234 567 8901 2"],
        )
        call(R_RUN, t.failed, "action_mark_checked")
        create(
            R_RUN,
            "debt.collection.letter.delivery.wizard",
            lambda: {
                "line_ids": [
                    Command.create({"event_id": t.printed.id, "tracking_number": "1A 111 111 1111 1"})
                ]
            },
            then=action_confirm,
        )
        load(
            R_RUN,
            "debt.collection.letter.delivery.wizard",
            ["line_ids/event_id/.id", "line_ids/tracking_number"],
            [str(t.printed.id), "1A 111 111 1111 1"],
        )
        write(R_CORRECT, t.numbered, {"tracking_number": "1A 999 999 9999 9"})
        call(R_APPROVE, t.to_approve, "action_approve")
        call(R_APPROVE, t.to_approve, "action_refuse")

        # --- events: nobody
        write(R_EVENTS, t.email, {"note": "Rien envoyé."})
        write(R_EVENTS, t.email, {"date": day(-30)})
        write(R_EVENTS, t.email, {"user_id": t.users["manager"].id})
        write(R_EVENTS, t.failed, {"state": "done"})
        unlink(R_EVENTS, t.email)
        load(R_EVENTS, "debt.collection.event", [".id", "note"], [str(t.email.id), "Rien"])
        create(
            R_EVENTS,
            "debt.collection.event",
            lambda: {
                "partner_id": t.customer.id,
                "company_id": A,
                "origin": "overdue",
                "channel": "registered_letter",
                "letter_type": "formal_notice",
                "date": day(-20),
                "user_id": t.users["manager"].id,
            },
        )
        line = t.email.line_ids[:1]
        write(R_EVENTS, line, {"amount_residual": 0.0})
        unlink(R_EVENTS, line)
        create(
            R_EVENTS,
            "debt.collection.event.line",
            lambda: {
                "event_id": t.email.id,
                "move_id": t.inv1.id,
                "currency_id": t.inv1.currency_id.id,
                "step_id": line.step_id.id,
                "cycle": line.cycle,
                "advanced": True,
            },
        )
        load(R_EVENTS, "debt.collection.event.line", [".id", "amount_residual"], [str(line.id), "0"])

        # --- cases
        stages = {
            kind: t.env["debt.collection.case.stage"]._debt_of_kind(kind)
            for kind in ("formal_notice", "court", "amicable")
        }
        call(R_CASE, t.customer, "action_debt_open_case")
        create(R_CASE, "debt.collection.case", lambda: {"partner_id": t.newcomer.id})
        load(R_CASE, "debt.collection.case", ["partner_id/.id"], [str(t.newcomer.id)])
        write(R_CASE, t.case, {"user_id": t.users["controller"].id})
        write(R_CASE, t.case, {"stage_id": stages["formal_notice"].id})
        load(
            R_CASE,
            "debt.collection.case",
            [".id", "stage_id/.id"],
            [str(t.case.id), str(stages["formal_notice"].id)],
            op="load",
        )
        call(R_CASE, t.case, "action_collect_documents")
        Document = t.env["debt.collection.case.document"]
        create(
            R_CASE,
            "debt.collection.case.document",
            lambda: Document._upload_values(t.case, "terms", "CGV", b"%PDF-1.4"),
        )
        write(R_CASE, t.document, {"name": "Contrat signé"})
        unlink(R_CASE, t.document)
        load(
            R_CASE,
            "debt.collection.case.document",
            ["case_id/.id", "name"],
            [str(t.case.id), "Bon de commande"],
        )
        call(R_CASE, t.case, "action_payment_plan")
        create(
            R_CASE,
            "debt.collection.payment.plan.wizard",
            lambda: {"case_id": t.case.id, "count": 3, "first_date": day(45)},
            then=action_confirm,
        )
        load(R_CASE, "debt.collection.payment.plan.wizard", ["case_id/.id", "count"], [str(t.case.id), "3"])

        write(R_CASE_MANAGER, t.case, {"stage_id": stages["court"].id})
        write(R_CASE_MANAGER, t.court_case, {"stage_id": stages["amicable"].id})
        load(
            R_CASE_MANAGER,
            "debt.collection.case",
            [".id", "stage_id/.id"],
            [str(t.case.id), str(stages["court"].id)],
        )
        create(
            R_CASE_MANAGER,
            "debt.collection.case",
            lambda: {"partner_id": t.newcomer.id, "stage_id": stages["court"].id},
        )
        call(R_CASE_MANAGER, t.case, "action_handoff")
        call(R_CASE_MANAGER, t.case, "action_outcome")
        create(
            R_CASE_MANAGER,
            "debt.collection.handoff.wizard",
            lambda: {"case_id": t.case.id, "kind": "agency", "agency_id": t.agency.id, "send_email": False},
            then=action_confirm,
        )
        load(
            R_CASE_MANAGER,
            "debt.collection.handoff.wizard",
            ["case_id/.id", "agency_id/.id"],
            [str(t.case.id), str(t.agency.id)],
        )
        create(
            R_CASE_MANAGER,
            "debt.collection.case.outcome.wizard",
            lambda: {"case_id": t.case.id, "amount_recovered": 100.0},
            then=action_confirm,
        )
        load(R_CASE_MANAGER, "debt.collection.case.outcome.wizard", ["case_id/.id"], [str(t.case.id)])

        write(R_CASE_FIGURES, t.instalment, {"paid_amount": 100.0})
        create(
            R_CASE_FIGURES,
            "debt.collection.case.instalment",
            lambda: {"case_id": t.case.id, "date": day(90), "principal": 1.0},
        )
        unlink(R_CASE_FIGURES, t.instalment)
        load(
            R_CASE_FIGURES,
            "debt.collection.case.instalment",
            [".id", "principal"],
            [str(t.instalment.id), "1"],
        )
        write(R_CASE_FIGURES, t.case, {"amount_recovered": 300.0})
        write(R_CASE_FIGURES, t.case, {"agency_id": t.agency.id})
        write(R_CASE_FIGURES, t.case, {"plan_state": "done"})
        write(R_CASE_FIGURES, t.document, {"source": "auto"})

        for record in (t.case, t.dispute, t.promise):
            unlink(R_DELETE, record)

        # --- penalties
        create(
            R_PENALTIES,
            "debt.collection.penalty.wizard",
            lambda: {
                "partner_id": t.customer.id,
                "company_id": A,
                "move_ids": [Command.set(t.inv1.ids)],
                "date": NOW,
            },
            then=action_create_invoice,
        )
        load(R_PENALTIES, "debt.collection.penalty.wizard", ["partner_id/.id"], [str(t.customer.id)])

        def penalty_line(env):
            draft = env["account.move"].create({"move_type": "out_invoice", "partner_id": t.customer.id})
            env["account.move.line"].create(
                {
                    "move_id": draft.id,
                    "name": "Intérêts",
                    "quantity": 1,
                    "price_unit": 9.99,
                    "debt_penalty_source_id": t.inv1.id,
                    "debt_penalty_kind": "interest",
                }
            )

        add(R_PENALTIES, "account.move.line", "create", "a penalty line on a draft invoice", penalty_line)
        create(
            R_PENALTIES,
            "account.move",
            lambda: {
                "move_type": "out_invoice",
                "partner_id": t.customer.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Intérêts",
                            "quantity": 1,
                            "price_unit": 9.99,
                            "debt_penalty_source_id": t.inv1.id,
                            "debt_penalty_kind": "interest",
                            "debt_penalty_date_to": str(NOW),
                        }
                    )
                ],
            },
        )
        load(
            R_PENALTIES,
            "account.move.line",
            [".id", "debt_penalty_date_to"],
            [str(t.inv1.line_ids[:1].id), "2099-01-01"],
        )
        read(t.inv1.line_ids[:1], ["debt_penalty_source_id", "debt_penalty_date_to"], row=R_INVOICES)

        # --- configuration
        scenario, step = t.scenario, t.steps[0]
        read(scenario, ["name", "step_ids"], row=R_SCENARIOS)
        read(step, ["name", "offset_days"], row=R_SCENARIOS)
        write(R_SCENARIOS_EDIT, scenario, {"promise_grace_days": 5})
        write(R_SCENARIOS_EDIT, step, {"name": "Relance"})
        create(R_SCENARIOS_EDIT, "debt.collection.scenario", {"name": "Grands comptes", "company_id": A})
        create(
            R_SCENARIOS_EDIT,
            "debt.collection.step",
            lambda: {"name": "Appel", "scenario_id": scenario.id, "offset_days": 3, "channel": "phone"},
        )
        unlink(R_SCENARIOS_EDIT, t.spare_scenario)
        unlink(R_SCENARIOS_EDIT, t.spare_scenario.step_ids[:1])
        load(
            R_SCENARIOS_EDIT,
            "debt.collection.scenario",
            [".id", "promise_grace_days"],
            [str(scenario.id), "9"],
        )
        load(R_SCENARIOS_EDIT, "debt.collection.step", [".id", "name"], [str(step.id), "Relance"])
        stage = stages["amicable"]
        rate = t.env["debt.collection.rate"].search([], limit=1)
        for shared in (stage, t.reason, rate):
            read(shared, ["display_name"], row=R_SHARED)
        write(R_SHARED_EDIT, stage, {"fold": True})
        write(R_SHARED_EDIT, t.reason, {"sequence": 99})
        write(R_SHARED_EDIT, rate, {"source": "Journal officiel"})
        create(R_SHARED_EDIT, "debt.collection.case.stage", {"name": "Huissier", "kind": "court"})
        create(R_SHARED_EDIT, "debt.collection.dispute.reason", {"name": "Prix"})
        create(
            R_SHARED_EDIT,
            "debt.collection.rate",
            {"name": "BCE 2030", "kind": rate.kind, "date_from": "2030-01-01", "rate": 2.0},
        )
        unlink(R_SHARED_EDIT, t.spare_stage)
        unlink(R_SHARED_EDIT, t.spare_reason)
        unlink(R_SHARED_EDIT, t.spare_rate)
        load(R_SHARED_EDIT, "debt.collection.case.stage", [".id", "fold"], [str(stage.id), "1"])
        load(R_SHARED_EDIT, "debt.collection.dispute.reason", [".id", "sequence"], [str(t.reason.id), "5"])
        load(R_SHARED_EDIT, "debt.collection.rate", [".id", "source"], [str(rate.id), "JO"])

        # --- reports
        for record in (
            t.profile,
            t.trend,
            t.forecast,
            t.forecast.line_ids[:1],
            t.env["debt.collection.forecast.week"].search([("forecast_id", "=", t.forecast.id)], limit=1),
            t.forecast.row_ids[:1],
            t.figure,
        ):
            read(record, ["display_name"], row=R_REPORTS)
        call(R_REPORTS, t.profile, "action_open_partner")
        call(R_REPORTS, t.profile, "action_open_receivables")
        call(R_REPORTS, t.trend, "action_open_invoice")
        for method in (
            "action_open_accuracy",
            "action_open_actual",
            "action_open_apart",
            "action_open_lines",
            "action_open_near",
            "action_open_weeks",
            "action_refresh",
        ):
            call(R_REPORTS, t.forecast, method)
        add(
            R_REPORTS,
            "debt.collection.forecast",
            "action_open_current",
            "action_open_current",
            lambda env: env["debt.collection.forecast"].with_company(A).action_open_current(),
        )
        call(R_REPORTS, t.forecast.row_ids[:1], "action_open")
        dashboard_methods = [
            name for name in dir(type(t.env["debt.collection.dashboard"])) if name.startswith("action_open")
        ]

        def dashboard(then):
            def run(board):
                board.read(["dso", "amount_overdue", "class_a_count", "forecast_4_weeks"])
                then(board)

            run.__name__ = then.__name__
            return run

        for method in dashboard_methods:

            def run_method(board, method=method):
                getattr(board, method)()

            run_method.__name__ = method
            create(
                R_REPORTS,
                "debt.collection.dashboard",
                {"company_id": A},
                then=dashboard(run_method),
                op=method,
            )
        create(R_REPORTS, "debt.collection.dashboard", {"company_id": A}, then=dashboard(lambda board: None))
        load(R_REPORTS, "debt.collection.dashboard", ["company_id/.id"], [str(A)])
        for method in ("action_open", "action_export_xlsx", "action_open_move_lines"):

            def run_wizard(wizard, method=method):
                getattr(wizard, method)()

            run_wizard.__name__ = method
            create(
                R_REPORTS,
                "debt.collection.aged.balance.wizard",
                {"company_id": A, "date": NOW},
                then=run_wizard,
                op=method,
            )
        load(R_REPORTS, "debt.collection.aged.balance.wizard", ["company_id/.id", "date"], [str(A), str(NOW)])

        def own_aged_line(env):
            wizard = env["debt.collection.aged.balance.wizard"].create({"company_id": A, "date": NOW})
            wizard._fill_lines()
            wizard.line_ids[:1].read(["amount_residual"])
            wizard.line_ids.action_open_move_lines()

        add(
            R_REPORTS,
            "debt.collection.aged.balance",
            "action_open_move_lines",
            "own aged balance lines",
            own_aged_line,
        )
        add(R_REPORTS, "debt.collection.aged.balance", "read", "read own aged balance lines", own_aged_line)
        unlink(R_FORECAST_DELETE, t.forecast)
        read(t.run_log, ["customer_count"], row=R_RUNS)
        call(R_RUNS, t.run_log, "action_view_failed")

        # --- transient records someone else opened: nobody
        for record in t.others.values():
            read(record, ["display_name"], row=R_OTHERS)
            unlink(R_OTHERS, record)
            write(R_OTHERS, record, {"create_uid": record.create_uid.id})
        # creating lines in another user's wizard
        create(
            R_OTHERS,
            "debt.collection.aged.balance",
            lambda: {"wizard_id": t.others["debt.collection.aged.balance.wizard"].id},
        )
        create(
            R_OTHERS,
            "debt.collection.dashboard.dso",
            lambda: {"dashboard_id": t.others["debt.collection.dashboard"].id},
        )
        create(
            R_OTHERS,
            "debt.collection.run.wizard.line",
            lambda: {"wizard_id": t.others["debt.collection.run.wizard"].id},
        )
        create(
            R_OTHERS,
            "debt.collection.payment.plan.wizard.line",
            lambda: {
                "wizard_id": t.others["debt.collection.payment.plan.wizard"].id,
                "date": day(45),
                "principal": 10.0,
            },
        )
        create(
            R_OTHERS,
            "debt.collection.letter.delivery.wizard.line",
            lambda: {
                "wizard_id": t.others["debt.collection.letter.delivery.wizard"].id,
                "event_id": t.printed.id,
            },
        )
        load(
            R_OTHERS,
            "debt.collection.letter.delivery.wizard.line",
            ["wizard_id/.id", "event_id/.id"],
            [str(t.others["debt.collection.letter.delivery.wizard"].id), str(t.printed.id)],
        )
        load(
            R_OTHERS,
            "debt.collection.aged.balance",
            ["wizard_id/.id"],
            [str(t.others["debt.collection.aged.balance.wizard"].id)],
        )
        load(
            R_OTHERS,
            "debt.collection.dashboard.dso",
            ["dashboard_id/.id"],
            [str(t.others["debt.collection.dashboard"].id)],
        )
        load(
            R_OTHERS,
            "debt.collection.run.wizard.line",
            ["wizard_id/.id"],
            [str(t.others["debt.collection.run.wizard"].id)],
        )
        load(
            R_OTHERS,
            "debt.collection.payment.plan.wizard.line",
            ["wizard_id/.id", "date", "principal"],
            [str(t.others["debt.collection.payment.plan.wizard"].id), str(NOW), "1"],
        )

        # --- company settings, invoices
        write(R_COMPANY, t.company, {"debt_dispute_escalation_days": 1})
        read(t.inv1, ["name", "amount_residual"], row=R_INVOICES)
        read(t.customer, ["name"], row=R_INVOICES)
        add(
            R_INVOICES,
            "res.partner",
            "read",
            "the statement of account",
            lambda env: env["ir.actions.report"]._render_qweb_html(
                "account_debt_collection.action_report_debt_statement", t.customer.ids
            ),
        )
        return tries

    # ------------------------------------------------------------------ running them

    def _try_as(self, attempt, role):
        """``(outcome, detail)``: allowed (True), refused (False) or crashed (None), and why."""
        user = self.users[role]
        context = {key: value for key, value in self.env.context.items() if key != "allowed_company_ids"}
        env = self.env(user=user, context=context, su=False)
        try:
            with freeze_time(NOW), self.env.cr.savepoint():
                attempt.run(env)
                env.flush_all()
                raise _Undo
        except _Undo:
            return True, ""
        except (AccessError, Unseen) as refusal:
            return False, str(refusal).splitlines()[0] if str(refusal) else type(refusal).__name__
        except UserError as error:
            if "company inconsistencies" in str(error):  # another company's records, refused by Odoo
                return False, "company inconsistencies"
            return None, f"{type(error).__name__}: {str(error).splitlines()[0]}"
        except Exception as error:  # reported with the call that crashed
            return None, f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
        finally:
            self.env.invalidate_all()

    def test_what_each_user_may_do_is_what_the_readme_says(self):
        rights = readme_rights()
        wrong = []
        for attempt in self._attempts():
            self.assertIn(attempt.row, rights, f"no README row for {attempt.what}")
            for role in ROLES:
                want = expected(rights[attempt.row][role], attempt)
                got, detail = self._try_as(attempt, role)
                if got is not want:
                    verb = {True: "allowed", False: "refused", None: "crashed"}[got]
                    wrong.append(
                        f"{role}: {attempt.model}.{attempt.op} ({attempt.what}) {verb} [{detail}], "
                        f"the README says {'yes' if want else 'no'} ({attempt.row[:50]})"
                    )
        self.assertFalse(wrong, "\n" + "\n".join(wrong))

    def test_every_model_and_public_method_of_the_module_is_tried(self):
        tried = {(attempt.model, op) for attempt in self._attempts() for op in (attempt.op, *attempt.more)}
        prefix = "odoo.addons.account_debt_collection"
        missing = []
        for name in self.env.registry:
            model = self.env[name]
            classes = [cls for cls in type(model).__mro__ if cls.__module__.startswith(prefix)]
            own = name.startswith("debt.collection.") and not model._abstract
            if not classes or name in NOTHING_TO_TRY or (model._abstract and name not in REPORTS):
                continue
            if name in REPORTS:
                ops = ("render",)
            elif own:
                ops = OWN_OPS
            else:
                ops = EXTENDED_OPS.get(name)
                if ops is None:  # only overrides of Odoo's (mail.thread's inheritors...): no field, no method
                    if any(f.name for f in model._fields.values() if getattr(f, "debt_write", None)):
                        missing.append(f"{name}: has fields of the module and nothing tried")
                    continue
            methods = {
                method
                for cls in classes
                for method, value in vars(cls).items()
                if callable(value) and not method.startswith("_") and method not in ORM_OVERRIDES
            }
            missing += [f"{name}.{op}" for op in (*ops, *sorted(methods)) if (name, op) not in tried]
        self.assertFalse(missing, "\n" + "\n".join(missing))

    def test_the_readme_table_has_no_row_the_tests_do_not_try(self):
        rows = {attempt.row for attempt in self._attempts()}
        self.assertFalse(set(readme_rights()) - rows)

    # ------------------------------------------------------------------ apart from the table

    def test_a_customer_shared_by_two_companies_shows_each_its_own_collection_file(self):
        shared = self.env["res.partner"].create({"name": "Groupe Bernard", "is_company": True})
        self.invoice(800.0, partner=shared, due=day(-60))
        with freeze_time(NOW):
            self.env["res.partner"]._debt_refresh_payer_profiles(NOW)
        manager_a = self.users["manager"]
        manager_b = self.users["other"]
        self.assertEqual(shared.with_user(manager_a).with_company(self.company).debt_payer_class, "D")
        seen_by_b = shared.with_user(manager_b).with_company(self.company_b)
        self.assertFalse(seen_by_b.debt_payer_class, "company B has no invoice of it: no profile")
        seen_by_b.debt_excluded = True  # company B's own setting
        self.assertFalse(shared.with_company(self.company).debt_excluded)
        with self.assertRaises(AccessError):
            shared.with_user(manager_b).with_company(self.company).read(["debt_payer_class"])

    def test_transient_records_are_their_user_s_own(self):
        """Odoo 19 does not restrict transient records: the module's rules do."""
        call = self.others["debt.collection.call.wizard"]
        self.assertEqual(call.with_user(self.assistant).read(["outcome"])[0]["outcome"], "satisfied")
        for role in ("controller", "manager"):
            with self.assertRaises(AccessError):
                call.with_user(self.users[role]).read(["outcome"])
            self.assertFalse(
                self.env["debt.collection.call.wizard"]
                .with_user(self.users[role])
                .search([("id", "=", call.id)])
            )
