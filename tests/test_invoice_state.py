"""An invoice's dunning state lives in its own row (``debt.collection.invoice.state``): each
journal entry has its own from its creation to its deletion, whoever creates or copies it."""

from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import DebtCollectionCommon, day


@tagged("post_install", "-at_install")
class TestInvoiceState(DebtCollectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = new_test_user(
            cls.env,
            "facturation",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )

    def states(self):
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT COUNT(*), COUNT(DISTINCT m.debt_state_id), COUNT(s.id)
                 FROM account_move m LEFT JOIN debt_collection_invoice_state s ON s.id = m.debt_state_id"""
        )
        moves, distinct, linked = self.env.cr.fetchone()
        self.env.cr.execute("SELECT COUNT(*) FROM debt_collection_invoice_state")
        return moves, distinct, linked, self.env.cr.fetchone()[0]

    def test_an_invoice_created_copied_and_deleted_by_a_billing_user_keeps_one_state_of_its_own(self):
        env = self.env(user=self.billing)
        with Form(env["account.move"].with_context(default_move_type="out_invoice")) as form:
            form.partner_id = self.customer
            with form.invoice_line_ids.new() as line:
                line.name = "Pain de campagne"
                line.price_unit = 120.0
                line.tax_ids.clear()
        draft = form.record
        self.assertTrue(draft.debt_state_id)
        draft.action_post()
        self.env.flush_all()
        self.Run._reschedule(self.company, self.customer.ids, today=day(0))
        self.assertTrue(draft.debt_next_date, "the run schedules it in its state")
        copy = draft.copy()
        self.assertNotEqual(copy.debt_state_id, draft.debt_state_id)
        self.assertFalse(copy.debt_next_date, "a copy starts undunned")
        moves, distinct, linked, states = self.states()
        self.assertEqual((distinct, linked, states), (moves, moves, moves))
        state = copy.debt_state_id
        copy.unlink()
        self.assertFalse(state.exists(), "deleted with its entry")
        self.assertEqual(self.states()[3], moves - 1)

    def test_nobody_but_the_module_points_an_invoice_at_another_state(self):
        late, other = self.invoice(800.0, due=day(-20)), self.invoice(300.0, due=day(-5))
        with self.assertRaises(AccessError):
            late.with_user(self.billing).write({"debt_state_id": other.debt_state_id.id})
        self.assertNotEqual(late.debt_state_id, other.debt_state_id)
