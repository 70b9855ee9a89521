"""Who may do what: the module's groups, its one way of refusing, and who writes each field.

The README's "Who may do what" table is the rule; ``tests/test_access.py`` tries it as each
kind of user. Three things carry it on the server:

* the access rights and record rules of ``security/`` (who reads, creates, deletes a model);
* each button method starts with :func:`require_group`;
* a field declared with ``debt_write=<who>`` is set, on create or by a change on write,
  only by that group (``USER``, ``MANAGER``) or, for ``SYSTEM``, by the module's own code
  alone: the run, the scheduled actions and the wizards write those fields as superuser,
  after their own checks. A value sent unchanged (a form saving what it read, an import of
  the same value) is not a change. Create, write and the standard Import (``load``, which
  creates and writes) all go through :meth:`DebtCollectionAccessMixin._debt_check_writers`.

Every refusal is an ``AccessError`` whose message says who may do it ("Only a Collection
Manager can ...").
"""

from odoo import api, models
from odoo.exceptions import AccessError

USER = "account_debt_collection.group_debt_collection_user"
MANAGER = "account_debt_collection.group_debt_collection_manager"
#: ``debt_write`` of a field that no user sets: the module's own code writes it as superuser.
SYSTEM = "system"
#: Who reads the collection at all: the company's billing users and auditors (``groups`` of the
#: internal fields), never a portal or public user.
INTERNAL_GROUPS = ("account.group_account_invoice", "account.group_account_readonly")
INTERNAL = ",".join(INTERNAL_GROUPS)


def require_group(env, group, message):
    """Refuse (``AccessError`` with ``message``) unless the user is in ``group`` or is the superuser."""
    if not (env.su or env.user.has_group(group)):
        raise AccessError(message)


def require_internal(env):
    """Refuse anyone but the company's billing users and auditors (a portal user, an employee)."""
    if not (env.su or any(env.user.has_group(group) for group in INTERNAL_GROUPS)):
        raise AccessError(
            env._("Only the company's billing users and auditors can open the collection of a customer.")
        )


class DebtCollectionAccessMixin(models.AbstractModel):
    """Fields declared ``debt_write=USER | MANAGER | SYSTEM`` are set by that group only."""

    _name = "debt.collection.access.mixin"
    _description = "Collection fields set by their group only"

    @api.model
    def _valid_field_parameter(self, field, name):
        return name == "debt_write" or super()._valid_field_parameter(field, name)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._debt_check_writers(vals, self.browse())
        return super().create(vals_list)

    def write(self, vals):
        self._debt_check_writers(vals, self)
        return super().write(vals)

    def _debt_check_writers(self, vals, records):
        """Refuse ``vals`` if they set a guarded field its writer group does not include the user.

        ``records``: the records written (empty on create, where a guarded field counts as set
        when its value is neither empty nor the field's default).
        """
        if self.env.su:
            return
        refused = {}
        for fname, value in vals.items():
            field = self._fields.get(fname)
            writer = getattr(field, "debt_write", None)
            if not writer or (writer != SYSTEM and self.env.user.has_group(writer)):
                continue
            if records and not self._debt_changes(records, field, value):
                continue
            if not records and not self._debt_sets(field, value):
                continue
            refused.setdefault(writer, []).append(field._description_string(self.env))
        if refused:
            raise AccessError(
                "\n".join(self._debt_writers_message(writer, labels) for writer, labels in refused.items())
            )

    @api.model
    def _debt_changes(self, records, field, value):
        """Whether writing ``value`` changes ``field`` on any of ``records``."""
        if field.type in ("one2many", "many2many"):
            return bool(value)
        for record in records.sudo():
            if field.convert_to_cache(value, record) != field.convert_to_cache(record[field.name], record):
                return True
        return False

    @api.model
    def _debt_sets(self, field, value):
        """Whether creating a record with ``value`` for ``field`` sets it (not empty, not its default)."""
        if not value:
            return False
        default = self.default_get([field.name]).get(field.name)
        if field.type in ("one2many", "many2many"):
            return value != default
        return field.convert_to_cache(value, self) != field.convert_to_cache(default, self)

    def _debt_writers_message(self, writer, labels):
        fields_list = ", ".join(labels)
        if writer == MANAGER:
            return self.env._("Only a Collection Manager can change %(fields)s.", fields=fields_list)
        if writer == USER:
            return self.env._("Only a Collection User can change %(fields)s.", fields=fields_list)
        return self.env._(
            "Only the collection workflow itself can set %(fields)s: it records what was done.",
            fields=fields_list,
        )
