"""Store many records of a log model in one ``INSERT``, as ``create`` would have stored them.

The run writes thousands of events and tens of thousands of lines a batch. Through ``create``
each record pays for defaults, precomputes, conversions and cache updates one by one (the
lines a quarter of a run, the events a sixth). These models are logs: nothing overrides their
creation but the access check their own ``create`` makes, which the callers make too.
"""

from odoo.models import MAGIC_COLUMNS
from odoo.tools import SQL, float_round

PLAIN_TYPES = {
    "boolean",
    "char",
    "date",
    "datetime",
    "float",
    "integer",
    "many2one",
    "monetary",
    "selection",
    "text",
}


def insert_records(model, rows):
    """Insert ``rows`` (``{field name: value}``, stored plain columns) into ``model``; return the records.

    What ``create`` adds is added here once for all rows: the defaults of the columns a row
    does not give (``default_get``), who and when. Stored computed fields no row gives are left to
    compute, those given are kept. Afterwards the cache knows the records are new (one2many
    fields listing them are read again, fields depending on them recompute) and the Python
    constraints and the companies of ``check_company`` fields are checked, as after ``create``.
    """
    if not rows:
        return model.browse()
    defaults = model.default_get(
        [name for name, field in model._fields.items() if field.column_type and name not in MAGIC_COLUMNS]
    )
    names = sorted({name for row in rows for name in row} | set(defaults))
    fields = [model._fields[name] for name in names]
    for field in fields:
        if field.name in MAGIC_COLUMNS or not field.store or field.type not in PLAIN_TYPES or field.translate:
            raise ValueError(f"{model._name}.{field.name} is not a plain stored column")
    converters = [(field.name, _converter(model, field)) for field in fields]
    rows = [{**defaults, **row} for row in rows]
    now = model.env.cr.now()
    uid = model.env.uid
    values = [
        (
            *(convert(row[name], row) if name in row else None for name, convert in converters),
            uid,
            now,
            uid,
            now,
        )
        for row in rows
    ]
    model.env.cr.execute(
        SQL(
            "INSERT INTO %s (%s, create_uid, create_date, write_uid, write_date) VALUES %s RETURNING id",
            SQL.identifier(model._table),
            SQL(", ").join(SQL.identifier(name) for name in names),
            SQL(", ").join(values),
        )
    )
    records = model.browse([row[0] for row in model.env.cr.fetchall()])
    _forget_inverses(model, fields)
    given_computed = {field for field in fields if field.compute}
    with model.env.protecting(given_computed, records):
        records.modified(list(model._fields), create=True)
    for field in model._fields.values():
        if field.compute and field.store and field not in given_computed:
            model.env.add_to_compute(field, records)
    records._validate_fields(names)
    if model._check_company_auto:
        _check_companies(
            records, rows, [field.name for field in fields if field.relational and field.check_company]
        )
    return records


def _check_companies(records, rows, names):
    """``create``'s company check of ``names``, once per company and linked records met."""
    if not names:
        return
    first = {}
    for record, row in zip(records, rows, strict=True):
        first.setdefault(tuple(row.get(name) for name in ("company_id", *names)), record.id)
    records.browse(list(first.values()))._check_company(names)


def _converter(model, field):
    """How ``create`` stores a value of ``field``: ``convert(value, row)``.

    ``False`` is NULL, zero for numbers (a value not given at all is NULL); amounts are
    rounded to their currency, floats to their digits. A currency is looked up once per value
    of what gives it in the rows.
    """
    if field.type == "boolean":
        return lambda value, row: bool(value)
    if field.type == "integer":
        return lambda value, row: int(value or 0)
    if field.type == "monetary":
        rounding_of = _rounding_finder(model, field)
        return lambda value, row: _round(float(value or 0.0), rounding_of(row))
    if field.type == "float":
        digits = field.get_digits(model.env)
        if digits:
            return lambda value, row: float_round(float(value or 0.0), precision_digits=digits[1])
        return lambda value, row: float(value or 0.0)
    return lambda value, row: None if value is False else value


def _round(amount, rounding):
    return float_round(amount, precision_rounding=rounding) if rounding else amount


def _rounding_finder(model, field):
    """The rounding of a row's amount in ``field``: its currency's, found by its currency field
    (stored, or related through a field the row gives)."""
    name = field.get_currency_field(model)
    currency_field = model._fields[name]
    key = name if currency_field.store else currency_field.related.split(".")[0]
    found = {}

    def rounding_of(row):
        value = row.get(key, False)
        if value not in found:
            found[value] = model.new({key: value})[name].rounding
        return found[value]

    return rounding_of


def _forget_inverses(model, fields):
    """The one2many fields that list records through the given many2ones are read again."""
    for field in fields:
        for inverse in model.pool.field_inverses[field]:
            model.env[inverse.model_name].invalidate_model([inverse.name])
