import logging

from odoo.modules.migration import exec_script
from odoo.tests import tagged
from odoo.tools import sql
from odoo.tools.misc import file_path

from .common import DebtCollectionCommon, day

MODULE = "account_debt_collection"
TO_19_0_1_0_1 = f"{MODULE}/migrations/19.0.1.0.1/post-migrate.py"


@tagged("post_install", "-at_install")
class TestMigration(DebtCollectionCommon):
    """An upgrade from 19.0.1.0.0: that version's schema, then the script as Odoo runs it."""

    def setUp(self):
        super().setUp()
        self.cr = self.env.cr
        self.customer.sudo().debt_payer_class = "C"
        self.late = self.invoice(1000.0, due=day(-40))
        # 19.0.1.0.0 stored the invoice's payer class (a copy, left stale by a later refresh)
        # and the aged balance's customer (nullable, with its foreign key and no index)
        sql.create_column(self.cr, "account_move", "debt_payer_class", "varchar")
        sql.create_column(self.cr, "debt_collection_aged_balance", "partner_id", "int4")
        sql.add_foreign_key(
            self.cr, "debt_collection_aged_balance", "partner_id", "res_partner", "id", "set null"
        )
        self.cr.execute("UPDATE account_move SET debt_payer_class = 'A' WHERE id = %s", [self.late.id])
        self.wizard = self.env["debt.collection.aged.balance.wizard"].create(
            {"date": day(0), "company_id": self.company.id}
        )
        self.wizard._fill_lines()
        self.cr.execute(
            "UPDATE debt_collection_aged_balance SET partner_id = %s WHERE wizard_id = %s",
            [self.customer.id, self.wizard.id],
        )

    def upgrade(self):
        self.env.invalidate_all()
        exec_script(self.cr, "19.0.1.0.0", file_path(TO_19_0_1_0_1), MODULE, "post")

    def test_upgrade_drops_the_stored_copies(self):
        with self.assertLogs("OpenUpgrade", logging.INFO) as logged:
            self.upgrade()
        self.assertFalse(sql.column_exists(self.cr, "account_move", "debt_payer_class"))
        self.assertFalse(sql.column_exists(self.cr, "debt_collection_aged_balance", "partner_id"))
        self.assertIn("INFO:OpenUpgrade:table account_move: drop column debt_payer_class", logged.output)
        # what users read comes from the customer now, not from the dropped copies
        self.assertEqual(self.late.debt_payer_class, "C")
        line = self.wizard.line_ids.filtered(lambda row: row.move_id == self.late)
        self.assertEqual(line.partner_id, self.customer)
        self.assertEqual(line.amount_residual, 1000.0)

    def test_upgrade_twice_changes_nothing(self):
        self.upgrade()
        columns = sql.table_columns(self.cr, "account_move")
        with self.assertLogs("OpenUpgrade", logging.WARNING) as logged:
            self.upgrade()
        self.assertEqual(sql.table_columns(self.cr, "account_move"), columns)
        self.assertIn(
            "WARNING:OpenUpgrade:table account_move: column debt_payer_class did not exist",
            logged.output,
        )


TO_19_0_1_1_0 = f"{MODULE}/migrations/19.0.1.1.0/%s-migrate.py"
PROFILE_TYPES = {
    "debt_avg_days_late": "float8",
    "debt_on_time_ratio": "float8",
    "debt_late_count": "int4",
    "debt_broken_promise_count": "int4",
    "debt_dispute_count": "int4",
    "debt_payer_class": "varchar",
    "debt_profile_date": "date",
}


