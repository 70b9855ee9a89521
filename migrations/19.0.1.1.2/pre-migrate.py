"""An event's ``kind`` is its ``origin``: what prompted it (the run, a hand, a promise, the page).

``kind`` named four different things in the module (an event's origin, a stage's, a rate's, a
document's); the event's is the one read beside ``channel``, where "kind" said nothing a reader
could act on. ``openupgrade.rename_fields`` renames the column with its values, the field's
definition, its external id and the filters and exports that named it. The once-a-day unique
index, whose stored definition still says ``kind``, is rebuilt by Odoo from the model.
"""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    openupgrade.rename_fields(env, [("debt.collection.event", "debt_collection_event", "kind", "origin")])
