#!/usr/bin/env python3
"""Fill a benchmark database with customers and posted customer invoices, quickly, by SQL.

Development tool, not part of the Odoo module: run it on a database where
``account_debt_collection`` is installed without demo data::

    PYTHONPATH=/opt/odoo19 .build/venv/bin/python tools/benchmark/generate.py \
        --db bench_10k --customers 2000 --invoices 10000

Each table is filled by cloning one row that the ORM created (a real posted invoice, credit
note and bank entry) with ``INSERT ... SELECT ... generate_series``, so every column has what
Odoo would have written, and only what varies (ids, names, partners, dates, amounts, residuals,
payment states) is overridden. Ids are reserved from the tables' sequences first, so the rows
of one invoice (move, receivable line, income line, payment entry and its lines, partial
reconciliation) are linked by arithmetic on ``g``, the invoice's number in the series.

What it makes, for ``--invoices M`` open invoices over ``--customers N`` customers:

- M open invoices (4 in 5 unpaid, 1 in 5 paid at 40 %% by a bank entry partly reconciled),
  dated over the last 210 days, due 30 days later: about 85 %% overdue;
- M / 10 invoices fully paid (late or on time: what the payer profiles read);
- M / 50 credit notes left unreconciled (credits the run nets);
- a dunning state as if the daily run had stopped a few days ago (levels vary per invoice), so
  that nearly every overdue invoice is a candidate today and every channel is used;
- a few disputes and promises to pay (ORM, so their computed fields follow).
"""

import argparse
import os
import sys
import time
from contextlib import contextmanager
from datetime import date, timedelta

ODOO_PATH = os.environ.get("ODOO_PATH", "/opt/odoo19")
HERE = os.path.dirname(os.path.abspath(__file__))
MODULE_ROOT = os.path.dirname(os.path.dirname(HERE))
ADDONS_PATH = os.environ.get(
    "BENCH_ADDONS_PATH",
    f"{MODULE_ROOT}/.build/addons,{ODOO_PATH}/addons,{ODOO_PATH}/odoo/addons",
)
PG_HOST = os.environ.get("PGHOST", f"{MODULE_ROOT}/.build/pg/run")
PG_PORT = os.environ.get("PGPORT", "54329")
PG_USER = os.environ.get("PGUSER", "odoo")
#: one customer in ten has no email: its reminders go out as letters
EMAIL = "CASE WHEN s.i % 10 = 9 THEN NULL ELSE 'c' || s.i || '@bench.example.com' END"


@contextmanager
def odoo_env(db, extra_addons=None, tracking=False):
    """An ``Environment`` as superuser on ``db``; the cursor is closed (not committed) on exit.

    Without ``tracking``, Odoo's mail tracking is off (``tracking_disable``), as the generator
    wants it; the measures ask for it, as the scheduled actions they time run with it.
    """
    if ODOO_PATH not in sys.path:
        sys.path.insert(0, ODOO_PATH)
    import odoo
    from odoo.modules.registry import Registry
    from odoo.tools import config

    addons = ADDONS_PATH + (f",{extra_addons}" if extra_addons else "")
    config.parse_config(
        [
            f"--addons-path={addons}",
            f"--db_host={PG_HOST}",
            f"--db_port={PG_PORT}",
            f"--db_user={PG_USER}",
            f"--database={db}",
            "--data-dir=/tmp/bench_filestore",
            "--log-level=warn",
        ],
        setup_logging=True,
    )
    registry = Registry(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {} if tracking else {"tracking_disable": True})
        yield env


def padded(number):
    """SQL: ``number`` written on at least 6 digits, as an Odoo sequence pads it (``lpad`` would
    cut a longer number: the millionth invoice would take the 100,000th's name)."""
    return f"lpad({number}::text, GREATEST(6, length({number}::text)), '0')"


def columns(cr, table):
    cr.execute(
        """SELECT column_name FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name = %s AND is_generated = 'NEVER'
         ORDER BY ordinal_position""",
        [table],
    )
    return [row[0] for row in cr.fetchall()]


def reserve_ids(cr, table, count):
    """Reserve ``count`` ids of ``table``; return the first (ids are ``first .. first+count-1``)."""
    cr.execute("SELECT nextval(%s)", [f"{table}_id_seq"])
    first = cr.fetchone()[0]
    cr.execute("SELECT setval(%s, %s)", [f"{table}_id_seq", first + count])
    return first


