"""Payer profiles and credit insurance became per company (company-dependent, jsonb columns).

Odoo cannot turn a float, date or many2one column into a company-dependent one by itself.

- The payer profile (average days late, on-time share, counts, class, refresh date) is
  computed: its columns go, and the post-migration computes it again, per company.
- The credit insurance (insurer, insured amount, end of cover) is entered by people: it is
  kept, the same for every company, as a company-dependent value.
"""

from openupgradelib import openupgrade

PROFILE_COLUMNS = (
    "debt_avg_days_late",
    "debt_on_time_ratio",
    "debt_late_count",
    "debt_broken_promise_count",
    "debt_dispute_count",
    "debt_payer_class",
    "debt_profile_date",
)
INSURANCE_COLUMNS = ("debt_insurer_id", "debt_insured_amount", "debt_insurance_end_date")


def _type(cr, column):
    cr.execute(
        "SELECT data_type FROM information_schema.columns "
        "WHERE table_name = 'res_partner' AND column_name = %s",
        [column],
    )
    row = cr.fetchone()
    return row and row[0]


@openupgrade.migrate()
def migrate(env, version):
    cr = env.cr
    stale = [column for column in PROFILE_COLUMNS if _type(cr, column) not in (None, "jsonb")]
    if stale:
        openupgrade.drop_columns(cr, [("res_partner", column) for column in stale])
    for column in INSURANCE_COLUMNS:
        if _type(cr, column) in (None, "jsonb"):
            continue
        openupgrade.rename_columns(cr, {"res_partner": [(column, f"{column}_legacy")]})
        openupgrade.logged_query(cr, f"ALTER TABLE res_partner ADD COLUMN {column} jsonb")
        openupgrade.logged_query(
            cr,
            f"""UPDATE res_partner partner
                   SET {column} = (
                       SELECT jsonb_object_agg(company.id::text, to_jsonb(partner.{column}_legacy))
                         FROM res_company company)
                 WHERE partner.{column}_legacy IS NOT NULL""",
        )
        openupgrade.drop_columns(cr, [("res_partner", f"{column}_legacy")])
