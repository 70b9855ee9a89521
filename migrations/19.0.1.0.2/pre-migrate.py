"""Case stages get a kind, from which "freezes the dunning" and "closed" now follow.

Before the module's fields are set up, the new column is filled: each shipped stage from its
record id, any other from its former flags (a closed stage counts as recovered, a stage that
froze the dunning as an agency's, the others as amicable), so that no case changes what it
does. Odoo then finds the column filled and leaves it.
"""

from openupgradelib import openupgrade

#: The shipped stages (``debt_collection_case_stage_data.xml``) and their kind.
SHIPPED = {
    "stage_amicable": "amicable",
    "stage_formal_notice": "formal_notice",
    "stage_payment_plan": "plan",
    "stage_agency": "agency",
    "stage_factor": "factor",
    "stage_court": "court",
    "stage_recovered": "recovered",
    "stage_written_off": "written_off",
}


@openupgrade.migrate()
def migrate(env, version):
    cr = env.cr
    if openupgrade.column_exists(cr, "debt_collection_case_stage", "kind"):
        return
    openupgrade.logged_query(cr, "ALTER TABLE debt_collection_case_stage ADD COLUMN kind varchar")
    for xmlid, kind in SHIPPED.items():
        openupgrade.logged_query(
            cr,
            """UPDATE debt_collection_case_stage stage SET kind = %s
                 FROM ir_model_data data
                WHERE data.module = 'account_debt_collection' AND data.name = %s
                  AND data.model = 'debt.collection.case.stage' AND data.res_id = stage.id""",
            (kind, xmlid),
        )
    openupgrade.logged_query(
        cr,
        """UPDATE debt_collection_case_stage
              SET kind = CASE WHEN is_closed THEN 'recovered'
                              WHEN freezes_dunning THEN 'agency'
                              ELSE 'amicable' END
            WHERE kind IS NULL""",
    )