def insert_states(cr, first_id, source, ts):
    """The dunning states (``debt.collection.invoice.state``) of generated journal entries: one
    per row of ``source``, id ``first_id + k``, with the row's dunning columns where it has them."""
    cr.execute(f"SELECT * FROM ({source}) s LIMIT 0")
    given = {column.name for column in cr.description}
    values = {
        column: (f"s.{column}" if column in given else "NULL")
        for column in ("next_date", "level", "step_id", "last_date")
    }
    cr.execute(
        f"""INSERT INTO debt_collection_invoice_state
                   (id, debt_next_date, debt_level, debt_step_id, debt_last_date, debt_cycle,
                    create_uid, create_date, write_uid, write_date)
            SELECT {int(first_id)} + s.k, {values["next_date"]}, COALESCE({values["level"]}, 0),
                   {values["step_id"]}, {values["last_date"]}, 0, 1, {ts}, 1, {ts}
              FROM ({source}) s"""
    )


def clone(cr, table, template_id, source, overrides, where="TRUE"):
    """``INSERT INTO table SELECT`` the template row once per row of ``source`` (alias ``s``).

    ``overrides`` maps a column to an SQL expression over ``t`` (the template) and ``s``.
    """
    cols = columns(cr, table)
    unknown = set(overrides) - set(cols)
    if unknown:
        raise ValueError(f"{table} has no column {sorted(unknown)}")
    exprs = [overrides.get(col, f't."{col}"') for col in cols]
    cr.execute(
        f"""INSERT INTO "{table}" ({", ".join(f'"{c}"' for c in cols)})
            SELECT {", ".join(exprs)} FROM "{table}" t, ({source}) s
             WHERE t.id = {int(template_id)} AND ({where})"""
    )
    return cr.rowcount


# ---------------------------------------------------------------------------- ORM templates


def ensure_chart(env, company):
    if not company.chart_template:
        env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
    return company


def make_templates(env, company, today):
    """One customer, one posted invoice, credit note and bank entry, through the ORM."""
    env = env(context=dict(env.context, tracking_disable=True, mail_notrack=True))
    partner = env["res.partner"].create(
        {
            "name": "Bench Template Customer",
            "is_company": True,
            "email": "template@bench.example.com",
            "street": "1 rue de la Paix",
            "zip": "75002",
            "city": "Paris",
            "phone": "+33 1 23 45 67 89",
        }
    )
    sale = env["account.journal"].search(
        [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
    )
    bank = env["account.journal"].search(
        [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
    )

    def invoice(move_type):
        move = env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "journal_id": sale.id,
                "invoice_date": today - timedelta(days=40),
                "invoice_date_due": today - timedelta(days=10),
                "invoice_line_ids": [
                    (0, 0, {"name": "Services", "quantity": 1, "price_unit": 100.0, "tax_ids": []})
                ],
            }
        )
        move.action_post()
        return move

    inv = invoice("out_invoice")
    refund = invoice("out_refund")
    receivable = inv.line_ids.filtered(lambda line: line.display_type == "payment_term")
    payment = env["account.move"].create(
        {
            "move_type": "entry",
            "journal_id": bank.id,
            "date": today - timedelta(days=5),
            "line_ids": [
                (0, 0, {
                    "name": "Payment",
                    "account_id": receivable.account_id.id,
                    "partner_id": partner.id,
                    "credit": 100.0,
                }),
                (0, 0, {"name": "Payment", "account_id": bank.default_account_id.id, "debit": 100.0}),
            ],
        }
    )
    payment.action_post()
    env.flush_all()
    return partner, sale, bank, inv, refund, payment


# ---------------------------------------------------------------------------- SQL fill


def line_of(env, move, display_type=None, receivable=None):
    lines = move.line_ids
    if display_type:
        lines = lines.filtered(lambda line: line.display_type == display_type)
    if receivable is not None:
        lines = lines.filtered(
            lambda line: (line.account_id.account_type == "asset_receivable") == receivable
        )
    return lines[:1].id


