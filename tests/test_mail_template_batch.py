"""A batch of collection emails rendered in one QWeb pass reads as Odoo renders them one by one.

``mail.template._render_template_qweb`` renders a collection event's inline QWeb body for the
whole batch at once (``_debt_render_qweb_at_once``). Each way that trick could go wrong is
compared with Odoo's own rendering of the same records (``MailRenderMixin``'s, which renders,
and compiles, the body once per record).
"""

from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.addons.base.models.ir_qweb import QWebError
from odoo.addons.mail.models.mail_render_mixin import MailRenderMixin
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import format_amount, format_date

from .common import DUE, DebtCollectionCommon, day

EVENT = "debt.collection.event"


@tagged("post_install", "-at_install")
class TestMailTemplateBatch(DebtCollectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.env.ref("account_debt_collection.mail_template_reminder")

    def batch(self, amounts=(1234.56, 250.5, 100.0)):
        """The events of a run over one customer per amount (each with one invoice)."""
        customers = self.env["res.partner"].create(
            [{"name": f"Client {i}", "email": f"compta{i}@example.fr"} for i in range(len(amounts))]
        )
        for amount, customer in zip(amounts, customers, strict=True):
            self.invoice(amount, partner=customer)
        self.escalate(day(1))
        return self.Event.search([("partner_id", "in", customers.ids)], order="id")

    def odoo_rendering(self, body, model, ids, template=None):
        """Odoo's own rendering: ``super()._render_template_qweb``, record by record."""
        return MailRenderMixin._render_template_qweb(template or self.template, body, model, ids)

    def assert_as_odoo_renders(self, body, events, at_once_called=True):
        """The batch's rendering equals Odoo's; the one pass was tried, or not."""
        with patch.object(
            type(self.template),
            "_debt_render_qweb_at_once",
            autospec=True,
            side_effect=type(self.template)._debt_render_qweb_at_once,
        ) as at_once:
            rendered = self.template._render_template_qweb(body, events._name, events.ids)
        self.assertEqual(rendered, self.odoo_rendering(body, events._name, events.ids))
        self.assertEqual(at_once.called, at_once_called)
        return rendered

    def test_emails_rendered_together_read_as_when_rendered_one_by_one(self):
        customers = self.env["res.partner"].create(
            [
                {"name": name, "email": f"compta{i}@example.fr"}
                for i, name in enumerate(["Client Un", "Client <b>Deux</b>", "Client Trois"])
            ]
        )
        for amount, customer in zip((100.0, 250.5, 1234.56), customers, strict=True):
            self.invoice(amount, partner=customer)
        self.escalate(day(1))
        events = self.Event.search([("partner_id", "in", customers.ids)], order="id")
        template = self.env.ref("account_debt_collection.mail_template_reminder")
        together = template._render_field("body_html", events.ids)
        for event in events:
            alone = template._render_field("body_html", event.ids)[event.id]
            self.assertEqual(together[event.id], alone)
            self.assertIn(event.line_ids.move_id.name, alone)
            self.assertEqual(self.mails(event).body_html.count(event.line_ids.move_id.name), 1)
        self.assertIn("Client &lt;b&gt;Deux&lt;/b&gt;", together[events[1].id])

    def test_a_note_a_user_template_sets_for_one_customer_never_reaches_the_next(self):
        """Emails rendered together: each customer's body starts from a clean slate, as when
        Odoo renders them one by one, even when a user's template ``t-set``s a note on a condition."""
        template = self.env.ref("account_debt_collection.mail_template_reminder")
        template.body_html = (
            '<div><t t-if="object.broken_promise_id or object.amount_net &gt; 1000">'
            '<t t-set="note" t-value="\'You did not keep your promise.\'"/></t>'
            '<p>Dear <t t-out="object.partner_id.name"/>,</p>'
            '<p t-if="note" t-out="note"/></div>'
        )
        customers = self.env["res.partner"].create(
            [
                {"name": name, "email": f"compta{i}@example.fr"}
                for i, name in enumerate(["Alpha", "Bravo", "Charlie"])
            ]
        )
        alpha, bravo, charlie = customers
        self.invoice(1234.56, partner=alpha)
        self.invoice(250.5, partner=bravo)
        self.invoice(100.0, partner=charlie)
        self.escalate(day(1))  # one send_mail_batch for the three
        note = "You did not keep your promise."
        self.assertIn(note, self.mails(self.events(alpha)).body_html)
        self.assertNotIn(note, self.mails(self.events(bravo)).body_html, "Bravo follows Alpha in the batch")
        self.assertNotIn(note, self.mails(self.events(charlie)).body_html)

        # a broken promise mentioned on Bravo's reminder only: rendered together as alone
        events = self.events(alpha) | self.events(bravo) | self.events(charlie)
        with freeze_time(day(1)):
            promise = self.env["debt.collection.promise"].create(
                {
                    "partner_id": bravo.id,
                    "move_ids": [Command.set(self.events(bravo).line_ids.move_id.ids)],
                    "date": day(5),
                    "amount": 10.0,
                }
            )
        self.events(bravo).sudo().broken_promise_id = promise  # as the run ties a broken promise
        together = template._render_field("body_html", events.ids)
        at_once = template._debt_render_qweb_at_once(template.body_html, events._name, events.ids, None, None)
        for event in events:
            alone = template._render_field("body_html", event.ids)[event.id]
            self.assertEqual(together[event.id], alone)
            self.assertEqual(at_once[event.id], alone, "the one-pass rendering itself, not its fallback")
        self.assertEqual([note in together[event.id] for event in events], [True, True, False])

    def test_a_body_that_raises_for_one_record_raises_odoos_error_for_that_record(self):
        events = self.batch()
        body = '<p>Dear <t t-out="object.partner_id.name"/>,</p><p t-out="1 / (object.amount_net - 250.5)"/>'
        with self.assertRaisesRegex(QWebError, "ZeroDivisionError"):
            self.template._debt_render_qweb_at_once(body, EVENT, events.ids, None, None)
        with self.assertRaises(UserError) as odoo:
            self.odoo_rendering(body, EVENT, events.ids)
        with self.assertRaises(UserError) as ours:
            self.template._render_template_qweb(body, EVENT, events.ids)
        # Odoo's message: the template, then the traceback naming the failing element
        ours_head, odoo_head = (str(error.exception).split("\n\n")[0] for error in (ours, odoo))
        self.assertEqual(ours_head, odoo_head)
        for error in (ours, odoo):
            self.assertIn("ZeroDivisionError", str(error.exception))
            self.assertIn("Path: /div/p[2]", str(error.exception), "Odoo's path, not the one pass's")
        # the records before the failing one render alone as in the batch
        self.assert_as_odoo_renders(body, events[:1], at_once_called=False)

    def test_a_body_that_prints_the_separator_falls_back_to_odoos_rendering(self):
        events = self.batch()
        body = '<p t-out="object.partner_id.name"/><t t-out="debt_collection_separator"/>'
        with self.assertRaisesRegex(ValueError, "printed the record separator"):
            self.template._debt_render_qweb_at_once(body, EVENT, events.ids, None, None)
        self.assert_as_odoo_renders(body, events)

    def test_a_body_that_rebinds_object_reads_as_odoo_renders_it(self):
        events = self.batch()
        body = (
            '<t t-set="event" t-value="object"/><t t-set="object" t-value="object.partner_id"/>'
            '<p>Dear <t t-out="object.name"/>, <t t-out="event.amount_net"/></p>'
        )
        rendered = self.assert_as_odoo_renders(body, events)
        self.assertIn(events[1].partner_id.name, rendered[events[1].id])
        at_once = self.template._debt_render_qweb_at_once(body, EVENT, events.ids, None, None)
        self.assertEqual(at_once, rendered, "the one pass itself, not its fallback")

    def test_t_set_and_nested_loops_start_afresh_for_each_record(self):
        events = self.batch()
        body = (
            '<t t-if="object.amount_net &gt; 1000"><t t-set="note" t-value="\'Large\'"/></t>'
            '<ul><t t-foreach="object.line_ids" t-as="line">'
            '<t t-set="total" t-value="(total or 0) + line.amount_residual"/>'
            '<li t-foreach="[1, 2]" t-as="copy"><t t-out="line_index"/>.<t t-out="copy_index"/></li>'
            "</t></ul>"
            '<p t-out="note"/><p t-out="total"/><p t-out="line_size"/><p t-out="copy"/>'
        )
        rendered = self.assert_as_odoo_renders(body, events)
        at_once = self.template._debt_render_qweb_at_once(body, EVENT, events.ids, None, None)
        self.assertEqual(at_once, rendered, "the one pass itself, not its fallback")
        self.assertEqual(["Large" in rendered[event.id] for event in events], [True, False, False])

    def test_a_restricted_rendering_goes_odoos_way(self):
        """A model whose rendering is restricted (``mail.template``'s never is), for a user who is
        no template editor: Odoo refuses a body with code (a ``t-set``), and so does the batch."""
        events = self.batch()
        clerk = new_test_user(self.env, "debt_clerk", groups="base.group_user,account.group_account_invoice")
        self.assertFalse(clerk.has_group("mail.group_mail_template_editor"))
        template = self.template.with_user(clerk)
        body = '<t t-set="greeting" t-value="\'Dear\'"/><p><t t-out="greeting"/> <t t-out="object.name"/></p>'
        with (
            patch.object(type(template), "_unrestricted_rendering", False),
            patch.object(type(template), "_debt_render_qweb_at_once") as at_once,
        ):
            with self.assertRaises(AccessError) as ours:
                template._render_template_qweb(body, EVENT, events.ids)
            with self.assertRaises(AccessError) as odoo:
                self.odoo_rendering(body, EVENT, events.ids, template=template)
        at_once.assert_not_called()
        self.assertEqual(str(ours.exception), str(odoo.exception))

    def test_a_single_record_goes_odoos_way(self):
        events = self.batch(amounts=(500.0,))
        self.assert_as_odoo_renders(self.template.body_html, events, at_once_called=False)

    def test_a_body_of_plain_placeholders_goes_odoos_way(self):
        events = self.batch()
        self.assert_as_odoo_renders(
            '<p>Dear <t t-out="object.partner_id.name"/></p>', events, at_once_called=False
        )

    def test_another_model_is_left_to_odoo(self):
        partners = self.env["res.partner"].create([{"name": "Alpha"}, {"name": "Bravo"}])
        body = '<t t-set="greeting" t-value="\'Dear\'"/><p><t t-out="greeting"/> <t t-out="object.name"/></p>'
        with patch.object(type(self.template), "_debt_render_qweb_at_once") as at_once:
            rendered = self.template._render_template_qweb(body, "res.partner", partners.ids)
        at_once.assert_not_called()
        self.assertEqual(rendered, self.odoo_rendering(body, "res.partner", partners.ids))

    def test_the_same_amount_and_date_read_in_each_customers_language_in_one_run(self):
        """The batch's formatters remember what they returned for one rendering in one
        language: French and English customers owing the same sum due the same day, emailed by
        the same run, each read it as their language writes it, and as Odoo renders it alone."""
        self.env["res.lang"]._activate_lang("fr_FR")
        customers = self.env["res.partner"].create(
            [
                {"name": "Client Français", "email": "compta@exemple.fr", "lang": "fr_FR"},
                {"name": "English Customer", "email": "accounts@example.co.uk", "lang": "en_US"},
                {"name": "Autre Client", "email": "autre@exemple.fr", "lang": "fr_FR"},
            ]
        )
        for customer in customers:
            self.invoice(1234.5, partner=customer)
        self.escalate(day(1))
        events = self.Event.search([("partner_id", "in", customers.ids)], order="id")
        currency = self.company.currency_id
        written = {
            lang: (
                format_amount(self.env, 1234.5, currency, lang),
                format_date(self.env, DUE, lang_code=lang),
            )
            for lang in ("fr_FR", "en_US")
        }
        self.assertNotEqual(written["fr_FR"], written["en_US"])
        together = self.template._render_field("body_html", events.ids)
        for event in events:
            lang = event.partner_id.lang
            other = "en_US" if lang == "fr_FR" else "fr_FR"
            body = self.mails(event).body_html
            for text in written[lang]:
                self.assertIn(text, body, lang)
            for text in written[other]:
                self.assertNotIn(text, body, lang)
            alone = self.template._render_field("body_html", event.ids)[event.id]
            self.assertEqual(together[event.id], alone)