@tagged("post_install", "-at_install")
class TestMigrationPerCompany(DebtCollectionCommon):
    """An upgrade from 19.0.1.0.1: profiles and insurance were one value for all companies."""

    def setUp(self):
        super().setUp()
        self.cr = self.env.cr
        self.other_company = self.setup_other_company(name="Filiale Lyon")["company"]
        self.insurer = self.env["res.partner"].create({"name": "Assureur Crédit SA", "is_company": True})
        self.late = self.invoice(1000.0, due=day(-40))
        self.pay(self.late, 1000.0, day(0))  # paid 40 days late: a class-B payer
        self.env.flush_all()
        # 19.0.1.0.1's columns: plain values, the same for every company
        for column, column_type in PROFILE_TYPES.items():
            self.cr.execute(f"ALTER TABLE res_partner ALTER COLUMN {column} TYPE {column_type} USING NULL")
        for column, column_type in {
            "debt_insurer_id": "int4",
            "debt_insured_amount": "float8",
            "debt_insurance_end_date": "date",
        }.items():
            self.cr.execute(f"ALTER TABLE res_partner ALTER COLUMN {column} TYPE {column_type} USING NULL")
        self.cr.execute(
            """UPDATE res_partner SET debt_payer_class = 'D', debt_avg_days_late = 99,
                      debt_insurer_id = %s, debt_insured_amount = 50000,
                      debt_insurance_end_date = '2027-06-30'
                WHERE id = %s""",
            [self.insurer.id, self.customer.id],
        )
        self.env.invalidate_all()

    def test_upgrade_keeps_the_insurance_for_every_company_and_computes_profiles_per_company(self):
        exec_script(self.cr, "19.0.1.0.1", file_path(TO_19_0_1_1_0 % "pre"), MODULE, "pre")
        for column in PROFILE_TYPES:
            self.assertFalse(sql.column_exists(self.cr, "res_partner", column), f"{column} goes")
            sql.create_column(self.cr, "res_partner", column, "jsonb")  # as Odoo does then
        exec_script(self.cr, "19.0.1.0.1", file_path(TO_19_0_1_1_0 % "post"), MODULE, "post")
        self.env.invalidate_all()
        for company in self.company | self.other_company:
            customer = self.customer.with_company(company)
            self.assertEqual(
                (
                    customer.debt_insurer_id,
                    customer.debt_insured_amount,
                    str(customer.debt_insurance_end_date),
                ),
                (self.insurer, 50000.0, "2027-06-30"),
                "the insurance entered by people is kept, for every company",
            )
        self.assertNotEqual(self.customer.with_company(self.company).debt_payer_class, "D", "computed again")
        self.assertFalse(
            self.customer.with_company(self.other_company).debt_payer_class, "no invoice in that company"
        )


TO_19_0_1_1_1 = f"{MODULE}/migrations/19.0.1.1.1/post-migrate.py"


@tagged("post_install", "-at_install")
class TestMigrationPhone(DebtCollectionCommon):
    """An upgrade from 19.0.1.1.0: the customer's E.164 number had its own column."""

    def upgrade(self):
        self.env.invalidate_all()
        exec_script(self.env.cr, "19.0.1.1.0", file_path(TO_19_0_1_1_1), MODULE, "post")

    def test_upgrade_drops_the_copy_of_phone_sanitized_and_the_tasks_dial_odoos(self):
        self.customer.phone = "01 42 68 53 00"
        self.env.flush_all()
        sql.create_column(self.env.cr, "res_partner", "debt_phone_e164", "varchar")
        self.env.cr.execute(
            "UPDATE res_partner SET debt_phone_e164 = '+33142685300' WHERE id = %s", [self.customer.id]
        )
        with self.assertLogs("OpenUpgrade", logging.INFO) as logged:
            self.upgrade()
        self.assertFalse(sql.column_exists(self.env.cr, "res_partner", "debt_phone_e164"))
        self.assertIn("INFO:OpenUpgrade:table res_partner: drop column debt_phone_e164", logged.output)
        self.assertEqual(self.customer.phone_sanitized, "+33142685300")
        with self.assertLogs("OpenUpgrade", logging.WARNING) as logged:
            self.upgrade()
        self.assertIn(
            "WARNING:OpenUpgrade:table res_partner: column debt_phone_e164 did not exist", logged.output
        )


TO_19_0_1_1_2 = f"{MODULE}/migrations/19.0.1.1.2/pre-migrate.py"