def fill(env, customers, invoices, today, seed_tag="B"):
    cr = env.cr
    company = env.company
    today_sql = f"'{today.isoformat()}'"
    ensure_chart(env, company)
    partner, sale, bank, inv, refund, payment = make_templates(env, company, today)
    scenario = env["debt.collection.scenario"].search(
        [("company_id", "=", company.id), ("is_default", "=", True)], limit=1
    ) or env["debt.collection.scenario"].search([("company_id", "=", company.id)], limit=1)
    steps = scenario.step_ids.sorted(lambda s: (s.offset_days, s.id))
    n_paid = invoices // 10
    n_refunds = invoices // 50
    total = invoices + n_paid

    # customers
    pbase = reserve_ids(cr, "res_partner", customers)
    clone(
        cr,
        "res_partner",
        partner.id,
        f"SELECT i FROM generate_series(0, {customers - 1}) i",
        {
            "id": f"{pbase} + s.i",
            "name": f"'Bench Customer {seed_tag}' || {padded('s.i')}",
            "complete_name": f"'Bench Customer {seed_tag}' || {padded('s.i')}",
            "commercial_partner_id": f"{pbase} + s.i",
            "email": EMAIL,
            "email_normalized": EMAIL,
            "ref": f"'{seed_tag}' || s.i",
        },
    )

    # the plan: one row per invoice, every id derived from g
    mbase = reserve_ids(cr, "account_move", 2 * total + n_refunds)
    lbase = reserve_ids(cr, "account_move_line", 4 * total + 2 * n_refunds)
    prbase = reserve_ids(cr, "account_partial_reconcile", total)
    # each journal entry's dunning state: entry mbase + k has state sbase + k
    sbase = reserve_ids(cr, "debt_collection_invoice_state", 2 * total + n_refunds)
    cr.execute("SELECT COALESCE(MAX(sequence_number), 0) FROM account_move WHERE journal_id = %s", [sale.id])
    seq0 = cr.fetchone()[0] + 1
    cr.execute("SELECT COALESCE(MAX(sequence_number), 0) FROM account_move WHERE journal_id = %s", [bank.id])
    bseq0 = cr.fetchone()[0] + 1
    cr.execute(
        "DROP TABLE IF EXISTS bench_plan; "
        f"""CREATE TEMP TABLE bench_plan AS
            SELECT g,
                   CASE WHEN g >= {invoices} THEN 'paid' WHEN g % 5 = 4 THEN 'partial' ELSE 'open' END
                       AS kind,
                   {pbase} + (g % {customers}) AS partner_id,
                   {today_sql}::date - (CASE WHEN g >= {invoices} THEN 60 + (g * 37) % 150
                                           ELSE (g * 37) % 210 END) AS inv_date,
                   ROUND(100 + ((g::bigint * 7907) % 490000) / 100.0, 2) AS amount,  -- bigint: past 2^31
                   {mbase} + g AS move_id,
                   {mbase} + {total} + g AS pay_move_id,
                   {lbase} + 4 * g AS recv_line_id,
                   {lbase} + 4 * g + 1 AS inc_line_id,
                   {lbase} + 4 * g + 2 AS pay_recv_line_id,
                   {lbase} + 4 * g + 3 AS pay_bank_line_id,
                   {prbase} + g AS partial_id
              FROM generate_series(0, {total - 1}) g""",
    )
    cr.execute(
        f"""ALTER TABLE bench_plan ADD COLUMN due_date date, ADD COLUMN paid numeric,
                                   ADD COLUMN pay_date date, ADD COLUMN residual numeric,
                                   ADD COLUMN name varchar, ADD COLUMN pay_name varchar;
            UPDATE bench_plan SET due_date = inv_date + 30,
                   paid = CASE kind WHEN 'paid' THEN amount WHEN 'partial' THEN ROUND(amount * 0.4, 2)
                                    ELSE 0 END,
                   name = 'INV/' || to_char(inv_date, 'YYYY') || '/' || {padded(f'({seq0} + g)')},
                   pay_name = 'BNK1/' || to_char(inv_date, 'YYYY') || '/'
                              || {padded(f'({bseq0} + g)')};
            UPDATE bench_plan SET residual = amount - paid,
                   pay_date = LEAST(due_date + (g % 70) - 20, {today_sql}::date - 1);
            UPDATE bench_plan SET pay_date = GREATEST(pay_date, inv_date);
            CREATE INDEX ON bench_plan (g); ANALYZE bench_plan""",
    )

    # dunning state, as if the daily run stopped (g % 12) days ago, each customer's invoices capped
    # at a level that varies by customer, so that every channel is used by a share of the customers
    offsets = [s.offset_days for s in steps]
    step_ids = [s.id for s in steps]
    lvl_sql = " + ".join(f"(CASE WHEN {o} <= ({today_sql}::date - due_date) - 1 - g % 12 THEN 1 ELSE 0 END)"
                         for o in offsets) or "0"
    off_arr = "ARRAY[" + ",".join(str(o) for o in offsets) + "]::int[]"
    stp_arr = "ARRAY[" + ",".join(str(i) for i in step_ids) + "]::int[]"
    cr.execute(
        f"""ALTER TABLE bench_plan ADD COLUMN level int, ADD COLUMN step_id int, ADD COLUMN next_date date,
                                   ADD COLUMN last_date date;
            UPDATE bench_plan SET level = CASE WHEN kind = 'paid' THEN 0
                                               ELSE LEAST({lvl_sql}, (g % {customers}) % {len(offsets)}) END;
            UPDATE bench_plan SET step_id = ({stp_arr})[NULLIF(level, 0)],
                   last_date = CASE WHEN level > 0 THEN {today_sql}::date - 1 - g % 12 END,
                   next_date = CASE WHEN kind = 'paid' OR level >= {len(offsets)} THEN NULL
                                    ELSE due_date + ({off_arr})[level + 1] END;
            UPDATE bench_plan SET next_date = GREATEST(next_date, last_date + 1)
             WHERE next_date IS NOT NULL AND last_date IS NOT NULL""",
    )

    recv_tpl = line_of(env, inv, "payment_term")
    inc_tpl = line_of(env, inv, "product")
    payment_state = "CASE s.kind WHEN 'paid' THEN 'paid' WHEN 'partial' THEN 'partial' ELSE 'not_paid' END"
    ts = "(now() at time zone 'utc')"
    insert_states(cr, sbase, "SELECT g AS k, next_date, level, step_id, last_date FROM bench_plan", ts)
    clone(
        cr,
        "account_move",
        inv.id,
        "SELECT * FROM bench_plan",
        {
            "id": "s.move_id",
            "name": "s.name",
            "sequence_prefix": "'INV/' || to_char(s.inv_date, 'YYYY') || '/'",
            "sequence_number": f"{seq0} + s.g",
            "payment_reference": "s.name",
            "date": "s.inv_date",
            "invoice_date": "s.inv_date",
            "invoice_date_due": "s.due_date",
            "partner_id": "s.partner_id",
            "commercial_partner_id": "s.partner_id",
            "partner_shipping_id": "s.partner_id",
            "invoice_partner_display_name": "'Bench Customer' || s.partner_id",
            "amount_untaxed": "s.amount",
            "amount_total": "s.amount",
            "amount_residual": "s.residual",
            "amount_untaxed_signed": "s.amount",
            "amount_untaxed_in_currency_signed": "s.amount",
            "amount_total_signed": "s.amount",
            "amount_total_in_currency_signed": "s.amount",
            "amount_residual_signed": "s.residual",
            "payment_state": payment_state,
            "debt_state_id": f"{sbase} + s.g",
            "create_date": ts,
            "write_date": ts,
        },
    )
    line_common = {
        "move_id": "s.move_id",
        "move_name": "s.name",
        "partner_id": "s.partner_id",
        "date": "s.inv_date",
        "invoice_date": "s.inv_date",
        "create_date": ts,
        "write_date": ts,
    }
    clone(
        cr,
        "account_move_line",
        recv_tpl,
        "SELECT * FROM bench_plan",
        {
            **line_common,
            "id": "s.recv_line_id",
            "name": "s.name",
            "date_maturity": "s.due_date",
            "balance": "s.amount",
            "debit": "s.amount",
            "credit": "0",
            "amount_currency": "s.amount",
            "price_unit": "-s.amount",
            "price_subtotal": "-s.amount",
            "price_total": "-s.amount",
            "amount_residual": "s.residual",
            "amount_residual_currency": "s.residual",
            "reconciled": "s.kind = 'paid'",
            "matching_number": "CASE WHEN s.kind = 'open' THEN NULL ELSE 'P' || s.partial_id END",
        },
    )
    clone(
        cr,
        "account_move_line",
        inc_tpl,
        "SELECT * FROM bench_plan",
        {
            **line_common,
            "id": "s.inc_line_id",
            "balance": "-s.amount",
            "debit": "0",
            "credit": "s.amount",
            "amount_currency": "-s.amount",
            "price_unit": "s.amount",
            "price_subtotal": "s.amount",
            "price_total": "s.amount",
        },
    )

    # payments: one bank entry per paid or partly paid invoice, reconciled with it
    pay_recv_tpl = line_of(env, payment, receivable=True)
    pay_bank_tpl = line_of(env, payment, receivable=False)
    paid_source = "SELECT * FROM bench_plan WHERE kind != 'open'"
    insert_states(cr, sbase, f"SELECT {total} + g AS k FROM ({paid_source}) paid", ts)
    clone(
        cr,
        "account_move",
        payment.id,
        paid_source,
        {
            "id": "s.pay_move_id",
            "debt_state_id": f"{sbase} + {total} + s.g",
            "name": "s.pay_name",
            "sequence_prefix": "'BNK1/' || to_char(s.inv_date, 'YYYY') || '/'",
            "sequence_number": f"{bseq0} + s.g",
            "date": "s.pay_date",
            "partner_id": "s.partner_id",
            "commercial_partner_id": "s.partner_id",
            "amount_untaxed": "0",
            "amount_total": "s.paid",
            "amount_total_signed": "s.paid",
            "amount_total_in_currency_signed": "s.paid",
            "create_date": ts,
            "write_date": ts,
        },
    )
    pay_common = {
        "move_id": "s.pay_move_id",
        "move_name": "s.pay_name",
        "date": "s.pay_date",
        "create_date": ts,
        "write_date": ts,
    }
    clone(
        cr,
        "account_move_line",
        pay_recv_tpl,
        paid_source,
        {
            **pay_common,
            "id": "s.pay_recv_line_id",
            "partner_id": "s.partner_id",
            "balance": "-s.paid",
            "debit": "0",
            "credit": "s.paid",
            "amount_currency": "-s.paid",
            "amount_residual": "0",
            "amount_residual_currency": "0",
            "reconciled": "TRUE",
            "matching_number": "'P' || s.partial_id",
        },
    )
    clone(
        cr,
        "account_move_line",
        pay_bank_tpl,
        paid_source,
        {
            **pay_common,
            "id": "s.pay_bank_line_id",
            "partner_id": "s.partner_id",
            "balance": "s.paid",
            "debit": "s.paid",
            "credit": "0",
            "amount_currency": "s.paid",
        },
    )
    cur = inv.currency_id.id
    cr.execute(
        f"""INSERT INTO account_partial_reconcile (
                id, debit_move_id, credit_move_id, amount, debit_amount_currency, credit_amount_currency,
                debit_currency_id, credit_currency_id, company_id, max_date,
                create_uid, create_date, write_uid, write_date)
            SELECT partial_id, recv_line_id, pay_recv_line_id, paid, paid, paid, {cur}, {cur},
                   {company.id}, GREATEST(pay_date, inv_date), 1, {ts}, 1, {ts}
              FROM bench_plan WHERE kind != 'open'"""
    )

    # credit notes left open: credits the run nets against the invoices
    ref_recv_tpl = line_of(env, refund, "payment_term")
    ref_inc_tpl = line_of(env, refund, "product")
    rbase_move = mbase + 2 * total
    rbase_line = lbase + 4 * total
    cr.execute("SELECT COALESCE(MAX(sequence_number), 0) FROM account_move WHERE id = %s", [refund.id])
    rseq0 = cr.fetchone()[0] + 1
    ref_source = f"""SELECT r, {pbase} + (r * 7) % {customers} AS partner_id,
                            {today_sql}::date - (r % 60) AS rdate,
                            ROUND(20 + (r * 311) % 20000 / 100.0, 2) AS amt,
                            'RINV/' || to_char({today_sql}::date - (r % 60), 'YYYY') || '/'
                                || {padded(f'({rseq0} + r)')} AS name
                       FROM generate_series(0, {max(n_refunds - 1, -1)}) r"""
    insert_states(cr, sbase, f"SELECT {2 * total} + r AS k FROM ({ref_source}) refunds", ts)
    clone(
        cr,
        "account_move",
        refund.id,
        ref_source,
        {
            "id": f"{rbase_move} + s.r",
            "debt_state_id": f"{sbase} + {2 * total} + s.r",
            "name": "s.name",
            "sequence_prefix": "'RINV/' || to_char(s.rdate, 'YYYY') || '/'",
            "sequence_number": f"{rseq0} + s.r",
            "date": "s.rdate",
            "invoice_date": "s.rdate",
            "invoice_date_due": "s.rdate",
            "partner_id": "s.partner_id",
            "commercial_partner_id": "s.partner_id",
            "partner_shipping_id": "s.partner_id",
            "amount_untaxed": "s.amt",
            "amount_total": "s.amt",
            "amount_residual": "s.amt",
            "amount_untaxed_signed": "-s.amt",
            "amount_untaxed_in_currency_signed": "-s.amt",
            "amount_total_signed": "-s.amt",
            "amount_total_in_currency_signed": "-s.amt",
            "amount_residual_signed": "-s.amt",
            "create_date": ts,
            "write_date": ts,
        },
    )
    ref_common = {
        "move_id": f"{rbase_move} + s.r",
        "move_name": "s.name",
        "partner_id": "s.partner_id",
        "date": "s.rdate",
        "invoice_date": "s.rdate",
        "create_date": ts,
        "write_date": ts,
    }
    clone(
        cr,
        "account_move_line",
        ref_recv_tpl,
        ref_source,
        {
            **ref_common,
            "id": f"{rbase_line} + 2 * s.r",
            "name": "s.name",
            "date_maturity": "s.rdate",
            "balance": "-s.amt",
            "debit": "0",
            "credit": "s.amt",
            "amount_currency": "-s.amt",
            "price_unit": "s.amt",
            "price_subtotal": "s.amt",
            "price_total": "s.amt",
            "amount_residual": "-s.amt",
            "amount_residual_currency": "-s.amt",
        },
    )
    clone(
        cr,
        "account_move_line",
        ref_inc_tpl,
        ref_source,
        {
            **ref_common,
            "id": f"{rbase_line} + 2 * s.r + 1",
            "balance": "s.amt",
            "debit": "s.amt",
            "credit": "0",
            "amount_currency": "s.amt",
            "price_unit": "s.amt",
            "price_subtotal": "s.amt",
            "price_total": "s.amt",
        },
    )
    cr.execute("DROP TABLE bench_plan")
    # the templates stay: one more customer with a valid invoice, credit note and payment
    cr.execute("ANALYZE res_partner; ANALYZE account_move; ANALYZE debt_collection_invoice_state; "
               "ANALYZE account_move_line; ANALYZE account_partial_reconcile")
    env.invalidate_all()
    return pbase, mbase


