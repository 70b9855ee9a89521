"""Phone numbers an SMS can reach (Odoo's phone validation writes them in E.164)."""

import phonenumbers

#: What a number may be for an SMS to reach it (a French 06/07, a number that may be either).
_TEXTABLE = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def is_mobile(e164):
    """Whether ``e164`` (an E.164 number, as Odoo's ``phone_sanitized``) can receive an SMS."""
    if not e164:
        return False
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(parsed) and phonenumbers.number_type(parsed) in _TEXTABLE