@tagged("post_install", "-at_install")
class TestMigrationEventOrigin(DebtCollectionCommon):
    """An upgrade from 19.0.1.1.1: an event's origin was its ``kind``."""

    def test_upgrade_renames_kind_to_origin_with_its_values_and_the_saved_filters(self):
        self.invoice(1000.0, due=day(-10))
        self.escalate(day(0))
        reminder = self.events()
        self.assertEqual(reminder.origin, "overdue")
        saved = self.env["ir.filters"].create(
            {
                "name": "Reminders",
                "model_id": "debt.collection.event",
                "domain": "[('origin', '=', 'overdue')]",
            }
        )
        self.env.flush_all()
        # the 19.0.1.1.1 schema: the column, the field's definition and the filter say "kind"
        cr = self.env.cr
        cr.execute("ALTER TABLE debt_collection_event RENAME COLUMN origin TO kind")
        cr.execute(
            "UPDATE ir_model_fields SET name = 'kind' "
            "WHERE model = 'debt.collection.event' AND name = 'origin'"
        )
        cr.execute(
            "UPDATE ir_filters SET domain = %s WHERE id = %s", ["[('kind', '=', 'overdue')]", saved.id]
        )
        self.env.invalidate_all()
        exec_script(cr, "19.0.1.1.1", file_path(TO_19_0_1_1_2), MODULE, "pre")
        self.assertFalse(sql.column_exists(cr, "debt_collection_event", "kind"))
        self.assertEqual(reminder.origin, "overdue", "the value is kept")
        self.assertEqual(saved.domain, "[('origin', '=', 'overdue')]")
        self.assertTrue(
            self.env["ir.model.fields"]._get("debt.collection.event", "origin"),
            "the field's definition follows",
        )


TO_19_0_1_2_0 = f"{MODULE}/migrations/19.0.1.2.0/post-migrate.py"
OLD_STATE_COLUMNS = {
    "debt_step_id": "int4",
    "debt_level": "int4",
    "debt_next_date": "date",
    "debt_last_date": "date",
    "debt_cycle": "int4",
}


@tagged("post_install", "-at_install")
class TestMigrationInvoiceState(DebtCollectionCommon):
    """An upgrade from 19.0.1.1.2, which kept the dunning state in ``account_move``: that schema,
    then Odoo's schema update (``account.move._init_column`` of the new ``debt_state_id``) and
    the script, as Odoo runs them."""

    def setUp(self):
        super().setUp()
        self.cr = self.env.cr
        self.reminded = self.invoice(1000.0, due=day(-40))
        self.untouched = self.invoice(300.0, due=day(20))
        self.taken = self.steps.filtered(lambda step: step.offset_days > 0)[0]
        self.cr.execute("ALTER TABLE account_move DROP COLUMN debt_state_id")
        self.cr.execute("DELETE FROM debt_collection_invoice_state")
        for column, column_type in OLD_STATE_COLUMNS.items():
            sql.create_column(self.cr, "account_move", column, column_type)
        self.cr.execute(
            """UPDATE account_move SET debt_step_id = %s, debt_level = %s, debt_next_date = %s,
                                       debt_last_date = %s, debt_cycle = 1
                WHERE id = %s""",
            [self.taken.id, self.taken.level, day(0), day(-10), self.reminded.id],
        )
        self.cr.execute("ALTER TABLE account_move ADD COLUMN debt_state_id int4")

    def upgrade(self):
        self.env.invalidate_all()
        self.env["account.move"]._init_column("debt_state_id")
        exec_script(self.cr, "19.0.1.1.2", file_path(TO_19_0_1_2_0), MODULE, "post")
        self.env.invalidate_all()

    def test_upgrade_moves_each_invoices_state_to_its_own_row_and_the_run_goes_on_from_it(self):
        self.upgrade()
        for column in OLD_STATE_COLUMNS:
            self.assertFalse(sql.column_exists(self.cr, "account_move", column), column)
        self.assertEqual(
            (
                self.reminded.debt_step_id,
                self.reminded.debt_level,
                self.reminded.debt_next_date,
                self.reminded.debt_last_date,
                self.reminded.debt_cycle,
            ),
            (self.taken, self.taken.level, day(0), day(-10), 1),
        )
        self.assertFalse(self.untouched.debt_step_id)
        self.assertEqual(self.untouched.debt_level, 0)
        self.cr.execute("SELECT COUNT(*), COUNT(DISTINCT debt_state_id) FROM account_move")
        moves, states = self.cr.fetchone()
        self.assertEqual(states, moves, "one state per journal entry")
        # invoices posted after the upgrade get states of their own
        later = self.invoice(200.0, due=day(10))
        self.assertNotIn(later.debt_state_id, (self.reminded | self.untouched).debt_state_id)
        # the run takes the reminded invoice's next step, not the scenario's first again
        [result] = self.Run._preview(self.company, today=day(0))
        self.assertEqual(result.partner_id, self.customer.id)
        self.assertGreater(result.communication.level, self.taken.level)