def add_disputes_and_promises(env, count, today):
    """A few open disputes and running promises, through the ORM (their computed fields follow)."""
    moves = env["account.move"].search(
        [("move_type", "=", "out_invoice"), ("payment_state", "=", "not_paid"),
         ("invoice_date_due", "<", today)],
        limit=2 * count, order="id",
    )
    disputed, promised = moves[0::2], moves[1::2]
    reason = env["debt.collection.dispute.reason"].search([], limit=1)
    ctx = dict(env.context, tracking_disable=True, mail_notrack=True, mail_create_nolog=True)
    Dispute = env["debt.collection.dispute"].with_context(ctx)
    dispute_vals = [{"move_id": m.id} | ({"reason_id": reason.id} if reason else {}) for m in disputed]
    Dispute.create(dispute_vals)
    Promise = env["debt.collection.promise"].with_context(ctx)
    promise_fields = Promise._fields
    vals = []
    for move in promised:
        v = {"partner_id": move.commercial_partner_id.id, "move_ids": [(6, 0, move.ids)],
             "date": today + timedelta(days=10), "amount": move.amount_residual}
        vals.append({k: v2 for k, v2 in v.items() if k in promise_fields})
    Promise.create(vals)
    env.flush_all()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--invoices", type=int, default=10000, help="open invoices")
    parser.add_argument("--disputes", type=int, default=0, help="disputes and promises (default M/1000)")
    parser.add_argument("--today", type=date.fromisoformat, default=date.today())
    args = parser.parse_args()
    if not args.db.startswith("bench_"):
        parser.error("only databases named bench_* are filled")
    started = time.perf_counter()
    with odoo_env(args.db) as env:
        env = env(context=dict(env.context, allowed_company_ids=[env.ref("base.main_company").id]))
        ensure_chart(env, env.company)
        chart_done = time.perf_counter()
        fill(env, args.customers, args.invoices, args.today)
        sql_done = time.perf_counter()
        add_disputes_and_promises(env, args.disputes or max(args.invoices // 1000, 5), args.today)
        env.cr.commit()
    done = time.perf_counter()
    print(
        f"generated {args.customers} customers, {args.invoices} open invoices in {args.db}: "
        f"{done - started:.1f} s (chart {chart_done - started:.1f} s, "
        f"SQL fill {sql_done - chart_done:.1f} s, "
        f"disputes and promises {done - sql_done:.1f} s)"
    )


if __name__ == "__main__":
    main()
