from datetime import date, timedelta

from freezegun import freeze_time

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

#: Every test lives around this due date; nothing reads the real calendar.
DUE = date(2026, 3, 31)


def day(offset):
    """The day ``offset`` days from the pinned due date (negative: before it)."""
    return DUE + timedelta(days=offset)


def with_mail_as_in_use(records):
    """``records`` with Odoo's mail working as it does for users and scheduled actions: the
    test classes of account turn off tracking, creation messages and the creator's follow."""
    context = {key: value for key, value in records.env.context.items() if key not in DISABLED_MAIL_CONTEXT}
    return records.with_env(records.env(context=context))


class DebtCollectionCommon(AccountTestInvoicingCommon):
    """A company with the default French scenario and a reachable customer."""

    @classmethod
    def get_default_groups(cls):
        return super().get_default_groups() | cls.env.ref(
            "account_debt_collection.group_debt_collection_manager"
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.company_data["company"]
        cls.company.email = "compta@example.fr"
        cls.scenario = cls.env["debt.collection.scenario"].search(
            [("company_id", "=", cls.company.id), ("is_default", "=", True)]
        )
        cls.steps = cls.scenario.step_ids.sorted("offset_days")
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Boulangerie Martin SARL",
                "is_company": True,
                "email": "compta@boulangerie-martin.fr",
                "phone": "01 42 68 53 00",
                "country_id": cls.env.ref("base.fr").id,
            }
        )
        cls.Run = cls.env["debt.collection.run"]
        # Printing renders real PDFs: wkhtmltopdf must not fetch the stylesheets from the server
        # that runs the tests, which would wait on this test's transaction (the text is the same).
        cls.env["ir.config_parameter"].sudo().set_param("report.url", "http://127.0.0.1:9")
        cls.Event = cls.env["debt.collection.event"]

    @classmethod
    def invoice(cls, amount=1000.0, partner=None, due=DUE, **values):
        """A posted customer invoice of ``amount`` (no tax) falling due on ``due``."""
        return cls._create_invoice_one_line(
            price_unit=amount,
            tax_ids=[],
            partner_id=partner or cls.customer,
            invoice_date=due - timedelta(days=30),
            invoice_date_due=due,
            invoice_payment_term_id=False,
            post=True,
            **values,
        )

    def escalate(self, on, company=None):
        company = company or self.company
        with freeze_time(on):
            return self.Run.with_company(company)._escalate(company, today=on)

    def mails(self, events):
        """The emails the run queued for these events (they live in the customers' chatter)."""
        return self.env["mail.mail"].search([("mail_message_id", "in", events.mail_message_id.ids)])

    def events(self, partner=None):
        return self.Event.search([("partner_id", "=", (partner or self.customer).id)], order="id")

    def pay(self, invoice, amount, on):
        return self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": amount, "payment_date": on})._create_payments()
